"""View counters that fail lose no article and are no failed page (issue 14).

The DedeCMS fixture site writes every count with /plus/count.php; its
``counters_broken`` variant answers that script with HTTP 500.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter

import pytest
import pytest_twisted
from newsarchive.middlewares.report import failures_path

from newsarchive.outcome import (
    COUNTERS_UNAVAILABLE,
    crawl_verdict,
    outcome_from_stats,
    summary_line,
)
from tests.clikit import SUMMARY, run_cli
from tests.crawlkit import archived, counter_key, crawl_settings, run_crawl, unexpected_paths

SITE = "dedecms"


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
