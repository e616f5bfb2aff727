"""WARC files beside an archive: the writer a crawl captures its responses with, and the pointer records keep.

A crawl into ``news.sqlite`` writes ``news.sqlite.warc/news-<UTC time>-<serial>-<pid>.warc.gz``:
every fetched response (articles, listing pages, view counters, robots.txt,
redirects and error answers alike) as a ``response`` record with the status line
and headers the server sent, followed by the ``request`` record that asked for
it. Each record is its own gzip member, so a reader can seek to one record, and
a file cut short by a kill loses only its last record (newsarchive.warcread
finds the cut). A file is closed and the next one begun when it passes
*max_size* bytes; every crawl begins a new file, so it never appends to a file
that an earlier, killed crawl may have left torn.

Each record is written with one ``write`` and flushed before ``write_exchange``
returns its WarcPointer, so an article record that points at it (the archive
commits later) never points at bytes that are not in the file.

The body is the one Scrapy's downloader received: the bytes the server sent with
their ``Content-Encoding`` (gzip stays gzip; the capture runs before Scrapy's
decompression), and chunked transfer encoding undone, so ``Transfer-Encoding``
is dropped and ``Content-Length`` gives the body's real length.
"""

from __future__ import annotations

import io
import logging
import os
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsarchive.errors import ArchiveError
from newsarchive.items import utc_timestamp

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DEFAULT_MAX_SIZE",
    "WARC_DATE_META",
    "WARC_META",
    "WarcPointer",
    "WarcWriter",
    "resolve_warc_file",
    "warc_date_to_utc",
    "warc_dir_for",
]

logger = logging.getLogger(__name__)

#: A WARC file is closed and the next begun past this many bytes (1 GB, Heritrix's custom).
DEFAULT_MAX_SIZE = 1_000_000_000
#: Request meta key under which a response's WarcPointer travels to the spider.
WARC_META = "newsarchive_warc"
#: Request meta key of a response read from a WARC file (a crawl --from-warc): its WARC-Date.
WARC_DATE_META = "newsarchive_warc_date"
# gzip level of the records (zlib's default; see _gzip_member).
_GZIP_LEVEL = 6
# Headers that describe how the bytes travelled, not the body the record holds.
_HOP_HEADERS = frozenset({"transfer-encoding"})


@dataclass(frozen=True, slots=True)
class WarcPointer:
    """Where one response record is: *file* (a name in the archive's WARC folder, or
    an absolute path to a WARC file elsewhere), the byte *offset* of its gzip member,
    and its ``WARC-Record-ID`` (``<urn:uuid:…>``)."""

    file: str
    offset: int
    record_id: str

    def as_tuple(self) -> tuple[str, int, str]:
        """Return the pointer as a plain tuple (request meta must survive pickling)."""
        return (self.file, self.offset, self.record_id)

    @classmethod
    def from_meta(cls, value: object) -> WarcPointer | None:
        """Return the pointer a request's meta holds under WARC_META, or None."""
        if isinstance(value, WarcPointer):
            return value
        if isinstance(value, (tuple, list)) and len(value) == 3:
            return cls(str(value[0]), int(value[1]), str(value[2]))
        return None


def warc_dir_for(archive: str | Path) -> Path:
    """Return the WARC folder of *archive*: ``news.sqlite`` -> ``news.sqlite.warc``."""
    path = Path(archive)
    return path.with_name(path.name + ".warc")


def resolve_warc_file(archive: str | Path, warc_file: str) -> Path:
    """Return the WARC file a record's ``warc_file`` names: a bare name is in the
    archive's WARC folder (warc_dir_for), an absolute path is itself."""
    path = Path(warc_file)
    return path if path.is_absolute() else warc_dir_for(archive) / path


def warc_date_to_utc(date: str) -> str:
    """Return a WARC-Date (``2021-11-05T02:30:00Z``) in the records' UTC form, or "" when unreadable."""
    try:
        return utc_timestamp(datetime.fromisoformat(date))
    except ValueError:
        return ""


