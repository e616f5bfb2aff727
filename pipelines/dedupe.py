"""DedupePipeline: drop repeats within a crawl, exact copies and near-copies on the same site."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from newsarchive import statkeys
from newsarchive.archive import DuplicateRow
from newsarchive.items import Article

from ._shared import archive_for

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["DedupePipeline"]

logger = logging.getLogger(__name__)


class DedupePipeline:
    """Drop an article the archive already holds under another URL, or this crawl already saw.

    Asks the crawl's archive (newsarchive.archive ``find_duplicate``), so it keeps
    no sets of its own and also catches copies archived by earlier crawls: the same
    canonical URL twice in one crawl, the same content_hash under another URL, a
    SimHash within 3 bits on the same site. A URL archived by an earlier crawl is
    not a duplicate; it goes on to ArchivePipeline as a possible update.

    Of two copies the one published first is the original (ties: the earlier
    canonical URL; see newsarchive.dedupe.original_key), whichever the crawl met
    first: an original found after its copy was archived (in this crawl or an
    earlier one) is archived in the copy's place by the archive's
    ``replace_with_original``, and the copy becomes its duplicate. Either way one
    copy is counted under ``newsarchive/dedupe/url``, ``.../exact`` or ``.../near``;
    a replacement also under ``newsarchive/dedupe/replaced``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        # Opening here makes a locked archive fail the crawl at its start.
        archive_for(self.crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        archive = archive_for(self.crawler)
        duplicate = archive.find_duplicate(item)
        if duplicate is None:
            return item
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(statkeys.duplicate(duplicate.kind))
        if archive.replace_with_original(item, duplicate):
            # Published first: it is archived in the copy's place, and the copy is the duplicate.
            stats.inc_value(statkeys.DEDUPE_REPLACED)
            raise DropItem(
                f"original of {duplicate.url} ({duplicate.reason}): archived in its place",
                log_level="INFO",
            )
        # The archive remembers the copy's URL: has_url() then spares later crawls a fetch.
        archive.add_duplicate(DuplicateRow(item.canonical_url, duplicate, item.fetched_at))
        raise DropItem(f"duplicate of {duplicate.url} ({duplicate.reason})", log_level="INFO")
