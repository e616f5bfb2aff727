"""The `news` spider: listing pages -> pagination -> article pages -> Article items.

It decides what to fetch and nothing else: which links are articles, which is
the next page and which are sections is read by newsarchive.extract.links, and
an article's fields by newsarchive.extract.extract_article.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newsarchive import statkeys
from newsarchive.daterange import DateBound, DateBoundError, newer, older, parse_bound
from newsarchive.errors import NewsArchiveError, NotAnArticle, UndecodablePage
from newsarchive.extract.document import Document
from newsarchive.extract.facade import extract_article
from newsarchive.extract.links import (
    ArticleLink,
    PageKind,
    PageLinks,
    SiteHosts,
    analyze_page,
    is_root_url,
    site_hosts,
    url_kind,
)
from newsarchive.extract.survey import describe_pagination
from newsarchive.failure_kinds import failure_kind
from newsarchive.normalize import canonicalize_url
from newsarchive.seen import SeenSet
from newsarchive.signals import page_failed
from newsarchive.sites import SiteProfile, load_profile
from newsarchive.warc import WARC_DATE_META, WARC_META, WarcPointer, warc_date_to_utc

from .counters import ViewCounters
from .discovery import FeedDiscovery
from .pages import parse_response
from .requests import NewsRequest

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

__all__ = ["ArgumentError", "NewsSpider"]

logger = logging.getLogger(__name__)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})
# Request priorities: listing pages before articles (so a section claims its
# articles before anything else does); counters come first (spiders/counters.py).
_PRIORITY_LISTING = 10
# Rank of a home page among the listings of its start URL: after every section.
_HOME_RANK = 1_000_000


class ArgumentError(NewsArchiveError, ValueError):
    """A spider argument (-a name=value) is missing or malformed."""


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ArgumentError(f"invalid -a {name}={value!r}: give 1 or 0, e.g. -a {name}=1")


class NewsSpider(ViewCounters, FeedDiscovery, scrapy.Spider):
    """Harvest news articles from listing pages, following their pagination.

    Arguments (``-a name=value``):

    - ``start_urls``: comma-separated listing, home or article URLs,
      e.g. ``https://www.example.gov.cn/xwzx/``. A home page's section links are
      followed too (one level).
    - ``site``: a site profile name or path to a .toml file; its start URLs and
      selectors are used.
    - ``since``: a day (``2024-01-01``), a moment (``2024-01-01T08:00+08:00``) or
      ``3 days ago``/``yesterday``/``today`` (at the crawl's start, in
      NEWSARCHIVE_TIMEZONE; see newsarchive.daterange); articles published before
      it are dropped, and a listing is not followed past a page whose last dated
      link is older.
    - ``until``: the same forms; articles published after it (after that whole
      day, for a day) are dropped, listing links dated after it not requested.
    - ``max_pages``: listing pages to read per listing (the start URL, or each
      section of a home page), e.g. ``5``; default: all.
    - ``full``: ``1`` fetches articles the archive already holds again (the
      archive records changes as new versions); default ``0``.

    A start page's site is also read for sitemaps and feeds (see spiders/discovery.py).

    Settings: NEWSARCHIVE_ARCHIVE (its has_url() skips known articles before they
    are requested), NEWSARCHIVE_FETCH_COUNTERS and NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS
    (spiders/counters.py), NEWSARCHIVE_SITEMAPS,
    NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES, NEWSARCHIVE_TIMEZONE, NEWSARCHIVE_RESUME
    (JOBDIR beside the archive).
    """

    name = "news"

    def __init__(
        self,
        start_urls: str | Iterable[str] | None = None,
        site: str | None = None,
        since: str | None = None,
        until: str | None = None,
        max_pages: str | int | None = None,
        full: str | bool | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.timezone = "Asia/Shanghai"
        self.profile: SiteProfile | None = load_profile(site) if site else None
        self.start_urls: list[str] = self._parse_start_urls(start_urls)
        # The bounds as given, resolved again at the crawl's start (_read_settings).
        self._bound_args = {"since": since or None, "until": until or None}
        self.since_bound: DateBound | None = None
        self.until_bound: DateBound | None = None
        self.since: date | None = None
        self.until: date | None = None
        self._resolve_bounds()
        self.max_pages: int | None = self._parse_max_pages(max_pages)
        self.full: bool = _flag("full", full) if full is not None else False
        extra = self.profile.allowed_hosts if self.profile else ()
        self.hosts: SiteHosts = site_hosts(self.start_urls, extra)
        self.allowed_domains = sorted(
            {host for host, _ in self.hosts.origins} | {h.split(":")[0] for h in extra}
        )
        # Settings, read when the crawl starts (_read_settings).
        self.fetch_counters = True
        self.counters_ignore_robots = False
        self._counters_withheld: set[str] = set()
        self.sitemaps = True
        self.stop_after_known = 1
        self.timezone = "Asia/Shanghai"
        self._init_discovery()
        # Canonical URLs of the articles requested in this crawl (kept in the
        # JOBDIR's spider state across a resume), and the home pages' article
        # links waiting for the sections to claim them.
        self._requested = SeenSet()
        self._home_links: dict[str, tuple[ArticleLink, str]] = {}
        # The best-ranked listing seen for each article: (start, section, page), URL.
        self._listing_of: dict[str, tuple[tuple[int, int, int], str]] = {}
        # The archive's has_url (see use_archive); None: every article link is new.
        self._has_url: Callable[[str], bool] | None = None
        # Why a shared harvest is not idle yet, or None (see join_harvest); None: no harvest.
        self._harvest_busy: Callable[[], str | None] | None = None

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
    def _parse_bound(name: str, value: str | None, zone: str) -> DateBound | None:
        if value is None or value == "":
            return None
        try:
            return parse_bound(value, now=datetime.now(ZoneInfo(zone)), zone=zone)
        except DateBoundError as exc:
            raise ArgumentError(f"invalid -a {name}={value!r}: {exc}, e.g. -a {name}=2021-11-05") from None

    def _resolve_bounds(self) -> None:
        """Read since and until at *now*, in the crawl's time zone: ``since``/``until``
        are their days (listings and sitemaps are judged by days), ``*_bound`` the
        bounds the articles are judged by."""
        args = self._bound_args
        self.since_bound = self._parse_bound("since", args["since"], self.timezone)
        self.until_bound = self._parse_bound("until", args["until"], self.timezone)
        self.since = self.since_bound.day if self.since_bound is not None else None
        self.until = self.until_bound.day if self.until_bound is not None else None
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ArgumentError(
                f"invalid -a since={args['since']!r} -a until={args['until']!r}: since is after "
                "until; give since on or before until"
            )

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
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def _read_settings(self) -> None:
        """Read the crawl's settings (when the crawl starts: add-ons, such as the
        crawl-state one after an unfinished crawl, adjust them after the spider is made)."""
        settings = self.crawler.settings
        self._read_counter_settings()
        self.sitemaps = settings.getbool("NEWSARCHIVE_SITEMAPS", True)
        self.stop_after_known = settings.getint("NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES", 1)
        self.timezone = settings.get("NEWSARCHIVE_TIMEZONE", "Asia/Shanghai")
        # "yesterday" is the day before the crawl's start in the site's time zone.
        self._resolve_bounds()

    def use_archive(self, has_url: Callable[[str], bool]) -> None:
        """Skip the article links *has_url* says are archived (handed over when the spider opens)."""
        self._has_url = has_url

    def join_harvest(self, busy: Callable[[], str | None]) -> None:
        """Wait for the whole shared harvest, not this process alone, before the idle links.

        *busy* says why some worker of the harvest still has listings to read (or
        None when none has): a home page's or a sitemap's links are requested only
        then, so a section another worker is reading still claims its articles.
        """
        self._harvest_busy = busy

    def _on_idle(self) -> None:
        """Request the home pages' article links that no section listed, then the
        sitemaps' and feeds' links that no listing did, then carry on."""
        if (self._home_links or self._feed_links) and self._harvest_busy is not None:
            reason = self._harvest_busy()
            if reason is not None:
                raise DontCloseSpider(f"home page, sitemap and feed links wait: {reason}")
        pending = dict(self._home_links)
        self._home_links.clear()
        scheduled = 0
        for canonical, (link, listing_url) in pending.items():
            if canonical in self._requested:
                continue
            self._requested.add(canonical)
            self.crawler.engine.crawl(self._article_request(link.url, canonical, listing_url))
            scheduled += 1
        scheduled += self._schedule_feed_links()
        if scheduled:
            raise DontCloseSpider("home page, sitemap and feed articles scheduled")

    # -- requests --------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """Yield one request per start URL."""
        self._read_settings()
        state = getattr(self, "state", None)
        if isinstance(state, dict):
            # Kept in the JOBDIR (Scrapy pickles spider.state on close), so a resumed
            # crawl neither asks for an article twice nor forgets the home page's links.
            requested = state.get("newsarchive_requested")
            if not isinstance(requested, SeenSet):  # absent, or a set of URLs an older version kept
                requested = state["newsarchive_requested"] = SeenSet(requested or ())
            self._requested = requested
            self._home_links = state.setdefault("newsarchive_home_links", {})
            self._feed_links = state.setdefault("newsarchive_feed_links", {})
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
        return not self.full and self._has_url is not None and bool(self._has_url(canonical))

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
        template: tuple[str, ...] | None = None,
    ) -> Request:
        kwargs: dict[str, Any] = {"rank": rank, "page": page, "known_run": known_run}
        if home:
            kwargs["home"] = True
        if template is not None:
            kwargs["template"] = template
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
            self.crawler.stats.inc_value(statkeys.PAGES_NOT_HTML)
            logger.debug("not an HTML page: %s", response.url)
            return None
        return parse_response(response)

    def _analyze(self, doc: Document, *, sections: bool, template: tuple[str, ...] | None = None) -> PageLinks:
        profile = self.profile
        return analyze_page(
            doc,
            now=self._now(),
            hosts=self.hosts,
            article_selector=profile.article_links if profile else None,
            next_selector=profile.next_page if profile else None,
            sections=sections,
            list_template=template,
        )

    def parse_start(self, response: Response, start: int = 0) -> Iterator[Any]:
        """Read a start page: an article is extracted, a listing or home page followed."""
        doc = self._read(response)
        if doc is None:
            return
        home = is_root_url(response.url) or is_root_url(self.start_urls[start])
        links = self._analyze(doc, sections=home)
        if home or links.kind is not PageKind.ARTICLE or url_kind(response.url) is PageKind.LISTING:
            # A start page that reads as one article is one unless its URL says it is a
            # listing: a site root or category of a theme printing whole posts on it still
            # has the site's sitemaps and feeds; an article URL of any shape (a short flash
            # news item at /kuaixun/slug.html) is the one article asked for.
            yield from self._discovery_requests(response, doc)
        if links.kind is PageKind.ARTICLE:
            yield from self._extract(response, doc, listing_url=None)
            return
        if not home:
            self._note_size(doc, links)
        # A home page's own lists rank after every section (see _better_listing).
        rank = (start, _HOME_RANK if home else 0)
        yield from self._follow_listing(response, links, rank=rank, page=1, known_run=0, home=home)
        for index, url in enumerate(links.sections, start=1):
            yield self._listing_request(url, rank=(start, index), page=1, known_run=0, listing_url=response.url)

    def parse_listing(
        self,
        response: Response,
        rank: tuple[int, int],
        page: int,
        known_run: int,
        home: bool = False,
        template: tuple[str, ...] | None = None,
    ) -> Iterator[Any]:
        """Read a listing page (a section or a further page): follow its articles and next page.

        *home* marks the further pages of a home page's own list (a blog's /page/2/):
        their articles wait, as the home page's do, for a section to list them.
        *template* is the article list's template on the page before (PageLinks.template):
        a short last page's list is known by it beside longer sidebars.
        """
        doc = self._read(response)
        if doc is None:
            return
        links = self._analyze(doc, sections=False, template=template)
        if links.kind is PageKind.ARTICLE:
            # A section link that leads to a single page ("关于我们") is not news.
            logger.debug("section page %s reads as a single page, not a listing", response.url)
            return
        if page == 1 and not home:
            self._note_size(doc, links)
        yield from self._follow_listing(response, links, rank=rank, page=page, known_run=known_run, home=home)

    def _note_size(self, doc: Document, links: PageLinks) -> None:
        """Add what a section's first listing page says it holds to the progress line's
        expected articles (newsarchive.middlewares.progress): all its links when it has
        no next page, else the records its pager states or its last page × this page's
        links; a paginated section that states neither is counted as unknown."""
        stats = self.crawler.stats
        if links.next_page is None:
            stats.inc_value(statkeys.PROGRESS_EXPECTED, len(links.articles))
            return
        pager = describe_pagination(doc, links.next_page, hosts=self.hosts)
        if pager.records:
            stats.inc_value(statkeys.PROGRESS_EXPECTED, pager.records)
        elif pager.last_page and pager.last_page > 1:
            stats.inc_value(statkeys.PROGRESS_EXPECTED, pager.last_page * len(links.articles))
        else:
            stats.inc_value(statkeys.PROGRESS_UNKNOWN)

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
        stats.inc_value(statkeys.PAGES_LISTING)
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
                stats.inc_value(statkeys.LINKS_OLDER_THAN_SINCE)
                continue
            if self.until is not None and link.published is not None and link.published.date() > self.until:
                self._better_listing(canonical, (*rank, page), listing_url)
                stats.inc_value(statkeys.LINKS_NEWER_THAN_UNTIL)
                continue
            if self._known(canonical):
                known += 1
                stats.inc_value(statkeys.LINKS_KNOWN)
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
            stats.inc_value(statkeys.PAGINATION_STOPPED_KNOWN)
            logger.debug("%s: %d page(s) of known articles, not following %s", listing_url, run, next_url)
            return
        if self.since is not None:
            dated = [link.published for link in links.articles if link.published is not None]
            if dated and dated[-1].date() < self.since:
                stats.inc_value(statkeys.PAGINATION_STOPPED_SINCE)
                logger.debug("%s: listing reached %s, before since=%s", listing_url, dated[-1].date(), self.since)
                return
        yield self._listing_request(
            next_url, rank=rank, page=page + 1, known_run=run, listing_url=listing_url, home=home,
            template=links.template,
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
            self.crawler.stats.inc_value(statkeys.EXTRACT_UNDECODABLE)
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
            stats.inc_value(statkeys.EXTRACT_NOT_ARTICLE)
            logger.debug("not an article: %s (%s)", response.url, exc)
            self._failed(response.url, "not_article", str(exc), response.status, listing_url, response.request)
            return
        except UndecodablePage as exc:
            stats.inc_value(statkeys.EXTRACT_UNDECODABLE)
            logger.warning("cannot decode %s: %s", response.url, exc)
            self._failed(response.url, "undecodable", str(exc), response.status, listing_url, response.request)
            return
        pointer = WarcPointer.from_meta(response.meta.get(WARC_META))
        if pointer is not None:
            # The page's response record (written by the WARC capture before this callback).
            article = dataclasses.replace(
                article, warc_file=pointer.file, warc_offset=pointer.offset, warc_record_id=pointer.record_id,
                # Read from a WARC file (--from-warc): fetched when the record was written.
                fetched_at=warc_date_to_utc(str(response.meta.get(WARC_DATE_META) or "")),
            )
        if older(self.since_bound, article.published_at):
            stats.inc_value(statkeys.SINCE_DROPPED)
            logger.debug("dropped %s: published %s, before since=%s", response.url, article.published_at, self.since_bound)
            return
        if newer(self.until_bound, article.published_at):
            stats.inc_value(statkeys.UNTIL_DROPPED)
            logger.debug("dropped %s: published %s, after until=%s", response.url, article.published_at, self.until_bound)
            return
        counter = self._counter_request(article, listing_url)
        if counter is not None:
            yield counter
            return
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
            reason = f"HTTP {status}"
        else:
            reason = str(exc) or type(exc).__name__
        kind = failure_kind(exc) if exc is not None else "error"
        logger.debug("failed %s: %s", request.url, reason)
        self._failed(request.url, kind, reason, status, request.meta.get("listing_url"), request)

    def _failed(
        self, url: str, kind: str, reason: str, status: int | None, listing: str | None, request: Request | None
    ) -> None:
        self.crawler.signals.send_catch_log(
            page_failed, url=url, kind=kind, reason=reason, status=status, listing=listing, request=request
        )
