"""The one archive writer of a crawl, shared by the pipelines and (through ArchiveOpener) the spider.

The spider never imports the archive: the ArchiveOpener extension hands it the
writer's ``has_url`` when the spider opens, so it skips archived articles
before requesting them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary, WeakSet

from scrapy import signals

from newsarchive import settings as defaults
from newsarchive.archive import open_archive
from newsarchive.errors import ArchiveError
from newsarchive.signals import forced_stop

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

    from newsarchive.archive import Archive

__all__ = ["ArchiveOpener", "archive_for", "close_archive"]

logger = logging.getLogger(__name__)

# One writer per crawler; the entry goes when the spider closes (or the crawler does).
_ARCHIVES: WeakKeyDictionary[Crawler, Archive] = WeakKeyDictionary()
# Crawlers whose archive a forced stop closed: nothing may be added after it.
_FORCED: WeakSet[Crawler] = WeakSet()


def archive_for(crawler: Crawler) -> Archive:
    """Return the archive writer of *crawler*, opening it on first use.

    The path comes from NEWSARCHIVE_ARCHIVE (parent directories are created);
    NEWSARCHIVE_LOCK_TIMEOUT, NEWSARCHIVE_BATCH_SIZE and NEWSARCHIVE_BATCH_SECONDS
    tune it. Raises ArchiveLocked when another harvest writes the same archive.
    The archive is closed on spider_closed, which Scrapy sends after every
    pipeline's close_spider, so the last items are in before it closes.
    """
    archive = _ARCHIVES.get(crawler)
    if archive is not None:
        return archive
    if crawler in _FORCED:
        # An item still in the pipelines when the crawl was forced to stop: not
        # archived, not counted; the next crawl fetches its page again.
        raise ArchiveError("the archive was closed by a forced stop; the next crawl fetches this article again")
    settings = crawler.settings
    path = settings.get("NEWSARCHIVE_ARCHIVE") or defaults.NEWSARCHIVE_ARCHIVE
    archive = open_archive(
        path,
        lock_timeout=settings.getfloat("NEWSARCHIVE_LOCK_TIMEOUT", defaults.NEWSARCHIVE_LOCK_TIMEOUT),
        batch_size=settings.getint("NEWSARCHIVE_BATCH_SIZE", defaults.NEWSARCHIVE_BATCH_SIZE),
        batch_seconds=settings.getfloat(
            "NEWSARCHIVE_BATCH_SECONDS", defaults.NEWSARCHIVE_BATCH_SECONDS
        ),
    )
    _ARCHIVES[crawler] = archive
    crawler.signals.connect(_on_spider_closed, signal=signals.spider_closed, weak=False)
    crawler.signals.connect(_on_forced_stop, signal=forced_stop, weak=False)
    # Commit a batch that has waited long enough even while no item comes in.
    crawler.signals.connect(_on_response, signal=signals.response_received, weak=False)
    logger.info("archiving to %s", archive.path)
    return archive


def close_archive(crawler: Crawler) -> None:
    """Close the archive writer of *crawler*, if one is open (releases the lock)."""
    archive = _ARCHIVES.pop(crawler, None)
    if archive is not None:
        archive.close()
        logger.info("closed archive %s", archive.path)


def _on_spider_closed(spider: object, reason: str) -> None:
    crawler = getattr(spider, "crawler", None)
    if crawler is not None:
        close_archive(crawler)


def _on_forced_stop(sender: Crawler) -> None:
    # Commit the batch and release the lock: a forced stop sends no spider_closed.
    _FORCED.add(sender)
    close_archive(sender)


def _on_response(spider: object, **kwargs: object) -> None:
    crawler = getattr(spider, "crawler", None)
    archive = _ARCHIVES.get(crawler) if crawler is not None else None
    if archive is not None and archive.flush_due():
        archive.flush()


class ArchiveOpener:
    """Extension: open the crawl's archive when the spider opens and hand the spider its has_url.

    The pipelines have opened it by then (their open_spider runs first, so a
    locked archive has already stopped the crawl); a spider that has a
    ``use_archive(has_url)`` method is given the writer's ``has_url``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        o = cls(crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        return o

    def spider_opened(self, spider: Spider) -> None:
        use_archive = getattr(spider, "use_archive", None)
        if callable(use_archive):
            use_archive(archive_for(self.crawler).has_url)
