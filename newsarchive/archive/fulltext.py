"""Full-text search of a SQLite archive: an FTS5 index in which every Chinese character is a token.

Chinese has no spaces, and SQLite's tokenizers either keep a run of Han characters
as one token (``unicode61``) or need three characters (``trigram``), so a query of
one or two characters (most Chinese words are two) finds nothing. The index holds
a *spaced* copy of the text instead: each Han, kana or Hangul character stands
alone (``公交车站`` -> ``公 交 车 站``), each punctuation mark becomes a stop token
that no query contains (so a phrase cannot run on across ``。``), and words in
Latin letters stay whole. ``unicode61`` then gives one token per character, a
query becomes a phrase of its characters, and FTS5 matches exactly the texts that
contain it: one-, two- and longer words alike, English case-insensitively.
``benchmarks/search.py`` measures this against trigram, trigram plus bigrams and
jieba-segmented words.

Triggers on ``articles`` keep ``articles_fts`` in step: an insert, an update of
the indexed fields (a new version) and a delete. Inserts and updates call the SQL
function ``newsarchive_spaced``, which :func:`register_functions` adds to a
connection; a connection without it (the sqlite3 shell) can read and delete but
cannot write articles.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

__all__ = [
    "FTS_TABLE",
    "HIT_MARKERS",
    "SearchHit",
    "create_index",
    "fts_query",
    "has_index",
    "make_snippet",
    "paragraphs_text",
    "query_terms",
    "register_functions",
    "register_query_functions",
    "search_articles",
    "spaced_text",
]

FTS_TABLE = "articles_fts"
#: Around a hit in a snippet when the output is not a terminal.
HIT_MARKERS = ("[", "]")

# Han (with extensions A-G and compatibility ideographs), kana, Hangul syllables.
_CJK = (
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_CJK_CHAR = re.compile(f"([{_CJK}])")
# Anything that is neither a word character nor white space: punctuation, symbols.
_MARK = re.compile(r"[^\w\s]+")
# unicode61 counts private-use characters as token characters: a token no text has.
_STOP = " \ue000 "
_SPACES = re.compile(r"\s+")


def spaced_text(text: str | None) -> str:
    """Return *text* as the index sees it: CJK characters apart, punctuation as stop tokens.

    >>> spaced_text("乘坐公交车，Bus 3路。")
    '乘 坐 公 交 车 \\ue000 Bus 3 路 \\ue000'
    """
    if not text:
        return ""
    text = _MARK.sub(_STOP, text)
    text = _CJK_CHAR.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()


def paragraphs_text(paragraphs_json: str | None) -> str:
    """Return the paragraphs of a row (JSON array text) as text, one paragraph a line."""
    if not paragraphs_json:
        return ""
    return "\n".join(json.loads(paragraphs_json))


def _spaced_paragraphs(paragraphs_json: str | None) -> str:
    return spaced_text(paragraphs_text(paragraphs_json))


def register_functions(conn: sqlite3.Connection) -> None:
    """Add the SQL functions the index's triggers call to *conn*."""
    conn.create_function("newsarchive_spaced", 1, spaced_text, deterministic=True)
    conn.create_function("newsarchive_spaced_paragraphs", 1, _spaced_paragraphs, deterministic=True)


def register_query_functions(conn: sqlite3.Connection) -> None:
    """Add SQL functions for searching by hand (Datasette's canned query uses them) to *conn*.

    ``newsarchive_fts_query(q)`` is :func:`fts_query` (``'""'``, which matches
    nothing, for an empty *q*), and ``newsarchive_snippet(paragraphs, q)`` the
    snippet of a row's paragraphs (JSON text) with hits between ``[`` ``]``::

        SELECT a.title, newsarchive_snippet(a.paragraphs, :q) FROM articles_fts
        JOIN articles AS a ON a.rowid = articles_fts.rowid
        WHERE articles_fts MATCH newsarchive_fts_query(:q) ORDER BY rank
    """
    conn.create_function(
        "newsarchive_fts_query", 1, lambda q: fts_query(q or "") or '""', deterministic=True
    )
    conn.create_function(
        "newsarchive_snippet", 2,
        lambda paragraphs, q: make_snippet(json.loads(paragraphs or "[]"), query_terms(q or "")),
        deterministic=True,
    )


_INSERT_ROW = (
    f"INSERT INTO {FTS_TABLE} (rowid, title, body, author, source) VALUES ("
    "{row}.rowid, newsarchive_spaced({row}.title), newsarchive_spaced_paragraphs({row}.paragraphs), "
    "newsarchive_spaced({row}.author), newsarchive_spaced({row}.source))"
)
_CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, body, author, source, tokenize = 'unicode61 remove_diacritics 2')"
)
_FILL = (
    f"INSERT INTO {FTS_TABLE} (rowid, title, body, author, source) "
    "SELECT rowid, newsarchive_spaced(title), newsarchive_spaced_paragraphs(paragraphs), "
    "newsarchive_spaced(author), newsarchive_spaced(source) FROM articles"
)
_INSERT_TRIGGER = (
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    + _INSERT_ROW.format(row="new")
    + "; END"
)
# An upsert that finds a new version updates the row in place (same rowid).
_UPDATE_TRIGGER = (
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, paragraphs, author, source "
    f"ON articles BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.rowid; "
    + _INSERT_ROW.format(row="new")
    + "; END"
)
_DELETE_TRIGGER = (
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.rowid; END"
)


