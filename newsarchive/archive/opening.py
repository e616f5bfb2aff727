"""Opening an archive: the backend chosen by the path suffix (``.jsonl``, ``.sqlite``, ``.db``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.sqlite import SqliteArchive
from newsarchive.errors import ArchiveError

if TYPE_CHECKING:
    from newsarchive.archive._common import Archive

__all__ = ["backend_for", "open_archive"]

_SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def backend_for(path: str | Path) -> type[JsonlArchive | SqliteArchive]:
    """Return the backend class for *path*: ``.jsonl`` -> JsonlArchive, ``.sqlite``/``.db`` -> SqliteArchive."""
    if str(path) == ":memory:":
        return SqliteArchive
    suffix = Path(path).suffix.lower()
    if suffix == ".jsonl":
        return JsonlArchive
    if suffix in _SQLITE_SUFFIXES:
        return SqliteArchive
    raise ArchiveError(
        f"cannot tell the archive format of {str(path)!r}: "
        "name it *.jsonl for JSON Lines or *.sqlite / *.db for SQLite"
    )


def open_archive(
    path: str | Path,
    *,
    readonly: bool = False,
    lock_timeout: float = 0.0,
    batch_size: int = 100,
    batch_seconds: float = 1.0,
) -> Archive:
    """Return the archive at *path*, opened for writing (locked) or, with *readonly*, for reading.

    A writer waits up to *lock_timeout* seconds for another writer's lock, then
    raises ArchiveLocked. *batch_size* rows or *batch_seconds* seconds make one
    SQLite transaction (JSON Lines writes each line at once). A missing archive is
    created for writing and is an ArchiveError for reading.
    """
    backend = backend_for(path)
    if backend is SqliteArchive:
        return SqliteArchive(
            path, readonly=readonly, lock_timeout=lock_timeout,
            batch_size=batch_size, batch_seconds=batch_seconds,
        )
    return JsonlArchive(path, readonly=readonly, lock_timeout=lock_timeout)
