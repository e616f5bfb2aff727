"""Turn a request's final failure into one ``page_failed`` signal, whatever failed.

Scrapy has no signal for "this request failed for good": a download error
after the last retry, a robots.txt or policy refusal, or a redirect chain
given up on reaches only the request's errback. These two downloader
middlewares send the spider's ``page_failed`` signal (url=, kind=, reason=,
status=, listing=) for them, so the crawl report sees every failure even when
the spider has no errback. The report keeps one failure per URL, so a spider
that also reports the same failure does no harm.

The kind of a failure is ``newsarchive.failure_kinds``'s (one table for the
middlewares, the spider and the report), plus ``counter``: an article's
view-counter request failed, and the article is kept without the count (the
report counts it apart from failed pages). A counter robots.txt forbids is no
failure: the spider counts it and warns once per site (spiders/counters.py).
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest

from newsarchive.failure_kinds import COUNTER_KIND, failure_kind
from newsarchive.signals import page_failed

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

class NotHtmlResponse(IgnoreRequest):
    """A PDF, image or other file behind a page link: never parsed as a page."""


_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

# Media types that are never a page, whatever the URL's extension says
# (Scrapy picks its response class from the URL when the type is generic).
_NOT_HTML_TYPES = re.compile(
    rb"^(?:image|audio|video|font|model)/|^application/(?!(?:xhtml\+xml|xml|json|javascript|x-javascript"
    rb"|ecmascript|octet-stream|x-unknown|unknown)\b)",
    re.IGNORECASE,
)
# File signatures of documents sites link to as if they were pages.
_FILE_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"Rar!")


def not_html_reason(response: Response) -> str | None:
    """Return why *response* is not a web page (its type or its first bytes), or None."""
    content_type = (response.headers.get("Content-Type") or b"").split(b";")[0].strip()
    if content_type and _NOT_HTML_TYPES.match(content_type):
        return f"not a web page: {content_type.decode('latin-1')}"
    if response.body[:8].startswith(_FILE_MAGIC):
        shown = content_type.decode("latin-1") or "no Content-Type"
        return f"not a web page: a file signature {response.body[:4]!r} ({shown})"
    return None


# Meta key keeping the page that linked to a request, across its redirects
# (RedirectMiddleware points the Referer of each hop at the previous hop).
_REFERER_KEY = "newsarchive_referer"


def _listing_of(request: Request) -> str | None:
    listing = request.meta.get("listing_url") or request.meta.get(_REFERER_KEY)
    if isinstance(listing, str):
        return listing
    referer = request.headers.get("Referer")
    return referer.decode("latin-1") if referer else None


def _first_url(request: Request) -> str:
    chain = request.meta.get("redirect_urls") or ()
    return str(chain[0]) if chain else request.url


class FailureCaptureMiddleware:
    """Outermost downloader middleware: reports what is left after retries and redirects."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _send(self, request: Request, kind: str, reason: str, status: int | None) -> None:
        if request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt"):
            # A missing or broken robots.txt is not a failed page: Scrapy then allows all.
            return
        if request.meta.get("newsarchive_discovery") and (status in (404, 410) or kind == "robots"):
            # A site without a sitemap or feed there, or one robots.txt keeps us from: no page was lost.
            return
        if request.meta.get("newsarchive_counter"):
            if kind == "robots":
                # The site asks robots not to; the spider says so once per site.
                return
            # The article is kept without its count; say which fetch failed.
            kind, reason = COUNTER_KIND, f"view counter: {reason}"
        self.crawler.signals.send_catch_log(
            page_failed,
            url=_first_url(request),
            kind=kind,
            reason=reason,
            status=status,
            listing=_listing_of(request),
            request=request,
        )

    def process_request(self, request: Request) -> None:
        if _REFERER_KEY not in request.meta and not request.meta.get("redirect_urls"):
            referer = request.headers.get("Referer")
            if referer:
                request.meta[_REFERER_KEY] = referer.decode("latin-1")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 400:
            self._send(request, "http", f"HTTP {response.status}", response.status)
        elif response.status in _REDIRECT_STATUSES:
            location = response.headers.get("Location")
            target = location.decode("latin-1") if location else "nowhere"
            self._send(request, "redirect", f"redirect to {target} not followed", response.status)
        elif not request.meta.get("newsarchive_counter") and not request.meta.get("newsarchive_discovery"):
            # Counters answer scripts; sitemaps and feeds are XML or gzip, read by the spider.
            reason = not_html_reason(response)
            if reason is not None:
                self._send(request, "not_html", reason, response.status)
                raise NotHtmlResponse(reason)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        kind = failure_kind(exception)
        reason = str(exception) or type(exception).__name__
        self._send(request, kind, reason, None)


class RedirectWatchMiddleware:
    """Sits just outside RedirectMiddleware's reach and reports chains it will give up on.

    RedirectMiddleware raises IgnoreRequest("max redirections reached") from
    process_response, which no process_exception sees, and a loop back to a
    URL already fetched is dropped silently by the scheduler's duplicate filter.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_times = crawler.settings.getint("REDIRECT_MAX_TIMES")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        raw_location = response.headers.get(b"Location")
        if response.status not in _REDIRECT_STATUSES or not raw_location:
            return response
        if request.meta.get("dont_redirect"):
            return response
        location = raw_location.decode("latin-1")
        target = urljoin(request.url, location)
        chain = [*request.meta.get("redirect_urls", ()), request.url]
        times = len(chain)
        if target in chain:
            reason = f"redirect loop back to {target} after {times} redirect(s)"
        elif times > self.max_times:
            reason = f"more than {self.max_times} redirects"
        else:
            return response
        self.crawler.signals.send_catch_log(
            page_failed,
            url=chain[0],
            kind="redirect",
            reason=reason,
            status=response.status,
            listing=_listing_of(request),
            request=request,
        )
        return response
