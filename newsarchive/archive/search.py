"""Searching an archive by path: SQLite through its index (built on first use), JSON Lines in memory."""

from __future__ import annotations

import logging
from pathlib import Path

from newsarchive.archive.fulltext import HIT_MARKERS, SearchHit
from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.opening import backend_for
from newsarchive.archive.sqlite import SqliteArchive
from newsarchive.errors import ArchiveError, ArchiveLocked

__all__ = ["search_archive"]

logger = logging.getLogger(__name__)


def search_archive(
    path: str | Path,
    query: str,
    *,
    site: str | None = None,
    since: str | None = None,
    limit: int = 20,
    markers: tuple[str, str] = HIT_MARKERS,
) -> list[SearchHit]:
    """Return the articles of the archive at *path* that contain every term of *query*, best first.

    A SQLite archive written before the search index existed gets it here, once
    (its writer's lock is taken for that; a running crawl makes this fail). A JSON
    Lines archive has no index: its latest versions are indexed in memory for this
    one search, which costs a few milliseconds an article.
    """

    def run(archive: SqliteArchive) -> list[SearchHit]:
        return archive.search(query, site=site, since=since, limit=limit, markers=markers)

    if backend_for(path) is JsonlArchive:
        with JsonlArchive(path, readonly=True) as source, SqliteArchive(":memory:") as scratch:
            for article in source.iter_articles():
                scratch.add(article)
            return run(scratch)
    with SqliteArchive(path, readonly=True) as archive:
        if archive.has_search_index():
            return run(archive)
    logger.info("archive %s: building its search index (once)", path)
    try:
        SqliteArchive(path).close()  # a writer applies the migrations, the index's among them
    except ArchiveLocked as exc:
        raise ArchiveError(
            f"archive {path} has no search index yet and another process is writing it; "
            "search again when that crawl has finished"
        ) from exc
    with SqliteArchive(path, readonly=True) as archive:
        return run(archive)
