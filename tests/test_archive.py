"""The archive interface, the same for both backends: add, versions, views, duplicates, loading."""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import pytest

from newsarchive.archive import (
    EXACT,
    ArchiveError,
    Duplicate,
    DuplicateRow,
    JsonlArchive,
    SqliteArchive,
    archive_stats,
    export_records,
    load_records,
    open_archive,
)
from newsarchive.items import ARCHIVE_FIELDS
from tests.archive_samples import latest, make_article, refingerprint

BACKENDS = ["jsonl", "sqlite"]


@pytest.fixture(params=BACKENDS)
def path(request, tmp_path):
    return tmp_path / "archive" / f"news.{request.param}"


@pytest.mark.parametrize(
    ("name", "backend"),
    [
        ("news.jsonl", JsonlArchive),
        ("news.sqlite", SqliteArchive),
        ("news.db", SqliteArchive),
        ("NEWS.SQLITE", SqliteArchive),
    ],
    ids=["jsonl", "sqlite", "db", "upper-case"],
)
def test_open_archive_picks_backend_by_suffix(tmp_path, name, backend):
    with open_archive(tmp_path / name) as archive:
        assert type(archive) is backend
    assert (tmp_path / name).exists()


@pytest.mark.parametrize("name", ["news.json", "news", "news.csv"], ids=["json", "none", "csv"])
def test_unknown_suffix_is_one_line_error_with_hint(tmp_path, name):
    with pytest.raises(ArchiveError, match=r"\*\.jsonl.*\*\.sqlite") as info:
        open_archive(tmp_path / name)
    assert "\n" not in str(info.value)
    assert not (tmp_path / name).exists()


def test_reading_a_missing_archive_says_so(path):
    with pytest.raises(ArchiveError, match="no archive at"):
        open_archive(path, readonly=True)


def test_add_reports_new_unchanged_views_updated(path):
    article = make_article("renovation", view_count=100)
    with open_archive(path) as archive:
        assert archive.add(article) == "new"
        assert archive.add(article) == "unchanged"
        # A later fetch with no count says nothing about the count.
        assert archive.add(dataclasses.replace(article, view_count=None)) == "unchanged"
        assert archive.add(dataclasses.replace(article, view_count=150)) == "views"
        edited = refingerprint(
            dataclasses.replace(article, paragraphs=article.paragraphs[:-1], view_count=160)
        )
        assert archive.add(edited) == "updated"
        assert archive.add(edited) == "unchanged"
        current = latest(archive, article.canonical_url)
    assert current is not None
    assert current.version == 2
    assert current.view_count == 160
    assert current.paragraphs == article.paragraphs[:-1]


def test_archive_numbers_versions_itself(path):
    article = make_article("harvest", version=7)
    with open_archive(path) as archive:
        archive.add(article)
        assert latest(archive, article.canonical_url).version == 1


def test_views_only_change_keeps_one_version(path):
    article = make_article("school", view_count=10)
    with open_archive(path) as archive:
        archive.add(article)
        archive.add(dataclasses.replace(article, view_count=20, fetched_at="2021-11-06T02:00:00+00:00"))
        archive.add(dataclasses.replace(article, view_count=30, fetched_at="2021-11-07T02:00:00+00:00"))
        assert archive.count_views() == 2
    records = load_records(path, all_versions=True)
    assert [r["version"] for r in records] == [1]
    assert records[0]["view_count"] == 30
    assert archive_stats(path)["views"] == 2


def test_latest_version_by_default_and_all_versions_on_request(path):
    first = make_article("festival", view_count=5)
    second = refingerprint(dataclasses.replace(first, title="第三届科尔沁文化旅游节隆重开幕"))
    other = make_article("harvest")
    with open_archive(path) as archive:
        archive.add(first)
        archive.add(other)
    with open_archive(path) as archive:  # the edit comes in a later crawl
        assert archive.add(second) == "updated"
    latest = load_records(path)
    # One record per article, in order of first capture, each at its latest version.
    assert [(r["canonical_url"], r["version"]) for r in latest] == [
        (first.canonical_url, 2), (other.canonical_url, 1),
    ]
    assert latest[0]["title"] == "第三届科尔沁文化旅游节隆重开幕"
    assert latest[0]["view_count"] == 5
    every = load_records(path, all_versions=True)
    titles = [(r["version"], r["title"]) for r in every if r["canonical_url"] == first.canonical_url]
    assert titles == [(1, first.title), (2, "第三届科尔沁文化旅游节隆重开幕")]
    assert len(every) == 3


