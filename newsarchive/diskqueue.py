"""A LIFO queue of byte records on disk whose torn records are detected, never half-read.

A crawl's request queue lives on disk (Scrapy's JOBDIR) so that a stopped crawl
can go on where it stopped. A crawl killed mid-write (SIGKILL, power cut, a
second Ctrl-C) leaves the last record cut short; queuelib's format cannot tell,
and resuming read garbage ("unpack requires a buffer of 4 bytes"). Here each
record carries its size twice and a CRC-32 of its bytes::

    file   = MAGIC record*
    record = size:4 crc32:4 payload:size size:4      (sizes and crc big-endian)

The leading size lets a reader validate the file from its start
(``torn_problem``); the trailing one lets ``pop`` find the last record from the
end; the checksum proves a record whole. Opening a file that is not whole
raises ``TornQueue``. Nothing is fsynced: a power cut may lose the last
records, but what is read back is always what was pushed.
"""
from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

from newsarchive.errors import TornQueue

__all__ = ["MAGIC", "LifoDiskQueue", "torn_problem"]

#: The first bytes of every queue file of ours ("newsarchive queue", format 1).
MAGIC = b"NAQ\x01"
_HEAD = struct.Struct(">LL")  # size, crc32
_TAIL = struct.Struct(">L")  # size again
_FRAME = _HEAD.size + _TAIL.size
# Read payloads in slices of this many bytes while validating: a size field
# that a tear turned into 4 GB must not make the check allocate 4 GB.
_CHUNK = 1 << 20


def _walk(f: BinaryIO, total: int) -> tuple[int, str | None]:
    """Return how many whole records *f* (*total* bytes, at its start) holds, and what is
    wrong after them (None when the file is whole)."""
    magic = f.read(len(MAGIC))
    if len(magic) < len(MAGIC):
        return 0, f"{total} bytes, no header"
    if magic != MAGIC:
        return 0, f"not a newsarchive queue file (it starts with {magic!r})"
    count = 0
    offset = len(MAGIC)
    while offset < total:
        number = count + 1
        if total - offset < _HEAD.size:
            return count, f"record {number} cut short at byte {total} of {offset + _HEAD.size}"
        size, crc = _HEAD.unpack(f.read(_HEAD.size))
        end = offset + _HEAD.size + size + _TAIL.size
        if end > total:
            return count, f"record {number} cut short at byte {total} of {end}"
        checksum = 0
        left = size
        while left:
            piece = f.read(min(left, _CHUNK))
            checksum = zlib.crc32(piece, checksum)
            left -= len(piece)
        (trailing,) = _TAIL.unpack(f.read(_TAIL.size))
        if trailing != size:
            return count, f"record {number} (bytes {offset}-{end}) has sizes {size} and {trailing}"
        if checksum != crc:
            return count, f"record {number} (bytes {offset}-{end}) fails its checksum"
        count = number
        offset = end
    return count, None


def torn_problem(path: str | os.PathLike[str]) -> str | None:
    """Return in one line what is wrong with the queue file *path*, or None when it is whole.

    For instance "record 17 cut short at byte 4096 of 4113" (the file ends at
    byte 4096; record 17 needed bytes up to 4113), "record 3 (bytes 120-410)
    fails its checksum", or "not a newsarchive queue file (...)" for a file in
    another format (queuelib's, say).
    """
    try:
        with open(path, "rb") as f:
            return _walk(f, os.fstat(f.fileno()).st_size)[1]
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


class LifoDiskQueue:
    """A persistent last-in-first-out queue of byte records in the file *path*.

    The interface is queuelib's (push, pop, peek, close, len), so Scrapy's
    scheduler can use it. An existing file is validated from its start when
    opened and raises TornQueue unless every record in it is whole; close()
    removes the file when the queue is empty, as queuelib's queue does (Scrapy
    then removes the folders it made). The folder of *path* must exist.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if self.path.exists():
            self._f: BinaryIO = self.path.open("rb+")
            count, problem = _walk(self._f, os.fstat(self._f.fileno()).st_size)
            if problem is not None:
                self._f.close()
                raise self._torn(problem)
            self._f.seek(0, os.SEEK_END)
        else:
            self._f = self.path.open("wb+")
            self._f.write(MAGIC)
            count = 0
        self._count = count

    def push(self, record: bytes) -> None:
        """Append *record* (bytes) at the top of the queue."""
        if not isinstance(record, bytes):
            raise TypeError(f"a queue record is bytes, not {type(record).__name__}")
        size = len(record)
        self._f.write(_HEAD.pack(size, zlib.crc32(record)) + record + _TAIL.pack(size))
        self._count += 1

    def pop(self) -> bytes | None:
        """Remove and return the record pushed last, or None when the queue is empty."""
        if not self._count:
            return None
        start, record = self._last()
        self._f.seek(start)
        self._f.truncate()
        self._count -= 1
        return record

    def peek(self) -> bytes | None:
        """Return the record pop() would return, leaving it in the queue; None when empty."""
        if not self._count:
            return None
        record = self._last()[1]
        self._f.seek(0, os.SEEK_END)
        return record

    def close(self) -> None:
        """Close the file; remove it when the queue is empty."""
        self._f.close()
        if not self._count:
            self.path.unlink(missing_ok=True)

    def __len__(self) -> int:
        return self._count

    def _last(self) -> tuple[int, bytes]:
        """Return where the last record starts and its payload, checked; raise TornQueue if the
        file changed under the queue."""
        end = self._f.seek(0, os.SEEK_END)
        self._f.seek(end - _TAIL.size)
        (size,) = _TAIL.unpack(self._f.read(_TAIL.size))
        start = end - _FRAME - size
        if start < len(MAGIC):
            raise self._torn(f"its last record's size {size} runs past its start")
        self._f.seek(start)
        lead, crc = _HEAD.unpack(self._f.read(_HEAD.size))
        record = self._f.read(size)
        if lead != size or zlib.crc32(record) != crc:
            raise self._torn(f"record {self._count} (bytes {start}-{end}) fails its checksum")
        return start, record

    def _torn(self, problem: str) -> TornQueue:
        return TornQueue(f"request queue {str(self.path)!r} is torn: {problem}")
