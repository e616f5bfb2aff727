"""ArchivePipeline: store each article in the crawl's archive (new, updated, unchanged, views)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from newsarchive import statkeys
from newsarchive.items import Article

from ._shared import archive_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["ArchivePipeline"]

logger = logging.getLogger(__name__)


class ArchivePipeline:
    """Add each article to the archive named by NEWSARCHIVE_ARCHIVE.

    Counts the outcome as ``newsarchive/archive/new`` (first capture),
    ``.../updated`` (different content: a new version), ``.../unchanged`` or
    ``.../views`` (only the view count changed). The archive is opened when the
    spider opens, so a locked archive stops the crawl before any request, and
    closed after the last item (see newsarchive.pipelines._shared.archive_for).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        archive_for(self.crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        result = archive_for(self.crawler).add(item)
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(statkeys.archived(result))
        logger.debug("archived %s: %s", item.canonical_url, result)
        return item
