"""SQLite archive: schema, batching, versions and views tables, integrity, plain-sqlite3 loading."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import time

import pytest

from newsarchive.archive import SqliteArchive, load_records, open_archive
from newsarchive.archive.sqlite_schema import MIGRATIONS
from newsarchive.errors import ArchiveError
from newsarchive.items import ARCHIVE_FIELDS
from tests.archive_samples import TEXTS, latest, make_article, refingerprint


@pytest.fixture
def db(tmp_path):
    return tmp_path / "news.sqlite"


def _connect(path):
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return conn


def test_schema_matches_design(db):
    with open_archive(db):
        pass
    conn = _connect(db)
    try:
        columns = [(r["name"], r["pk"]) for r in conn.execute("PRAGMA table_info(articles)")]
        assert [name for name, _ in columns] == list(ARCHIVE_FIELDS)
        assert [name for name, pk in columns if pk] == ["canonical_url"]
        indexed = {
            conn.execute(f"PRAGMA index_info('{r['name']}')").fetchone()["name"]
            for r in conn.execute("PRAGMA index_list(articles)")
        }
        assert {"site", "published_at"} <= indexed
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "versions", "views", "simhash_bands", "_migrations"} <= tables
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert [tuple(r) for r in conn.execute("SELECT id, name FROM _migrations")] == [
            (n, name) for n, name, _ in MIGRATIONS
        ]
    finally:
        conn.close()


def test_migrations_are_applied_once(db):
    for _ in range(3):
        with open_archive(db) as archive:
            archive.add(make_article("harvest"))
    conn = _connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    finally:
        conn.close()


def test_paragraphs_are_readable_json_text(db):
    article = make_article("renovation")
    with open_archive(db) as archive:
        archive.add(article)
    conn = _connect(db)
    try:
        (text,) = conn.execute("SELECT paragraphs FROM articles").fetchone()
    finally:
        conn.close()
    assert text.startswith('["11月4日，记者从科尔沁区')  # ensure_ascii=False: no \\u escapes
    assert json.loads(text) == list(article.paragraphs)


def test_one_line_load_with_sqlite3_and_json(db):
    with open_archive(db) as archive:
        for slug in TEXTS:
            archive.add(make_article(slug))
    conn = _connect(db)
    try:
        rows = [dict(r) | {"paragraphs": json.loads(r["paragraphs"])} for r in conn.execute("SELECT * FROM articles")]
    finally:
        conn.close()
    assert rows == load_records(db)
    assert {r["title"] for r in rows} == {t for t, _ in TEXTS.values()}


def test_one_line_load_with_pandas(db):
    pandas = pytest.importorskip("pandas")
    with open_archive(db) as archive:
        archive.add(make_article("school"))
    frame = pandas.DataFrame(load_records(db))
    assert list(frame.columns) == list(ARCHIVE_FIELDS)
    conn = sqlite3.connect(db)
    try:
        assert len(pandas.read_sql("SELECT * FROM articles", conn)) == 1
    finally:
        conn.close()


def test_one_line_load_with_duckdb(db):
    duckdb = pytest.importorskip("duckdb")
    with open_archive(db) as archive:
        archive.add(make_article("school"))
    con = duckdb.connect()
    try:
        con.execute("INSTALL sqlite; LOAD sqlite;")
    except duckdb.Error:  # no network for the extension
        pytest.skip("duckdb sqlite extension unavailable offline")
    assert con.execute(f"SELECT count(*) FROM sqlite_scan('{db}', 'articles')").fetchone()[0] == 1


def test_writes_are_batched_not_committed_per_row(db):
    statements = []
    with SqliteArchive(db, batch_size=4, batch_seconds=3600) as archive:
        archive._conn.set_trace_callback(statements.append)
        for i in range(10):
            archive.add(make_article("harvest", path=f"news/{i}.html", title=f"第{i}篇 开鲁县玉米喜获丰收"))
        # Two full batches are committed; the last two rows wait for close().
        with open_archive(db, readonly=True) as reader:
            assert len(list(reader.iter_articles())) == 8
    commits = [s for s in statements if s.strip().upper() == "COMMIT"]
    assert len(commits) == 3  # 4 + 4 + the 2 flushed at close
    assert len(load_records(db)) == 10


def test_a_batch_older_than_batch_seconds_is_committed(db):
    with SqliteArchive(db, batch_size=1000, batch_seconds=0.05) as archive:
        archive.add(make_article("harvest", path="news/1.html"))
        assert not archive.flush_due()
        time.sleep(0.06)
        assert archive.flush_due()
        archive.add(make_article("school", path="news/2.html"))
        with open_archive(db, readonly=True) as reader:
            assert len(list(reader.iter_articles())) == 2


def test_update_keeps_full_previous_record_in_versions(db):
    article = make_article("festival", view_count=40)
    edited = refingerprint(dataclasses.replace(article, title="第三届科尔沁文化旅游节隆重开幕", view_count=55))
    with open_archive(db) as archive:
        archive.add(article)
        assert archive.add(edited) == "updated"
    conn = _connect(db)
    try:
        (row,) = conn.execute("SELECT * FROM versions").fetchall()
        current = conn.execute("SELECT version, title, view_count FROM articles").fetchone()
        views = conn.execute("SELECT count(*) FROM views").fetchone()[0]
    finally:
        conn.close()
    assert row["version"] == 1
    assert row["content_hash"] == article.content_hash
    assert json.loads(row["changed"]) == ["title", "view_count"]
    assert json.loads(row["record"]) == {**article.to_record(), "version": 1}
    assert tuple(current) == (2, "第三届科尔沁文化旅游节隆重开幕", 55)
    assert views == 0


def test_view_count_change_adds_views_row_not_version(db):
    article = make_article("school", view_count=10)
    with open_archive(db) as archive:
        archive.add(article)
        assert archive.add(dataclasses.replace(article, view_count=25, fetched_at="2021-11-06T00:00:00+00:00")) == "views"
    conn = _connect(db)
    try:
        assert conn.execute("SELECT view_count, version FROM articles").fetchone()[:] == (25, 1)
        assert [tuple(r) for r in conn.execute("SELECT canonical_url, view_count, fetched_at FROM views")] == [
            (article.canonical_url, 25, "2021-11-06T00:00:00+00:00")
        ]
        assert conn.execute("SELECT count(*) FROM versions").fetchone()[0] == 0
    finally:
        conn.close()


def test_values_are_bound_not_interpolated(db):
    nasty = make_article("harvest", title="'); DROP TABLE articles; --", author='"x" OR 1=1')
    with open_archive(db) as archive:
        archive.add(nasty)
        assert latest(archive, nasty.canonical_url).title == "'); DROP TABLE articles; --"
    assert load_records(db)[0]["author"] == '"x" OR 1=1'


def test_integrity_check_after_many_writes(db):
    with SqliteArchive(db, batch_size=7) as archive:
        for i in range(40):
            slug = list(TEXTS)[i % 4]
            article = make_article(slug, path=f"news/{i % 13}.html", view_count=i, title=f"{i} {TEXTS[slug][0]}")
            archive.add(article)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 13
        assert conn.execute("SELECT count(*) FROM simhash_bands").fetchone()[0] == 13 * 4
    finally:
        conn.close()


def test_an_archive_of_the_earlier_schema_is_migrated_and_updates_its_bands(db):
    # Archives written before migration 3 have an index of simhash_bands by URL.
    with open_archive(db) as archive:
        archive.add(make_article("harvest", path="news/1.html"))
    conn = sqlite3.connect(db)
    conn.execute("CREATE INDEX simhash_bands_canonical_url ON simhash_bands (canonical_url)")
    conn.execute("DELETE FROM _migrations WHERE id = 3")
    conn.commit()
    conn.close()
    changed = make_article("school", path="news/1.html")
    with open_archive(db) as archive:
        assert archive.add(changed) == "updated"
        assert archive.find_duplicate(dataclasses.replace(changed, url=changed.url + "?copy",
                                                          canonical_url=changed.canonical_url + "?copy")) is not None
    conn = sqlite3.connect(db)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "simhash_bands_canonical_url" not in names
        # The old version's four rows went, the new version's four came.
        rows = conn.execute("SELECT simhash FROM simhash_bands").fetchall()
        assert len(rows) == 4 and {r[0] for r in rows} == {refingerprint(changed).simhash}
        assert conn.execute("SELECT count(*) FROM _migrations WHERE id = 3").fetchone()[0] == 1
    finally:
        conn.close()


def test_memory_archive(tmp_path):
    with open_archive(":memory:") as archive:
        assert archive.add(make_article("harvest")) == "new"
        assert len(list(archive.iter_articles())) == 1
    assert list(tmp_path.iterdir()) == []


def test_not_a_database_is_a_clear_error(db):
    db.write_text("this is not a database\n" * 100)
    with pytest.raises(ArchiveError, match="is it a SQLite file"):
        open_archive(db)


def test_reading_a_foreign_database_is_a_clear_error(db):
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ArchiveError, match="is it a newsarchive SQLite file"):
        open_archive(db, readonly=True)
