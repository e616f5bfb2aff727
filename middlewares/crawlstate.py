"""The crawl's saved state beside its archive: resume directory, recovery at start, marker.

A Scrapy add-on (``ADDONS`` in ``newsarchive.settings``), because what it
decides must be in the settings before Scrapy builds its scheduler: the JOBDIR
kept beside the archive (``<archive>.job``, unless JOBDIR is given or
NEWSARCHIVE_RESUME is off), and NEWSARCHIVESTOP_AFTER_KNOWN_PAGES=0 after a
crawl that did not finish. The paths, the marker and the recovery rules are
``newsarchive.crawlstate``'s; this module only applies them to a ``scrapy
crawl``, the way Scrapy's own SpiderState extension keeps ``spider.state``.

When the ``newsarchive`` CLI runs the crawl in this process it has recovered
and written the marker itself (holding the archive's lock), so the marker
names this process and is left to the CLI.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.settings import SETTINGS_PRIORITIES

from newsarchive.crawlstate import (
    STOP_AFTER_KNOWN,
    begin_crawl,
    end_crawl,
    incomplete_marker,
    job_dir_for,
    locked_by_another,
    marker_pid,
    remove_finished_job_dir,
)

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["CrawlState"]

logger = logging.getLogger(__name__)



class CrawlState:
    """Keep a crawl's resume state beside its archive and mark the crawl running until it ends."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.archive: str | None = None
        self.jobdir: str | None = None
        # True when this add-on wrote the archive's .incomplete marker (and so ends it).
        self.keeps_marker = False
        self._finish_reason: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        """Set JOBDIR beside the archive, recover from the last crawl, mark this one running."""
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if not archive or str(archive) == ":memory:":
            return
        self.archive = str(archive)
        if not settings.get("JOBDIR") and settings.getbool("NEWSARCHIVE_RESUME", True):
            settings.set("JOBDIR", job_dir_for(self.archive), priority="addon")
        self.jobdir = settings.get("JOBDIR") or None
        connect = self.crawler.signals.connect
        connect(self._spider_closed, signal=signals.spider_closed)
        connect(self._engine_stopped, signal=signals.engine_stopped)
        if marker_pid(incomplete_marker(self.archive)) == os.getpid() or locked_by_another(self.archive):
            # The CLI in this process keeps the marker; or a running harvest writes this
            # archive: its marker and job directory are its own (this crawl will stop
            # with ArchiveLocked when it opens the archive).
            return
        try:
            recovery = begin_crawl(self.archive, self.jobdir)
        except OSError as exc:
            logger.debug("cannot write the marker beside %s: %s", self.archive, exc)
            return
        self.keeps_marker = True
        message = recovery.describe(self.archive)
        if message is not None:
            # A discarded state is worth a warning; a stopped crawl's rerun is routine.
            (logger.warning if recovery.discarded is not None else logger.info)("%s", message)
        if recovery.read_every_listing and (settings.getpriority(STOP_AFTER_KNOWN) or 0) < SETTINGS_PRIORITIES["cmdline"]:
            settings.set(STOP_AFTER_KNOWN, 0, priority="cmdline")

    def _spider_closed(self, spider: Spider, reason: str) -> None:
        self._finish_reason = reason

    def _engine_stopped(self) -> None:
        """End the marker, and remove the JOBDIR once the crawl has finished normally.

        Runs after Scrapy has written the job's state (spider_closed), so nothing
        writes into the directory afterwards. A crawl stopped part-way keeps it,
        to continue on the next run; a finished one removes it, so that the next
        harvest's listing pages are not hidden by this one's seen-request filter.
        """
        if self.archive is None:
            return
        finished = self._finish_reason in (None, "finished")
        if self.keeps_marker:
            # Scrapy closed the spider, so a JOBDIR holds whole state: any reason
            # but "finished" is a stop that the next crawl may resume from.
            end_crawl(self.archive, finished=finished, stopped=not finished)
        if self._finish_reason == "finished" and remove_finished_job_dir(self.archive, self.jobdir):
            logger.debug("crawl finished: removed job directory %s", self.jobdir)
