"""Archive stores: JSON Lines or SQLite behind one small interface, chosen by the path suffix.

    >>> with open_archive("archive/news.sqlite") as archive:   # doctest: +SKIP
    ...     archive.add(article)                                 # "new"
    >>> records = load_records("archive/news.sqlite")            # doctest: +SKIP
    >>> pandas.DataFrame(records)                                # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from newsarchive.archive._common import (
    NEAR_DISTANCE,
    NEW,
    UNCHANGED,
    UPDATED,
    VIEWS,
    Archive,
    Duplicate,
)
from newsarchive.archive.export import archive_stats, export_records, load_records
from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.lock import ArchiveLock
from newsarchive.archive.sqlite import SqliteArchive
from newsarchive.errors import ArchiveError, ArchiveLocked

__all__ = [
    "NEAR_DISTANCE",
    "NEW",
    "UNCHANGED",
    "UPDATED",
    "VIEWS",
    "Archive",
    "ArchiveError",
    "ArchiveLock",
    "ArchiveLocked",
    "Duplicate",
    "JsonlArchive",
    "SqliteArchive",
    "archive_stats",
    "backend_for",
    "export_records",
    "load_records",
    "open_archive",
]

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
