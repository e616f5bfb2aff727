"""A crawl from WARC files alone (``newsarchive crawl --from-warc``): each request answered from a WARC index.

A downloader middleware that answers every request with the response record
stored for its URL (the last capture of it in NEWSARCHIVE_FROM_WARC's files):
nothing goes to the network, and everything after the download (redirects,
HTTP errors, robots.txt, the spider's listing and article logic, the
pipelines) runs as in a live crawl. The files may be ours or any tool's (wget
``--warc-file``, warcio's ``capture_http``, Browsertrix).

A page the files do not hold fails with the kind ``not_in_warc``
(NotInWarc). A robots.txt, sitemap or feed the files do not hold reads as
absent (HTTP 404), as a site without one would answer: the crawl only looked
for them. The article records point at the records they were read from (an
absolute path, or a name when the file is in the archive's own WARC folder),
and their ``fetched_at`` is the record's WARC-Date: when the page was fetched.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newsarchive import settings as defaults
from newsarchive import statkeys
from newsarchive.errors import ArchiveError
from newsarchive.normalize import canonicalize_url
from newsarchive.warc import WARC_DATE_META, WARC_META, WarcPointer, warc_dir_for
from newsarchive.warcread import IndexedResponse, index_responses, read_response

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

__all__ = ["NotInWarc", "WarcReplayMiddleware"]

logger = logging.getLogger(__name__)

# Request meta key of the spider's robots.txt, sitemap and feed requests (spiders/discovery.py).
_DISCOVERY_META = "newsarchive_discovery"


class NotInWarc(IgnoreRequest):
    """A request whose URL no response record of the crawl's WARC files answers."""


class WarcReplayMiddleware:
    """Answer each request from the response records of NEWSARCHIVE_FROM_WARC's files."""

    def __init__(self, crawler: Crawler, files: list[Path], archive: Path | None) -> None:
        self.crawler = crawler
        self.files = files
        self.own_folder = warc_dir_for(archive).resolve() if archive is not None else None
        self._index: dict[str, IndexedResponse] | None = None
        self._canonical: dict[str, IndexedResponse] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        files = [Path(f) for f in crawler.settings.getlist("NEWSARCHIVE_FROM_WARC")]
        if not files:
            # Without a message: Scrapy would log a warning for it in every live crawl.
            raise NotConfigured
        for path in files:
            if not path.is_file():
                raise ArchiveError(f"no WARC file {str(path)!r} (NEWSARCHIVE_FROM_WARC): give the path of a WARC file")
        archive = str(crawler.settings.get("NEWSARCHIVE_ARCHIVE") or defaults.NEWSARCHIVE_ARCHIVE)
        return cls(crawler, files, None if archive == ":memory:" else Path(archive))

    def _lookup(self, url: str) -> IndexedResponse | None:
        if self._index is None:
            self._index = index_responses(self.files)
            # A link written another way (a default port, a tracking parameter) finds its capture too.
            self._canonical = {canonicalize_url(u): hit for u, hit in self._index.items()}
            logger.info("answering from %d responses in %d WARC file(s)", len(self._index), len(self.files))
        return self._index.get(url) or self._canonical.get(canonicalize_url(url))

    def _warc_file(self, path: Path) -> str:
        resolved = path.resolve()
        if self.own_folder is not None and resolved.parent == self.own_folder:
            return resolved.name
        return str(resolved)

    def process_request(self, request: Request) -> Response:
        hit = self._lookup(request.url)
        if hit is None:
            if request.meta.get(_DISCOVERY_META) or request.url.endswith("/robots.txt"):
                return Response(request.url, status=404, request=request)
            stats = self.crawler.stats
            if stats is not None:
                stats.inc_value(statkeys.WARC_NOT_IN_WARC)
            raise NotInWarc(f"not in the WARC files: {request.url}")
        stored = read_response(hit.path, hit.offset)
        headers = Headers(list(stored.headers))
        cls = responsetypes.from_args(headers=headers, url=request.url, body=stored.body)
        request.meta[WARC_META] = WarcPointer(self._warc_file(hit.path), hit.offset, stored.record_id).as_tuple()
        request.meta[WARC_DATE_META] = stored.date
        return cls(request.url, status=stored.status, headers=headers, body=stored.body, request=request)
