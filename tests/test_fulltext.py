"""The search index of a SQLite archive: what it finds, how triggers keep it in step, snippets."""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest

from newsarchive.archive import UPDATED, SqliteArchive, finish_article, search_archive
from newsarchive.archive.fulltext import fts_query, make_snippet, spaced_text
from newsarchive.archive.sqlite_schema import INSERT_NEW, MIGRATIONS, row_values
from newsarchive.items import Article
from tests.archive_samples import TEXTS, refingerprint


def _article(url: str, title: str, paragraphs: tuple[str, ...]) -> Article:
    site = url.split("/")[2]
    return finish_article(Article(url=url, canonical_url=url, site=site, title=title, paragraphs=paragraphs),
                          fetched_at="2024-05-01T02:00:00+00:00")


@pytest.fixture
def archive():
    with SqliteArchive(":memory:") as store:
        for name, (title, paragraphs) in TEXTS.items():
            store.add(_article(f"http://news.example.cn/{name}.html", title, paragraphs))
        yield store


def _scan(store: SqliteArchive, word: str) -> set[str]:
    """The URLs whose title or paragraphs contain *word*: plain substring search, any case."""
    return {
        a.canonical_url
        for a in store.iter_articles()
        if word.lower() in "\n".join((a.title, *a.paragraphs, a.author or "", a.source or "")).lower()
    }


def _found(store: SqliteArchive, word: str) -> set[str]:
    return {hit.canonical_url for hit in store.search(word, limit=1000)}


# One word of each length from the sample texts, and words that occur nowhere.
WORDS = ["区", "米", "粮", "改造", "老旧小区", "玉米", "开鲁县", "九成", "秋收进度已达九成", "丰收", "楼道杂物", "公交"]


@pytest.mark.parametrize("word", WORDS)
def test_finds_exactly_the_articles_containing_a_chinese_word(archive, word):
    assert _found(archive, word) == _scan(archive, word)


def test_a_sample_word_of_one_and_of_two_characters_is_somewhere_and_not_everywhere(archive):
    # Guards the test above: a search that found everything or nothing would pass it for "区".
    everything = {a.canonical_url for a in archive.iter_articles()}
    for word in ("米", "改造", "玉米"):
        assert set() < _scan(archive, word) < everything


def test_a_phrase_does_not_run_on_across_punctuation():
    with SqliteArchive(":memory:") as store:
        store.add(_article("http://a.example.cn/1.html", "标题", ("市民乘坐公交。车站已经启用",)))
        assert _found(store, "公交") == {"http://a.example.cn/1.html"}
        assert _found(store, "交车") == set()  # 交。车: not adjacent in the text


@pytest.mark.parametrize("query", ["typhoon", "TYPHOON", "Typhoon Warning"])
def test_english_words_match_whole_and_in_any_case(query):
    with SqliteArchive(":memory:") as store:
        store.add(_article("http://a.example.cn/en.html", "Typhoon warning issued", ("Coastal towns prepare.",)))
        store.add(_article("http://a.example.cn/zh.html", "台风预警", ("typhoons are seasonal.",)))
        assert _found(store, query) == {"http://a.example.cn/en.html"}


def test_every_word_of_the_query_is_required(archive):
    both = _scan(archive, "改造") & _scan(archive, "小区")
    assert _found(archive, "改造 小区") == both
    assert _found(archive, "改造 玉米") == _scan(archive, "改造") & _scan(archive, "玉米")


def test_a_title_hit_ranks_above_a_body_hit():
    with SqliteArchive(":memory:") as store:
        store.add(_article("http://a.example.cn/body.html", "县里新闻", ("今天县里的公交线路调整了。", "其他内容")))
        store.add(_article("http://a.example.cn/title.html", "公交线路调整", ("今天县里发布了通知。", "其他内容")))
        hits = store.search("公交")
        assert [h.canonical_url for h in hits] == ["http://a.example.cn/title.html", "http://a.example.cn/body.html"]
        assert hits[0].score <= hits[1].score


