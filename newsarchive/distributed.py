"""One harvest shared by many workers through Redis: key names, atomic scripts, the item drain.

Workers (``newsarchive crawl --redis URL``) share a frontier, a request filter,
an in-flight record per worker and an item list, all under keys named by the
harvest's run id (``newsarchive:<run>:...``); one archiver (``newsarchive
archive-worker``) moves the items into the archive. This module knows Redis and
the archive, not Scrapy: the Scrapy side is ``newsarchive.middlewares.redisqueue``,
``.redisworker`` and ``newsarchive.pipelines.redisitems``.

The harvest's life, in keys:

- ``requests`` (sorted set, scrapy-redis's priority queue): requests to fetch.
- ``inflight:<worker>`` (hash token -> score and request): requests a worker has
  popped and not yet finished; a worker whose ``alive:<worker>`` key expired (no
  heartbeat for NEWSARCHIVE_REDIS_WORKER_TIMEOUT seconds) has them put back.
- ``workers`` (set): the workers of the harvest; the last to leave sets ``done``.
- ``items`` (list): archived records as JSON, pushed by the workers; the
  archiver moves each to ``items:processing`` and deletes it after its commit.
- ``known`` (set): canonical URLs the archive holds, published by the archiver,
  so workers skip known articles before fetching them.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from newsarchive.archive import DuplicateRow
from newsarchive.items import Article

if TYPE_CHECKING:
    from collections.abc import Callable

    from redis import Redis

    from newsarchive.archive import Archive

__all__ = [
    "DEFAULT_RUN",
    "DUPLICATE",
    "ENQUEUE_SCRIPT",
    "LEAVE_SCRIPT",
    "POP_SCRIPT",
    "RECLAIM_SCRIPT",
    "RESERVE_SCRIPT",
    "RunKeys",
    "archive_items",
    "decode_item",
    "encode_item",
    "publish_known",
    "redis_url_problem",
    "run_id_problem",
    "worker_name",
]

logger = logging.getLogger(__name__)

#: The run id when none is given: one harvest at a time per Redis database.
DEFAULT_RUN = "news"
#: The archiver's count of items dropped as copies (the crawl summary's "duplicates").
DUPLICATE = "duplicates"

_RUN_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass(frozen=True, slots=True)
class RunKeys:
    """The Redis key names of the harvest *run* (``newsarchive:<run>:<part>``)."""

    run: str = DEFAULT_RUN

    def _key(self, part: str) -> str:
        return f"newsarchive:{self.run}:{part}"

    @property
    def requests(self) -> str:
        return self._key("requests")

    @property
    def seen(self) -> str:
        return self._key("seen")

    @property
    def starts(self) -> str:
        return self._key("starts")

    @property
    def workers(self) -> str:
        return self._key("workers")

    @property
    def items(self) -> str:
        return self._key("items")

    @property
    def items_processing(self) -> str:
        return self._key("items:processing")

    @property
    def done(self) -> str:
        return self._key("done")

    @property
    def known(self) -> str:
        return self._key("known")

    @property
    def known_ready(self) -> str:
        return self._key("known:ready")

    def inflight(self, worker: str) -> str:
        return self._key(f"inflight:{worker}")

    def alive(self, worker: str) -> str:
        return self._key(f"alive:{worker}")

    def next_slot(self, domain: str) -> str:
        return self._key(f"next:{domain}")

    def frontier(self) -> tuple[str, ...]:
        """Return the keys a finished harvest leaves behind for the next one to start afresh."""
        return (self.requests, self.seen, self.starts)


def worker_name() -> str:
    """Return this process's name among the workers: ``host-pid``, e.g. ``node2-4711``."""
    return f"{socket.gethostname()}-{os.getpid()}"


def redis_url_problem(value: object) -> str | None:
    """Return what to give instead of *value* when it is no Redis URL, else None ('' is off)."""
    want = "a Redis URL such as redis://127.0.0.1:6379/0 or unix:///run/redis.sock"
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return want
    parts = urlsplit(value.strip())
    if parts.scheme in ("redis", "rediss") and parts.hostname:
        return None
    if parts.scheme == "unix" and parts.path:
        return None
    return want


def run_id_problem(value: object) -> str | None:
    """Return what to give instead of *value* when it cannot name a harvest, else None."""
    if isinstance(value, str) and _RUN_ID.match(value):
        return None
    return "a run id of letters, digits, '.', '_' or '-' (at most 64), e.g. county-2026-12-07"


# -- atomic steps (Lua: one Redis command each, so two workers never split one) ---------

#: Queue a request (ARGV[3], score ARGV[2]) in the sorted set KEYS[2] unless its
#: fingerprint ARGV[1] is in the set KEYS[1] already (which it joins): the filter and
#: the queue change together, so a kill between them cannot leave a request seen
#: but never queued. Returns 1 when queued, 0 when filtered.
ENQUEUE_SCRIPT = """
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1
"""

