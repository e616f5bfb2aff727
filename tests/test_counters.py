"""View counters that fail, or that robots.txt forbids, lose no article and are no failed page (issue 14).

The DedeCMS fixture site writes every count with /plus/count.php; its
``counters_broken`` variant answers that script with HTTP 500, and its
``counters_robots`` variant serves DedeCMS's default robots.txt, which disallows it.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import urllib.robotparser
from collections import Counter
from urllib.parse import urlsplit

import pytest
import pytest_twisted
from newsarchive.middlewares.report import failures_path

from newsarchive.outcome import (
    COUNTERS_UNAVAILABLE,
    CrawlOutcome,
    crawl_verdict,
    outcome_from_stats,
    summary_line,
    withheld_counter_notes,
)
from tests.clikit import SUMMARY, run_cli
from tests.crawlkit import (
    SITES,
    all_expected_records,
    archived,
    counter_key,
    crawl_settings,
    mismatches,
    page_requests,
    run_crawl,
    unexpected_paths,
)

SITE = "dedecms"
WITHHELD = "view counts of %s are withheld by its robots.txt"


def _failures(archive) -> list[dict]:
    path = failures_path(archive)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
@pytest_twisted.ensureDeferred
async def test_counters_answering_500_keep_every_article_and_fail_no_page(start_mock, tmp_path):
    mock = start_mock(sites=[SITE], variant="counters_broken")
    base = mock.urls[SITE]
    archive = tmp_path / "news.sqlite"

    crawler = await run_crawl(crawl_settings(archive), start_urls=base)

    records = archived(archive, base)
    wrong = unexpected_paths(SITE, {r["path"] for r in records})
    assert not wrong, "\n".join(wrong)
    assert {r["view_count"] for r in records} == {None}
    stats = crawler.stats.get_stats()
    asked = {counter_key(e) for e in mock.requests(SITE)} - {None}
    assert len(asked) >= len(records)
    assert stats["newsarchive/counter/requested"] == stats["newsarchive/counter/failed"] == len(asked)
    assert not [k for k in stats if k.startswith("newsarchive/report/failed/")]
    assert f"; 0 failed; {len(asked)} view counts unavailable" in stats["newsarchive/report/summary"]
    # Still in the failures file, under their own kind, to be retried.
    failures = _failures(archive)
    assert Counter((f["kind"], f["status"]) for f in failures) == {("counter", 500): len(asked)}
    assert all(f["reason"] == "view counter: HTTP 500" for f in failures)
    outcome = outcome_from_stats(stats)
    assert (outcome.counts["failed"], outcome.counts[COUNTERS_UNAVAILABLE]) == (0, len(asked))


@pytest.mark.slow
def test_crawl_command_counts_broken_counters_apart_and_exits_0(start_mock, tmp_path):
    mock = start_mock(sites=[SITE], variant="counters_broken")
    archive = tmp_path / "news.sqlite"

    result = run_cli("crawl", mock.url(SITE), "-o", str(archive), "--delay", "0",
                     "-s", "NEWSARCHIVE_RETRY_BACKOFF=0", cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "error:" not in result.stderr
    summary = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert summary, result.stdout
    with sqlite3.connect(archive) as conn:
        rows, counts = conn.execute("SELECT count(*), count(view_count) FROM articles").fetchone()
    # 16 article pages, one an exact re-post of another: 15 articles, none with a count.
    assert (int(summary["new"]), rows, counts) == (15, 15, 0)
    assert summary["failed"] == "0"
    asked = {counter_key(e) for e in mock.requests(SITE)} - {None}
    assert int(summary["unavailable"]) == len(asked) >= 15
    assert {f["kind"] for f in _failures(archive)} == {"counter"}


@pytest.mark.parametrize(
    ("counts", "line"),
    [
        ({"new": 3, "failed": 1}, "a.sqlite: 3 new, 0 updated, 0 views, 0 unchanged, 0 duplicates, 1 failed in 2.0s"),
        ({"new": 3, COUNTERS_UNAVAILABLE: 2},
         ("a.sqlite: 3 new, 0 updated, 0 views, 0 unchanged, 0 duplicates, 0 failed, "
          "2 view counts unavailable in 2.0s")),
    ],
    ids=["no-counter-failed", "counters-unavailable"],
)
def test_summary_line_names_unavailable_view_counts_only_when_there_are_some(counts, line):
    assert summary_line("a.sqlite", Counter(counts), 2.0) == line
    assert SUMMARY.match(line)


def test_unavailable_view_counts_never_fail_the_crawl():
    outcome = outcome_from_stats({
        "finish_reason": "finished", "item_scraped_count": 3, "newsarchive/archive/new": 3,
        "newsarchive/counter/requested": 3, "newsarchive/counter/failed": 3,
    })
    outcome.sites = outcome.answered = {"a.cn"}
    assert outcome.counts[COUNTERS_UNAVAILABLE] == 3
    assert crawl_verdict(outcome) is None


def _withheld_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.levelno == logging.WARNING and "withheld by its robots.txt" in r.getMessage()]


@pytest.mark.slow
@pytest_twisted.ensureDeferred
async def test_counters_robots_txt_forbids_are_withheld_once_per_site_not_failed(start_mock, tmp_path, caplog):
    mock = start_mock(sites=[SITE], variant="counters_robots")
    base = mock.urls[SITE]
    archive = tmp_path / "news.jsonl"

    with caplog.at_level(logging.WARNING):
        crawler = await run_crawl(crawl_settings(archive), start_urls=base)

    records = archived(archive, base)
    wrong = unexpected_paths(SITE, {r["path"] for r in records})
    assert not wrong, "\n".join(wrong)
    assert {r["view_count"] for r in records} == {None}
    assert [e for e in mock.requests(SITE) if counter_key(e) is not None] == []  # robots.txt obeyed
    stats = crawler.stats.get_stats()
    site = urlsplit(base).netloc
    requested = stats["newsarchive/counter/requested"]
    assert requested >= len(records)
    assert stats["newsarchive/counter/withheld"] == stats[f"newsarchive/counter/withheld/{site}"] == requested
    assert "newsarchive/counter/failed" not in stats
    assert "; 0 failed" in stats["newsarchive/report/summary"]
    assert f"; {requested} view counts withheld by robots.txt" in stats["newsarchive/report/summary"]
    assert not [f for f in _failures(archive) if f["kind"] in ("counter", "robots") and "count.php" in f["url"]]
    warnings = _withheld_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(WITHHELD % site)
    assert "/plus/count.php" in warnings[0] and "NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS=1" in warnings[0]
    outcome = outcome_from_stats(stats)
    assert dict(outcome.counters_withheld) == {site: requested}
    assert (outcome.counts["failed"], outcome.counts[COUNTERS_UNAVAILABLE]) == (0, 0)


@pytest.mark.slow
@pytest_twisted.ensureDeferred
async def test_counters_ignore_robots_asks_the_counters_and_obeys_robots_for_pages(start_mock, tmp_path, caplog):
    mock = start_mock(sites=[SITE], variant="counters_robots")
    base = mock.urls[SITE]
    archive = tmp_path / "news.sqlite"

    with caplog.at_level(logging.WARNING):
        crawler = await run_crawl(
            crawl_settings(archive, NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS=True), start_urls=base
        )

    records = archived(archive, base)
    expected = all_expected_records(SITE)
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], base)]
    assert not problems, "\n".join(problems)  # view_count included: each as the counter served it
    assert None not in {r["view_count"] for r in records}
    log = mock.requests(SITE)
    assert len({counter_key(e) for e in log} - {None}) >= len(records)
    robots = urllib.robotparser.RobotFileParser()
    robots.parse((SITES / SITE / "counters_robots" / "robots.txt").read_text(encoding="utf-8").splitlines())
    refused = [p for p in page_requests(log) if not robots.can_fetch("newsarchive", base.rstrip("/") + p)]
    assert not refused, f"robots.txt disallows these pages, yet they were requested: {refused}"
    assert not [k for k in crawler.stats.get_stats() if k.startswith("newsarchive/counter/withheld")]
    assert _withheld_warnings(caplog) == []


@pytest.mark.slow
def test_crawl_command_says_once_that_robots_txt_withholds_the_counts_and_exits_0(start_mock, tmp_path):
    mock = start_mock(sites=[SITE], variant="counters_robots")
    archive = tmp_path / "news.sqlite"
    log = tmp_path / "crawl.log"

    result = run_cli("crawl", mock.url(SITE), "-o", str(archive), "--delay", "0",
                     "--log-file", str(log), cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    summary = SUMMARY.match(result.stdout.strip())  # stdout: the summary line only
    assert summary, result.stdout
    assert (summary["new"], summary["failed"], summary["unavailable"]) == ("15", "0", None)
    with sqlite3.connect(archive) as conn:
        assert conn.execute("SELECT count(*), count(view_count) FROM articles").fetchone() == (15, 0)
    site = urlsplit(mock.url(SITE)).netloc
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1, result.stderr
    assert notes[0].startswith(f"note: {WITHHELD % site} (")
    assert notes[0].endswith("-s NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS=1 asks the counters anyway")
    warnings = [line for line in log.read_text(encoding="utf-8").splitlines() if WITHHELD % site in line]
    assert len(warnings) == 1, warnings


def test_withheld_counters_add_up_over_workers_and_say_one_line_per_site():
    one = outcome_from_stats({"finish_reason": "finished", "newsarchive/counter/withheld/b.cn": 4,
                              "newsarchive/counter/withheld": 4})
    two = outcome_from_stats({"finish_reason": "finished", "newsarchive/counter/withheld/a.cn": 2,
                              "newsarchive/counter/withheld/b.cn": 1, "newsarchive/counter/withheld": 3})
    one.merge(CrawlOutcome.from_json(two.to_json()))
    assert dict(one.counters_withheld) == {"a.cn": 2, "b.cn": 5}
    notes = withheld_counter_notes(one)
    assert [n.split(" (")[0] for n in notes] == [f"note: {WITHHELD % s}" for s in ("a.cn", "b.cn")]
    assert "(5 counters not asked)" in notes[1]
    assert withheld_counter_notes(CrawlOutcome()) == []
