"""SharedPoliteness: the download delay of one site held across every worker of a shared harvest.

Scrapy spaces the requests to a site by DOWNLOAD_DELAY within one process; N
workers of a harvest (``newsarchive crawl --redis``) would each do so and hit a
county portal N times as often. This downloader middleware reserves each
request's start in Redis first (``newsarchive.distributed.RESERVE_SCRIPT``:
one atomic step on Redis's own clock, so workers on machines whose clocks differ
agree): a site's requests, from all workers together, start at least
DOWNLOAD_DELAY seconds apart (a site is a host and port). A worker waits for its reserved time, then hands
the request to Scrapy's downloader, whose own per-process delay and
CONCURRENT_REQUESTS_PER_DOMAIN still apply. scrapy-redis has no such piece.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet import task

from newsarchive import statkeys
from newsarchive.distributed import RESERVE_SCRIPT, RunKeys

if TYPE_CHECKING:
    from typing import Any, Self

    from redis import Redis
    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["SharedPoliteness"]

logger = logging.getLogger(__name__)


class SharedPoliteness:
    """Start a site's requests, across the harvest's workers, DOWNLOAD_DELAY seconds apart."""

    def __init__(self, crawler: Crawler, server: Redis, keys: RunKeys, delay: float) -> None:
        self.crawler = crawler
        self.keys = keys
        self.delay_us = int(delay * 1_000_000)
        # A site's reservation outlives its last request by a minute, then goes.
        self.ttl_ms = int(delay * 1000) + 60_000
        self._reserve = server.register_script(RESERVE_SCRIPT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        url = settings.get("NEWSARCHIVE_REDIS_URL")
        if not url:
            raise NotConfigured("NEWSARCHIVE_REDIS_URL is not set")
        delay = settings.getfloat("DOWNLOAD_DELAY")
        if delay <= 0:
            raise NotConfigured("DOWNLOAD_DELAY is 0: no delay to share")
        from scrapy_redis.connection import get_redis  # type: ignore[import-untyped]

        return cls(crawler, get_redis(url=url), RunKeys(settings.get("NEWSARCHIVE_REDIS_RUN")), delay)

    async def process_request(self, request: Request) -> None:
        # A site is its host and port (a default port is not written): two servers on one
        # address (the fixture sites on 127.0.0.1) are two sites.
        site = urlparse_cached(request).netloc.lower()
        wait_us = int(self._reserve(keys=[self.keys.next_slot(site)], args=[self.delay_us, self.ttl_ms]))
        if wait_us <= 0:
            return
        seconds = wait_us / 1_000_000
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(statkeys.REDIS_WAIT_MS, round(seconds * 1000))
        logger.debug("%s: waiting %.3fs for the site's shared request slot", request.url, seconds)
        from twisted.internet import reactor  # the crawl's, installed by Scrapy by now

        waited: Any = task.deferLater(reactor, seconds, lambda: None)
        await maybe_deferred_to_future(waited)
