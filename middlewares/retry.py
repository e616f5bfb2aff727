"""Scrapy's RetryMiddleware, plus exponential backoff and the server's Retry-After.

Scrapy retries a failed request at once (RETRY_TIMES, RETRY_HTTP_CODES,
RETRY_EXCEPTIONS keep their meaning). Hammering a struggling regional server
three times in a row does not help it recover; this waits before each retry:
NEWSARCHIVE_RETRY_BACKOFF seconds, doubled per attempt, at most
NEWSARCHIVE_RETRY_BACKOFF_MAX. A 429 or 503 answer with ``Retry-After``
(seconds or an HTTP date) waits that long instead, bounded by the same maximum.
Only the retried request waits; AutoThrottle (on in settings.py) slows the rest
of the host's requests from the latencies it sees.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future

from newsarchive import statkeys

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def parse_retry_after(value: str | bytes | None, *, now: float) -> float | None:
    """Return the seconds a ``Retry-After`` header value asks for, or None if unreadable.

    "120" -> 120.0; "Wed, 21 Oct 2015 07:28:00 GMT" -> seconds from *now* (0 if past).
    """
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - now)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retry as Scrapy does, waiting longer before each attempt."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF", 1.0)
        self.backoff_max = settings.getfloat("NEWSARCHIVE_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result, response)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result, None)
        return result

    def _delay(self, retry: Request, response: Response | None) -> float:
        attempt = int(retry.meta.get("retry_times", 1))
        delay: float = self.backoff * 2 ** (attempt - 1)
        if response is not None and response.status in (429, 503):
            asked = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
            if asked is not None:
                stats = self.crawler.stats
                assert stats is not None
                stats.inc_value(statkeys.RETRY_AFTER)
                if asked > self.backoff_max:
                    logger.info(
                        "%s asks to wait %.0f s (Retry-After); waiting the maximum %.0f s",
                        response.url, asked, self.backoff_max,
                    )
                delay = asked
        return min(delay, self.backoff_max)

    async def _wait(self, retry: Request, response: Response | None) -> None:
        delay = self._delay(retry, response)
        if delay <= 0:
            return
        stats = self.crawler.stats
        assert stats is not None
        waited = float(stats.get_value(statkeys.RETRY_BACKOFF_SECONDS, 0.0))
        stats.set_value(statkeys.RETRY_BACKOFF_SECONDS, round(waited + delay, 3))
        logger.debug("waiting %.2f s before retrying %s", delay, retry.url)
        from twisted.internet import reactor
        from twisted.internet.task import deferLater

        await maybe_deferred_to_future(deferLater(reactor, delay, lambda: None))
