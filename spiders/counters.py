"""The news spider's view-counter requests: an article whose count a script writes asks the CMS's counter.

The article waits for its counter's answer and is yielded with the count, or
without it (view_count null) when the counter answers nothing readable or fails.
A failed counter loses no article: it is counted apart from failed pages
(``newsarchive/counter/failed``, the summary's "view counts unavailable") and
recorded in the failures file with the kind ``counter``.

A counter that the site's robots.txt disallows (DedeCMS's default robots.txt has
``Disallow: /plus/count.php``) is not asked and is no failure either: the site
said so. It is counted per site (``newsarchive/counter/withheld/<site>``) and
said once per site in a warning naming NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS, which
asks the counters anyway: Scrapy's ``dont_obey_robotstxt`` on counter requests
only, so every page request still obeys robots.txt.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy.http import Request, Response, TextResponse

from newsarchive import statkeys
from newsarchive.extract.meta import parse_counter_response
from newsarchive.failure_kinds import failure_kind
from newsarchive.items import Article
from newsarchive.normalize import site_of

from .requests import NewsRequest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

__all__ = ["COUNTER_META", "ViewCounters"]

logger = logging.getLogger(__name__)

#: Request meta key marking a view-counter request.
COUNTER_META = "newsarchive_counter"
# Counters as soon as their article is in: before listing pages (10) and articles (0).
_PRIORITY_COUNTER = 20


class ViewCounters:
    """Mixin of the news spider: ask an article's view counter, yield the article either way."""

    crawler: Crawler
    fetch_counters: bool
    counters_ignore_robots: bool
    # Sites whose robots.txt withheld a counter in this crawl (each is warned about once).
    _counters_withheld: set[str]

    def _read_counter_settings(self) -> None:
        settings = self.crawler.settings
        self.fetch_counters = settings.getbool("NEWSARCHIVE_FETCH_COUNTERS", True)
        self.counters_ignore_robots = settings.getbool("NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS", False)
        self._counters_withheld = set()

    def _counter_request(self, article: Article, listing_url: str | None) -> Request | None:
        """Return the request asking *article*'s counter, or None when the article is complete.

        Only when the page prints no count: a printed one is the count (a 0
        placeholder that the script overwrites is read as None, and asked).
        """
        if not (article.counter_url and article.view_count is None and self.fetch_counters):
            return None
        self.crawler.stats.inc_value(statkeys.COUNTER_REQUESTED)
        meta: dict[str, object] = {COUNTER_META: True, "listing_url": listing_url}
        if self.counters_ignore_robots:
            meta["dont_obey_robotstxt"] = True
        return NewsRequest(
            article.counter_url,
            callback=self.parse_counter,
            errback=self.counter_failed,
            cb_kwargs={"article": article},
            meta=meta,
            priority=_PRIORITY_COUNTER,
            dont_filter=True,
        )

    def parse_counter(self, response: Response, article: Article) -> Iterator[Article]:
        """Yield *article* with the count its counter endpoint answered (or as it was)."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        count = parse_counter_response(text)
        if count is None:
            self.crawler.stats.inc_value(statkeys.COUNTER_UNREADABLE)
            logger.debug("counter %s answered %r", response.url, text[:80])
            yield article
            return
        yield dataclasses.replace(article, view_count=count)

    def counter_failed(self, failure: Failure) -> Iterator[Article]:
        """Yield the article anyway when its counter cannot be asked (HTTP error, timeout, robots.txt)."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.value is not None and failure_kind(failure.value) == "robots":
            self._withheld(request)
        else:
            self.crawler.stats.inc_value(statkeys.COUNTER_FAILED)
            logger.debug("counter %s failed: %s", request.url, failure.getErrorMessage())
        article = request.cb_kwargs.get("article")
        if isinstance(article, Article):
            yield article

    def _withheld(self, request: Request) -> None:
        """Count a counter robots.txt forbids; warn the first time for its site."""
        site = site_of(request.url)
        stats = self.crawler.stats
        stats.inc_value(statkeys.COUNTER_WITHHELD)
        stats.inc_value(statkeys.counter_withheld(site))
        if site in self._counters_withheld:
            return
        self._counters_withheld.add(site)
        logger.warning(
            "view counts of %s are withheld by its robots.txt (it disallows %s): its articles are "
            "archived without them; -s NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS=1 asks the counters anyway",
            site,
            urlsplit(request.url).path,
        )
