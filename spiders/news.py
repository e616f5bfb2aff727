"""The `news` spider: listing pages -> pagination -> article pages -> Article items.

It decides what to fetch and nothing else: which links are articles, which is
the next page and which are sections is read by newsarchive.extract.links, and
an article's fields by newsarchive.extract.extract_article.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import os
import pickle
import re
import shutil
import struct
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spidermiddlewares.httperror import HttpError

from newsarchive.archive.lock import ArchiveLock
from newsarchive.crawlstate import incomplete_marker, job_dir_for, marker_pid, write_running
from newsarchive.errors import ArchiveLocked, NewsArchiveError, NotAnArticle, UndecodablePage
from newsarchive.extract.document import Document, parse_document
from newsarchive.extract.facade import extract_article
from newsarchive.extract.links import (
    ArticleLink,
    PageKind,
    PageLinks,
    SiteHosts,
    analyze_page,
    is_root_url,
    site_hosts,
)
from newsarchive.extract.meta import parse_counter_response
from newsarchive.items import Article
from newsarchive.normalize import canonicalize_url
from newsarchive.outcome import CrawlOutcome
from newsarchive.seen import SeenSet
from newsarchive.shards import end_crawl, recover_interrupted
from newsarchive.signals import page_failed
from newsarchive.sites import SiteProfile, load_profile

from .requests import NewsRequest

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings
    from twisted.python.failure import Failure

__all__ = ["ArgumentError", "NewsSpider", "job_dir_for", "job_state_problem"]

logger = logging.getLogger(__name__)

_DATE_ARG = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# Files Scrapy keeps in a JOBDIR; a directory holding anything else is never removed.
_JOB_FILES = frozenset({"requests.seen", "requests.queue", "spider.state"})
# Request priorities: listing pages before articles (so a section claims its
# articles before anything else does), counters as soon as their article is in.
_PRIORITY_LISTING = 10
_PRIORITY_COUNTER = 20
# Rank of a home page among the listings of its start URL: after every section.
_HOME_RANK = 1_000_000


class ArgumentError(NewsArchiveError, ValueError):
    """A spider argument (-a name=value) is missing or malformed."""


def _lifo_file_problem(path: Path) -> str | None:
    """Return why *path* is not a whole queuelib LIFO disk queue, or None.

    Its 4-byte record count is written only when the queue is closed, and each
    record ends with its 4-byte length: walking back from the end over that many
    records must land on the header. A killed crawl leaves them disagreeing.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"{path.name}: {exc}"
    if len(data) < 4:
        return f"{path.name}: {len(data)} bytes, no header"
    (count,) = struct.unpack(">L", data[:4])
    end = len(data)
    for _ in range(count):
        if end - 4 < 4:
            return f"{path.name}: fewer records than its header's {count}"
        (size,) = struct.unpack(">L", data[end - 4 : end])
        end -= 4 + size
        if end < 4:
            return f"{path.name}: a record runs past the header"
    if end != 4:
        return f"{path.name}: {end - 4} bytes not covered by its header's {count} records"
    return None


