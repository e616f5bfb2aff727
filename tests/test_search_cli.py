"""``newsarchive search`` on a crawled archive: the hits, their snippets, filters and errors."""

from __future__ import annotations

import json
import shutil

import pytest

from newsarchive.archive import load_records
from newsarchive.cli import main


def _containing(archive, word: str) -> set[str]:
    """The crawled articles whose text holds *word*, by plain substring search."""
    return {
        r["canonical_url"]
        for r in load_records(archive)
        if word in "\n".join([r["title"], *r["paragraphs"], r["author"] or "", r["source"] or ""])
    }


def _search(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["search", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("word", ["公交", "市", "高标准农田"])
def test_json_hits_are_the_articles_that_contain_the_word(crawled_archive, capsys, word):
    code, out, _ = _search(capsys, str(crawled_archive), word, "--json", "--limit", "1000")
    assert code == 0
    hits = [json.loads(line) for line in out.splitlines()]
    assert {h["canonical_url"] for h in hits} == _containing(crawled_archive, word)
    assert all(f"[{word}]" in h["snippet"] for h in hits)
    assert hits == sorted(hits, key=lambda h: (h["score"], h["canonical_url"]))


def test_the_word_of_the_issue_is_found(crawled_archive):
    # Issue 15: sqlite-utils' FTS found nothing for 公交 on an archive whose titles had it.
    assert _containing(crawled_archive, "公交")


def test_text_output_numbers_hits_with_title_site_url_and_snippet(crawled_archive, capsys):
    code, out, _ = _search(capsys, str(crawled_archive), "公交", "--limit", "1")
    assert code == 0
    first, url, snippet = out.splitlines()
    assert first.startswith("1. ") and "(127.0.0.1:" in first
    assert url.strip() in _containing(crawled_archive, "公交")
    assert "[公交]" in snippet


def test_site_and_since_filter(crawled_archive, capsys):
    records = load_records(crawled_archive)
    site = next(r["site"] for r in records if "市" in r["title"])
    _, out, _ = _search(capsys, str(crawled_archive), "市", "--json", "--limit", "1000", "--site", site)
    assert {json.loads(x)["site"] for x in out.splitlines()} == {site}
    _, out, _ = _search(capsys, str(crawled_archive), "市", "--json", "--limit", "1000", "--since", "2022-05-01")
    days = [json.loads(x)["published_at"][:10] for x in out.splitlines()]
    assert days and min(days) >= "2022-05-01"
    everything = [r for r in records if "市" in r["title"] + "".join(r["paragraphs"])]
    assert len(days) < len(everything)


def test_nothing_found_says_so_on_stderr(crawled_archive, capsys):
    code, out, err = _search(capsys, str(crawled_archive), "量子计算机")
    assert (code, out) == (0, "")
    assert "no article contains" in err


def test_a_jsonl_archive_is_searched_with_a_note(crawled_archive, tmp_path, capsys):
    jsonl = tmp_path / "news.jsonl"
    assert main(["export", str(crawled_archive), "-o", str(jsonl)]) == 0
    code, out, err = _search(capsys, str(jsonl), "公交", "--json")
    assert code == 0
    assert {json.loads(x)["canonical_url"] for x in out.splitlines()} == _containing(crawled_archive, "公交")
    assert err.startswith("note:") and "SQLite" in err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing.sqlite", "公交"], 1, "error: no archive at"),
        (["ARCHIVE", "  "], 1, "error: the query is empty"),
        (["ARCHIVE", "公交", "--since", "someday"], 2, "not a day"),
        (["ARCHIVE", "公交", "--limit", "0"], 2, "not a positive whole number"),
    ],
    ids=["missing-archive", "empty-query", "bad-since", "bad-limit"],
)
def test_usage_errors(crawled_archive, tmp_path, capsys, args, code, message):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(crawled_archive, copy)
    args = [str(copy) if a == "ARCHIVE" else a for a in args]
    got, _, err = _search(capsys, *args)
    assert got == code
    assert message in err
