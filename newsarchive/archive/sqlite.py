"""SQLite archive: table ``articles`` (one row per article, latest version), history in
``versions`` and ``views``, near-duplicate lookup through ``simhash_bands``."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from newsarchive.archive import fulltext
from newsarchive.archive._common import (
    EXACT,
    NEAR,
    NEAR_DISTANCE,
    NEW,
    UNCHANGED,
    UPDATED,
    URL,
    VIEWS,
    Duplicate,
    DuplicateRow,
    band_keys,
    changed_fields,
    finish_article,
    make_parent,
    record_json,
)
from newsarchive.archive.lock import ArchiveLock
from newsarchive.archive.sqlite_schema import (
    INSERT_NEW,
    SELECT,
    UPSERT,
    article_of,
    migrate,
    row_values,
    select_all_for,
)
from newsarchive.dedupe import hamming, precedes
from newsarchive.errors import ArchiveError
from newsarchive.items import Article, utc_timestamp
from newsarchive.seen import SeenSet

__all__ = ["SqliteArchive"]

logger = logging.getLogger(__name__)



class SqliteArchive:
    """An archive in a SQLite database (stdlib sqlite3, WAL mode).

    Writes are batched: one transaction per *batch_size* rows or *batch_seconds*
    seconds, whichever comes first, and the last batch is committed by
    flush()/close(). Readers (``readonly=True``) see committed batches while a
    writer runs. A writer holds ``<path>.lock`` (see newsarchive.archive.lock).
    ``":memory:"`` gives a private in-memory archive without a lock.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        readonly: bool = False,
        lock_timeout: float = 0.0,
        batch_size: int = 100,
        batch_seconds: float = 1.0,
    ) -> None:
        self.memory = str(path) == ":memory:"
        self.path = Path(path)
        self.readonly = readonly
        self.batch_size = max(1, batch_size)
        self.batch_seconds = batch_seconds
        self._lock: ArchiveLock | None = None
        self._pending = 0
        self._batch_started = 0.0
        # URLs added by this writer, to tell a repeat within one crawl from an update
        # (8-byte digests: a temporary table cost ~25 us an article in a crawl).
        self._session = SeenSet()
        # Whether table duplicates has rows: a new article's URL is removed from it only then.
        self._has_duplicates = False
        self._closed = False
        if readonly:
            self._conn = self._connect_readonly()
            self._select_all = select_all_for(self._conn)
            return
        if not self.memory:
            make_parent(self.path)
            self._lock = ArchiveLock(self.path)
            self._lock.acquire(lock_timeout)
        try:
            self._conn = self._connect_writer()
        except BaseException:
            if self._lock is not None:
                self._lock.release()
            raise
        self._select_all = select_all_for(self._conn)

    # -- opening ---------------------------------------------------------------

    def _connect_readonly(self) -> sqlite3.Connection:
        if self.memory:
            raise ArchiveError("a ':memory:' archive cannot be opened read-only; open it for writing")
        if not self.path.exists():
            raise ArchiveError(f"no archive at {self.path}; run a crawl with -o {self.path} first")
        uri = self.path.resolve().as_uri()
        try:
            return self._open_checked(f"{uri}?mode=ro")
        except sqlite3.DatabaseError as exc:
            first = exc
        folder = self.path.resolve().parent
        if os.access(folder, os.W_OK) and os.access(self.path, os.R_OK):
            raise ArchiveError(
                f"cannot read SQLite archive {self.path}: {first}; is it a newsarchive SQLite file?"
            ) from first
        # A read-only folder or mount (an analyst's copy): SQLite cannot create the -shm
        # file a WAL-mode database needs, so read the file as it stands, with no locking.
        try:
            conn = self._open_checked(f"{uri}?immutable=1")
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(
                f"cannot read SQLite archive {self.path}: the folder {folder} is read-only "
                f"or the file is unreadable ({first}; read without locking: {exc})"
            ) from exc
        logger.info("archive %s: folder is read-only; read without locking", self.path)
        return conn

    @staticmethod
    def _open_checked(uri: str) -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA query_only = ON")
            conn.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
        except BaseException:
            conn.close()
            raise
        return conn

    def _connect_writer(self) -> sqlite3.Connection:
        try:
            # isolation_level=None: this class opens and commits its batch transactions itself.
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as exc:
            raise ArchiveError(f"cannot open SQLite archive {self.path}: {exc}") from exc
        try:
            if not self.memory:
                mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    logger.warning("archive %s: journal_mode is %s, not WAL", self.path, mode)
                # Fold the WAL into the database every 10,000 pages (40 MB) rather than
                # SQLite's 1,000: index pages rewritten by many batches are copied once,
                # not once per batch (pipeline CPU per 3,000-character row -3%).
                conn.execute("PRAGMA wal_autocheckpoint = 10000")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            # Temporary b-trees (a query's sort or DISTINCT: stats, export) in memory, not
            # in a temporary file: read back from disk they cost ~20 us a query in a crawl.
            conn.execute("PRAGMA temp_store = MEMORY")
            # The search index's triggers call these on every insert and update.
            fulltext.register_functions(conn)
            migrate(conn)
            self._has_duplicates = bool(conn.execute("SELECT EXISTS (SELECT 1 FROM duplicates)").fetchone()[0])
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ArchiveError(
                f"cannot open SQLite archive {self.path}: {exc}; is it a SQLite file?"
            ) from exc
        return conn

    # -- writing ---------------------------------------------------------------

    def _begin(self) -> None:
        if self.readonly:
            raise ArchiveError(f"archive {self.path} is open read-only")
        if self._closed:
            raise ArchiveError(f"archive {self.path} is closed")
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")
            self._batch_started = time.monotonic()

    def _row_done(self) -> None:
        self._pending += 1
        if self._pending >= self.batch_size or self.flush_due():
            self.flush()

    def flush_due(self) -> bool:
        """Return True when the open batch is older than *batch_seconds*."""
        return self._pending > 0 and time.monotonic() - self._batch_started >= self.batch_seconds

    def flush(self) -> None:
        """Commit the open batch, if any (what ``with conn:`` does at the end of a block)."""
        if not self.readonly and not self._closed and self._conn.in_transaction:
            self._conn.commit()
        self._pending = 0

    def add(self, article: Article) -> str:
        """Store *article*; return "new", "updated" (new version), "unchanged" or "views".

        The archive numbers versions itself: the ``version`` of *article* is ignored.
        """
        article = finish_article(article)
        self._begin()
        # A savepoint per article: a failed add leaves the rest of the batch intact.
        self._conn.execute("SAVEPOINT add_article")
        try:
            result = self._add(article)
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK TO add_article")
            self._conn.execute("RELEASE add_article")
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        self._conn.execute("RELEASE add_article")
        self._row_done()
        return result

    def _add(self, article: Article) -> str:
        conn = self._conn
        url = article.canonical_url
        self._session.add(url)
        if conn.execute(INSERT_NEW, row_values(dataclasses.replace(article, version=1))).rowcount:
            if self._has_duplicates:
                self._unretire(url)
            self._add_bands(article)
            result = NEW
        else:
            row = conn.execute(f"{SELECT} WHERE canonical_url = ?", (url,)).fetchone()
            old = article_of(row)
            if old.content_hash == article.content_hash:
                if article.view_count is None or article.view_count == old.view_count:
                    result = UNCHANGED
                else:
                    conn.execute(
                        "UPDATE articles SET view_count = ? WHERE canonical_url = ?",
                        (article.view_count, url),
                    )
                    conn.execute(
                        "INSERT INTO views (canonical_url, view_count, fetched_at) VALUES (?, ?, ?)",
                        (url, article.view_count, article.fetched_at or utc_timestamp()),
                    )
                    result = VIEWS
            else:
                self._new_version(old, article)
                result = UPDATED
        return result

    def _new_version(self, old: Article, article: Article) -> None:
        """Keep *old* in ``versions`` and make *article* the article's next version."""
        conn = self._conn
        url = article.canonical_url
        old_record = old.to_record()
        new_record = {**article.to_record(), "version": old.version + 1}
        conn.execute(
            "INSERT OR REPLACE INTO versions "
            "(canonical_url, version, content_hash, fetched_at, changed, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                url, old.version, old.content_hash, old.fetched_at,
                json.dumps(changed_fields(old_record, new_record), ensure_ascii=False),
                record_json(old_record),
            ),
        )
        conn.execute(UPSERT, row_values(Article.from_record(new_record)))
        if old.simhash:
            conn.execute(
                "DELETE FROM simhash_bands WHERE site = ? AND band_key IN (?, ?, ?, ?) "
                "AND canonical_url = ?",
                (old.site, *band_keys(old.simhash), url),
            )
        self._add_bands(article)

    def add_reextraction(self, article: Article) -> str:
        """Store *article*, read again from the page an archived article was fetched as, as that
        article's next version when any archived field differs; return "updated" or "unchanged".

        Unlike add(), a change outside the text (a date, an author) is a new version too.
        Raises ArchiveError when the article is not archived.
        """
        article = finish_article(article)
        url = article.canonical_url
        self._begin()
        self._conn.execute("SAVEPOINT add_article")
        try:
            row = self._conn.execute(f"{SELECT} WHERE canonical_url = ?", (url,)).fetchone()
            if row is None:
                raise ArchiveError(f"archive {self.path} holds no article {url} to re-extract")
            old = article_of(row)
            if not changed_fields(old.to_record(), article.to_record()):
                result = UNCHANGED
            else:
                self._new_version(old, article)
                result = UPDATED
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK TO add_article")
            self._conn.execute("RELEASE add_article")
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        except BaseException:
            self._conn.execute("ROLLBACK TO add_article")
            self._conn.execute("RELEASE add_article")
            raise
        self._conn.execute("RELEASE add_article")
        self._row_done()
        return result

    def _unretire(self, url: str) -> None:
        """Forget *url* as a copy now that it is an article again; a record it kept as
        a replaced copy becomes its previous version, so the numbering goes on."""
        conn = self._conn
        row = conn.execute(
            "DELETE FROM duplicates WHERE canonical_url = ? RETURNING record", (url,)
        ).fetchone()
        if row is None or not row[0]:
            return
        old = Article.from_record(json.loads(row[0]))
        current = article_of(conn.execute(f"{SELECT} WHERE canonical_url = ?", (url,)).fetchone())
        conn.execute(
            "INSERT OR REPLACE INTO versions "
            "(canonical_url, version, content_hash, fetched_at, changed, record) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                url, old.version, old.content_hash, old.fetched_at,
                json.dumps(changed_fields(old.to_record(), current.to_record()), ensure_ascii=False),
                row[0],
            ),
        )
        conn.execute("UPDATE articles SET version = ? WHERE canonical_url = ?", (old.version + 1, url))

    def replace_with_original(self, article: Article, duplicate: Duplicate) -> bool:
        """Keep *article* instead of the archived copy *duplicate* names when it is the
        original of the two (newsarchive.dedupe.original_key: published first, then the
        earlier URL); return True if it was, False if the archived copy stays.

        The replaced copy leaves ``articles`` and becomes a row of ``duplicates``
        (copy of *article*, its whole record in ``record``; its earlier versions stay
        in ``versions``), and the copies recorded of it are re-pointed at *article*,
        all in one transaction. A repeat of a URL (kind "url") replaces nothing.
        """
        if duplicate.kind == URL or duplicate.url == article.canonical_url:
            return False
        article = finish_article(article)
        row = self._conn.execute(f"{SELECT} WHERE canonical_url = ?", (duplicate.url,)).fetchone()
        if row is None:
            return False
        kept = article_of(row)
        if not precedes(article.published_at, article.canonical_url, kept.published_at, kept.canonical_url):
            return False
        self._begin()
        self._conn.execute("SAVEPOINT replace_original")
        try:
            self._retire(kept, article.canonical_url, duplicate.reason)
            self._add(article)
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK TO replace_original")
            self._conn.execute("RELEASE replace_original")
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        self._conn.execute("RELEASE replace_original")
        self._row_done()
        return True

    def _retire(self, kept: Article, original_url: str, reason: str) -> None:
        """Move the article *kept* from ``articles`` to ``duplicates`` as a copy of *original_url*."""
        conn = self._conn
        url = kept.canonical_url
        conn.execute("DELETE FROM articles WHERE canonical_url = ?", (url,))
        if kept.simhash:
            conn.execute(
                "DELETE FROM simhash_bands WHERE site = ? AND band_key IN (?, ?, ?, ?) "
                "AND canonical_url = ?",
                (kept.site, *band_keys(kept.simhash), url),
            )
        conn.execute("UPDATE duplicates SET duplicate_of = ? WHERE duplicate_of = ?", (original_url, url))
        conn.execute(
            "INSERT OR REPLACE INTO duplicates (canonical_url, duplicate_of, reason, fetched_at, record) "
            "VALUES (?, ?, ?, ?, ?)",
            (url, original_url, reason, kept.fetched_at, record_json(kept.to_record())),
        )
        self._has_duplicates = True
        self._session.add(url)

    def add_duplicate(self, row: DuplicateRow) -> None:
        """Remember that *row*.canonical_url holds a copy of *row*.duplicate.url, so that
        has_url() knows it and later crawls skip it. A repeat of a URL (kind "url") is not
        recorded."""
        url, duplicate = row.canonical_url, row.duplicate
        if duplicate.kind == URL or duplicate.url == url:
            return
        self._begin()
        try:
            self._conn.execute(
                "INSERT OR REPLACE INTO duplicates "
                "(canonical_url, duplicate_of, reason, fetched_at, record) VALUES (?, ?, ?, ?, ?)",
                (
                    url, duplicate.url, duplicate.reason, row.fetched_at or utc_timestamp(),
                    record_json(row.record) if row.record else None,
                ),
            )
            self._has_duplicates = True
            self._session.add(url)
        except sqlite3.Error as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc}") from exc
        self._row_done()

    def _add_bands(self, article: Article) -> None:
        self._conn.executemany(
            "INSERT OR REPLACE INTO simhash_bands (site, band_key, canonical_url, simhash) "
            "VALUES (?, ?, ?, ?)",
            [(article.site, key, article.canonical_url, article.simhash)
             for key in band_keys(article.simhash)],
        )

    # -- reading ---------------------------------------------------------------

    def has_url(self, canonical_url: str) -> bool:
        """Return True if *canonical_url* is archived, or was dropped as a copy of an
        archived article (exact match, not re-canonicalised)."""
        row = self._conn.execute(
            "SELECT 1 FROM articles WHERE canonical_url = ? "
            "UNION ALL SELECT 1 FROM duplicates WHERE canonical_url = ? LIMIT 1",
            (canonical_url, canonical_url),
        ).fetchone()
        return row is not None

    def find_duplicate(self, article: Article) -> Duplicate | None:
        """Return the archived article that *article* duplicates, or None.

        A duplicate is the same canonical URL added earlier by this writer, the
        same content_hash under another URL, or a SimHash within NEAR_DISTANCE
        bits on the same site under another URL (the nearest one). A URL archived
        by an earlier crawl is not a duplicate: add() may find it updated.
        """
        article = finish_article(article)
        url = article.canonical_url
        conn = self._conn
        if not self.readonly and url in self._session:
            return Duplicate(url, URL)
        row = conn.execute(
            "SELECT canonical_url FROM articles WHERE content_hash = ? AND canonical_url != ? "
            "ORDER BY rowid LIMIT 1",
            (article.content_hash, url),
        ).fetchone()
        if row is not None:
            return Duplicate(row[0], EXACT)
        keys = band_keys(article.simhash)
        # No DISTINCT (a temporary b-tree per query): a URL met in a second band is skipped
        # here, and the rows come in the same order as DISTINCT gives them.
        rows = conn.execute(
            "SELECT canonical_url, simhash FROM simhash_bands "
            "WHERE site = ? AND band_key IN (?, ?, ?, ?) AND canonical_url != ?",
            (article.site, *keys, url),
        ).fetchall()
        best: tuple[int, str] | None = None
        met: set[str] = set()
        for other_url, other_hash in rows:
            if other_url in met:
                continue
            met.add(other_url)
            distance = hamming(article.simhash, other_hash)
            if distance <= NEAR_DISTANCE and (best is None or distance < best[0]):
                best = (distance, other_url)
        if best is not None:
            return Duplicate(best[1], NEAR, best[0])
        return None

    def iter_articles(self, all_versions: bool = False) -> Iterator[Article]:
        """Yield the latest version of each article in archiving order; with
        *all_versions*, every stored version, oldest first within each article."""
        cursor = self._conn.cursor()
        if not all_versions:
            for row in cursor.execute(self._select_all):
                yield article_of(row)
            return
        versions = self._conn.cursor()
        for row in cursor.execute(self._select_all):
            current = article_of(row)
            if current.version > 1:
                for (record,) in versions.execute(
                    "SELECT record FROM versions WHERE canonical_url = ? ORDER BY version",
                    (current.canonical_url,),
                ):
                    yield Article.from_record(json.loads(record))
            yield current

    def has_search_index(self) -> bool:
        """Return whether the archive has its search index (migration 006; a writer adds it)."""
        return fulltext.has_index(self._conn)

    def search(
        self,
        query: str,
        *,
        site: str | None = None,
        since: str | None = None,
        limit: int = 20,
        markers: tuple[str, str] = fulltext.HIT_MARKERS,
    ) -> list[fulltext.SearchHit]:
        """Return the articles that contain every term of *query*, best first
        (newsarchive.archive.fulltext.search_articles)."""
        if not self.has_search_index():
            raise ArchiveError(
                f"archive {self.path} has no search index yet; open it for writing once "
                "(newsarchive search does) to build it"
            )
        return fulltext.search_articles(
            self._conn, query, site=site, since=since, limit=limit, markers=markers
        )

    def iter_duplicates(self) -> Iterator[DuplicateRow]:
        """Yield each URL remembered as a copy of an archived article (table ``duplicates``)."""
        if self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'duplicates'"
        ).fetchone() is None:
            return  # an archive written before migration 002, opened read-only
        columns = {row[1] for row in self._conn.execute("PRAGMA table_info(duplicates)")}
        record = "record" if "record" in columns else "NULL"  # before migration 005, read-only
        rows = self._conn.execute(
            f"SELECT canonical_url, duplicate_of, reason, fetched_at, {record} FROM duplicates"
        ).fetchall()
        for url, of, reason, fetched_at, kept in rows:
            yield DuplicateRow(
                url, Duplicate.from_reason(of, reason), fetched_at, json.loads(kept) if kept else None
            )

    def count_views(self) -> int:
        """Return how many re-fetches changed only the view count."""
        return int(self._conn.execute("SELECT count(*) FROM views").fetchone()[0])

    def count_duplicates(self) -> int:
        """Return how many URLs are remembered as copies of archived articles."""
        return int(self._conn.execute("SELECT count(*) FROM duplicates").fetchone()[0])

    # -- closing ---------------------------------------------------------------

    def close(self) -> None:
        """Commit the last batch, close the database and release the lock."""
        if self._closed:
            return
        try:
            self.flush()
            if not self.readonly and not self.memory:
                # Fold the WAL into the database and leave the file in rollback-journal
                # mode, so a copy, a read-only folder or the plain sqlite3 CLI can read it
                # without creating -wal/-shm files. The next writer switches back to WAL.
                self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                try:
                    self._conn.execute("PRAGMA busy_timeout = 0")
                    self._conn.execute("PRAGMA journal_mode = DELETE").fetchall()
                except sqlite3.OperationalError as exc:
                    # A reader still has the file open: it stays in WAL mode, still sound.
                    logger.debug("archive %s: left in WAL mode: %s", self.path, exc)
        finally:
            self._closed = True
            self._conn.close()
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "writer"
        return f"<SqliteArchive {str(self.path)!r} {mode}>"