#: Pop the best request of KEYS[1] (scrapy-redis's sorted set) into the worker's
#: in-flight hash KEYS[2] under token ARGV[1]; the value keeps the score for a reclaim.
POP_SCRIPT = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #r == 0 then return false end
redis.call('ZREM', KEYS[1], r[1])
redis.call('HSET', KEYS[2], ARGV[1], r[2] .. '\\n' .. r[1])
return r[1]
"""

#: Put every in-flight request of a silent worker (KEYS[2], whose heartbeat KEYS[3]
#: has expired) back in the queue KEYS[1] and strike it from the workers KEYS[4]
#: (ARGV[1] its name); returns how many came back, or -1 if it is alive after all.
RECLAIM_SCRIPT = """
if redis.call('EXISTS', KEYS[3]) == 1 then return -1 end
local entries = redis.call('HVALS', KEYS[2])
for _, v in ipairs(entries) do
  local i = string.find(v, '\\n', 1, true)
  redis.call('ZADD', KEYS[1], tonumber(string.sub(v, 1, i - 1)), string.sub(v, i + 1))
end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[4], ARGV[1])
return #entries
"""

#: A worker leaves the harvest KEYS[1] (workers set; ARGV[1] its name, ARGV[2] the
#: key prefix of heartbeats): workers without a heartbeat go too; when none is left
#: the done marker KEYS[2] is set (ARGV[3], a time) and the frontier KEYS[3..] cleared.
#: Returns the number of workers still in the harvest.
LEAVE_SCRIPT = """
redis.call('SREM', KEYS[1], ARGV[1])
for _, w in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if redis.call('EXISTS', ARGV[2] .. w) == 0 and redis.call('EXISTS', ARGV[4] .. w) == 0 then
    redis.call('SREM', KEYS[1], w)
  end
end
local left = redis.call('SCARD', KEYS[1])
if left == 0 then
  redis.call('SET', KEYS[2], ARGV[3])
  for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
end
return left
"""

#: Reserve the next request slot of one site (KEYS[1] holds the earliest time, in
#: Redis's own clock's microseconds, at which the next request may start) ARGV[1]
#: microseconds after the last; returns how many microseconds the caller must wait.
RESERVE_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[1], string.format('%d', at + tonumber(ARGV[1])), 'PX', ARGV[2])
return at - now
"""


# -- items ---------------------------------------------------------------------------


def encode_item(article: Article) -> bytes:
    """Return *article*'s archived record as the JSON the item list holds."""
    return json.dumps(article.to_record(), ensure_ascii=False, sort_keys=True).encode("utf-8")


def decode_item(data: bytes | str) -> Article:
    """Return the Article of one item-list entry written by encode_item()."""
    record: dict[str, Any] = json.loads(data)
    return Article.from_record(record)


def publish_known(client: Redis, keys: RunKeys, urls: Callable[[], Any], *, chunk: int = 1000) -> int:
    """Add the canonical URLs *urls()* yields to the harvest's known set; return how many.

    Marks the set ready, so workers can tell a harvest whose archive is published.
    """
    count = 0
    batch: list[str] = []
    for url in urls():
        batch.append(url)
        if len(batch) >= chunk:
            client.sadd(keys.known, *batch)
            count += len(batch)
            batch.clear()
    if batch:
        client.sadd(keys.known, *batch)
        count += len(batch)
    client.set(keys.known_ready, "1")
    return count


def _store(archive: Archive, article: Article) -> str:
    """Archive *article* by the crawl's rules (DedupePipeline, then ArchivePipeline); return the outcome."""
    duplicate = archive.find_duplicate(article)
    if duplicate is not None:
        archive.add_duplicate(DuplicateRow(article.canonical_url, duplicate, article.fetched_at))
        return DUPLICATE
    return archive.add(article)


def archive_items(
    client: Redis,
    keys: RunKeys,
    archive: Archive,
    *,
    until_idle: float | None = None,
    wait: int = 1,
    batch: int = 100,
    stopping: Callable[[], bool] = lambda: False,
) -> Counter[str]:
    """Move the harvest's items into *archive* until it is done; return the outcomes counted.

    Each item goes from ``items`` to ``items:processing`` (LMOVE, atomic) and is
    deleted from there only after *archive* has committed it, so an archiver
    killed mid-batch finds its batch in ``items:processing`` when it starts
    again and archives it then (an article archived twice is ``unchanged``: the
    archive keeps each canonical URL once). The drain ends when the last worker
    has left (``done``) and no item is left, or with *until_idle* seconds after
    the last item, or when *stopping()* turns true (a signal).
    """
    counts: Counter[str] = Counter()
    if client.exists(keys.done) and not client.llen(keys.items) and not client.llen(keys.items_processing):
        # The last harvest is done and drained: this archiver waits for the next one.
        client.delete(keys.done)
    idle = 0.0
    while not stopping():
        entries = client.lrange(keys.items_processing, 0, -1)  # a killed archiver's batch
        if not entries:
            first = client.blmove(keys.items, keys.items_processing, wait, "LEFT", "RIGHT")
            if first is None:
                idle += wait
                if client.exists(keys.done) and not client.llen(keys.items):
                    break
                if until_idle is not None and idle >= until_idle:
                    break
                continue
            entries = [first]
            while len(entries) < batch:
                more = client.lmove(keys.items, keys.items_processing, "LEFT", "RIGHT")
                if more is None:
                    break
                entries.append(more)
        idle = 0.0
        urls = []
        for data in entries:
            article = decode_item(data)
            counts[_store(archive, article)] += 1
            urls.append(article.canonical_url)
        archive.flush()
        client.sadd(keys.known, *urls)
        client.delete(keys.items_processing)
        logger.debug("archived %d items", len(entries))
    return counts
