"""A forced stop (SIGINT or SIGTERM a second time) that loses nothing it counted.

Scrapy stops gracefully at the first SIGINT/SIGTERM and, at the second, stops
the reactor at once: no spider_closed, so the archive's last batch was never
committed while the crawl had counted it, and the crawl ended as if it had
finished. This extension wraps the process's SIGINT/SIGTERM handlers while the
spider is open. At the second signal it first schedules, on the reactor thread
and so ahead of Scrapy's own stop, the ``forced_stop`` signal (the archive
commits its batch and closes; an item still in the pipelines is neither
archived nor counted) and records the finish reason ``forced_stop`` in the
stats; then Scrapy's handler stops the reactor.

The ``<archive>.incomplete`` marker still says "running" afterwards, so the
next crawl treats this one as killed: it discards the saved crawl state (its
queue may be torn) and reads every listing page, fetching whatever was not
archived.
"""

from __future__ import annotations

import logging
import signal
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newsarchive.outcome import FORCED
from newsarchive.signals import forced_stop

if TYPE_CHECKING:
    from types import FrameType
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

__all__ = ["ForcedStopGuard"]

logger = logging.getLogger(__name__)

_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGBREAK") if hasattr(signal, name)
)


class ForcedStopGuard:
    """Make the second SIGINT/SIGTERM commit what the crawl counted before the reactor stops."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.received = 0
        self._wrapped: dict[int, Any] = {}  # signal number -> the handler we call on
        self._forced = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        o = cls(crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def spider_opened(self, spider: Spider) -> None:
        self._wrap()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        # Closed by Scrapy: nothing is held back any more; hand the handlers back.
        for signum, handler in self._wrapped.items():
            if signal.getsignal(signum) == self._on_signal:
                signal.signal(signum, handler)
        self._wrapped.clear()

    def _wrap(self) -> None:
        """Put _on_signal in front of whatever handles each shutdown signal now."""
        for signum in _SIGNALS:
            current = signal.getsignal(signum)
            if current == self._on_signal:
                continue
            if not callable(current):
                continue  # no Python handler (SIG_DFL, SIG_IGN): not ours to change
            self._wrapped[signum] = current
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # A signal handler: no logging or I/O here (see Scrapy's _signal_kill);
        # the work is scheduled on the reactor thread.
        from twisted.internet import reactor

        self.received += 1
        if self.received >= 2 and not self._forced:
            self._forced = True
            reactor.callFromThread(self._stop_by_force, signum)
        handler = self._wrapped.get(signum)
        if callable(handler):
            handler(signum, frame)
        if not self._forced:
            self._wrap()  # the graceful handler installed the forcing one: wrap it too

    def _stop_by_force(self, signum: int) -> None:
        logger.warning(
            "received %s twice: committing what the crawl archived and stopping at once; "
            "the next run reads every listing page",
            signal.Signals(signum).name,
        )
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value("finish_reason", FORCED)
        self.crawler.signals.send_catch_log(forced_stop)
