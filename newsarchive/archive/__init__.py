"""Archive stores: JSON Lines or SQLite behind one small interface, chosen by the path suffix.

    >>> with open_archive("archive/news.sqlite") as archive:   # doctest: +SKIP
    ...     archive.add(article)                                 # "new"
    >>> records = load_records("archive/news.sqlite")            # doctest: +SKIP
    >>> newsarchive.load("archive/news.sqlite")                  # doctest: +SKIP

``newsarchive.load()`` gives the records as a pandas DataFrame with fixed column types.
"""

from __future__ import annotations

from newsarchive.archive._common import (
    EXACT,
    NEAR,
    NEAR_DISTANCE,
    NEW,
    UNCHANGED,
    UPDATED,
    URL,
    VIEWS,
    Archive,
    Duplicate,
    DuplicateRow,
    finish_article,
)
from newsarchive.archive.export import (
    Selection,
    archive_stats,
    export_parquet,
    export_records,
    format_for,
    iter_records,
    load_records,
)
from newsarchive.archive.fulltext import SearchHit
from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.lock import ArchiveLock
from newsarchive.archive.opening import backend_for, open_archive
from newsarchive.archive.search import search_archive
from newsarchive.archive.sqlite import SqliteArchive
from newsarchive.errors import ArchiveError, ArchiveLocked

__all__ = [
    "EXACT",
    "NEAR",
    "NEAR_DISTANCE",
    "NEW",
    "UNCHANGED",
    "UPDATED",
    "URL",
    "VIEWS",
    "Archive",
    "ArchiveError",
    "ArchiveLock",
    "ArchiveLocked",
    "Duplicate",
    "DuplicateRow",
    "JsonlArchive",
    "SearchHit",
    "Selection",
    "SqliteArchive",
    "archive_stats",
    "backend_for",
    "export_parquet",
    "export_records",
    "finish_article",
    "format_for",
    "iter_records",
    "load_records",
    "open_archive",
    "search_archive",
]
