"""Keep the raw pages: every response the crawl fetches written to WARC files beside the archive.

A downloader middleware placed after Scrapy's compression and redirect
middlewares (nearer the download), so it sees each response as the server sent
it: the body still gzip when the server sent gzip, every redirect and every
answer that is retried. Its WarcPointer goes into the request's meta
(newsarchive.warc.WARC_META), where the news spider reads it for the article
record; the record is flushed to the file before the spider even sees the page,
so no archived article points at a record that is not in the file.

On by default (NEWSARCHIVE_WARC), for ``newsarchive crawl`` and ``scrapy crawl
news`` alike; files are rotated past NEWSARCHIVE_WARC_MAX_SIZE bytes. A crawl
begins a new file: when the last file of the folder was cut by a killed crawl,
it says so in the log and leaves it (its complete records stay readable).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import NotConfigured

from newsarchive import settings as defaults
from newsarchive import statkeys
from newsarchive.signals import forced_stop
from newsarchive.warc import WARC_META, WarcWriter, warc_dir_for
from newsarchive.warcread import check_warc

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Headers, Response

__all__ = ["WarcCaptureMiddleware", "header_pairs"]

logger = logging.getLogger(__name__)


def header_pairs(headers: Headers) -> list[tuple[str, str]]:
    """Return Scrapy *headers* as (name, value) text pairs, one per value, latin-1 decoded as sent."""
    pairs = []
    for name, values in headers.items():
        key = name.decode("latin-1") if isinstance(name, bytes) else str(name)
        for value in values:
            pairs.append((key, value.decode("latin-1") if isinstance(value, bytes) else str(value)))
    return pairs


class WarcCaptureMiddleware:
    """Write each response, with the request that asked it, into the archive's WARC folder."""

    def __init__(self, crawler: Crawler, folder: Path, prefix: str, max_size: int) -> None:
        self.crawler = crawler
        self.folder = folder
        self.prefix = prefix
        self.max_size = max_size
        self._writer: WarcWriter | None = None
        self._closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        archive = str(settings.get("NEWSARCHIVE_ARCHIVE") or defaults.NEWSARCHIVE_ARCHIVE)
        # Off (NEWSARCHIVE_WARC=0), a crawl from WARC files (their pages are kept already),
        # or an in-memory archive (no folder). No message: Scrapy would log it as a warning.
        if (
            not settings.getbool("NEWSARCHIVE_WARC", defaults.NEWSARCHIVE_WARC)
            or settings.getlist("NEWSARCHIVE_FROM_WARC")
            or archive == ":memory:"
        ):
            raise NotConfigured
        path = Path(archive)
        o = cls(
            crawler,
            warc_dir_for(path),
            path.stem,
            settings.getint("NEWSARCHIVE_WARC_MAX_SIZE", defaults.NEWSARCHIVE_WARC_MAX_SIZE),
        )
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(o.close, signal=forced_stop)
        return o

    def _open(self) -> WarcWriter:
        if self.folder.is_dir():
            earlier = sorted(self.folder.glob("*.warc.gz"), key=lambda p: p.stat().st_mtime)
            if earlier:
                found = check_warc(earlier[-1])
                if found.torn_at is not None:
                    logger.warning("%s; this crawl writes a new file", found.describe(earlier[-1]))
        self._writer = WarcWriter(self.folder, prefix=self.prefix, max_size=self.max_size)
        return self._writer

    def process_response(self, request: Request, response: Response) -> Response:
        if self._closed:
            return response
        writer = self._writer or self._open()
        request_headers = header_pairs(request.headers)
        if not any(k.lower() == "host" for k, _ in request_headers):
            request_headers.insert(0, ("Host", urlsplit(request.url).netloc))
        before = writer.written
        pointer = writer.write_exchange(
            url=response.url,
            method=request.method,
            request_headers=request_headers,
            status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            response_headers=header_pairs(response.headers),
            body=response.body,
            ip_address=str(response.ip_address) if response.ip_address is not None else None,
        )
        request.meta[WARC_META] = pointer.as_tuple()
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(statkeys.WARC_RECORDS)
            stats.inc_value(statkeys.WARC_BYTES, writer.written - before)
        return response

    def spider_closed(self, spider: Spider) -> None:
        self.close()

    def close(self, **_: object) -> None:
        """Sync and close the WARC file (at the spider's close, or a forced stop)."""
        self._closed = True
        if self._writer is not None:
            self._writer.close()
            self._writer = None
