"""NormalizePipeline: normalise an article's text fields and fill its fingerprints."""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import DropItem

from newsarchive.archive import finish_article
from newsarchive.items import Article
from newsarchive.normalize import canonicalize_url, normalize_article, site_of

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = ["NormalizePipeline"]

logger = logging.getLogger(__name__)


class NormalizePipeline:
    """Normalise title, author, source, section and paragraphs; set fetched_at (UTC),
    canonical_url and site when missing, content_hash and simhash.

    Drops (at WARNING, naming the field) an article whose title or paragraphs
    are empty after normalising. Items that are not Articles pass unchanged.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        normalized = normalize_article(item)
        if not normalized.title:
            raise DropItem(f"article {item.url} dropped: field 'title' is empty")
        if not normalized.paragraphs:
            raise DropItem(f"article {item.url} dropped: field 'paragraphs' is empty")
        # The fingerprints are cleared so that finish_article() computes them from the
        # normalised text; fetched_at stays if the spider set it.
        return finish_article(dataclasses.replace(
            normalized,
            canonical_url=item.canonical_url or canonicalize_url(item.url),
            site=item.site or site_of(item.url),
            content_hash="",
            simhash="",
        ))
