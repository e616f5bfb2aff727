"""CrawlProgress: how far a crawl is, while it runs, from the crawl's own stats.

On a terminal (stderr a TTY, and the log not written there) one live line is
redrawn twice a second::

    pages 120 | new 80 | duplicates 2 | failed 1 | 3.2 pages/s | ETA 1m05s

Otherwise (cron, a log file) a plain line goes into the log every
NEWSARCHIVE_PROGRESS_INTERVAL seconds (60), as Scrapy's LOGSTATS_INTERVAL line
does, with our counts::

    progress: 120 pages (3.2/s), 80 new, 0 updated, 2 duplicates, 1 failed, 40 known; about 65 s left

NEWSARCHIVE_PROGRESS: ``auto`` (the default: the live line on a terminal),
``live`` (the live line even when stderr is no terminal: ``--progress``) or
``log`` (the log lines only: ``--no-progress``). The log line is written in
every mode, to the log.

The ETA needs the listings' totals: the spider adds to
``newsarchive/progress/expected`` what each section's first listing page states
(共60条, a pager's last page × the links on a page), and counts under
``newsarchive/progress/unknown`` the paginated sections that state nothing. With
an unknown section there is no ETA; otherwise the articles still to meet over the
rate at which articles were met so far (read, or skipped as archived or by date).
tqdm draws the live line: it knows the terminal's width, redraws in place and
clears the line when the crawl ends.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import IO, TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsarchive import statkeys
from newsarchive.failure_kinds import COUNTER_KIND
from newsarchive.signals import page_failed

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

__all__ = ["MODES", "CrawlProgress", "Snapshot"]

logger = logging.getLogger(__name__)

#: NEWSARCHIVE_PROGRESS values.
MODES = ("auto", "live", "log")

_ARCHIVED = ("new", "updated", "views", "unchanged")
_DUPLICATES = tuple(statkeys.duplicate(kind) for kind in ("url", "exact", "near"))


def _duration(seconds: float) -> str:
    """Return *seconds* as 45s, 3m05s or 2h10m."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    if whole < 3600:
        return f"{whole // 60}m{whole % 60:02d}s"
    return f"{whole // 3600}h{whole % 3600 // 60:02d}m"


class Snapshot:
    """The counts of a crawl at one moment, read from its stats (and its failed pages)."""

    def __init__(self, stats: dict[str, Any], failed: int, elapsed: float) -> None:
        def get(key: str) -> int:
            return int(stats.get(key, 0) or 0)

        self.pages = get("response_received_count")
        self.archived = {status: get(statkeys.archived(status)) for status in _ARCHIVED}
        self.duplicates = sum(get(key) for key in _DUPLICATES)
        self.failed = failed
        self.known = get(statkeys.LINKS_KNOWN)
        self.by_date = sum(get(key) for key in (*statkeys.OLDER_THAN_SINCE, *statkeys.NEWER_THAN_UNTIL))
        self.elapsed = elapsed
        self.expected = get(statkeys.PROGRESS_EXPECTED)
        self.unknown = get(statkeys.PROGRESS_UNKNOWN)

    @property
    def rate(self) -> float:
        """Pages a second so far."""
        return self.pages / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def met(self) -> int:
        """Articles met so far: read (archived, dropped as a copy, failed), or skipped."""
        return sum(self.archived.values()) + self.duplicates + self.failed + self.known + self.by_date

    def eta(self) -> float | None:
        """Seconds left, when every section stated its size and articles were met; else None."""
        if self.unknown or not self.expected or not self.met or self.elapsed <= 0:
            return None
        left = max(0, self.expected - self.met)
        return left / (self.met / self.elapsed)

    def live_line(self) -> str:
        eta = self.eta()
        parts = [
            f"pages {self.pages}", f"new {self.archived['new']}", f"duplicates {self.duplicates}",
            f"failed {self.failed}", f"{self.rate:.1f} pages/s",
        ]
        if eta is not None:
            parts.append(f"ETA {_duration(eta)}")
        return " | ".join(parts)

    def log_line(self) -> str:
        line = (
            f"progress: {self.pages} pages ({self.rate:.1f}/s), {self.archived['new']} new, "
            f"{self.archived['updated']} updated, {self.duplicates} duplicates, {self.failed} failed, "
            f"{self.known} known"
        )
        eta = self.eta()
        if eta is not None:
            line += f"; about {_duration(eta)} left"
        return line


class CrawlProgress:
    """Show a crawl's progress: a live line on a terminal, a plain line in the log."""

    def __init__(
        self, crawler: Crawler, *, live: bool, interval: float, refresh: float, stream: IO[str] | None = None
    ) -> None:
        self.crawler = crawler
        self.live = live
        self.interval = interval
        self.refresh = refresh
        self.stream = stream if stream is not None else sys.stderr
        self._failed: set[str] = set()
        self._started = 0.0
        self._tasks: list[task.LoopingCall] = []
        self._bar: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        mode = str(settings.get("NEWSARCHIVE_PROGRESS", "auto")).lower()
        interval = settings.getfloat("NEWSARCHIVE_PROGRESS_INTERVAL", 60.0)
        if mode not in MODES:
            raise NotConfigured(f"NEWSARCHIVE_PROGRESS={mode!r}")
        live = mode == "live" or (mode == "auto" and _terminal(sys.stderr) and not _logs_to_stderr(settings))
        o = cls(crawler, live=live, interval=interval, refresh=0.5)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(o.page_failed, signal=page_failed)
        return o

    def page_failed(self, url: str, kind: str, **_: Any) -> None:
        """Count a failed page once (a view counter that failed is no failed page)."""
        if kind != COUNTER_KIND:
            self._failed.add(url)

    def snapshot(self) -> Snapshot:
        assert self.crawler.stats is not None
        return Snapshot(self.crawler.stats.get_stats(), len(self._failed), time.monotonic() - self._started)

    def spider_opened(self) -> None:
        self._started = time.monotonic()
        if self.interval > 0:
            self._start(self.log, self.interval)
        if self.live:
            from tqdm import tqdm  # type: ignore[import-untyped]

            # nrows given: tqdm draws nothing when the terminal states no size (a fresh pty).
            self._bar = tqdm(
                file=self.stream, bar_format="{desc}", leave=False, ncols=_width(self.stream), nrows=20
            )
            self._start(self.draw, self.refresh)

    def _start(self, call: Any, every: float) -> None:
        loop = task.LoopingCall(call)
        loop.start(every, now=False)
        self._tasks.append(loop)

    def log(self) -> None:
        logger.info("%s", self.snapshot().log_line())

    def draw(self) -> None:
        if self._bar is not None:
            self._bar.ncols = _width(self.stream)  # a resized terminal: the line follows
            self._bar.set_description_str(self.snapshot().live_line(), refresh=True)

    def spider_closed(self) -> None:
        for loop in self._tasks:
            if loop.running:
                loop.stop()
        self._tasks.clear()
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def _width(stream: Any) -> int:
    """Return the terminal's width; 100 when it states none (a fresh pseudo-terminal says 0)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 0
    return columns if columns > 0 else 100


def _terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _logs_to_stderr(settings: Any) -> bool:
    """True when Scrapy's log goes to stderr: a live line there would fight with it."""
    return bool(settings.getbool("LOG_ENABLED", True) and not settings.get("LOG_FILE"))