def create_index(conn: sqlite3.Connection) -> None:
    """Create ``articles_fts`` and its triggers on *conn*, and index the articles already there.

    *conn* must have :func:`register_functions`' functions.
    """
    # The table keeps its own copy of the spaced text (not external content), so a
    # delete needs no function: any connection may delete an article.
    for statement in (_CREATE_TABLE, _FILL, _INSERT_TRIGGER, _UPDATE_TRIGGER, _DELETE_TRIGGER):
        conn.execute(statement)


def has_index(conn: sqlite3.Connection) -> bool:
    """Return whether *conn*'s database has the search index."""
    row = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (FTS_TABLE,)).fetchone()
    return row is not None


def query_terms(query: str) -> list[str]:
    """Return the terms of *query*: its white-space separated parts, each searched as a phrase."""
    return [term for term in query.split() if spaced_text(term).replace(_STOP.strip(), "").strip()]


def fts_query(query: str) -> str:
    """Return the FTS5 MATCH expression for *query*: every term, as a phrase of its tokens.

    >>> fts_query("公交 Bus")
    '"公 交" AND "Bus"'

    Empty (no term with a letter, digit or character) gives "".
    """
    phrases = []
    for term in query_terms(query):
        tokens = spaced_text(term).replace('"', '""')
        phrases.append(f'"{tokens}"')
    return " AND ".join(phrases)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article found: its identity, score (bm25: lower is better) and a snippet."""

    canonical_url: str
    site: str
    title: str
    published_at: str | None
    score: float
    snippet: str


def search_articles(
    conn: sqlite3.Connection,
    query: str,
    *,
    site: str | None = None,
    since: str | None = None,
    limit: int = 20,
    markers: tuple[str, str] = HIT_MARKERS,
    width: int = 80,
) -> list[SearchHit]:
    """Return the articles of *conn* that contain every term of *query*, best first (bm25).

    *site* keeps one site's; *since* (``YYYY-MM-DD``) those published that day or
    later. A title hit weighs five times a body hit. Each snippet is about *width*
    characters of the first paragraph with a hit, hits between *markers*.
    """
    match = fts_query(query)
    if not match:
        return []
    sql = (
        "SELECT a.canonical_url, a.site, a.title, a.published_at, a.paragraphs, "
        f"bm25({FTS_TABLE}, 5.0, 1.0, 2.0, 2.0) AS score "
        f"FROM {FTS_TABLE} JOIN articles AS a ON a.rowid = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH ?"
    )
    params: list[object] = [match]
    if site is not None:
        sql += " AND a.site = ?"
        params.append(site)
    if since is not None:
        sql += " AND substr(a.published_at, 1, 10) >= ?"
        params.append(since)
    sql += " ORDER BY score, a.canonical_url LIMIT ?"
    params.append(limit)
    terms = query_terms(query)
    hits = []
    for url, site_, title, published_at, paragraphs, score in conn.execute(sql, params):
        texts = json.loads(paragraphs) or [title]
        hits.append(
            SearchHit(url, site_, title, published_at, float(score),
                      make_snippet(texts, terms, markers=markers, width=width, title=title))
        )
    return hits


def _term_pattern(terms: list[str]) -> re.Pattern[str]:
    # Longest first, so "公交车" is marked whole rather than as "公交" + "车".
    parts = sorted((re.escape(t) for t in terms), key=len, reverse=True)
    return re.compile("|".join(parts), re.IGNORECASE)


def make_snippet(
    paragraphs: list[str],
    terms: list[str],
    *,
    markers: tuple[str, str] = HIT_MARKERS,
    width: int = 80,
    title: str = "",
) -> str:
    """Return about *width* characters around the first hit of *terms* in *paragraphs*.

    Hits are wrapped in *markers*; "…" shows text left out. Without a literal hit
    (the index matched across a space the text has) the first paragraph's start.
    """
    pattern = _term_pattern(terms) if terms else None
    chosen, found = (paragraphs[0] if paragraphs else title), None
    if pattern is not None:
        for text in paragraphs:
            found = pattern.search(text)
            if found:
                chosen = text
                break
    start = 0
    if found is not None:
        start = max(0, found.start() - width // 3)
    end = min(len(chosen), start + width)
    piece = chosen[start:end]
    if pattern is not None:
        piece = pattern.sub(lambda m: f"{markers[0]}{m.group(0)}{markers[1]}", piece)
    return ("…" if start > 0 else "") + piece + ("…" if end < len(chosen) else "")