def test_records_have_design_fields(path):
    article = make_article("renovation")
    with open_archive(path) as archive:
        archive.add(article)
    (record,) = load_records(path)
    assert list(record) == list(ARCHIVE_FIELDS)
    assert record == {**article.to_record(), "version": 1}
    assert isinstance(record["paragraphs"], list)


def test_find_duplicate_same_url_within_one_crawl_only(path):
    article = make_article("renovation")
    with open_archive(path) as archive:
        assert archive.find_duplicate(article) is None
        archive.add(article)
        duplicate = archive.find_duplicate(article)
        assert duplicate is not None
        assert duplicate.url == article.canonical_url
        assert duplicate.kind == "url"
    # The next crawl: a known URL is a possible update, not a duplicate.
    with open_archive(path) as archive:
        assert archive.has_url(article.canonical_url)
        assert archive.find_duplicate(article) is None
        edited = refingerprint(dataclasses.replace(article, title="科尔沁区老旧小区改造惠及1.3万户"))
        assert archive.find_duplicate(edited) is None
        assert archive.add(edited) == "updated"


def test_find_duplicate_same_content_under_another_url(path):
    article = make_article("harvest", path="news/2021/1105/a1.html")
    copy = make_article("harvest", path="e/action/ShowInfo.php?classid=2&id=1")
    with open_archive(path) as archive:
        archive.add(article)
    with open_archive(path) as archive:  # also across crawls
        duplicate = archive.find_duplicate(copy)
        assert duplicate == Duplicate(article.canonical_url, EXACT)
        assert duplicate.kind == "exact"
        assert duplicate.reason == "same content"


def test_find_duplicate_near_copy_on_same_site(path):
    article = make_article("school", path="news/1.html")
    title, paragraphs = article.title, article.paragraphs
    repost = make_article(
        "school", path="news/2.html", title="【转载】" + title,
        paragraphs=paragraphs + ("（责任编辑：王小明）",),
    )
    elsewhere = dataclasses.replace(
        repost, url="http://www.other.example.cn/a.html",
        canonical_url="http://www.other.example.cn/a.html", site="www.other.example.cn",
    )
    different = make_article("festival", path="news/3.html")
    with open_archive(path) as archive:
        archive.add(article)
        duplicate = archive.find_duplicate(repost)
        assert duplicate is not None
        assert duplicate.url == article.canonical_url
        assert duplicate.kind == "near"
        assert duplicate.distance <= 3
        assert duplicate.reason == f"simhash distance {duplicate.distance}"
        assert archive.find_duplicate(elsewhere) is None
        assert archive.find_duplicate(different) is None


def test_near_lookup_uses_the_current_version(path):
    article = make_article("renovation", path="news/1.html")
    rewritten = refingerprint(dataclasses.replace(article, paragraphs=make_article("harvest").paragraphs))
    with open_archive(path) as archive:
        archive.add(article)
        archive.add(rewritten)  # same URL, now a different text
        repost = make_article("renovation", path="news/9.html", title="转载：" + article.title)
        assert archive.find_duplicate(repost) is None


def test_iter_articles_and_has_url(path):
    articles = [make_article(s) for s in ("renovation", "harvest", "school")]
    with open_archive(path) as archive:
        for a in articles:
            archive.add(a)
        assert archive.has_url(articles[0].canonical_url)
        assert not archive.has_url("http://www.krqnews.example.cn/none.html")
        assert [a.canonical_url for a in archive.iter_articles()] == [
            a.canonical_url for a in articles
        ]
        assert latest(archive, "http://www.krqnews.example.cn/none.html") is None