def _utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class WarcWriter:
    """Write request/response records into WARC files in *folder*, rotated past *max_size* bytes.

    File names are ``<prefix>-<UTC time>-<serial>-<pid>.warc.gz`` (Heritrix's
    scheme), unique across crawls and across the workers of one crawl. Call
    close() at the end (it syncs the file to disk).
    """

    def __init__(self, folder: str | Path, *, prefix: str, max_size: int = DEFAULT_MAX_SIZE) -> None:
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_size = max(1, max_size)
        self.files: list[Path] = []
        #: Bytes written into all files so far.
        self.written = 0
        self._out: IO[bytes] | None = None
        self._size = 0
        self._serial = 0
        self._stamp = _utc_stamp()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ArchiveError(
                f"cannot create the WARC folder {self.folder}: {exc.strerror or exc}; "
                "give the archive another place with -o, or --no-warc"
            ) from exc

    @property
    def current(self) -> Path | None:
        """Return the file being written, or None before the first record."""
        return self.files[-1] if self._out is not None else None

    def _open_next(self) -> None:
        self._close_file()
        while True:
            # Two crawls of one process in the same second (a test, a script calling
            # the crawler twice) share the stamp and pid: the next serial is free.
            self._serial += 1
            path = self.folder / f"{self.prefix}-{self._stamp}-{self._serial:05d}-{os.getpid()}.warc.gz"
            try:
                self._out = open(path, "xb")  # noqa: SIM115 - closed in _close_file()
            except FileExistsError:
                continue
            except OSError as exc:
                raise ArchiveError(f"cannot create WARC file {path}: {exc.strerror or exc}") from exc
            break
        self._size = 0
        self.files.append(path)
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        writer.write_record(
            writer.create_warcinfo_record(
                path.name, {"software": "newsarchive", "format": "WARC File Format 1.0"}
            )
        )
        self._write(buffer.getvalue())
        logger.info("writing WARC file %s", path)

    def _write(self, data: bytes) -> int:
        assert self._out is not None
        offset = self._size
        try:
            self._out.write(data)
            self._out.flush()
        except OSError as exc:
            raise ArchiveError(f"cannot write WARC file {self.files[-1]}: {exc.strerror or exc}") from exc
        self._size += len(data)
        self.written += len(data)
        return offset

    def write_exchange(
        self,
        *,
        url: str,
        method: str,
        request_headers: Sequence[tuple[str, str]],
        status: int,
        protocol: str,
        response_headers: Sequence[tuple[str, str]],
        body: bytes,
        ip_address: str | None = None,
    ) -> WarcPointer:
        """Write the response to *url* and the request that asked it; return the response's pointer.

        *protocol* is ``HTTP/1.1`` or ``HTTP/1.0``; header values are text (latin-1
        decoded bytes, as HTTP sends them). Both records go out in one write.
        """
        if self._out is None or self._size >= self.max_size:
            self._open_next()
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        headers = [(k, v) for k, v in response_headers if k.lower() not in _HOP_HEADERS]
        if len(headers) != len(response_headers) or not any(k.lower() == "content-length" for k, _ in headers):
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(f"{status} {_reason(status)}".strip(), headers, protocol=protocol or "HTTP/1.1")
        extra = {"WARC-IP-Address": ip_address} if ip_address else {}
        response = writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body),
            http_headers=http, warc_headers_dict=extra,
        )
        record_id = str(response.rec_headers.get_header("WARC-Record-ID"))
        writer.write_record(response)
        response_end = buffer.tell()
        request = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), length=0,
            http_headers=StatusAndHeaders(
                f"{method} {_request_target(url)} {protocol or 'HTTP/1.1'}",
                list(request_headers), is_http_request=True,
            ),
            warc_headers_dict={"WARC-Concurrent-To": record_id},
        )
        writer.write_record(request)
        data = buffer.getvalue()
        assert self.current is not None
        offset = self._write(_gzip_member(data[:response_end]) + _gzip_member(data[response_end:]))
        return WarcPointer(self.current.name, offset, record_id)

    def _close_file(self) -> None:
        if self._out is None:
            return
        try:
            self._out.flush()
            os.fsync(self._out.fileno())
        finally:
            self._out.close()
            self._out = None

    def close(self) -> None:
        """Flush, sync and close the file being written."""
        self._close_file()


def _gzip_member(record: bytes) -> bytes:
    """Return *record* as one gzip member, at zlib's level 6.

    warcio compresses at level 9: 2.5 times the CPU of level 6 on 44 KB news pages,
    for files 1.7% smaller (benchmarks/warc.py).
    """
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(record) + compressor.flush()


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
