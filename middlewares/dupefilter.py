"""DigestDupeFilter: Scrapy's duplicate-request filter in 16 bytes a request instead of ~95.

Scrapy's RFPDupeFilter keeps every request fingerprint it has seen as a bytes
object in a set; over a 50,000-page crawl that alone is ~5 MB that grows with
every page. This filter keeps a 64-bit digest of each fingerprint in a
newsarchive.seen.SeenSet. The fingerprint is the crawl's own
(REQUEST_FINGERPRINTER_CLASS: the canonical URL's). With a JOBDIR, the digests
are appended to ``requests.seen`` (8 bytes each, after a one-line header) and
read back when the crawl resumes; a record cut short by a kill is ignored.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from scrapy.dupefilters import BaseDupeFilter
from scrapy.utils.job import job_dir
from scrapy.utils.request import referer_str

from newsarchive.seen import SeenSet, digest64

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.request import RequestFingerprinterProtocol

__all__ = ["DigestDupeFilter"]

logger = logging.getLogger(__name__)

#: First line of requests.seen in this filter's format (Scrapy's own files lack it).
_HEADER = b"newsarchive digests v1\n"


class DigestDupeFilter(BaseDupeFilter):
    """Filter requests whose fingerprint was seen before in this crawl (or the one it resumes)."""

    def __init__(
        self, path: str | None, fingerprinter: RequestFingerprinterProtocol, *, debug: bool = False
    ) -> None:
        self.fingerprinter = fingerprinter
        self.debug = debug
        self._logged = False
        self._file: BinaryIO | None = None
        seen = b""
        if path:
            self._file = Path(path, "requests.seen").open("a+b")  # noqa: SIM115 - open for the crawl
            self._file.seek(0)
            data = self._file.read()
            if data.startswith(_HEADER):
                seen = data[len(_HEADER) :]
            else:
                # Empty, or written in Scrapy's format by an older version: start afresh
                # (archived articles are still not fetched again).
                self._file.truncate(0)
                self._file.write(_HEADER)
        self._seen = SeenSet(packed=seen)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.request_fingerprinter is not None
        return cls(
            job_dir(crawler.settings),
            crawler.request_fingerprinter,
            debug=crawler.settings.getbool("DUPEFILTER_DEBUG"),
        )

    def request_seen(self, request: Request) -> bool:
        key = digest64(self.fingerprinter.fingerprint(request))
        if not self._seen.add_digest(key):
            return True
        if self._file is not None:
            self._file.write(key.to_bytes(8, "little"))
        return False

    def close(self, reason: str) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def log(self, request: Request, spider: Spider) -> None:
        """Log the first dropped duplicate (every one with DUPEFILTER_DEBUG) and count it."""
        if self.debug or not self._logged:
            logger.debug(
                "Filtered duplicate request: %(request)s (referer: %(referer)s)%(more)s",
                {
                    "request": request,
                    "referer": referer_str(request),
                    "more": "" if self.debug else " - no more duplicates will be shown",
                },
                extra={"spider": spider},
            )
            self._logged = True
        assert spider.crawler.stats is not None
        spider.crawler.stats.inc_value("dupefilter/filtered")
