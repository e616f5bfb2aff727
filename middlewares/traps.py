"""Keep crawler traps from running a harvest forever.

Two traps regional portals set without meaning to:

- endless pagination: a calendar whose "next" always leads to another day
  (``?date=``), a pager that always offers one more ``?page=N``. The spider
  follows a listing's next page as long as it finds one; ``ListingLimitMiddleware``
  drops the request for listing page NEWSARCHIVE_MAX_LISTING_PAGES + 1 of any
  one listing (the spider's own ``-a max_pages`` is a smaller, per-run limit).
  It reads the listing page number the spider passes as ``cb_kwargs["page"]``
  (1 for the start or section page).
- session and tracking parameters: a listing that links to itself with a fresh
  ``PHPSESSID=`` or ``utm_`` value on every view looks new to Scrapy's duplicate
  filter each time. ``CanonicalRequestFingerprinter`` fingerprints a request by
  ``newsarchive.normalize.canonicalize_url`` of its URL, so such variants are one
  request.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import RequestFingerprinter

from newsarchive import statkeys
from newsarchive.normalize import canonicalize_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class ListingLimitMiddleware:
    """Spider middleware: no listing is read past NEWSARCHIVE_MAX_LISTING_PAGES pages."""

    def __init__(self, crawler: Crawler, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit
        self._logged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSARCHIVE_MAX_LISTING_PAGES", 500))

    def _allowed(self, item: Any) -> bool:
        cb_kwargs = getattr(item, "cb_kwargs", None)
        page = cb_kwargs.get("page") if isinstance(cb_kwargs, dict) else None
        if not isinstance(page, int) or self.limit <= 0 or page <= self.limit:
            return True
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(statkeys.TRAPS_LISTING_PAGES_LIMIT)
        level = logging.DEBUG if self._logged else logging.INFO
        self._logged = True
        logger.log(
            level,
            "not following %s: listing page %d is past NEWSARCHIVE_MAX_LISTING_PAGES=%d",
            item.url, page, self.limit,
        )
        return False

    def process_spider_output(self, response: Response, result: Any) -> Any:
        for item in result:
            if self._allowed(item):
                yield item

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        async for item in result:
            if self._allowed(item):
                yield item


class CanonicalRequestFingerprinter(RequestFingerprinter):
    """Scrapy's fingerprint, taken of the canonical URL (session and tracking parameters dropped)."""

    def fingerprint(self, request: Request) -> bytes:
        canonical = canonicalize_url(request.url)
        if canonical != request.url:
            request = request.replace(url=canonical)
        return super().fingerprint(request)
