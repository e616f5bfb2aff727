"""The news spider's view-counter requests: an article whose count a script writes asks the CMS's counter.

The article waits for its counter's answer and is yielded with the count, or
without it (view_count null) when the counter answers nothing readable or fails.
A failed counter loses no article: it is counted apart from failed pages
(``newsarchive/counter/failed``, the summary's "view counts unavailable") and
recorded in the failures file with the kind ``counter``.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from scrapy.http import Request, Response, TextResponse

from newsarchive import statkeys
from newsarchive.extract.meta import parse_counter_response
from newsarchive.items import Article

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

    def _read_counter_settings(self) -> None:
        self.fetch_counters = self.crawler.settings.getbool("NEWSARCHIVE_FETCH_COUNTERS", True)

    def _counter_request(self, article: Article, listing_url: str | None) -> Request | None:
        """Return the request asking *article*'s counter, or None when the article is complete.

        Only when the page prints no count: a printed one is the count (a 0
        placeholder that the script overwrites is read as None, and asked).
        """
        if not (article.counter_url and article.view_count is None and self.fetch_counters):
            return None
        self.crawler.stats.inc_value(statkeys.COUNTER_REQUESTED)
        return NewsRequest(
            article.counter_url,
            callback=self.parse_counter,
            errback=self.counter_failed,
            cb_kwargs={"article": article},
            meta={COUNTER_META: True, "listing_url": listing_url},
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
        self.crawler.stats.inc_value(statkeys.COUNTER_FAILED)
        logger.debug("counter %s failed: %s", request.url, failure.getErrorMessage())
        article = request.cb_kwargs.get("article")
        if isinstance(article, Article):
            yield article
