"""SharedItemsPipeline: push each article to the shared harvest's item list for the archiver."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis  # type: ignore[import-untyped]
from scrapy_redis.pipelines import RedisPipeline  # type: ignore[import-untyped]

from newsarchive import statkeys
from newsarchive.distributed import RunKeys, encode_item
from newsarchive.items import Article

if TYPE_CHECKING:
    from typing import Self

    from redis import Redis
    from scrapy.crawler import Crawler

__all__ = ["SharedItemsPipeline"]

logger = logging.getLogger(__name__)


class SharedItemsPipeline(RedisPipeline):  # type: ignore[misc]
    """scrapy-redis's item pipeline, pushing the archived record (newsarchive.distributed.encode_item).

    The push is synchronous (one RPUSH to a Redis nearby): the engine finishes a
    request only after its items are in the list, so a worker's acknowledgement
    never runs ahead of its articles. Upstream pushes from a thread and takes the
    ``spider`` argument Scrapy 2.14 deprecated. Dedupe and archiving are the
    archiver's (``newsarchive archive-worker``), which sees every worker's items.
    """

    def __init__(self, server: Redis, key: str, crawler: Crawler) -> None:
        super().__init__(server, key=key, serialize_func=encode_item)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        url = crawler.settings.get("NEWSARCHIVE_REDIS_URL")
        if not url:
            raise NotConfigured("NEWSARCHIVE_REDIS_URL is not set")
        keys = RunKeys(crawler.settings.get("NEWSARCHIVE_REDIS_RUN"))
        return cls(get_redis(url=url), keys.items, crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        self.server.rpush(self.key, self.serialize(item))
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(statkeys.REDIS_ITEMS_PUSHED)
        logger.debug("pushed %s to %s", item.canonical_url, self.key)
        return item
