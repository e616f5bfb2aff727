"""One worker of a harvest shared through Redis: the add-on that switches a crawl to it, and the
extension that keeps the worker in the harvest until the harvest (not this worker) is done.

``NEWSARCHIVE_REDIS_URL`` set (``newsarchive crawl --redis URL``, or ``-s`` for
``scrapy crawl news``) turns the crawl into a worker: the add-on swaps in the
shared scheduler (``newsarchive.middlewares.redisqueue``), pushes articles to
the harvest's item list instead of an archive (``newsarchive.pipelines.redisitems``),
and leaves the resume state to Redis. The extension then

- beats a heartbeat (``alive:<worker>``, expiring after
  NEWSARCHIVE_REDIS_WORKER_TIMEOUT seconds) and acknowledges each request once
  the engine has finished it (its new requests queued, its items pushed);
- puts back in the queue the in-flight requests of a worker whose heartbeat
  stopped (killed, or its machine gone): scrapy-redis has no acknowledgement;
- keeps the spider open while the shared queue or any worker's in-flight hash
  holds a request: scrapy-redis lets a worker close as soon as its own engine
  is idle, so a second worker of a plain spider stopped at once with 0 pages
  (upstream PRs #316, async start(), and #322, idle backoff, touch this); the
  spider's own idle links (a home page's, a sitemap's) wait for the same, so a
  section another worker still reads claims its articles as on one machine;
- hands the spider the archive's known URLs as published by the archiver
  (``has_url`` on the ``known`` set), so archived articles are not fetched;
- leaves the harvest when it closes: the last worker to leave sets ``done``
  (the archiver's signal to finish) and clears the frontier for the next harvest.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES
from twisted.internet import task

from newsarchive import statkeys
from newsarchive.distributed import LEAVE_SCRIPT, RECLAIM_SCRIPT, RunKeys

from .redisqueue import SharedScheduler

if TYPE_CHECKING:
    from typing import Self

    from redis import Redis
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

__all__ = ["SharedHarvest", "SharedHarvestWorker"]

logger = logging.getLogger(__name__)

_SCHEDULER = "newsarchive.middlewares.redisqueue.SharedScheduler"
_WORKER = "newsarchive.middlewares.redisworker.SharedHarvestWorker"
_ITEMS = "newsarchive.pipelines.redisitems.SharedItemsPipeline"
_POLITENESS = "newsarchive.middlewares.redispolite.SharedPoliteness"
# The crawl's own archive writers and its opener, which a worker has none of.
_ARCHIVE_PIPELINES = (
    "newsarchive.pipelines.dedupe.DedupePipeline",
    "newsarchive.pipelines.archive.ArchivePipeline",
)
_ARCHIVE_OPENER = "newsarchive.pipelines._shared.ArchiveOpener"


def _component_set(settings: BaseSettings, name: str, changes: dict[str, int | None]) -> None:
    components = dict(settings.getdict(name))
    components.update(changes)
    settings.set(name, components, settings.getpriority(name) or 0)


class SharedHarvest:
    """Add-on: make the crawl one worker of the shared harvest NEWSARCHIVE_REDIS_URL names."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("NEWSARCHIVE_REDIS_URL"):
            return
        cmdline = SETTINGS_PRIORITIES["cmdline"]
        settings.set("SCHEDULER", _SCHEDULER, priority="addon")
        _component_set(settings, "EXTENSIONS", {_ARCHIVE_OPENER: None, _WORKER: 100})
        pipelines: dict[str, int | None] = dict.fromkeys(_ARCHIVE_PIPELINES, None)
        pipelines[_ITEMS] = 300
        _component_set(settings, "ITEM_PIPELINES", pipelines)
        # After the URL policy and robots.txt, so a refused request waits for no slot.
        _component_set(settings, "DOWNLOADER_MIDDLEWARES", {_POLITENESS: 590})
        # The resume state is the harvest's, in Redis; there is no local archive.
        settings.set("NEWSARCHIVE_RESUME", False, priority="cmdline")
        if (settings.getpriority("NEWSARCHIVE_ARCHIVE") or 0) < cmdline:
            settings.set("NEWSARCHIVE_ARCHIVE", "", priority="cmdline")