def test_reader_sees_what_a_running_writer_committed(path):
    article = make_article("harvest")
    with open_archive(path, batch_size=1) as writer:
        writer.add(article)
        with open_archive(path, readonly=True) as reader:
            assert reader.has_url(article.canonical_url)
            assert [a.title for a in reader.iter_articles()] == [article.title]
            with pytest.raises(ArchiveError, match="read-only"):
                reader.add(make_article("school"))


def test_export_jsonl_and_csv(path):
    articles = [make_article("renovation"), make_article("festival", author=None)]
    with open_archive(path) as archive:
        for a in articles:
            archive.add(a)
    out = io.StringIO()
    assert export_records(path, out) == 2
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["title"] for line in lines] == [a.title for a in articles]
    assert "科尔沁" in lines[0]  # not \u-escaped
    out = io.StringIO()
    assert export_records(path, out, format="csv") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(ARCHIVE_FIELDS)
    assert rows[0]["paragraphs"].split("\n") == list(articles[0].paragraphs)
    assert rows[1]["author"] == ""
    with pytest.raises(ArchiveError, match="unknown export format 'xml'"):
        export_records(path, io.StringIO(), format="xml")


def test_stats(path):
    with open_archive(path) as archive:
        archive.add(make_article("renovation", published_at="2021-11-04T10:30:00+08:00"))
        archive.add(make_article("harvest", published_at="2021-10-28", author=None))
        archive.add(make_article("school", published_at=None, site="www.other.example.cn"))
    stats = archive_stats(path)
    assert stats["articles"] == 3
    assert stats["sites"] == {"www.krqnews.example.cn": 2, "www.other.example.cn": 1}
    assert stats["published"] == {"first": "2021-10-28", "last": "2021-11-04"}
    assert stats["fields_filled"]["title"] == 100.0
    assert stats["fields_filled"]["author"] == 66.7
    assert stats["fields_filled"]["published_at"] == 66.7
    assert stats["versions"] == 0
    assert stats["format"] == path.suffix[1:]


def test_public_names():
    import newsarchive.archive as module

    public = {n for n in vars(module) if not n.startswith("_") and n not in {"annotations", "Path"}}
    public -= {"chart", "export", "fulltext", "search", "jsonl", "sqlite", "sqlite_schema", "lock", "opening", "tabular", "wacz"}  # submodules
    assert set(module.__all__) == public


def test_unwritable_directory_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ArchiveError, match="cannot create directory .* choose another path"):
        open_archive(blocker / "sub" / "news.sqlite")


def test_dropped_copies_are_remembered(path):
    article = make_article("harvest", path="news/a.html")
    copy = make_article("harvest", path="news/copy.html", fetched_at="2021-11-06T00:00:00+00:00")
    with open_archive(path) as archive:
        archive.add(article)
        duplicate = archive.find_duplicate(copy)
        archive.add_duplicate(DuplicateRow(copy.canonical_url, duplicate, copy.fetched_at))
        assert archive.has_url(copy.canonical_url)
        # Within the same crawl, the URL again is a repeat.
        assert archive.find_duplicate(copy).kind == "url"
        # A repeat is not recorded as a copy of itself.
        archive.add_duplicate(
            DuplicateRow(article.canonical_url, archive.find_duplicate(article), article.fetched_at)
        )
    assert archive_stats(path)["duplicates"] == 1
    with open_archive(path) as archive:
        # The next crawl knows the URL (the spider need not fetch it) ...
        assert archive.has_url(copy.canonical_url)
        assert archive.find_duplicate(copy) == Duplicate(article.canonical_url, EXACT)
        # ... and if its page later holds an article of its own, that is archived.
        own = make_article("school", path="news/copy.html")
        assert archive.find_duplicate(own) is None
        assert archive.add(own) == "new"
        assert archive.count_duplicates() == 0
    assert [r["canonical_url"] for r in load_records(path)] == [
        article.canonical_url, own.canonical_url
    ]