def job_state_problem(jobdir: str | Path) -> str | None:
    """Return why the Scrapy job directory *jobdir* cannot be resumed from, or None when it can.

    Scrapy writes requests.queue/active.json and the queues' record counts when
    a crawl closes; a crawl killed (SIGKILL, power cut) leaves queue files
    without them, or cut short mid-write, and resuming fails or loses requests.
    """
    path = Path(jobdir)
    state = path / "spider.state"
    if state.exists():
        try:
            with state.open("rb") as f:
                pickle.load(f)
        except Exception as exc:  # noqa: BLE001 - any unpickling failure means torn
            return f"spider.state unreadable ({type(exc).__name__})"
    queue = path / "requests.queue"
    if not queue.is_dir():
        return None
    files = [p for p in queue.rglob("*") if p.is_file() and p.name != "active.json"]
    active = queue / "active.json"
    if not active.exists():
        return "requests.queue has no active.json (the crawl did not close)" if files else None
    try:
        json.loads(active.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"requests.queue/active.json unreadable ({exc})"
    for file in files:
        if file.name == "info.json":
            try:
                json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                return f"{file.relative_to(path)} unreadable ({exc})"
        elif not file.name.startswith("q"):
            problem = _lifo_file_problem(file)
            if problem is not None:
                return problem
    return None


def _locked_by_another(archive: str) -> bool:
    """Return True when another harvest holds *archive*'s writer lock right now."""
    lock = ArchiveLock(Path(archive))
    try:
        lock.acquire(timeout=0)
    except ArchiveLocked:
        return True
    except NewsArchiveError:
        return False  # no lock file can be made here: opening the archive will say why
    lock.release()
    return False


#: The packages whose loggers a crawl sets to its LOG_LEVEL (see _skip_dropped_debug).
_QUIETED_LOGGERS = ("newsarchive", "scrapy")


def _skip_dropped_debug(settings: BaseSettings) -> list[logging.Logger]:
    """Set our loggers and Scrapy's to the crawl's LOG_LEVEL when it is above DEBUG; return those set.

    Scrapy leaves the root logger at NOTSET and drops records below LOG_LEVEL in
    its handler, so each logger.debug() still built a LogRecord that was then
    thrown away: three of ours an article page (headline, view count, archive
    outcome), 0.07 ms of CPU, and Scrapy's own "Crawled (200)" and "Scraped
    from" for every page, 0.05 ms (py-spy, 10,000-page crawl). A logger given a
    level elsewhere is left alone.
    """
    level = settings.get("LOG_LEVEL", "DEBUG")
    if isinstance(level, str):
        level = logging.getLevelName(level.strip().upper())
    if not settings.getbool("LOG_ENABLED", True) or not isinstance(level, int) or level <= logging.DEBUG:
        return []
    changed = []
    for name in _QUIETED_LOGGERS:
        named = logging.getLogger(name)
        if named.level == logging.NOTSET:
            named.setLevel(level)
            changed.append(named)
    return changed


def _collect_less() -> tuple[int, int, int]:
    """Keep start-up objects out of garbage collections and collect young objects less often.

    Returns the collector's old thresholds, for _collect_as_before(). A crawl makes
    and frees a page's worth of objects per response; with CPython's thresholds
    (700, 10, 10) the collector ran 2,400 times in a 10,000-page crawl, each full
    collection walking every object Scrapy, Twisted and lxml made at start-up:
    1.4 s, 0.13 ms a page. gc.freeze() sets the start-up objects aside and a first
    threshold of 5,000 runs young collections a seventh as often: 0.24 s in all,
    0.15 CPU ms a page less, for 3 MB more peak memory (measured, same site).
    """
    old = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(max(old[0], 5000), old[1], old[2])
    return old


def _collect_as_before(thresholds: tuple[int, int, int]) -> None:
    """Undo _collect_less(): the old thresholds, the start-up objects back in collections."""
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ArgumentError(f"invalid -a {name}={value!r}: give 1 or 0, e.g. -a {name}=1")


class NewsSpider(scrapy.Spider):
    """Harvest news articles from listing pages, following their pagination.

    Arguments (``-a name=value``):

    - ``start_urls``: comma-separated listing, home or article URLs,
      e.g. ``https://www.example.gov.cn/xwzx/``. A home page's section links are
      followed too (one level).
    - ``site``: a site profile name or path to a .toml file; its start URLs and
      selectors are used.
    - ``since``: ``YYYY-MM-DD``; articles published before it are dropped, and a
      listing is not followed past a page whose last dated link is older.
    - ``max_pages``: listing pages to read per listing (the start URL, or each
      section of a home page), e.g. ``5``; default: all.
    - ``full``: ``1`` fetches articles the archive already holds again (the
      archive records changes as new versions); default ``0``.

    Settings: NEWSARCHIVE_ARCHIVE (its has_url() skips known articles before they
    are requested), NEWSARCHIVE_FETCH_COUNTERS, NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES,
    NEWSARCHIVE_TIMEZONE, NEWSARCHIVE_RESUME (JOBDIR beside the archive).
    """

    name = "news"

    def __init__(
        self,
        start_urls: str | Iterable[str] | None = None,
        site: str | None = None,
        since: str | None = None,
        max_pages: str | int | None = None,
        full: str | bool | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.profile: SiteProfile | None = load_profile(site) if site else None
        self.start_urls: list[str] = self._parse_start_urls(start_urls)
        self.since: date | None = self._parse_since(since)
        self.max_pages: int | None = self._parse_max_pages(max_pages)
        self.full: bool = _flag("full", full) if full is not None else False
        extra = self.profile.allowed_hosts if self.profile else ()
        self.hosts: SiteHosts = site_hosts(self.start_urls, extra)
        self.allowed_domains = sorted(
            {host for host, _ in self.hosts.origins} | {h.split(":")[0] for h in extra}
        )
        # Settings, read in from_crawler.
        self.fetch_counters = True
        self.stop_after_known = 1
        self.timezone = "Asia/Shanghai"
        # Canonical URLs of the articles requested in this crawl (kept in the
        # JOBDIR's spider state across a resume), and the home pages' article
        # links waiting for the sections to claim them.
        self._requested = SeenSet()
        self._home_links: dict[str, tuple[ArticleLink, str]] = {}
        # The best-ranked listing seen for each article: (start, section, page), URL.
        self._listing_of: dict[str, tuple[tuple[int, int, int], str]] = {}
        self._finish_reason: str | None = None
        # Loggers set to the crawl's LOG_LEVEL for the crawl (see _skip_dropped_debug).
        self._quieted: list[logging.Logger] = []
        # The garbage collector's thresholds before the crawl (see _collect_less).
        self._gc_thresholds: tuple[int, int, int] | None = None
        # The <archive>.incomplete marker this spider keeps (a plain `scrapy crawl`;
        # the newsarchive CLI keeps it itself).
        self._marker: Path | None = None

    # -- arguments -------------------------------------------------------------------

    def _parse_start_urls(self, value: str | Iterable[str] | None) -> list[str]:
        if value is None:
            raw: list[str] = []
        elif isinstance(value, str):
            raw = value.split(",")
        else:
            raw = list(value)
        urls = [u.strip() for u in raw if u and u.strip()]
        if self.profile is not None:
            urls.extend(u for u in self.profile.start_urls if u not in urls)
        if not urls:
            raise ArgumentError(
                "no start URL: give -a start_urls=URL[,URL...] "
                "(e.g. -a start_urls=https://www.example.gov.cn/xwzx/) or -a site=NAME"
            )
        for url in urls:
            if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
                raise ArgumentError(
                    f"invalid -a start_urls: {url!r} is not an http(s) URL; "
                    "give e.g. -a start_urls=https://www.example.gov.cn/xwzx/"
                )
        return urls

    @staticmethod
    def _parse_since(value: str | None) -> date | None:
        if value is None or value == "":
            return None
        text = str(value).strip()
        try:
            if not _DATE_ARG.match(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError:
            raise ArgumentError(
                f"invalid -a since={value!r}: give a date as YYYY-MM-DD, e.g. -a since=2021-11-05"
            ) from None

    @staticmethod
    def _parse_max_pages(value: str | int | None) -> int | None:
        if value is None or value == "":
            return None
        try:
            pages = int(value)
        except (TypeError, ValueError):
            pages = 0
        if pages < 1:
            raise ArgumentError(
                f"invalid -a max_pages={value!r}: give a whole number of at least 1, e.g. -a max_pages=5"
            )
        return pages

    # -- wiring ----------------------------------------------------------------------

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Keep the crawl's state beside the archive (JOBDIR), unless JOBDIR is given or resume is off."""
        super().update_settings(settings)
        if settings.get("JOBDIR") or not settings.getbool("NEWSARCHIVE_RESUME", True):
            return
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if archive and str(archive) != ":memory:":
            settings.set("JOBDIR", job_dir_for(str(archive)), priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.fetch_counters = settings.getbool("NEWSARCHIVE_FETCH_COUNTERS", True)
        spider.stop_after_known = settings.getint("NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES", 1)
        spider.timezone = settings.get("NEWSARCHIVE_TIMEZONE", "Asia/Shanghai")
        spider._begin_unfinished_check(settings)
        crawler.signals.connect(spider._on_spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._on_spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(spider._on_engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def _begin_unfinished_check(self, settings: BaseSettings) -> None:
        """Recover from a crawl into the same archive that did not finish; mark this one running.

        Runs before Scrapy's scheduler opens the JOBDIR. As the newsarchive CLI
        does (newsarchive.shards.begin_crawl; when the CLI runs this crawl, its
        marker names this process and it is left to the CLI): after a kill the
        resume state beside the archive is discarded, and a JOBDIR whose queue is
        torn is discarded whatever the marker says. Then every listing page is
        read this time (NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES=0 unless given on the
        command line), since later pages may list articles the killed crawl never
        reached; archived articles are still not fetched again.
        """
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if not archive or str(archive) == ":memory:":
            return
        marker = incomplete_marker(str(archive))
        if marker_pid(marker) == os.getpid() or _locked_by_another(str(archive)):
            # The CLI in this process keeps the marker; or a running harvest writes this
            # archive: its marker and job directory are its own (this crawl will stop
            # with ArchiveLocked when it opens the archive).
            return
        jobdir = settings.get("JOBDIR")
        own_jobdir = bool(jobdir) and Path(jobdir) == Path(job_dir_for(str(archive)))
        how = recover_interrupted(str(archive), own_jobdir=own_jobdir)
        discarded = how == "killed" and own_jobdir
        if jobdir and Path(jobdir).is_dir():
            problem = job_state_problem(jobdir)
            path = Path(jobdir)
            if problem is not None and {p.name for p in path.iterdir()} <= _JOB_FILES:
                shutil.rmtree(path, ignore_errors=True)
                logger.warning("job directory %s cannot be resumed from: %s", path, problem)
                discarded = True
        if discarded:
            logger.warning(
                "the last crawl into %s did not finish cleanly: its saved state %s was discarded; "
                "this crawl reads every listing page",
                archive, jobdir,
            )
        elif how is not None:
            logger.info("the last crawl into %s was stopped before it finished; this one reads every listing page", archive)
        if (how is not None or discarded) and (
            settings.getpriority("NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES") or 0
        ) < SETTINGS_PRIORITIES["cmdline"]:
            self.stop_after_known = 0
        try:
            write_running(marker)
        except OSError as exc:
            logger.debug("cannot write %s: %s", marker, exc)
            return
        self._marker = marker

    def _on_spider_opened(self, spider: scrapy.Spider) -> None:
        self._quieted = _skip_dropped_debug(self.crawler.settings)
        self._gc_thresholds = _collect_less()

    def _on_spider_closed(self, spider: scrapy.Spider, reason: str) -> None:
        self._finish_reason = reason
        for named in self._quieted:
            named.setLevel(logging.NOTSET)
        self._quieted = []
        if self._gc_thresholds is not None:
            _collect_as_before(self._gc_thresholds)
            self._gc_thresholds = None

    def _on_engine_stopped(self) -> None:
        """Remove the JOBDIR this spider set once the crawl has finished normally.

        Runs after Scrapy has written the job's state (spider_closed), so nothing
        writes into the directory afterwards. A crawl stopped part-way keeps it,
        to continue on the next run; a finished one removes it, so that the next
        harvest's listing pages are not hidden by this one's seen-request filter.
        """
        if self._marker is not None:
            # Scrapy closed the spider, so a JOBDIR holds whole state: any reason
            # but "finished" is a stop that the next crawl may resume from.
            reason = "finished" if self._finish_reason in (None, "finished") else "shutdown"
            archive = self._marker.with_name(self._marker.name[: -len(".incomplete")])
            end_crawl(archive, CrawlOutcome(finish_reason=reason))
        if self._finish_reason != "finished":
            return
        settings = self.crawler.settings
        jobdir = settings.get("JOBDIR")
        archive = settings.get("NEWSARCHIVE_ARCHIVE")
        if not jobdir or not archive or Path(jobdir) != Path(job_dir_for(str(archive))):
            return
        path = Path(jobdir)
        if not path.is_dir() or not {p.name for p in path.iterdir()} <= _JOB_FILES:
            return
        shutil.rmtree(path, ignore_errors=True)
        logger.debug("crawl finished: removed job directory %s", path)

    def _on_idle(self) -> None:
        """Request the home pages' article links that no section listed, then carry on."""
        if not self._home_links:
            return
        pending = dict(self._home_links)
        self._home_links.clear()
        scheduled = 0
        for canonical, (link, listing_url) in pending.items():
            if canonical in self._requested:
                continue
            self._requested.add(canonical)
            self.crawler.engine.crawl(self._article_request(link.url, canonical, listing_url))
            scheduled += 1
        if scheduled:
            raise DontCloseSpider("home page articles scheduled")

    # -- requests --------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """Yield one request per start URL."""
        state = getattr(self, "state", None)
        if isinstance(state, dict):
            # Kept in the JOBDIR (Scrapy pickles spider.state on close), so a resumed
            # crawl neither asks for an article twice nor forgets the home page's links.
            requested = state.get("newsarchive_requested")
            if not isinstance(requested, SeenSet):  # absent, or a set of URLs an older version kept
                requested = state["newsarchive_requested"] = SeenSet(requested or ())
            self._requested = requested
            self._home_links = state.setdefault("newsarchive_home_links", {})
        for index, url in enumerate(self.start_urls):
            yield NewsRequest(
                url,
                callback=self.parse_start,
                errback=self.on_error,
                cb_kwargs={"start": index},
                priority=_PRIORITY_LISTING,
                dont_filter=True,
            )

    def _now(self) -> datetime:
        return datetime.now(ZoneInfo(self.timezone)).replace(tzinfo=None)

    def _known(self, canonical: str) -> bool:
        """Return True when the archive already holds *canonical* (and this is not a full crawl)."""
        if self.full:
            return False
        # mypy reads the tree, where the pipelines are not under newsarchive/ (setup.py maps them).
        from newsarchive.pipelines._shared import archive_for  # type: ignore[import-not-found]

        return bool(archive_for(self.crawler).has_url(canonical))

    def _article_request(self, url: str, canonical: str, listing_url: str) -> Request:
        return NewsRequest(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            cb_kwargs={"listing_url": listing_url, "canonical": canonical},
            meta={"listing_url": listing_url},
        )

    def _listing_request(
        self,
        url: str,
        *,
        rank: tuple[int, int],
        page: int,
        known_run: int,
        listing_url: str | None = None,
        home: bool = False,
    ) -> Request:
        kwargs: dict[str, Any] = {"rank": rank, "page": page, "known_run": known_run}
        if home:
            kwargs["home"] = True
        return NewsRequest(
            url,
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs=kwargs,
            meta={"listing_url": listing_url} if listing_url else {},
            priority=_PRIORITY_LISTING,
        )

    # -- callbacks -------------------------------------------------------------------

    def _document(self, response: Response) -> Document | None:
        """Return *response* parsed once, or None when it is not HTML text (counted)."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newsarchive/pages/not_html")
            logger.debug("not an HTML page: %s", response.url)
            return None
        content_type = response.headers.get("Content-Type")
        # Scrapy's MetaRefreshMiddleware has decoded the page already (response.text is
        # cached); parse_document reuses that text when its charset is the declared one.
        cached = getattr(response, "_cached_ubody", None)
        return parse_document(
            response.body,
            response.url,
            content_type.decode("latin-1") if content_type else None,
            known=(cached, response.encoding) if isinstance(cached, str) else None,
        )

    def _analyze(self, doc: Document, *, sections: bool) -> PageLinks:
        profile = self.profile
        return analyze_page(
            doc,
            now=self._now(),
            hosts=self.hosts,
            article_selector=profile.article_links if profile else None,
            next_selector=profile.next_page if profile else None,
            sections=sections,
        )

    def parse_start(self, response: Response, start: int = 0) -> Iterator[Any]:
        """Read a start page: an article is extracted, a listing or home page followed."""
        doc = self._read(response)
        if doc is None:
            return
        home = is_root_url(response.url) or is_root_url(self.start_urls[start])
        links = self._analyze(doc, sections=home)
        if links.kind is PageKind.ARTICLE:
            yield from self._extract(response, doc, listing_url=None)
            return
        # A home page's own lists rank after every section (see _better_listing).
        rank = (start, _HOME_RANK if home else 0)
        yield from self._follow_listing(response, links, rank=rank, page=1, known_run=0, home=home)
        for index, url in enumerate(links.sections, start=1):
            yield self._listing_request(url, rank=(start, index), page=1, known_run=0, listing_url=response.url)

    def parse_listing(
        self, response: Response, rank: tuple[int, int], page: int, known_run: int, home: bool = False
    ) -> Iterator[Any]:
        """Read a listing page (a section or a further page): follow its articles and next page.

        *home* marks the further pages of a home page's own list (a blog's /page/2/):
        their articles wait, as the home page's do, for a section to list them.
        """
        doc = self._read(response)
        if doc is None:
            return
        links = self._analyze(doc, sections=False)
        if links.kind is PageKind.ARTICLE:
            # A section link that leads to a single page ("关于我们") is not news.
            logger.debug("section page %s reads as a single page, not a listing", response.url)
            return
        yield from self._follow_listing(response, links, rank=rank, page=page, known_run=known_run, home=home)

    def _follow_listing(
        self,
        response: Response,
        links: PageLinks,
        *,
        rank: tuple[int, int],
        page: int,
        known_run: int,
        home: bool = False,
    ) -> Iterator[Request]:
        stats = self.crawler.stats
        stats.inc_value("newsarchive/pages/listing")
        listing_url = response.url
        known = 0
        for link in links.articles:
            canonical = canonicalize_url(link.url)
            if canonical in self._requested:
                if canonical in self._listing_of:  # not yet parsed: a better listing still counts
                    self._better_listing(canonical, (*rank, page), listing_url)
                continue
            if self.since is not None and link.published is not None and link.published.date() < self.since:
                # Kept: another listing may yet request the article, and this one may rank first.
                self._better_listing(canonical, (*rank, page), listing_url)
                stats.inc_value("newsarchive/links/older_than_since")
                continue
            if self._known(canonical):
                known += 1
                stats.inc_value("newsarchive/links/known")
                continue
            self._better_listing(canonical, (*rank, page), listing_url)
            if home:
                # Requested when the crawl is idle: a section listing the same
                # article is its better listing_url.
                self._home_links.setdefault(canonical, (link, listing_url))
                continue
            self._requested.add(canonical)
            yield self._article_request(link.url, canonical, listing_url)
        logger.debug(
            "listing %s (page %d): %d article links, %d known, next %s",
            listing_url, page, len(links.articles), known, links.next_page,
        )
        next_url = links.next_page
        if next_url is None:
            return
        if self.max_pages is not None and page >= self.max_pages:
            logger.debug("max_pages=%d reached at %s", self.max_pages, listing_url)
            return
        all_known = bool(links.articles) and known == len(links.articles)
        run = known_run + 1 if all_known else 0
        if not self.full and self.stop_after_known > 0 and run >= self.stop_after_known:
            stats.inc_value("newsarchive/pagination/stopped_known")
            logger.debug("%s: %d page(s) of known articles, not following %s", listing_url, run, next_url)
            return
        if self.since is not None:
            dated = [link.published for link in links.articles if link.published is not None]
            if dated and dated[-1].date() < self.since:
                stats.inc_value("newsarchive/pagination/stopped_since")
                logger.debug("%s: listing reached %s, before since=%s", listing_url, dated[-1].date(), self.since)
                return
        yield self._listing_request(
            next_url, rank=rank, page=page + 1, known_run=run, listing_url=listing_url, home=home
        )

    def _better_listing(self, canonical: str, rank: tuple[int, int, int], listing_url: str) -> None:
        """Remember *listing_url* for the article *canonical* if it ranks before the one known.

        An article listed by two sections, or by a home page and a section, is
        archived with the first section in the home page's navigation order (the
        home page itself last), whichever listing the crawl happened to read first.
        An entry lives until its article is parsed or fails (parse_article,
        on_error), so the map holds the articles in flight, not every one crawled.
        """
        known = self._listing_of.get(canonical)
        if known is None or rank < known[0]:
            self._listing_of[canonical] = (rank, listing_url)

    def parse_article(
        self, response: Response, listing_url: str | None = None, canonical: str | None = None
    ) -> Iterator[Any]:
        """Extract the article on *response*; ask its view counter when a script writes the count."""
        canonical = canonical or canonicalize_url(response.url)
        best = self._listing_of.pop(canonical, None)
        if best is not None:
            listing_url = best[1]
        doc = self._read(response, listing_url=listing_url)
        if doc is None:
            return
        yield from self._extract(response, doc, listing_url=listing_url)

    def _read(self, response: Response, listing_url: str | None = None) -> Document | None:
        try:
            return self._document(response)
        except UndecodablePage as exc:
            self.crawler.stats.inc_value("newsarchive/extract/undecodable")
            logger.warning("cannot decode %s: %s", response.url, exc)
            self._failed(response.url, "undecodable", str(exc), response.status, listing_url, response.request)
            return None

    def _extract(self, response: Response, doc: Document, *, listing_url: str | None) -> Iterator[Any]:
        stats = self.crawler.stats
        try:
            article = extract_article(
                doc, response.url, listing_url=listing_url, profile=self.profile, timezone=self.timezone
            )
        except NotAnArticle as exc:
            stats.inc_value("newsarchive/extract/not_article")
            logger.debug("not an article: %s (%s)", response.url, exc)
            self._failed(response.url, "not_article", str(exc), response.status, listing_url, response.request)
            return
        except UndecodablePage as exc:
            stats.inc_value("newsarchive/extract/undecodable")
            logger.warning("cannot decode %s: %s", response.url, exc)
            self._failed(response.url, "undecodable", str(exc), response.status, listing_url, response.request)
            return
        if self.since is not None and article.published_at and date.fromisoformat(article.published_at[:10]) < self.since:
            stats.inc_value("newsarchive/since/dropped")
            logger.debug("dropped %s: published %s, before since=%s", response.url, article.published_at, self.since)
            return
        if article.counter_url and article.view_count is None and self.fetch_counters:
            # Only when the page prints no count: a printed one is the count (a 0
            # placeholder that the script overwrites is read as None, and asked).
            stats.inc_value("newsarchive/counter/requested")
            yield NewsRequest(
                article.counter_url,
                callback=self.parse_counter,
                errback=self.counter_failed,
                cb_kwargs={"article": article},
                meta={"newsarchive_counter": True, "listing_url": listing_url},
                priority=_PRIORITY_COUNTER,
                dont_filter=True,
            )
            return
        yield article

    def parse_counter(self, response: Response, article: Article) -> Iterator[Article]:
        """Yield *article* with the count its counter endpoint answered (or as it was)."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        count = parse_counter_response(text)
        if count is None:
            self.crawler.stats.inc_value("newsarchive/counter/unreadable")
            logger.debug("counter %s answered %r", response.url, text[:80])
            yield article
            return
        yield dataclasses.replace(article, view_count=count)

    def counter_failed(self, failure: Failure) -> Iterator[Article]:
        """Yield the article anyway when its counter cannot be asked (robots.txt, HTTP error, timeout)."""
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("newsarchive/counter/failed")
        logger.debug("counter %s failed: %s", request.url, failure.getErrorMessage())
        article = request.cb_kwargs.get("article")
        if isinstance(article, Article):
            yield article

    def on_error(self, failure: Failure) -> None:
        """Report a page that could not be fetched (timeout, DNS, HTTP error, robots.txt)."""
        request = failure.request  # type: ignore[attr-defined]
        canonical = request.cb_kwargs.get("canonical")
        if isinstance(canonical, str):
            self._listing_of.pop(canonical, None)  # an article that will not be parsed
        exc = failure.value
        status: int | None = None
        if isinstance(exc, HttpError):
            status = exc.response.status
            kind, reason = "http", f"HTTP {status}"
        else:
            name = type(exc).__name__
            lowered = name.lower()
            if "timeout" in lowered:
                kind = "timeout"
            elif "dns" in lowered or "resolve" in lowered:
                kind = "dns"
            elif "robots" in str(exc).lower():
                kind = "robots"
            elif isinstance(exc, OSError) or "connect" in lowered:
                kind = "connection"
            else:
                kind = "error"
            reason = str(exc) or name
        logger.debug("failed %s: %s", request.url, reason)
        self._failed(request.url, kind, reason, status, request.meta.get("listing_url"), request)

    def _failed(
        self, url: str, kind: str, reason: str, status: int | None, listing: str | None, request: Request | None
    ) -> None:
        self.crawler.signals.send_catch_log(
            page_failed, url=url, kind=kind, reason=reason, status=status, listing=listing, request=request
        )
