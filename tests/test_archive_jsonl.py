"""JSON Lines archive: the line format, append-only versions, the views sidecar, torn-line repair."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from newsarchive.archive import JsonlArchive, load_records, open_archive
from newsarchive.archive.jsonl import views_path_for
from newsarchive.items import ARCHIVE_FIELDS
from tests.archive_samples import latest, make_article, refingerprint


@pytest.fixture
def path(tmp_path):
    return tmp_path / "news.jsonl"


def _lines(path):
    return path.read_bytes().splitlines(keepends=True)


def test_one_flushed_readable_line_per_record(path):
    article = make_article("renovation")
    with open_archive(path) as archive:
        archive.add(article)
        # Written through at once: another reader sees the line while the writer is open.
        (line,) = _lines(path)
    assert line.endswith(b"\n")
    text = line.decode("utf-8")
    assert "科尔沁区今年完成老旧小区改造128个" in text  # ensure_ascii=False
    record = json.loads(text)
    assert list(record) == list(ARCHIVE_FIELDS)
    assert record["version"] == 1


def test_edit_appends_new_version_and_keeps_old_line(path):
    article = make_article("harvest", view_count=3)
    with open_archive(path) as archive:
        archive.add(article)
    before = path.read_bytes()
    edited = refingerprint(dataclasses.replace(article, paragraphs=article.paragraphs[1:]))
    with open_archive(path) as archive:
        assert archive.add(edited) == "updated"
    after = path.read_bytes()
    assert after.startswith(before)  # append-only
    first, second = (json.loads(x) for x in _lines(path))
    assert (first["canonical_url"], first["version"]) == (article.canonical_url, 1)
    assert (second["canonical_url"], second["version"]) == (article.canonical_url, 2)
    assert second["paragraphs"] == list(article.paragraphs[1:])
    assert [r["version"] for r in load_records(path)] == [2]


def test_view_counts_go_to_the_sidecar(path):
    article = make_article("school", view_count=10)
    with open_archive(path) as archive:
        archive.add(article)
        before = path.read_bytes()
        archive.add(dataclasses.replace(article, view_count=42, fetched_at="2021-11-06T00:00:00+00:00"))
        assert path.read_bytes() == before
    sidecar = views_path_for(path)
    assert sidecar.name == "news.views.jsonl"
    assert [json.loads(x) for x in _lines(sidecar)] == [
        {"canonical_url": article.canonical_url, "version": 1, "view_count": 42,
         "fetched_at": "2021-11-06T00:00:00+00:00"}
    ]
    # The index is rebuilt from both files when the archive is opened again.
    with open_archive(path) as archive:
        assert latest(archive, article.canonical_url).view_count == 42
        assert archive.add(dataclasses.replace(article, view_count=42)) == "unchanged"
    assert load_records(path)[0]["view_count"] == 42


def test_sidecar_count_of_an_old_version_does_not_override_a_newer_one(path):
    article = make_article("festival", view_count=1)
    with open_archive(path) as archive:
        archive.add(article)
        archive.add(dataclasses.replace(article, view_count=2))
        archive.add(refingerprint(dataclasses.replace(article, title="新标题 文化旅游节", view_count=3)))
    with open_archive(path, readonly=True) as archive:
        assert latest(archive, article.canonical_url).view_count == 3


def test_torn_last_line_is_cut_off_and_saved(path, caplog):
    good = make_article("renovation")
    with open_archive(path) as archive:
        archive.add(good)
    intact = path.read_bytes()
    half = json.dumps(make_article("harvest").to_record(), ensure_ascii=False).encode()[:300]
    with open(path, "ab") as f:
        f.write(half)  # a crash in the middle of a write
    # A reader leaves the file alone and ignores the partial line.
    with open_archive(path, readonly=True) as reader:
        assert [a.title for a in reader.iter_articles()] == [good.title]
    assert path.read_bytes() == intact + half
    with (
        caplog.at_level(logging.WARNING, logger="newsarchive.archive.jsonl"),
        open_archive(path) as archive,
    ):
        assert archive.add(make_article("school")) == "new"
    assert any("torn line" in r.getMessage() for r in caplog.records)
    (saved,) = path.parent.glob("news.jsonl.torn-*")
    assert saved.read_bytes() == half
    lines = _lines(path)
    assert lines[0] == intact
    assert [json.loads(x)["title"] for x in lines] == [good.title, make_article("school").title]


def test_unparsable_last_line_is_cut_off(path):
    with open_archive(path) as archive:
        archive.add(make_article("renovation"))
    with open(path, "ab") as f:
        f.write(b'{"canonical_url": "http://x/", "title": \n')
    with open_archive(path) as archive:
        assert len(list(archive.iter_articles())) == 1
    assert len(_lines(path)) == 1
    assert len(list(path.parent.glob("news.jsonl.torn-*"))) == 1


def test_bad_line_in_the_middle_is_kept_and_skipped(path, caplog):
    with open_archive(path) as archive:
        archive.add(make_article("renovation"))
    later = json.dumps(make_article("harvest").to_record(), ensure_ascii=False)
    with open(path, "ab") as f:
        f.write(b"not json\n" + later.encode() + b"\n")
    with open_archive(path) as archive:
        archive.add(make_article("school"))
    with caplog.at_level(logging.WARNING, logger="newsarchive.archive.jsonl"):
        records = load_records(path)
    assert len(records) == 3
    assert b"not json\n" in path.read_bytes()  # nothing is thrown away
    assert any("line 2 is not a JSON record" in r.getMessage() for r in caplog.records)


def test_torn_sidecar_line_is_repaired_too(path):
    article = make_article("school", view_count=1)
    with open_archive(path) as archive:
        archive.add(article)
        archive.add(dataclasses.replace(article, view_count=2))
    sidecar = views_path_for(path)
    with open(sidecar, "ab") as f:
        f.write(b'{"canonical_url": "')
    with open_archive(path) as archive:
        assert latest(archive, article.canonical_url).view_count == 2
    assert len(_lines(sidecar)) == 1
    assert len(list(path.parent.glob("news.views.jsonl.torn-*"))) == 1


def test_index_is_rebuilt_on_open(path):
    a, b = make_article("renovation"), make_article("harvest", path="news/h.html")
    with open_archive(path) as archive:
        archive.add(a)
        archive.add(b)
    with JsonlArchive(path) as archive:
        assert archive.has_url(a.canonical_url)
        assert archive.find_duplicate(dataclasses.replace(b, url=b.url + "?copy", canonical_url=b.canonical_url + "?copy")).url == b.canonical_url
        repost = make_article("renovation", path="news/copy.html", title="转载：" + a.title)
        assert archive.find_duplicate(repost).url == a.canonical_url
        assert archive.find_duplicate(a) is None  # known from an earlier crawl
