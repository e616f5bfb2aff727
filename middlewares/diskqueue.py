"""Scrapy's on-disk request queue in newsarchive's checksummed format (SCHEDULER_DISK_QUEUE).

Scrapy's own ``PickleLifoDiskQueue`` stores requests in queuelib's format, in
which a record cut short by a kill cannot be told from a whole one. This class
stores them the same way (``Request.to_dict`` + pickle, protocol 4, as Scrapy
does) in ``newsarchive.diskqueue``'s format, whose torn records are detected:
``newsarchive.crawlstate`` then discards the torn crawl state before Scrapy
reads it, and a file torn anyway raises ``TornQueue`` instead of yielding half
a request.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.utils.request import request_from_dict

from newsarchive.diskqueue import LifoDiskQueue

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["RequestDiskQueue"]

# Scrapy's protocol for its disk queues (scrapy.squeues._pickle_serialize).
_PROTOCOL = 4


class RequestDiskQueue:
    """A LIFO queue of requests in the file *key*, built by Scrapy's priority queues.

    The folder of *key* is made when missing (Scrapy's queues make it too).
    A request that cannot be pickled raises ValueError, which Scrapy's
    scheduler counts as ``scheduler/unserializable`` and keeps in memory.
    """

    def __init__(self, crawler: Crawler, key: str) -> None:
        self._spider = crawler.spider
        Path(key).parent.mkdir(parents=True, exist_ok=True)
        self._queue = LifoDiskQueue(key)

    @classmethod
    def from_crawler(cls, crawler: Crawler, key: str, *args: Any, **kwargs: Any) -> Self:
        return cls(crawler, key)

    def push(self, request: Request) -> None:
        try:
            data = pickle.dumps(request.to_dict(spider=self._spider), protocol=_PROTOCOL)
        # What pickle raises for what it cannot store (parsel's Selector raises TypeError).
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ValueError(str(exc)) from exc
        self._queue.push(data)

    def pop(self) -> Request | None:
        return self._request(self._queue.pop())

    def peek(self) -> Request | None:
        return self._request(self._queue.peek())

    def close(self) -> None:
        self._queue.close()

    def __len__(self) -> int:
        return len(self._queue)

    def _request(self, data: bytes | None) -> Request | None:
        if data is None:
            return None
        return request_from_dict(pickle.loads(data), spider=self._spider)
