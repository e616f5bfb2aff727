"""Typed dates (issue 15): published_date and published_precision in both archives, old
archives included, and the local day in one expression in sqlite3, DuckDB and pandas."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
import subprocess

import pytest

from newsarchive.archive import load_records, open_archive
from newsarchive.archive.sqlite_schema import MIGRATIONS
from newsarchive.items import published_precision_of
from tests.archive_samples import DATED, dated_articles, make_article

EXPECTED_DAYS = {f"http://www.krqnews.example.cn/news/{slug}.html": day for slug, _, day, _ in DATED}


@pytest.mark.parametrize(
    ("published_at", "stated", "expected"),
    [
        (None, None, None),
        ("", "minute", None),
        ("2021-11-05", None, "day"),
        ("2021-11-05", "minute", "day"),
        ("2021-11-05T10:30:00+08:00", None, "minute"),
        ("2021-11-05T10:30:00+08:00", "second", "second"),
        ("2021-11-05T10:30:15+08:00", None, "second"),
        ("2021-11-05T10:30:15+08:00", "minute", "second"),
        ("2021-11-05T10:30:00+08:00", "day", "minute"),
    ],
    ids=["none", "empty", "day", "day-stated-minute", "minute", "stated-second", "second",
         "seconds-beat-stated-minute", "time-beats-stated-day"],
)
def test_precision_fits_published_at(published_at, stated, expected):
    assert published_precision_of(published_at, stated) == expected


def test_an_article_cannot_disagree_with_its_date():
    article = make_article("school")
    assert (article.published_date, article.published_precision) == ("2021-11-04", "minute")
    dated = dataclasses.replace(article, published_at="2021-11-05T00:30:00+08:00")
    assert (dated.published_date, dated.published_precision) == ("2021-11-05", "minute")
    day = dataclasses.replace(article, published_at="2021-11-03")
    assert (day.published_date, day.published_precision) == ("2021-11-03", "day")
    undated = dataclasses.replace(article, published_at=None)
    assert (undated.published_date, undated.published_precision) == (None, None)
    record = day.to_record()
    assert (record["published_date"], record["published_precision"]) == ("2021-11-03", "day")


def test_extraction_states_the_precision_it_read():
    from newsarchive import extract_article

    html = (
        "<html><head><title>开鲁县玉米喜获丰收</title></head><body><h1>开鲁县玉米喜获丰收</h1>"
        "<div class='info'>发布时间：2021-11-05 10:30:00</div><div class='content'>"
        + "".join(f"<p>{p}</p>" for p in make_article("harvest").paragraphs)
        + "</div></body></html>"
    )
    article = extract_article(html, "http://www.krqnews.example.cn/news/1.html")
    # Seconds ":00" stated on the page: a second, which reading the stored time alone cannot tell.
    assert article.published_at == "2021-11-05T10:30:00+08:00"
    assert article.published_precision == "second"


@pytest.mark.parametrize("suffix", [".jsonl", ".sqlite"])
def test_both_archives_store_and_return_the_typed_dates(tmp_path, suffix):
    path = tmp_path / f"news{suffix}"
    with open_archive(path) as archive:
        for article in dated_articles():
            archive.add(article)
    records = load_records(path)
    assert {r["canonical_url"]: r["published_date"] for r in records} == EXPECTED_DAYS
    assert [r["published_precision"] for r in records] == [p for *_, p in DATED]
    assert [r["view_count"] for r in records] == [0, 12000, None, 7, None]
    assert all(type(r["view_count"]) is int for r in records if r["view_count"] is not None)
    if suffix == ".jsonl":
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert [line["published_date"] for line in lines] == [d for _, _, d, _ in DATED]


def test_an_old_jsonl_archive_gets_the_typed_dates_on_read(tmp_path):
    path = tmp_path / "old.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for article in dated_articles():
            record = article.to_record()
            del record["published_date"], record["published_precision"]
            record["view_count"] = None if record["view_count"] is None else float(record["view_count"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    records = load_records(path)
    assert {r["canonical_url"]: r["published_date"] for r in records} == EXPECTED_DAYS
    assert [r["published_precision"] for r in records] == [p for *_, p in DATED]
    assert [r["view_count"] for r in records] == [0, 12000, None, 7, None]
    assert all(type(r["view_count"]) is int for r in records if r["view_count"] is not None)


def _old_sqlite_archive(path):
    """Write an archive as newsarchive did before migration 004, rows included."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    old = [(n, name, step) for n, name, step in MIGRATIONS if n < 4]
    for number, name, step in old:
        step(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, ?, '2021-11-01T00:00:00+00:00')", (number, name))
    fields = [c[1] for c in conn.execute("PRAGMA table_info(articles)")]
    for article in dated_articles():
        record = article.to_record() | {"paragraphs": json.dumps(list(article.paragraphs), ensure_ascii=False)}
        conn.execute(
            f"INSERT INTO articles ({', '.join(fields)}) VALUES ({', '.join('?' for _ in fields)})",
            [record[f] for f in fields],
        )
    conn.close()