def test_site_and_since_narrow_the_hits():
    with SqliteArchive(":memory:") as store:
        for n, (site, day) in enumerate([("a.example.cn", "2024-01-05"), ("b.example.cn", "2024-03-01"),
                                         ("a.example.cn", "2024-03-02T09:00:00+08:00")]):
            article = _article(f"http://{site}/{n}.html", f"公交新闻{n}", ("公交线路调整。",))
            store.add(dataclasses.replace(article, site=site, published_at=day))
        assert _found(store, "公交") == {f"http://{s}/{n}.html" for n, s in enumerate(["a.example.cn", "b.example.cn", "a.example.cn"])}
        assert {h.canonical_url for h in store.search("公交", site="a.example.cn")} == {
            "http://a.example.cn/0.html", "http://a.example.cn/2.html"}
        assert {h.canonical_url for h in store.search("公交", since="2024-03-02")} == {"http://a.example.cn/2.html"}


def test_a_new_version_replaces_the_old_text_in_the_index(archive):
    url = "http://news.example.cn/harvest.html"
    assert url in _found(archive, "玉米")
    old = next(a for a in archive.iter_articles() if a.canonical_url == url)
    edited = refingerprint(dataclasses.replace(old, title="开鲁县水稻喜获丰收", paragraphs=("今年水稻喜获丰收。",), version=1))
    assert archive.add(edited) == UPDATED
    assert url not in _found(archive, "玉米")
    assert url in _found(archive, "水稻")


def test_deleting_an_article_from_any_connection_removes_it_from_the_index(tmp_path):
    path = tmp_path / "news.sqlite"
    with SqliteArchive(path) as store:
        store.add(_article("http://a.example.cn/1.html", "公交线路调整", ("通知。",)))
        store.add(_article("http://a.example.cn/2.html", "公交站台改造", ("通知。",)))
    conn = sqlite3.connect(path)  # the sqlite3 shell's view: no newsarchive functions
    with conn:
        conn.execute("DELETE FROM articles WHERE canonical_url = 'http://a.example.cn/1.html'")
    conn.close()
    assert {h.canonical_url for h in search_archive(path, "公交")} == {"http://a.example.cn/2.html"}


def test_an_archive_from_before_the_index_gets_it_on_first_search(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for number, name, step in MIGRATIONS:
        if name == "fulltext":
            continue  # every other migration, later ones too: only the index is missing
        step(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, ?, '2024-01-01T00:00:00+00:00')", (number, name))
    title, paragraphs = TEXTS["harvest"]
    conn.execute(INSERT_NEW, row_values(_article("http://news.example.cn/harvest.html", title, paragraphs)))
    conn.close()
    hits = search_archive(path, "玉米")
    assert [h.canonical_url for h in hits] == ["http://news.example.cn/harvest.html"]
    applied = sqlite3.connect(path).execute("SELECT name FROM _migrations ORDER BY id").fetchall()
    assert ("fulltext",) in applied


def test_a_jsonl_archive_is_searched_through_a_memory_index(tmp_path):
    path = tmp_path / "news.jsonl"
    title, paragraphs = TEXTS["harvest"]
    record = _article("http://news.example.cn/harvest.html", title, paragraphs).to_record()
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    assert [h.canonical_url for h in search_archive(path, "玉米")] == ["http://news.example.cn/harvest.html"]
    assert search_archive(path, "水稻") == []


def test_snippet_marks_every_hit_around_the_first_paragraph_with_one():
    paragraphs = ["第一段没有。", "记者获悉，新开通两条城乡公交线路，实现乡镇公交全覆盖。"]
    assert make_snippet(paragraphs, ["公交"], markers=("<", ">")) == (
        "记者获悉，新开通两条城乡<公交>线路，实现乡镇<公交>全覆盖。"
    )
    long = "甲" * 100 + "公交" + "乙" * 100
    snippet = make_snippet([long], ["公交"], width=30)
    assert snippet.startswith("…") and snippet.endswith("…") and "[公交]" in snippet
    assert len(snippet) == 30 + 2 + 2  # the window, two markers, two ellipses


@pytest.mark.parametrize(
    ("text", "spaced"),
    [
        ("公交车", "公 交 车"),
        ("乘坐3路公交", "乘 坐 3 路 公 交"),
        ("COVID-19疫情", "COVID \ue000 19 疫 情"),
        ("  ", ""),
    ],
)
def test_spaced_text(text, spaced):
    assert spaced_text(text) == spaced


def test_query_quotes_are_escaped_and_empty_queries_match_nothing(archive):
    assert fts_query('公"交') == '"公 \ue000 交"'
    assert fts_query("。，") == ""
    assert archive.search("。，") == []
