"""The command line: exit codes, stdout data, one-line stderr errors (newsarchive.cli)."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchive.archive import open_archive
from newsarchive.cli import build_parser, main
from newsarchive.items import Article
from newsarchive.outcome import CrawlOutcome, crawl_verdict, outcome_from_stats
from newsarchive.shards import split_urls
from tests.clikit import SUMMARY, expected_records, run_cli

ROOT = Path(__file__).resolve().parent.parent
DEDECMS = ROOT / "fixtures" / "sites" / "dedecms"
DEDECMS_HOST = "http://www.tongxinews.cn"
def article(n: int, *, title: str = "", text: str = "", views: int | None = None) -> Article:
    url = f"http://www.example.cn/a/{n}.html"
    return Article(
        url=url,
        canonical_url=url,
        site="www.example.cn",
        title=title or f"第{n}条新闻",
        published_at=f"2021-11-{n:02d}",
        view_count=views,
        paragraphs=(text or f"第{n}条新闻的正文。",),
        fetched_at="2021-11-20T00:00:00Z",
    )


@pytest.fixture
def small_archive(tmp_path) -> Path:
    """A SQLite archive of three articles, the second edited once (two versions)."""
    path = tmp_path / "small.sqlite"
    with open_archive(path) as archive:
        for n in (1, 2, 3):
            archive.add(article(n))
        assert archive.add(article(2, text="第2条新闻的正文，更正后。")) == "updated"
    return path


# --- parser and usage errors ----------------------------------------------------------


@pytest.mark.parametrize("command", ["crawl", "extract", "export", "stats"])
def test_each_command_has_help_with_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"usage: newsarchive {command}" in out
    assert f"newsarchive {command} " in out.split("examples:")[1]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["nosuch"],
        ["crawl", "http://www.example.cn/"],  # no -o
        ["crawl", "http://www.example.cn/", "-o", "a.sqlite", "--max-pages", "0"],
        ["crawl", "http://www.example.cn/", "-o", "a.sqlite", "-s", "DOWNLOAD_DELAY"],
        ["export", "a.sqlite", "--format", "xml"],
    ],
    ids=["no-command", "unknown", "no-archive", "max-pages-0", "bad-setting",
         "bad-format"],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: newsarchive" in capsys.readouterr().err


def test_verbose_is_accepted_before_and_after_the_command():
    parser = build_parser()
    assert parser.parse_args(["-v", "stats", "a.sqlite"]).verbose is True
    assert parser.parse_args(["stats", "a.sqlite", "-v"]).verbose is True
    assert parser.parse_args(["stats", "a.sqlite"]).verbose is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["crawl", "www.example.cn/news/", "-o", "{tmp}/a.sqlite"], "is not a start URL"),
        (["crawl", "http://www.example.cn/", "-o", "{tmp}/a.txt"], "archive format"),
        (["crawl", "-o", "{tmp}/a.sqlite"], "nothing to crawl"),
        (["crawl", "--site", "no-such-profile", "-o", "{tmp}/a.sqlite"], "site profile"),
        (["crawl", "http://127.0.0.1:9/", "--site", "{tmp}/bad.toml", "-o", "{tmp}/a.sqlite"],
         "unknown key 'titel' (did you mean 'title'?)"),
        (["crawl", "http://127.0.0.1:9/", "-o", "{tmp}/a.sqlite",
          "-s", "NEWSARCHIVE_LOCK_TIMEOUT=soon"], "NEWSARCHIVE_LOCK_TIMEOUT='soon': give a number of seconds"),
        (["crawl", "http://127.0.0.1:9/", "-o", "{tmp}/a.sqlite",
          "-s", "NEWSARCHIVE_TIMEZON=UTC"], "unknown setting NEWSARCHIVE_TIMEZON — did you mean NEWSARCHIVE_TIMEZONE?"),
        (["crawl", "http://127.0.0.1:9/", "-o", "{tmp}/a.sqlite",
          "-s", "NEWSARCHIVE_TIMEZONE=Mars/Base"], "NEWSARCHIVE_TIMEZONE='Mars/Base': give an IANA zone name"),
        (["crawl", "http://127.0.0.1:9/", "-o", "{tmp}/a.sqlite",
          "-s", "NEWSARCHIVE_BATCH_SIZE=0"], "NEWSARCHIVE_BATCH_SIZE='0': give a whole number of rows of at least 1"),
        (["extract", "{tmp}/missing.html"], "no such file"),
        (["export", "{tmp}/missing.sqlite"], "no archive at"),
        (["stats", "{tmp}/missing.jsonl"], "no archive at"),
    ],
    ids=["url-without-scheme", "archive-suffix", "no-urls", "unknown-profile", "bad-profile",
         "bad-lock-timeout", "unknown-setting", "bad-zone", "bad-batch-size", "extract-missing", "export-missing", "stats-missing"],
)
def test_failures_are_one_error_line_with_exit_1(argv, message, tmp_path, capsys):
    (tmp_path / "bad.toml").write_text('titel = "//h1"\n', encoding="utf-8")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    assert message in lines[0]


def test_crawl_refuses_an_archive_another_harvest_writes(tmp_path, capsys):
    path = tmp_path / "busy.sqlite"
    with open_archive(path):
        status = main(["crawl", "http://127.0.0.1:9/", "-o", str(path)])
    assert status == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: archive ")
    assert "another harvest" in err[0]


# --- extract --------------------------------------------------------------------------

ARTICLE_PATH = "/a/xinwen/2021/1105/12.html"


def test_extract_reads_a_saved_gbk_page_offline(capsys):
    page = DEDECMS / "www" / ARTICLE_PATH.lstrip("/")
    expected = expected_records()[ARTICLE_PATH]
    assert main(["extract", str(page), "--url", DEDECMS_HOST + ARTICLE_PATH]) == 0
    out = capsys.readouterr().out
    assert "\\u" not in out  # Chinese stays readable
    record = json.loads(out)
    assert record["url"] == DEDECMS_HOST + ARTICLE_PATH
    assert record["site"] == "www.tongxinews.cn"
    for field in ("title", "published_at", "paragraphs", "author", "source", "section"):
        assert record[field] == expected[field], field
    assert re.fullmatch(r"[0-9a-f]{64}", record["content_hash"])
    assert re.fullmatch(r"[0-9a-f]{16}", record["simhash"])
    # The same UTC form the crawl's pipelines write, so both sort together.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", record["fetched_at"])


def test_extract_without_url_uses_the_file_address(tmp_path, capsys):
    page = tmp_path / "page.html"
    page.write_bytes((DEDECMS / "www" / ARTICLE_PATH.lstrip("/")).read_bytes())
    assert main(["extract", str(page)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["url"] == page.resolve().as_uri()
    assert record["title"] == expected_records()[ARTICLE_PATH]["title"]


def test_extract_fetches_a_url_from_the_fixture_server(start_mock, capsys):
    mock = start_mock(sites=["dedecms"])
    url = mock.url("dedecms", ARTICLE_PATH)
    assert main(["extract", url]) == 0
    record = json.loads(capsys.readouterr().out)
    expected = expected_records()[ARTICLE_PATH]
    assert record["url"] == url
    assert record["title"] == expected["title"]
    # The page writes its count with /plus/count.php; extract asks it, as the crawl does.
    assert record["view_count"] == expected["view_count"]
    paths = [r["path"] for r in mock.requests("dedecms")]
    assert paths == [ARTICLE_PATH, "/plus/count.php"]


def test_extract_of_a_missing_url_is_one_error_line(start_mock, capsys):
    mock = start_mock(sites=["dedecms"])
    assert main(["extract", mock.url("dedecms", "/a/no-such-page.html")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: cannot fetch ")
    assert "HTTP 404" in err[0]


def test_extract_of_a_listing_says_it_is_not_an_article(capsys):
    page = DEDECMS / "www" / "a" / "xinwen" / "list_1_2.html"
    assert main(["extract", str(page), "--url", DEDECMS_HOST + "/a/xinwen/list_1_2.html"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not an article page" in err[0]


# --- export and stats -----------------------------------------------------------------


def test_export_writes_latest_versions_as_json_lines(small_archive, capsys):
    assert main(["export", str(small_archive)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["title"] for r in records] == ["第1条新闻", "第2条新闻", "第3条新闻"]
    assert records[1]["version"] == 2
    assert records[1]["paragraphs"] == ["第2条新闻的正文，更正后。"]


def test_export_all_versions_to_a_csv_file(small_archive, tmp_path, capsys):
    out = tmp_path / "versions.csv"
    assert main(["export", str(small_archive), "--all-versions", "-o", str(out)]) == 0
    assert capsys.readouterr().out == ""
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["title"], r["version"]) for r in rows] == [
        ("第1条新闻", "1"), ("第2条新闻", "1"), ("第2条新闻", "2"), ("第3条新闻", "1"),
    ]


def test_stats_summarises_the_archive(small_archive, capsys):
    assert main(["stats", str(small_archive)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["articles"] == 3
    assert stats["sites"] == {"www.example.cn": 3}
    assert stats["published"] == {"first": "2021-11-01", "last": "2021-11-03"}
    assert stats["fields_filled"]["title"] == 100.0
    assert stats["fields_filled"]["author"] == 0.0
    assert stats["updated_articles"] == 1


# --- crawl ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urls", "processes", "groups"),
    [
        (["http://a.cn/1", "http://b.cn/1", "http://a.cn/2"], 2,
         [["http://a.cn/1", "http://a.cn/2"], ["http://b.cn/1"]]),
        (["http://a.cn/1", "http://a.cn/2", "http://a.cn/3"], 2,
         [["http://a.cn/1", "http://a.cn/3"], ["http://a.cn/2"]]),
        (["http://a.cn/1", "http://a.cn/2", "http://a.cn/3", "http://a.cn/4"], 2,
         [["http://a.cn/1", "http://a.cn/3"], ["http://a.cn/2", "http://a.cn/4"]]),
        (["http://a.cn/1", "http://b.cn/1"], 5, [["http://a.cn/1"], ["http://b.cn/1"]]),
        (["http://a.cn/1", "http://b.cn/1", "http://c.cn/1"], 1,
         [["http://a.cn/1", "http://b.cn/1", "http://c.cn/1"]]),
    ],
    ids=["by-site", "one-site-by-start-url", "one-site-interleaved", "fewer-urls-than-processes",
         "one-process"],
)
def test_split_urls_keeps_sites_together(urls, processes, groups):
    assert sorted(split_urls(urls, processes)) == sorted(groups)


def archived_paths(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    return sorted(urlsplit(u).path for u in urls)


@pytest.mark.slow
def test_crawl_one_fixture_site_from_another_folder(start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / "news.sqlite"
    first = run_cli("crawl", mock.url("dedecms"), "-o", str(archive), "--delay", "0",
                    cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    summary = SUMMARY.match(first.stdout.strip().splitlines()[-1])
    assert summary, first.stdout
    # 16 article pages, one an exact re-post of another: 15 articles.
    assert int(summary["new"]) == 15
    assert int(summary["duplicates"]) >= 1
    paths = archived_paths(archive)
    assert len(paths) == len(set(paths)) == 15
    assert set(paths) <= set(expected_records())

    again = run_cli("crawl", mock.url("dedecms"), "-o", str(archive), "--delay", "0",
                    cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    summary = SUMMARY.match(again.stdout.strip().splitlines()[-1])
    assert summary and int(summary["new"]) == 0
    assert archived_paths(archive) == paths


@pytest.mark.slow
def test_crawl_of_an_unreachable_site_fails(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "crawl.log"
    result = run_cli("crawl", f"http://127.0.0.1:{port}/", "-o", str(tmp_path / "x.sqlite"),
                     "--delay", "0", "-s", "RETRY_TIMES=0", "--log-file", str(log),
                     cwd=tmp_path)
    assert result.returncode == 1
    assert SUMMARY.match(result.stdout.strip())  # stdout: the summary line only
    # With --log-file, stderr holds nothing but the error line.
    assert result.stderr.startswith(f"error: the start page http://127.0.0.1:{port}/ could not be reached")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_crawl_in_two_processes_merges_into_one_archive(start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    sections = [mock.url("dedecms", p) for p in ("/a/xinwen/", "/a/minsheng/", "/a/xiangzhen/")]
    archive = tmp_path / "news.sqlite"
    result = run_cli("crawl", *sections, "-o", str(archive), "--processes", "2",
                     "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    summary = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert summary and int(summary["new"]) == 15
    paths = archived_paths(archive)
    assert len(paths) == len(set(paths)) == 15
    # 12.html and its re-post 16.html were in different workers: one of them is kept.
    assert set(expected_records()) - set(paths) in (
        {"/a/xiangzhen/2021/1111/16.html"}, {"/a/xinwen/2021/1105/12.html"},
    )
    assert not (tmp_path / "news.sqlite.parts").exists()

    # The next run's workers get the archived records of their sites and skip them.
    mock.reset("dedecms")
    again = run_cli("crawl", *sections, "-o", str(archive), "--processes", "2",
                    "--delay", "0", cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    summary = SUMMARY.match(again.stdout.strip().splitlines()[-1])
    assert summary and summary["new"] == summary["updated"] == summary["views"] == "0"
    fetched = [r["path"] for r in mock.requests("dedecms")]
    assert not [p for p in fetched if p in expected_records()], fetched
    assert archived_paths(archive) == paths
    assert not (tmp_path / "news.sqlite.parts").exists()


FINISHED = {"finish_reason": "finished"}


@pytest.mark.parametrize(
    ("stats", "answered", "verdict"),
    [
        ({**FINISHED, "item_scraped_count": 3, "newsarchive/archive/new": 3}, {"a.cn"}, None),
        ({**FINISHED, "newsarchive/links/known": 20}, {"a.cn"}, None),
        ({**FINISHED, "newsarchive/links/older_than_since": 5}, {"a.cn"}, None),
        ({**FINISHED}, {"a.cn"}, "no article could be read"),
        ({**FINISHED, "newsarchive/extract/not_article": 4}, {"a.cn"},
         "no article could be read"),
        ({**FINISHED, "spider_exceptions/count": 9, "newsarchive/links/known": 2}, {"a.cn"},
         "no article could be read"),
        ({**FINISHED, "item_scraped_count": 3}, set(), "no page could be fetched from a.cn"),
        ({"finish_reason": "shutdown", "item_scraped_count": 3}, {"a.cn"}, "interrupted"),
    ],
    ids=["new-articles", "only-known", "only-older-than-since", "found-nothing",
         "nothing-readable", "spider-errors", "unreachable", "interrupted"],
)
def test_crawl_verdict(stats, answered, verdict):
    outcome = outcome_from_stats(stats)
    outcome.sites, outcome.answered = {"a.cn"}, answered
    reason = crawl_verdict(outcome)
    if verdict is None:
        assert reason is None
    else:
        assert reason is not None and verdict in reason


def test_outcome_counts_and_json_round_trip():
    stats = {
        **FINISHED, "newsarchive/archive/new": 2, "newsarchive/archive/views": 1,
        "newsarchive/dedupe/exact": 1, "newsarchive/dedupe/near": 2,
        "newsarchive/report/failed/http": 3, "newsarchive/report/failed/robots": 1,
        "newsarchive/report/summary": "crawl report: ...", "newsarchive/counter/failed": 2,
    }
    outcome = outcome_from_stats(stats)
    assert dict(outcome.counts) == {
        "new": 2, "updated": 0, "views": 1, "unchanged": 0, "duplicates": 3, "failed": 4,
        "counters_unavailable": 2,
    }
    assert CrawlOutcome.from_json(outcome.to_json()) == outcome


@pytest.mark.slow
def test_crawl_with_only_a_site_profile_uses_its_start_urls(start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    profile = tmp_path / "tongxi.toml"
    profile.write_text(f'start_urls = ["{mock.url("dedecms", "/a/xinwen/")}"]\n', encoding="utf-8")
    archive = tmp_path / "news.jsonl"
    result = run_cli("crawl", "--site", str(profile), "-o", str(archive), "--delay", "0",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    records = [json.loads(line) for line in archive.read_text(encoding="utf-8").splitlines()]
    paths = {urlsplit(r["url"]).path for r in records}
    # 本地新闻 lists articles 3, 6, 9, 12, 14 and 15 over its two listing pages.
    assert paths == {p for p in expected_records() if p.startswith("/a/xinwen/")}
    assert {r["site"] for r in records} == {"tongxi"}