def test_an_old_sqlite_archive_reads_without_migrating_and_migrates_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_sqlite_archive(path)
    records = load_records(path)  # read-only: no migration, the columns are missing
    assert {r["canonical_url"]: r["published_date"] for r in records} == EXPECTED_DAYS
    with open_archive(path):
        pass  # a writer applies migration 004
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT canonical_url, published_date, published_precision FROM articles ORDER BY rowid"
        ).fetchall()
        assert 4 in {r[0] for r in conn.execute("SELECT id FROM _migrations")}
    finally:
        conn.close()
    assert {url: day for url, day, _ in rows} == EXPECTED_DAYS
    assert [p for *_, p in rows] == [p for *_, p in DATED]


def _archives(tmp_path, suffix):
    """A mixed archive (every row of DATED) and one of date-only rows."""
    mixed, days = tmp_path / f"mixed{suffix}", tmp_path / f"days{suffix}"
    for path, only in ((mixed, ()), (days, ("day",))):
        with open_archive(path) as archive:
            for article in dated_articles(only=only):
                archive.add(article)
    return mixed, days


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 CLI is not installed")
def test_sqlite3_cli_gives_the_local_day_in_one_column(tmp_path):
    mixed, days = _archives(tmp_path, ".sqlite")

    def query(path, sql):
        out = subprocess.run(
            ["sqlite3", "-readonly", "-json", str(path), sql],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout
        return json.loads(out or "[]")

    rows = query(mixed, "SELECT canonical_url, published_date FROM articles")
    assert {r["canonical_url"]: r["published_date"] for r in rows} == EXPECTED_DAYS
    # What the column is for: SQLite's date() of the stated time is the UTC day.
    (utc,) = query(mixed, "SELECT date(published_at) AS d FROM articles WHERE canonical_url LIKE '%harvest%'")
    assert utc["d"] == "2021-11-04"
    types = "SELECT DISTINCT typeof(published_date) AS t, typeof(published_precision) AS p " \
            "FROM articles WHERE published_at IS NOT NULL"
    assert query(mixed, types) == query(days, types) == [{"t": "text", "p": "text"}]


def test_duckdb_gives_the_local_day_as_a_date_column(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    mixed, days = _archives(tmp_path, ".jsonl")
    sql = "SELECT canonical_url, published_date, published_precision FROM read_json_auto('{}')"
    con = duckdb.connect()
    try:
        result = con.sql(sql.format(mixed))
        rows = result.fetchall()
        types = [str(t) for t in result.types]
        day_types = [str(t) for t in con.sql(sql.format(days)).types]
    finally:
        con.close()
    assert {url: (day.isoformat() if day else None) for url, day, _ in rows} == EXPECTED_DAYS
    assert types == day_types == ["VARCHAR", "DATE", "VARCHAR"]


def _days(pandas, urls, days):
    return {url: None if pandas.isna(day) else day.strftime("%Y-%m-%d") for url, day in zip(urls, days)}


def test_pandas_reads_the_local_day_in_one_expression(tmp_path):
    pandas = pytest.importorskip("pandas")
    mixed, days = _archives(tmp_path, ".jsonl")
    frames = [pandas.read_json(path, lines=True) for path in (mixed, days)]
    day = pandas.to_datetime(frames[0].published_date)
    assert _days(pandas, frames[0].canonical_url, day) == EXPECTED_DAYS
    assert pandas.to_datetime(frames[1].published_date).dtype == day.dtype
    db = tmp_path / "mixed.sqlite"
    with open_archive(db) as archive:
        for article in dated_articles():
            archive.add(article)
    conn = sqlite3.connect(db)
    try:
        frame = pandas.read_sql("SELECT * FROM articles", conn, parse_dates=["published_date"])
    finally:
        conn.close()
    assert _days(pandas, frame.canonical_url, frame.published_date) == EXPECTED_DAYS
