"""The shared frontier of a distributed harvest: scrapy-redis's scheduler, queue and filter, adapted.

scrapy-redis 0.9.1 gives the Redis-backed priority queue and request filter;
these subclasses change what a harvest of several workers needs:

- ``SharedQueue.pop`` moves the request into this worker's in-flight hash in
  the same Redis step (``newsarchive.distributed.POP_SCRIPT``), so a worker
  killed with requests popped loses none: they are put back when its heartbeat
  stops (``newsarchive.middlewares.redisworker``). Upstream pops and forgets.
- ``SharedScheduler.enqueue_request`` filters and queues in one step, and a
  start request (``is_start_request``) is queued by the first worker only, so a
  second worker started with the same command joins instead of fetching the
  start pages again. ``close`` never clears the shared keys (upstream's
  ``SCHEDULER_PERSIST=False`` lets the first worker to finish wipe the queue
  the others still work on); the last worker to leave clears them.
- Stats are counted without the ``spider=`` argument Scrapy 2.14 deprecated
  (upstream PR #309), and ``open`` logs through the logger, not ``Spider.log``.
- Requests of one priority come out in random order (a fraction below 1 added to
  the score), not grouped by URL as the pickled bytes sort: the next requests a
  worker takes are then mostly of different sites, so workers do not queue up
  behind one site's shared delay (``newsarchive.middlewares.redispolite``).
- The filter's fingerprint is the crawl's own (``REQUEST_FINGERPRINTER_CLASS``,
  the canonical URL's), not scrapy-redis's SHA-1 of the raw URL.
"""

from __future__ import annotations

import logging
import random
import uuid
from typing import TYPE_CHECKING, Any

from scrapy_redis import picklecompat  # type: ignore[import-untyped]
from scrapy_redis.dupefilter import RFPDupeFilter  # type: ignore[import-untyped]
from scrapy_redis.queue import PriorityQueue  # type: ignore[import-untyped]
from scrapy_redis.scheduler import Scheduler  # type: ignore[import-untyped]

from newsarchive import statkeys
from newsarchive.distributed import ENQUEUE_SCRIPT, POP_SCRIPT, RunKeys, worker_name

if TYPE_CHECKING:
    from collections.abc import Container
    from typing import Self

    from redis import Redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.request import RequestFingerprinterProtocol

__all__ = ["SharedDupeFilter", "SharedQueue", "SharedScheduler", "redis_client"]

logger = logging.getLogger(__name__)


def redis_client(url: str) -> Redis:
    """Return a client of the Redis at *url* with scrapy-redis's connection defaults."""
    from scrapy_redis.connection import get_redis  # type: ignore[import-untyped]

    client: Redis = get_redis(url=url)
    return client


class SharedDupeFilter(RFPDupeFilter):  # type: ignore[misc]
    """scrapy-redis's Redis set of seen requests, by the crawl's fingerprint, kept when a worker closes."""

    def __init__(self, server: Redis, key: str, fingerprinter: RequestFingerprinterProtocol) -> None:
        super().__init__(server, key)
        self.fingerprinter = fingerprinter

    def request_fingerprint(self, request: Request) -> str:
        return self.fingerprinter.fingerprint(request).hex()

    def close(self, reason: str = "") -> None:
        """Keep the shared set: other workers still filter with it (the last to leave clears it)."""


class SharedQueue(PriorityQueue):  # type: ignore[misc]
    """scrapy-redis's priority queue whose pop records the request in this worker's in-flight hash."""

    def __init__(self, server: Redis, spider: Spider, key: str, *, inflight: str) -> None:
        super().__init__(server, spider, key, serializer=picklecompat)
        self.inflight = inflight
        self._pop = server.register_script(POP_SCRIPT)
        self._enqueue = server.register_script(ENQUEUE_SCRIPT)

    def push(self, request: Request) -> None:
        """Queue *request* (upstream's push, with the score of _score)."""
        self.server.zadd(self.key, {self._encode_request(request): _score(request)})

    def push_new(self, request: Request, fingerprint: str, seen_key: str) -> bool:
        """Queue *request* unless *fingerprint* is in the set *seen_key*; return True when queued."""
        data = self._encode_request(request)
        return bool(self._enqueue(keys=[seen_key, self.key], args=[fingerprint, _score(request), data]))

    def pop_tracked(self) -> tuple[str, Request] | None:
        """Return the best request and its in-flight token, or None when the queue is empty."""
        token = uuid.uuid4().hex
        data = self._pop(keys=[self.key, self.inflight], args=[token])
        if not data:
            return None
        return token, self._decode_request(data)


def _score(request: Request) -> float:
    """Return the queue score of *request*: its priority first (lowest score pops first),
    then a random place among the requests of that priority."""
    return -request.priority + random.random() * 0.9  # an order, not a secret


class SharedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis's scheduler for one worker of a shared harvest (see the module docstring)."""

    def __init__(self, server: Redis, crawler: Crawler, keys: RunKeys, worker: str) -> None:
        assert crawler.request_fingerprinter is not None
        super().__init__(
            server,
            persist=True,
            queue_key=keys.requests,
            dupefilter=SharedDupeFilter(server, keys.seen, crawler.request_fingerprinter),
            dupefilter_key=keys.seen,
        )
        self.crawler = crawler
        self.stats = crawler.stats
        self.keys = keys
        self.worker = worker
        # Requests handed to the engine and not yet acknowledged, by in-flight token.
        self.handed: dict[str, Request] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        server = redis_client(settings.get("NEWSARCHIVE_REDIS_URL"))
        server.ping()
        return cls(server, crawler, RunKeys(settings.get("NEWSARCHIVE_REDIS_RUN")), worker_name())

    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.queue = SharedQueue(
            self.server, spider, self.keys.requests, inflight=self.keys.inflight(self.worker)
        )
        waiting = len(self.queue)
        if waiting:
            logger.info("joining harvest %s: %d requests queued", self.keys.run, waiting)

    def close(self, reason: str) -> None:
        """Leave the shared queue and filter as they are (the last worker to leave clears them)."""

    def enqueue_request(self, request: Request) -> bool:
        start = request.meta.get("is_start_request") and not request.meta.get("retry_times")
        if request.dont_filter and not start:
            self.queue.push(request)
        else:
            # A start page is queued by the first worker to start: the others join.
            seen = self.keys.starts if start else self.keys.seen
            if not self.queue.push_new(request, self.df.request_fingerprint(request), seen):
                self.df.log(request, self.spider)
                return False
        self.stats.inc_value(statkeys.REDIS_ENQUEUED)
        return True

    def next_request(self) -> Request | None:
        popped = self.queue.pop_tracked()
        if popped is None:
            return None
        token, request = popped
        self.handed[token] = request
        self.stats.inc_value(statkeys.REDIS_DEQUEUED)
        return request

    def acknowledge(self, in_progress: Container[Any]) -> int:
        """Strike from the in-flight hash the requests no longer *in_progress*; return how many.

        *in_progress* is the engine's set of requests between download and the end
        of their callbacks' processing: a request leaves it after its new requests
        are queued and its items pushed, so it is done for the harvest.
        """
        finished = [token for token, request in self.handed.items() if request not in in_progress]
        if finished:
            self.server.hdel(self.keys.inflight(self.worker), *finished)
            for token in finished:
                del self.handed[token]
        return len(finished)
