"""The news spider's second source of article links: a site's sitemaps and feeds.

From each start page's site the spider asks robots.txt for its ``Sitemap:`` lines
(``/sitemap.xml`` when it names none or is missing), follows sitemap indexes newest
first, and reads the RSS and Atom feeds the start page names in its ``<head>``.
Listings stay the main source: the article links found here wait until the crawl
is idle, so an article that a listing also links is requested from the listing
(and archived with it as its ``listing_url``); the others are requested then,
with the sitemap or feed that named them as their ``listing_url``. Known articles
are skipped before they are requested and ``since`` is applied to the dates the
sitemap or feed gives. A missing sitemap or feed (404, 410) is no failure.

What a sitemap or feed says is read by newsarchive.extract.feeds; this module
decides what to request.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newsarchive import statkeys
from newsarchive.extract.feeds import FeedEntry, find_feed_links, read_feed, sitemaps_in_robots
from newsarchive.extract.links import PageKind, SiteHosts, is_root_url, url_kind
from newsarchive.normalize import canonicalize_url

from .requests import NewsRequest

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from newsarchive.extract.document import Document
    from newsarchive.seen import SeenSet

__all__ = ["DISCOVERY_META", "FeedDiscovery"]

logger = logging.getLogger(__name__)

#: Request meta key marking a robots.txt, sitemap or feed request of this module.
DISCOVERY_META = "newsarchive_discovery"
# After listing pages (10), before articles (0): the links wait for the idle crawl anyway.
_PRIORITY_DISCOVERY = 5
# Sitemap indexes inside sitemap indexes, at most (the protocol allows none; some sites nest one).
_MAX_INDEX_DEPTH = 2
# Sitemaps of things that are not articles: WordPress's pages, categories, tags and
# users (wp-sitemap-posts-page-1.xml, wp-sitemap-taxonomies-category-1.xml,
# wp-sitemap-users-1.xml), Yoast's page-sitemap.xml, category-sitemap.xml, author-sitemap.xml.
_NOT_ARTICLE_SITEMAP = re.compile(
    r"wp-sitemap-(?:taxonomies|users)-|wp-sitemap-posts-page-|/(?:page|category|post_tag|tag|author)-sitemap\d*\.xml",
    re.IGNORECASE,
)
# Sitemaps that list posts, whatever their URLs look like (/slug/ permalinks):
# wp-sitemap-posts-post-1.xml, post-sitemap.xml, news-sitemap.xml, sitemap-news.xml.
_POST_SITEMAP = re.compile(r"posts?-|post-sitemap|news", re.IGNORECASE)
# A sitemap rank: sitemaps before feeds, then by URL (a stable choice when several list one article).
_RANK_SITEMAP = 0
_RANK_FEED = 1


class FeedDiscovery:
    """Mixin of NewsSpider: request a start site's sitemaps and feeds, keep their article links.

    Uses the spider's ``hosts``, ``since``, ``timezone``, ``_requested``, ``_known()``
    and ``_article_request()``; ``sitemaps`` (NEWSARCHIVE_SITEMAPS) switches it off.
    """

    crawler: Crawler
    hosts: SiteHosts
    since: date | None
    timezone: str
    sitemaps: bool
    _requested: SeenSet

    if TYPE_CHECKING:

        def _known(self, canonical: str) -> bool: ...

        def _article_request(self, url: str, canonical: str, listing_url: str) -> Request: ...

    def _init_discovery(self) -> None:
        # Origins whose robots.txt was asked for, and the article links found in
        # sitemaps and feeds: canonical URL -> (URL, sitemap or feed, rank), the
        # best-ranked sitemap or feed kept. Requested when the crawl is idle.
        self._discovered_origins: set[str] = set()
        self._feed_links: dict[str, tuple[str, str, tuple[int, str]]] = {}

    def _discovery_requests(self, response: Response, doc: Document) -> Iterator[Request]:
        """Yield the robots.txt of *response*'s site (once a crawl) and the feeds its ``<head>`` names."""
        if not self.sitemaps:
            return
        parts = urlsplit(response.url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._discovered_origins:
            self._discovered_origins.add(origin)
            yield self._discovery_request(origin + "/robots.txt", self.parse_robots, dont_obey_robotstxt=True)
        for url in find_feed_links(doc):
            if self.hosts.allows(url):
                yield self._discovery_request(url, self.parse_feed, depth=0)

    def _discovery_request(
        self, url: str, callback: Callable[..., Any], *, depth: int | None = None, dont_obey_robotstxt: bool = False
    ) -> Request:
        meta: dict[str, Any] = {DISCOVERY_META: True}
        if dont_obey_robotstxt:
            meta["dont_obey_robotstxt"] = True
        return NewsRequest(
            url,
            callback=callback,
            errback=self.discovery_failed,
            cb_kwargs={"depth": depth} if depth is not None else {},
            meta=meta,
            priority=_PRIORITY_DISCOVERY,
        )

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        """Request the sitemaps robots.txt names, or ``/sitemap.xml`` when it names none."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        found = [url for url in sitemaps_in_robots(text, response.url) if self.hosts.allows(url)]
        if not found:
            found = [response.urljoin("/sitemap.xml")]
        logger.debug("%s: sitemaps %s", response.url, found)
        for url in found:
            yield self._discovery_request(url, self.parse_feed, depth=0)

    def parse_feed(self, response: Response, depth: int = 0) -> Iterator[Request]:
        """Read a sitemap, sitemap index or feed: request the sitemaps it names, keep its article links."""
        stats = self.crawler.stats
        feed = read_feed(response.body, response.url, tz=self._zone())
        stats.inc_value(statkeys.discovery_read(feed.kind))
        if feed.kind == "none":
            logger.debug("%s is neither a sitemap nor a feed", response.url)
            return
        if feed.kind == "sitemapindex":
            if depth >= _MAX_INDEX_DEPTH:
                logger.debug("%s: sitemap index nested %d deep, not followed", response.url, depth)
                return
            refs = sorted(feed.sitemaps, key=lambda r: _newest_first(r.modified))
            for ref in refs:
                if not self.hosts.allows(ref.url) or _NOT_ARTICLE_SITEMAP.search(ref.url):
                    continue
                if self._before_since(ref.modified):
                    stats.inc_value(statkeys.DISCOVERY_SITEMAP_OLDER_THAN_SINCE)
                    continue
                yield self._discovery_request(ref.url, self.parse_feed, depth=depth + 1)
            return
        is_sitemap = feed.kind == "urlset"
        rank = (_RANK_SITEMAP if is_sitemap else _RANK_FEED, response.url)
        posts = is_sitemap and bool(_POST_SITEMAP.search(urlsplit(response.url).path))
        kept = 0
        for entry in sorted(feed.entries, key=lambda e: _newest_first(e.latest)):
            if not self._wanted(entry, sitemap=is_sitemap, posts=posts):
                continue
            canonical = canonicalize_url(entry.url)
            if canonical in self._requested:
                continue
            if self._known(canonical):
                stats.inc_value(statkeys.LINKS_KNOWN)
                continue
            held = self._feed_links.get(canonical)
            if held is None or rank < held[2]:
                self._feed_links[canonical] = (entry.url, response.url, rank)
            kept += 1
        stats.inc_value(statkeys.DISCOVERY_LINKS, kept)
        logger.debug("%s (%s): %d entries, %d new article links", response.url, feed.kind, len(feed.entries), kept)

    def _wanted(self, entry: FeedEntry, *, sitemap: bool, posts: bool) -> bool:
        """Return True when *entry* may be an article of this crawl not older than ``since``."""
        if not self.hosts.allows(entry.url) or is_root_url(entry.url):
            return False
        if self._before_since(entry.latest):
            self.crawler.stats.inc_value(statkeys.LINKS_OLDER_THAN_SINCE)
            return False
        # A sitemap lists every page of a site (about us, sections, tags); its entries
        # are taken as articles only by their URL's shape, unless the sitemap is one of
        # posts or news. A feed lists only articles.
        return not sitemap or posts or entry.published is not None or url_kind(entry.url) is PageKind.ARTICLE

    def _before_since(self, moment: datetime | None) -> bool:
        return self.since is not None and moment is not None and moment.astimezone(self._zone()).date() < self.since

    def discovery_failed(self, failure: Failure) -> Iterator[Request]:
        """Note a robots.txt, sitemap or feed that cannot be fetched; after robots.txt try /sitemap.xml."""
        request = failure.request  # type: ignore[attr-defined]
        exc = failure.value
        status = exc.response.status if isinstance(exc, HttpError) else None
        self.crawler.stats.inc_value(statkeys.DISCOVERY_MISSING if status in (404, 410) else statkeys.DISCOVERY_FAILED)
        logger.debug("discovery %s failed: %s", request.url, failure.getErrorMessage())
        if urlsplit(request.url).path == "/robots.txt":
            yield self._discovery_request(request.url.replace("/robots.txt", "/sitemap.xml"), self.parse_feed, depth=0)

    def _schedule_feed_links(self) -> int:
        """Request the sitemap and feed links no listing requested; return how many were."""
        pending = dict(self._feed_links)
        self._feed_links.clear()
        scheduled = 0
        for canonical, (url, found_in, _rank) in pending.items():
            if canonical in self._requested:
                continue
            self._requested.add(canonical)
            self.crawler.engine.crawl(self._article_request(url, canonical, found_in))
            scheduled += 1
        return scheduled


def _newest_first(moment: datetime | None) -> tuple[int, float]:
    """Sort key: dated entries newest first, then the undated ones in their order."""
    return (0, -moment.timestamp()) if moment is not None else (1, 0.0)
