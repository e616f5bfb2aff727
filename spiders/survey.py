"""The `survey` spider: a site's start page, its sections' first listing pages and a sample
of articles, read to describe the site (newsarchive survey); nothing is archived.

It reads pages with the same rules as the news spider (newsarchive.extract.links'
analyze_page, extract_article) and the same settings (robots.txt, politeness, User-Agent),
and yields no items: what it saw is in survey_report().
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from newsarchive.errors import NewsArchiveError, NotAnArticle, UndecodablePage
from newsarchive.extract.cmsguess import guess_cms
from newsarchive.extract.document import Document
from newsarchive.extract.facade import extract_article
from newsarchive.extract.feeds import find_feed_links, sitemaps_in_robots
from newsarchive.extract.links import PageKind, analyze_page, site_hosts
from newsarchive.extract.meta import parse_counter_response
from newsarchive.extract.survey import describe_pagination, link_names
from newsarchive.normalize import canonicalize_url, without_tracking
from newsarchive.survey import ListingSeen, SampleSeen, SectionSeen, SurveyReport, build_report

from .pages import parse_response
from .requests import NewsRequest

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

    from newsarchive.items import Article

__all__ = ["SurveySpider"]

logger = logging.getLogger(__name__)

#: Listing pages read per section: the first, and one more to see how it paginates.
PAGES_PER_SECTION = 2
_KIND = {PageKind.LISTING: "listing", PageKind.ARTICLE: "article", PageKind.OTHER: "other"}


class SurveyError(NewsArchiveError, ValueError):
    """A survey argument (-a name=value) is missing or malformed."""


class SurveySpider(scrapy.Spider):
    """Read a site to describe it: sections, CMS family, pagination, sizes, fields filled.

    Arguments (``-a name=value``):

    - ``start_url``: the site's home page (or one section's listing),
      e.g. ``https://www.example.gov.cn/``.
    - ``sample``: articles to read, spread over the sections; default 10.

    Settings: NEWSARCHIVE_FETCH_COUNTERS, NEWSARCHIVE_TIMEZONE. Nothing is archived:
    run it with no item pipelines (newsarchive survey does).
    """

    name = "survey"
    # It reads a few pages to describe a site, and keeps none of them (no WARC files).
    custom_settings = {"NEWSARCHIVE_WARC": False}  # noqa: RUF012 - Scrapy reads it as a class attribute

    def __init__(self, start_url: str | None = None, sample: str | int = 10, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not start_url or not re.match(r"^https?://[^/\s]+", start_url, re.IGNORECASE):
            raise SurveyError(
                f"invalid -a start_url={start_url!r}: give an http(s) URL, e.g. -a start_url=https://www.example.gov.cn/"
            )
        try:
            self.sample_size = int(sample)
        except (TypeError, ValueError):
            self.sample_size = 0
        if self.sample_size < 1:
            raise SurveyError(f"invalid -a sample={sample!r}: give a whole number of at least 1, e.g. -a sample=10")
        self.start_url = start_url
        self.hosts = site_hosts([start_url])
        self.allowed_domains = sorted({host for host, _ in self.hosts.origins})
        self.timezone = "Asia/Shanghai"
        self.fetch_counters = True
        #: Why the start page gave nothing to survey (None: it did).
        self.start_error: str | None = None
        self._pages: list[tuple[str, str]] = []  # (url, source) of every page read, for the CMS guess
        self._sections: list[SectionSeen] = []
        self._sample: list[SampleSeen] = []
        self._sampled = False
        self._sitemaps: tuple[str, ...] = ()  # the on-site sitemaps robots.txt names
        self._feeds: tuple[str, ...] = ()  # the on-site feeds the start page's <head> names
        self._plan: dict[str, int] = {}  # canonical URL of each sampled article -> its turn

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        return spider

    def _now(self) -> datetime:
        return datetime.now(ZoneInfo(self.timezone)).replace(tzinfo=None)

    async def start(self) -> AsyncIterator[Any]:
        """Yield the start page's request."""
        settings = self.crawler.settings
        self.timezone = settings.get("NEWSARCHIVE_TIMEZONE", "Asia/Shanghai")
        self.fetch_counters = settings.getbool("NEWSARCHIVE_FETCH_COUNTERS", True)
        yield NewsRequest(self.start_url, callback=self.parse_start, errback=self.start_failed, dont_filter=True)

    # -- pages -----------------------------------------------------------------------

    def _document(self, response: Response) -> Document | None:
        if not isinstance(response, TextResponse):
            return None
        try:
            doc = parse_response(response)
        except UndecodablePage as exc:
            logger.warning("cannot decode %s: %s", response.url, exc)
            return None
        self._pages.append((response.url, doc.text))
        return doc

    def parse_start(self, response: Response) -> Iterator[Request]:
        """Read the start page: its sections (or itself, when it is the listing) are surveyed."""
        doc = self._document(response)
        if doc is None:
            self.start_error = "it is not an HTML page"
            return
        links = analyze_page(doc, now=self._now(), hosts=self.hosts, sections=True)
        names = link_names(doc)
        # A blog's home page links its own page 2 (/page/2/) beside the menu: no section.
        sections = [(url, names.get(without_tracking(url), url)) for url in links.sections if url != links.next_page]
        if not sections and links.kind is PageKind.LISTING:
            sections = [(response.url, "(start page)")]
        if not sections:
            what = "one article" if links.kind is PageKind.ARTICLE else "a page without sections or an article list"
            self.start_error = f"it reads as {what}, not a site's home page or a listing (give the home page)"
            return
        self._feeds = tuple(url for url in find_feed_links(doc) if self.hosts.allows(url))
        parts = urlsplit(response.url)
        yield NewsRequest(
            f"{parts.scheme}://{parts.netloc}/robots.txt",
            callback=self.parse_robots,
            errback=self.robots_failed,
            meta={"dont_obey_robotstxt": True, "newsarchive_discovery": True},
            dont_filter=True,
        )
        for url, name in sections:
            self._sections.append(SectionSeen(url, name))
            if url == response.url:
                yield from self._read_listing(response, doc, section=url, page=1, template=None)
            else:
                yield self._listing_request(url, section=url, page=1, template=None)

    def parse_robots(self, response: Response) -> None:
        """Keep the on-site sitemaps the site's robots.txt names (the crawl reads them)."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        self._sitemaps = tuple(url for url in sitemaps_in_robots(text, response.url) if self.hosts.allows(url))

    def robots_failed(self, failure: Failure) -> None:
        """A site without a robots.txt names no sitemap."""
        logger.debug("no robots.txt: %s", failure.getErrorMessage())

    def _listing_request(self, url: str, *, section: str, page: int, template: tuple[str, ...] | None) -> Request:
        return NewsRequest(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"section": section, "page": page, "template": template},
            meta={"listing_url": section},
        )

    def parse_listing(
        self, response: Response, section: str, page: int, template: tuple[str, ...] | None = None
    ) -> Iterator[Request]:
        """Read a section's listing page: its links, its pagination, and page 2 after page 1."""
        doc = self._document(response)
        if doc is None:
            self._seen_failed(section, "not an HTML page")
            return
        yield from self._read_listing(response, doc, section=section, page=page, template=template)

    def _read_listing(
        self, response: Response, doc: Document, *, section: str, page: int, template: tuple[str, ...] | None
    ) -> Iterator[Request]:
        links = analyze_page(doc, now=self._now(), hosts=self.hosts, list_template=template)
        pagination = describe_pagination(doc, links.next_page, hosts=self.hosts) if links.kind is PageKind.LISTING else None
        seen = ListingSeen(
            url=response.url,
            page=page,
            kind=_KIND[links.kind],
            links=tuple((a.url, a.published.date().isoformat() if a.published else None) for a in links.articles),
            pagination=pagination,
        )
        index = next(i for i, s in enumerate(self._sections) if s.url == section)
        self._sections[index] = dataclasses.replace(self._sections[index], pages=(*self._sections[index].pages, seen))
        if links.kind is PageKind.LISTING and links.next_page and page < PAGES_PER_SECTION:
            yield self._listing_request(links.next_page, section=section, page=page + 1, template=links.template)

    def _seen_failed(self, section: str, reason: str) -> None:
        for i, seen in enumerate(self._sections):
            if seen.url == section and not seen.pages:
                self._sections[i] = dataclasses.replace(seen, failed=reason)

    # -- the sample ------------------------------------------------------------------

    def _on_idle(self) -> None:
        """When the listings are read, request the sample: one article of each section in
        turn, the sections in the menu's order, until there are *sample* of them."""
        if self._sampled or self.start_error is not None:
            return
        self._sampled = True
        queues = [[url for page in s.pages for url, _ in page.links] for s in self._sections if s.pages]
        owners = [s.url for s in self._sections if s.pages]
        chosen: set[str] = set()
        requests = 0
        depth = 0
        while requests < self.sample_size and any(depth < len(q) for q in queues):
            for queue, section in zip(queues, owners, strict=True):
                if requests >= self.sample_size or depth >= len(queue):
                    continue
                url = queue[depth]
                canonical = canonicalize_url(url)
                if canonical in chosen:
                    continue
                chosen.add(canonical)
                self._plan[canonical] = requests
                requests += 1
                self.crawler.engine.crawl(NewsRequest(
                    url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    cb_kwargs={"section": section},
                    meta={"listing_url": section},
                ))
            depth += 1
        if requests:
            raise DontCloseSpider("sample articles scheduled")

    def parse_article(self, response: Response, section: str) -> Iterator[Request]:
        """Extract a sampled article; ask its view counter as the news spider does."""
        doc = self._document(response)
        if doc is None:
            self._sample.append(SampleSeen(response.url, section, failed="not an HTML page"))
            return
        try:
            article = extract_article(doc, response.url, listing_url=section, timezone=self.timezone)
        except NotAnArticle as exc:
            self._sample.append(SampleSeen(response.url, section, failed=f"not an article: {exc}"))
            return
        if article.counter_url and article.view_count is None and self.fetch_counters:
            yield NewsRequest(
                article.counter_url,
                callback=self.parse_counter,
                errback=self.counter_failed,
                cb_kwargs={"article": article, "section": section},
                meta={"newsarchive_counter": True, "listing_url": section},
                dont_filter=True,
            )
            return
        self._sample.append(SampleSeen(response.url, section, article))

    def parse_counter(self, response: Response, article: Article, section: str) -> None:
        """Keep the sampled *article* with the count its counter endpoint answered."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        count = parse_counter_response(text)
        if count is not None:
            article = dataclasses.replace(article, view_count=count)
        self._sample.append(SampleSeen(article.url, section, article))

    def counter_failed(self, failure: Failure) -> None:
        """Keep the sampled article without a count when its counter cannot be asked."""
        kwargs = failure.request.cb_kwargs  # type: ignore[attr-defined]
        self._sample.append(SampleSeen(kwargs["article"].url, kwargs["section"], kwargs["article"]))

    # -- failures --------------------------------------------------------------------

    @staticmethod
    def _reason(failure: Failure) -> str:
        exc = failure.value
        if isinstance(exc, HttpError):
            return f"HTTP {exc.response.status}"
        return failure.getErrorMessage() or type(exc).__name__

    def start_failed(self, failure: Failure) -> None:
        """Remember why the start page could not be fetched."""
        self.start_error = self._reason(failure)

    def listing_failed(self, failure: Failure) -> None:
        """Mark a section whose first page could not be fetched."""
        self._seen_failed(failure.request.cb_kwargs["section"], self._reason(failure))  # type: ignore[attr-defined]

    def article_failed(self, failure: Failure) -> None:
        """Count a sampled article that could not be fetched."""
        request = failure.request  # type: ignore[attr-defined]
        self._sample.append(SampleSeen(request.url, request.cb_kwargs["section"], failed=self._reason(failure)))

    # -- the report ------------------------------------------------------------------

    def survey_report(self) -> SurveyReport:
        """Return the report of what this survey read (see newsarchive.survey.build_report)."""
        # In the order requested (answers arrive in any order), so a report reads the same twice.
        sample = sorted(self._sample, key=lambda s: self._plan.get(canonicalize_url(s.url), len(self._plan)))
        return build_report(
            self.start_url,
            guess_cms(self._pages),
            self._sections,
            sample,
            generated=datetime.now(UTC).date().isoformat(),
            sitemaps=self._sitemaps,
            feeds=self._feeds,
        )
