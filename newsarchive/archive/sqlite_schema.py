"""The SQLite archive's schema: its migrations, and how an Article maps to a row of ``articles``."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from newsarchive.archive import fulltext
from newsarchive.items import ARCHIVE_FIELDS, Article, utc_timestamp

__all__ = ["INSERT_NEW", "MIGRATIONS", "SELECT", "UPSERT", "article_of", "migrate", "row_values", "select_all_for"]

logger = logging.getLogger(__name__)

_COLUMNS = ", ".join(ARCHIVE_FIELDS)
_PLACEHOLDERS = ", ".join("?" for _ in ARCHIVE_FIELDS)
UPSERT = (
    f"INSERT INTO articles ({_COLUMNS}) VALUES ({_PLACEHOLDERS}) "
    "ON CONFLICT(canonical_url) DO UPDATE SET "
    + ", ".join(f"{f} = excluded.{f}" for f in ARCHIVE_FIELDS if f != "canonical_url")
)
# A first capture in one statement; rowcount 0 means the URL is archived already.
INSERT_NEW = (
    f"INSERT INTO articles ({_COLUMNS}) VALUES ({_PLACEHOLDERS}) ON CONFLICT(canonical_url) DO NOTHING"
)
SELECT = f"SELECT {_COLUMNS} FROM articles"


def select_all_for(conn: sqlite3.Connection) -> str:
    """Return the statement that reads every row of *conn*'s ``articles`` in archiving
    order, NULL for the columns the table lacks.

    A reader opens an archive without migrating it: one written before a column
    existed still reads (Article fills the typed dates from published_at).
    """
    present = {row[1] for row in conn.execute("PRAGMA table_info(articles)")}
    columns = ", ".join(f if f in present else f"NULL AS {f}" for f in ARCHIVE_FIELDS)
    return f"SELECT {columns} FROM articles ORDER BY rowid"


def _m001_initial(conn: sqlite3.Connection) -> None:
    """The first schema: articles with DESIGN.md's columns, versions, views, simhash bands."""
    conn.execute(
        """CREATE TABLE articles (
            url TEXT NOT NULL,
            canonical_url TEXT NOT NULL PRIMARY KEY,
            site TEXT NOT NULL,
            title TEXT NOT NULL,
            published_at TEXT,
            view_count INTEGER,
            paragraphs TEXT NOT NULL,  -- JSON array of strings
            author TEXT,
            source TEXT,
            section TEXT,
            listing_url TEXT,
            fetched_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            simhash TEXT NOT NULL,
            version INTEGER NOT NULL DEFAULT 1
        )"""
    )
    conn.execute("CREATE INDEX articles_site ON articles (site)")
    conn.execute("CREATE INDEX articles_published_at ON articles (published_at)")
    conn.execute("CREATE INDEX articles_content_hash ON articles (content_hash)")
    # One row per superseded version: the full previous record, so an edit loses nothing.
    conn.execute(
        """CREATE TABLE versions (
            canonical_url TEXT NOT NULL,
            version INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            changed TEXT NOT NULL,  -- JSON array: fields that differ in the next version
            record TEXT NOT NULL,   -- JSON object: the whole record of this version
            PRIMARY KEY (canonical_url, version)
        )"""
    )
    # One row per re-fetch that found the same content with a different count.
    conn.execute(
        """CREATE TABLE views (
            id INTEGER PRIMARY KEY,
            canonical_url TEXT NOT NULL,
            view_count INTEGER,
            fetched_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX views_canonical_url ON views (canonical_url)")
    # Band index for near-duplicates: 4 rows per article, key = band * 2**16 + 16 bits.
    conn.execute(
        """CREATE TABLE simhash_bands (
            site TEXT NOT NULL,
            band_key INTEGER NOT NULL,
            canonical_url TEXT NOT NULL,
            simhash TEXT NOT NULL,
            PRIMARY KEY (site, band_key, canonical_url)
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX simhash_bands_canonical_url ON simhash_bands (canonical_url)")


def _m002_duplicates(conn: sqlite3.Connection) -> None:
    """URLs dropped as copies of an archived article, so later crawls need not fetch them."""
    conn.execute(
        """CREATE TABLE duplicates (
            canonical_url TEXT NOT NULL PRIMARY KEY,
            duplicate_of TEXT NOT NULL,
            reason TEXT NOT NULL,
            fetched_at TEXT NOT NULL
        )"""
    )


def _m003_bands_by_key_only(conn: sqlite3.Connection) -> None:
    """No index of simhash_bands by URL: an update deletes its old rows by their key.

    The index cost four more b-tree inserts for every article archived; the old
    record's site and SimHash give the primary keys of its rows.
    """
    conn.execute("DROP INDEX IF EXISTS simhash_bands_canonical_url")


def _m004_typed_dates(conn: sqlite3.Connection) -> None:
    """Columns published_date (the page's local day, "2021-11-05") and published_precision
    ("day" / "minute" / "second"), filled for the rows already there.

    ``date(published_at)`` is the UTC day: an article at 00:30 Beijing time falls on the
    day before. The old rows' precision is read off the time as
    items.published_precision_of() does: seconds ":00" count as a minute.
    """
    conn.execute("ALTER TABLE articles ADD COLUMN published_date TEXT")
    conn.execute("ALTER TABLE articles ADD COLUMN published_precision TEXT")
    conn.execute(
        """UPDATE articles SET
            published_date = substr(published_at, 1, 10),
            published_precision = CASE
                WHEN length(published_at) <= 10 THEN 'day'
                WHEN substr(published_at, 18, 2) NOT IN ('', '00') THEN 'second'
                ELSE 'minute' END
        WHERE published_at IS NOT NULL AND published_at != ''"""
    )
    conn.execute("CREATE INDEX articles_published_date ON articles (published_date)")


def _m005_duplicate_records(conn: sqlite3.Connection) -> None:
    """Column ``record`` of ``duplicates``: the whole record of a copy that was the kept
    article until its original (published first) was found, so it loses nothing.

    NULL for a copy dropped when it was met (the archive never held its text).
    Numbered 5, after the typed dates' 4: each migration touches its own table.
    """
    conn.execute("ALTER TABLE duplicates ADD COLUMN record TEXT")


def _m006_fulltext(conn: sqlite3.Connection) -> None:
    """The search index ``articles_fts`` and its triggers (newsarchive.archive.fulltext),
    filled from the articles already archived.

    Numbered 6: 4 and 5 are the typed dates' and the duplicate records'; each
    migration touches its own tables.
    """
    fulltext.register_functions(conn)
    fulltext.create_index(conn)


def _m007_articles_view(conn: sqlite3.Connection) -> None:
    """View ``articles_view``: the articles for reading, paragraphs as text (one a line), the
    page's own calendar day (``published_date``) next to the title."""
    conn.execute(
        """CREATE VIEW articles_view AS SELECT
            title, site, section, published_date, published_at,
            (SELECT group_concat(value, char(10)) FROM json_each(articles.paragraphs)) AS text,
            author, source, view_count, canonical_url, url, listing_url, fetched_at, version
        FROM articles"""
    )


def _m008_warc_pointers(conn: sqlite3.Connection) -> None:
    """Where each article's page is kept (its WARC response record) and whether a version
    is a re-extraction of a stored page (newsarchive reextract) rather than a fetch.

    Numbered 8, the next free number when it landed.
    """
    conn.execute("ALTER TABLE articles ADD COLUMN warc_file TEXT")
    conn.execute("ALTER TABLE articles ADD COLUMN warc_offset INTEGER")
    conn.execute("ALTER TABLE articles ADD COLUMN warc_record_id TEXT")
    conn.execute("ALTER TABLE articles ADD COLUMN reextracted_at TEXT")


#: Numbered schema migrations, applied in order and recorded in ``_migrations``.
MIGRATIONS: tuple[tuple[int, str, Callable[[sqlite3.Connection], None]], ...] = (
    (1, "initial", _m001_initial),
    (2, "duplicates", _m002_duplicates),
    (3, "bands_by_key_only", _m003_bands_by_key_only),
    (4, "typed_dates", _m004_typed_dates),
    (5, "duplicate_records", _m005_duplicate_records),
    (6, "fulltext", _m006_fulltext),
    (7, "articles_view", _m007_articles_view),
    (8, "warc_pointers", _m008_warc_pointers),
)


def row_values(article: Article) -> tuple[Any, ...]:
    values = []
    for name in ARCHIVE_FIELDS:
        value = getattr(article, name)
        if name == "paragraphs":
            value = json.dumps(list(value), ensure_ascii=False)
        values.append(value)
    return tuple(values)


def article_of(row: sqlite3.Row | tuple[Any, ...]) -> Article:
    record = dict(zip(ARCHIVE_FIELDS, row))
    record["paragraphs"] = json.loads(record["paragraphs"])
    return Article.from_record(record)


def migrate(conn: sqlite3.Connection) -> None:
    """Bring *conn*'s schema up to date: apply each migration not yet in ``_migrations``,
    each in its own transaction."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations "
        "(id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT id FROM _migrations")}
    for number, name, step in MIGRATIONS:
        if number in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            step(conn)
            conn.execute(
                "INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)",
                (number, name, utc_timestamp()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        logger.debug("applied migration %03d_%s", number, name)
