"""Reading WARC files: one response record at a pointer, every response of a file, and where a file was cut.

Works on our files (a gzip member per record) and on other tools' (wget's
``--warc-file``, warcio's ``capture_http``, Browsertrix: gzip per record or
plain ``.warc``). A gzip member that does not end (a file cut by a kill
mid-write) ends the file: the complete records before it are used and the cut
is reported (WarcCheck), never half-read.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from newsarchive.errors import ArchiveError

__all__ = [
    "IndexedResponse",
    "StoredResponse",
    "WarcCheck",
    "check_warc",
    "index_responses",
    "iter_responses",
    "read_response",
]

logger = logging.getLogger(__name__)

_GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
# Headers that no longer describe the body once it is read decoded.
_ENCODING_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """One ``response`` record: the *url* asked, *status*, the response *headers*
    (without the encoding headers: *body* is decoded, as a browser would see it),
    its WARC-Record-ID, WARC-Date, and the record's byte *offset* in its file."""

    url: str
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    record_id: str
    date: str
    offset: int

    def header(self, name: str) -> str | None:
        """Return the first value of header *name* (any case), or None."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


@dataclass(frozen=True, slots=True)
class WarcCheck:
    """What check_warc() found: *records* complete, *good_bytes* the length they fill,
    and *torn_at* the offset of a record cut short (None when the file is whole)."""

    records: int
    good_bytes: int
    torn_at: int | None = None

    def describe(self, path: Path) -> str:
        """Return the cut in words, for a log line or a note."""
        return (
            f"WARC file {path} ends with a record cut short at byte {self.torn_at} "
            f"(a crawl killed mid-write); its {self.records} complete records before it are used"
        )


def _gzip_members(f: io.BufferedReader) -> Iterator[tuple[int, bytes | None]]:
    """Yield (offset, decompressed bytes) per gzip member of *f* from where it stands
    (offsets counted from there); None for a member cut short, which ends the file."""
    offset = 0
    pending = b""
    while True:
        decoder = zlib.decompressobj(wbits=31)
        out: list[bytes] = []
        consumed = 0
        data = pending
        pending = b""
        while not decoder.eof:
            if not data:
                data = f.read(_CHUNK)
                if not data:
                    break
            try:
                out.append(decoder.decompress(data))
            except zlib.error:
                yield offset, None
                return
            consumed += len(data) - len(decoder.unused_data)
            data = decoder.unused_data if decoder.eof else b""
        if not decoder.eof:
            if consumed or out:
                yield offset, None
            return
        yield offset, b"".join(out)
        offset += consumed
        pending = data


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == _GZIP_MAGIC


def _stored(record: object, offset: int) -> StoredResponse | None:
    rec_type = getattr(record, "rec_type", None)
    if rec_type != "response" or getattr(record, "http_headers", None) is None:
        return None
    rec_headers = record.rec_headers  # type: ignore[attr-defined]
    http = record.http_headers  # type: ignore[attr-defined]
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return None
    body = record.content_stream().read()  # type: ignore[attr-defined]
    return StoredResponse(
        url=str(rec_headers.get_header("WARC-Target-URI") or ""),
        status=status,
        headers=tuple((k, v) for k, v in http.headers if k.lower() not in _ENCODING_HEADERS),
        body=body,
        record_id=str(rec_headers.get_header("WARC-Record-ID") or ""),
        date=str(rec_headers.get_header("WARC-Date") or ""),
        offset=offset,
    )


def _records_in(data: bytes, base: int) -> Iterator[StoredResponse]:
    stream = ArchiveIterator(io.BytesIO(data), no_record_parse=False)
    for record in stream:
        stored = _stored(record, base)
        if stored is not None:
            yield stored


def iter_responses(path: str | Path, *, check: list[WarcCheck] | None = None) -> Iterator[StoredResponse]:
    """Yield every response record of the WARC file *path*, in file order.

    A record cut short ends the iteration; *check*, when given, receives the
    file's WarcCheck at the end. Raises ArchiveError when *path* cannot be read
    or is no WARC file.
    """
    path = Path(path)
    records = 0
    good = 0
    torn: int | None = None
    try:
        if _is_gzip(path):
            with open(path, "rb") as f:
                for offset, data in _gzip_members(f):
                    if data is None:
                        torn = offset
                        break
                    records += 1
                    yield from _records_in(data, offset)
                good = path.stat().st_size if torn is None else torn
        else:
            yield from _plain_records(path, check)
            return
    except OSError as exc:
        raise ArchiveError(f"cannot read WARC file {path}: {exc.strerror or exc}") from exc
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"{path} is not a WARC file: {exc}") from exc
    if torn is not None:
        logger.warning("%s", WarcCheck(records, good, torn).describe(path))
    if check is not None:
        check.append(WarcCheck(records, good, torn))


def _plain_records(path: Path, check: list[WarcCheck] | None) -> Iterator[StoredResponse]:
    """Records of an uncompressed .warc; a record shorter than its Content-Length is a cut."""
    records = 0
    size = path.stat().st_size
    torn: int | None = None
    with open(path, "rb") as f:
        stream = ArchiveIterator(f)
        try:
            for record in stream:
                offset = stream.get_record_offset()
                length = int(record.rec_headers.get_header("Content-Length") or 0)
                if offset + length > size:
                    torn = offset
                    break
                stored = _stored(record, offset)
                records += 1
                if stored is not None:
                    yield stored
        except ArchiveLoadFailed:
            torn = stream.get_record_offset() if records else 0
    if torn is not None:
        logger.warning("%s", WarcCheck(records, torn, torn).describe(path))
    if check is not None:
        check.append(WarcCheck(records, torn if torn is not None else size, torn))


def check_warc(path: str | Path) -> WarcCheck:
    """Return how many complete records the WARC file *path* holds and where it was cut, if it was."""
    found: list[WarcCheck] = []
    for _ in iter_responses(path, check=found):
        pass
    return found[0]


def read_response(path: str | Path, offset: int) -> StoredResponse:
    """Return the response record at byte *offset* of the WARC file *path*.

    Raises ArchiveError when the file is missing, or no whole response record starts there.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            head = f.read(2)
            f.seek(offset)
            if head == _GZIP_MAGIC:
                members = _gzip_members(f)
                first = next(members, None)
                data = first[1] if first is not None else None
                if data is None:
                    raise ArchiveError(f"WARC file {path}: the record at byte {offset} is cut short")
                stored = next(_records_in(data, offset), None)
            else:
                stored = next((_stored(r, offset) for r in ArchiveIterator(f)), None)
    except OSError as exc:
        raise ArchiveError(f"cannot read WARC file {path}: {exc.strerror or exc}") from exc
    except ArchiveLoadFailed as exc:
        raise ArchiveError(f"WARC file {path}: no record at byte {offset}: {exc}") from exc
    if stored is None:
        raise ArchiveError(f"WARC file {path}: no response record at byte {offset}")
    return stored


@dataclass(frozen=True, slots=True)
class IndexedResponse:
    """Where the response to one URL is: its WARC file *path*, the record's *offset*, its WARC-Date."""

    path: Path
    offset: int
    date: str


def index_responses(paths: list[Path]) -> dict[str, IndexedResponse]:
    """Return the response records of the WARC files *paths* by URL (the last capture of a URL wins).

    A file cut short gives its complete records (and a warning); a file that
    cannot be read raises ArchiveError.
    """
    index: dict[str, IndexedResponse] = {}
    for path in paths:
        for stored in iter_responses(path):
            if stored.url:
                index[stored.url] = IndexedResponse(path, stored.offset, stored.date)
    return index