class SharedHarvestWorker:
    """Extension: heartbeat, acknowledgements, reclaiming, and the harvest-wide idle rule."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.keys = RunKeys(settings.get("NEWSARCHIVE_REDIS_RUN"))
        self.timeout = settings.getfloat("NEWSARCHIVE_REDIS_WORKER_TIMEOUT", 30.0)
        self._loop: task.LoopingCall | None = None
        self._beating: threading.Event | None = None
        self._beater: threading.Thread | None = None
        self._scheduler: SharedScheduler | None = None
        self._server: Redis | None = None
        self._reclaim: Any = None
        # True while the spider waits on other workers (spider_idle kept it open).
        self._waiting = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.get("NEWSARCHIVE_REDIS_URL"):
            raise NotConfigured("NEWSARCHIVE_REDIS_URL is not set")
        o = cls(crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    # -- the worker's life -----------------------------------------------------------

    def spider_opened(self, spider: Spider) -> None:
        engine = self.crawler.engine
        scheduler = getattr(getattr(engine, "_slot", None), "scheduler", None)
        if not isinstance(scheduler, SharedScheduler):
            raise NotConfigured(f"SCHEDULER is not {_SCHEDULER}")
        self._scheduler = scheduler
        server = self._server = scheduler.server
        self._reclaim = server.register_script(RECLAIM_SCRIPT)
        if server.exists(self.keys.done):
            # The last harvest of this run id finished: this worker starts the next one.
            server.delete(self.keys.done)
        self._beat()
        self._beating = threading.Event()
        self._beater = threading.Thread(
            target=self._beat_until_closed, args=(self._beating,), daemon=True, name="newsarchive-heartbeat"
        )
        self._beater.start()
        logger.info("worker %s joined harvest %s", scheduler.worker, self.keys.run)
        use_archive = getattr(spider, "use_archive", None)
        if callable(use_archive):
            if not server.exists(self.keys.known_ready):
                logger.warning(
                    "harvest %s: no archiver has published its archive's URLs yet; archived "
                    "articles are fetched again (the archiver still keeps each once)", self.keys.run,
                )
            known = self.keys.known
            use_archive(lambda url: bool(server.sismember(known, url)))
        join_harvest = getattr(spider, "join_harvest", None)
        if callable(join_harvest):
            join_harvest(self._busy)
        self._loop = task.LoopingCall(self._tick)
        self._loop.start(min(1.0, self.timeout / 4), now=False)

    def spider_idle(self, spider: Spider) -> None:
        self._waiting = False
        self._tick()
        self._waiting = True
        reason = self._busy()
        if reason is not None:
            raise DontCloseSpider(reason)
        self._waiting = False

    def _busy(self) -> str | None:
        """Say why the harvest is not over: requests queued, or some worker's in flight.

        A worker acknowledges a request after the requests it led to are queued (and
        marked seen), so a harvest found idle here has no listing left to read.
        """
        assert self._server is not None
        server = self._server
        self._acknowledge()  # this worker's own finished requests are not "in flight"
        if server.zcard(self.keys.requests):
            return "requests wait in the shared queue"
        busy = [w for w in server.smembers(self.keys.workers) if server.exists(self.keys.inflight(_text(w)))]
        if busy:
            return f"{len(busy)} worker(s) still fetch"
        return None

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._beating is not None and self._beater is not None:
            self._beating.set()
            self._beater.join(timeout=self.timeout)  # no beat may follow the leaving
        scheduler, server = self._scheduler, self._server
        if scheduler is None or server is None:
            return
        worker = scheduler.worker
        server.delete(self.keys.alive(worker))
        if reason != "finished":
            # Stopped part-way (Ctrl-C, a close by error): what it held goes back to the others.
            back = self._reclaim(
                keys=[self.keys.requests, self.keys.inflight(worker), self.keys.alive(worker), self.keys.workers],
                args=[worker],
            )
            logger.info("worker %s left harvest %s (%s): %s requests put back", worker, self.keys.run, reason, back)
            return
        server.delete(self.keys.inflight(worker))
        left = server.register_script(LEAVE_SCRIPT)(
            keys=[self.keys.workers, self.keys.done, *self.keys.frontier()],
            args=[worker, self.keys.alive(""), str(time.time()), self.keys.inflight("")],
        )
        logger.info("worker %s left harvest %s; %s workers remain", worker, self.keys.run, left)

    # -- every tick ------------------------------------------------------------------

    def _beat(self) -> None:
        """Say this worker is alive for the next NEWSARCHIVE_REDIS_WORKER_TIMEOUT seconds.

        It also (re)joins the workers: one that others took for dead (a stall longer
        than the timeout) and struck off is back in the harvest at its next beat.
        """
        assert self._server is not None and self._scheduler is not None
        worker = self._scheduler.worker
        pipe = self._server.pipeline()
        pipe.set(self.keys.alive(worker), "1", px=int(self.timeout * 1000))
        pipe.sadd(self.keys.workers, worker)
        pipe.execute()

    def _beat_until_closed(self, closed: threading.Event) -> None:
        # A thread of its own: a callback that holds the reactor (a long page) for longer
        # than the timeout must not make the others take this worker for dead.
        while not closed.wait(self.timeout / 4):
            try:
                self._beat()
            except Exception:  # a lost beat is retried; the crawl reports Redis errors itself
                logger.warning("heartbeat to Redis failed", exc_info=True)

    def _acknowledge(self) -> None:
        """Take the requests the engine has finished out of this worker's in-flight hash."""
        slot = getattr(self.crawler.engine, "_slot", None)
        in_progress = getattr(slot, "inprogress", None)
        if self._scheduler is not None and in_progress is not None:
            self._scheduler.acknowledge(in_progress)

    def _tick(self) -> None:
        """Acknowledge finished requests, reclaim silent workers' requests, wake the engine."""
        scheduler, server = self._scheduler, self._server
        if scheduler is None or server is None:
            return
        self._acknowledge()
        slot = getattr(self.crawler.engine, "_slot", None)
        for member in server.smembers(self.keys.workers):
            worker = _text(member)
            if worker == scheduler.worker or server.exists(self.keys.alive(worker)):
                continue
            back = self._reclaim(
                keys=[self.keys.requests, self.keys.inflight(worker), self.keys.alive(worker), self.keys.workers],
                args=[worker],
            )
            if back >= 0:
                logger.warning("worker %s went silent: %d of its requests put back in the queue", worker, back)
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value(statkeys.REDIS_RECLAIMED, back)
        if slot is not None and self._waiting:
            # Waiting on the others: look at the shared queue (and whether the harvest
            # is over) now, not at the engine's next 5-second heartbeat.
            slot.nextcall.schedule()


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
