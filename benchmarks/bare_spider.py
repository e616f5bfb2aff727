"""The bare link-follower: Scrapy's own ceiling on a site, with no extraction.

It follows every same-site ``<a href>`` and yields a one-field item per page,
so its cost is Scrapy's download, scheduling, duplicate filter and a CSS
selector pass: what any spider pays before doing useful work.

Links already seen are skipped before a Request is built (site-absolute
hrefs even before urljoin), and hrefs come from lxml's XPath on the tree
Scrapy already parsed rather than one parsel Selector per link, as a careful
link-follower does: a portal page carries ~200 links, nearly all seen before,
and pushing each through Request, the spider middlewares and the scheduler's
duplicate filter costs ~150 µs, 30 ms a page, which would measure link volume
rather than Scrapy's ceiling.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

__all__ = ["BareSpider"]

_SKIP = ("javascript:", "#", "mailto:")


class BareSpider(scrapy.Spider):
    """Follow links within the start URLs' hosts.

    Arguments: ``-a start_urls=URL[,URL…]``.
    """

    name = "bare"

    def __init__(self, start_urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u for u in start_urls.split(",") if u]
        if not self.start_urls:
            raise ValueError("bare spider needs -a start_urls=http://127.0.0.1:PORT/")
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_urls})
        self._prefixes = tuple({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}/" for u in self.start_urls})
        self._seen: set[str] = set(self.start_urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield {"url": response.url}
        base, seen, prefixes = response.url, self._seen, self._prefixes
        for href in response.selector.root.xpath("//a/@href"):
            # Site-absolute hrefs mean the same on every page: skip seen ones unjoined.
            if href in seen or href.startswith(_SKIP):
                continue
            if href.startswith(("/", "http:", "https:")):
                seen.add(href)
            url = urljoin(base, href)
            if url in seen:
                continue
            seen.add(url)
            if url.startswith(prefixes):
                yield scrapy.Request(url, callback=self.parse)
