"""The link-only spider: Scrapy's own cost per page on the synthetic portal, and nothing else.

It reads the portal the way the `news` spider does (section listings, their
pagination, the articles they list) but picks links with fixed CSS selectors
written for benchmarks/gen_portal.py's templates, and its article callback
yields only ``{"url": ...}``: no parse beyond Scrapy's own selector, no
extraction, no storage. Its pages/s is the ceiling a spider that does useful
work is measured against.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

__all__ = ["LinkOnlySpider"]

# gen_portal.py's listing page: <ul class="list"><li>... <a href="/news/...html">title</a>
_ARTICLES = "ul.list li > a::attr(href)"
# Its pager: <div class="pages"><ul>... <li><a href="...">下一页</a></li>
_PAGER = "div.pages a"
_NEXT = "下一页"


class LinkOnlySpider(scrapy.Spider):
    """Read the portal's section listings, their next pages and their articles.

    Arguments: ``-a start_urls=URL[,URL…]`` (the sections' first listing pages).
    """

    name = "linkonly"

    def __init__(self, start_urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u for u in start_urls.split(",") if u]
        if not self.start_urls:
            raise ValueError("link-only spider needs -a start_urls=http://127.0.0.1:PORT/news/")
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_urls})

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing)

    def parse_listing(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        for href in response.css(_ARTICLES).getall():
            yield response.follow(href, callback=self.parse_article)
        for a in response.css(_PAGER):
            if a.css("::text").get() == _NEXT:
                yield response.follow(a.attrib["href"], callback=self.parse_listing)
                break

    def parse_article(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield {"url": response.url}
