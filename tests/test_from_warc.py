"""newsarchive crawl --from-warc: an archive built from WARC files alone, another tool's or ours, with no network."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest_twisted
from warcio.capture_http import capture_http  # after http.client, which it patches

from newsarchive import statkeys
from newsarchive.archive import load_records
from newsarchive.warc import warc_dir_for
from tests.crawlkit import COMPARED_FIELDS, crawl_settings, run_crawl
from tests.processkit import run_to_end

SITE = "empirecms"
# Left out of the other tool's capture: the replayed crawl cannot read it.
LEFT_OUT = "/news/local/2020-04-07/104.html"
FIELDS = ("url", "listing_url", *COMPARED_FIELDS)


def _same(records):
    return {r["url"]: {f: r[f] for f in FIELDS} for r in records}


def _capture_with_another_tool(mock, warc: Path, *, skip: str) -> None:
    """Fetch every URL the live crawl fetched with urllib, recorded by warcio's capture_http."""
    log = mock.requests(SITE)
    with capture_http(str(warc)):
        for entry in log:
            if entry["path"] == skip:
                continue
            url = mock.url(SITE, entry["path"]) + (f"?{entry['query']}" if entry.get("query") else "")
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    answer.read()
            except urllib.error.HTTPError as exc:
                exc.read()
                exc.close()


@pytest_twisted.ensureDeferred
async def test_a_warc_written_by_another_tool_gives_the_live_crawls_articles(start_mock, tmp_path):
    mock = start_mock(sites=[SITE])
    start = mock.urls[SITE]
    live = tmp_path / "live.sqlite"
    await run_crawl(crawl_settings(live, NEWSARCHIVE_WARC=False), start_urls=start)
    warc = tmp_path / "other-tool.warc.gz"
    _capture_with_another_tool(mock, warc, skip=LEFT_OUT)
    mock.__exit__(None, None, None)  # no server any more: nothing can be fetched

    replayed = tmp_path / "replayed.sqlite"
    crawler = await run_crawl(crawl_settings(replayed, NEWSARCHIVE_FROM_WARC=[str(warc)]), start_urls=start)
    expected = _same(load_records(live))
    left_out = start.rstrip("/") + LEFT_OUT
    assert left_out in expected
    del expected[left_out]
    records = load_records(replayed)
    assert _same(records) == expected
    for record in records:
        assert record["warc_file"] == str(warc.resolve()) and record["warc_record_id"]
        assert record["fetched_at"] and record["fetched_at"].endswith("+00:00")
    assert not warc_dir_for(replayed).exists()  # nothing fetched, nothing new to keep
    lines = replayed.with_name("replayed.sqlite.failures.jsonl").read_text(encoding="utf-8").splitlines()
    failures = [json.loads(line) for line in lines]
    assert [(f["url"], f["kind"]) for f in failures] == [(left_out, "not_in_warc")]
    assert crawler.stats.get_value(statkeys.WARC_NOT_IN_WARC) == 1


@pytest_twisted.ensureDeferred
async def test_our_own_warc_files_replayed_by_the_cli_without_a_start_url(start_mock, tmp_path):
    mock = start_mock(sites=[SITE])
    live = tmp_path / "live.jsonl"
    await run_crawl(crawl_settings(live), start_urls=mock.urls[SITE])
    mock.__exit__(None, None, None)
    files = sorted(warc_dir_for(live).glob("*.warc.gz"))
    replayed = tmp_path / "replayed.jsonl"
    done = run_to_end("--from-warc", *map(str, files), "-o", str(replayed), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith(f"{replayed}: {len(load_records(live))} new")
    assert _same(load_records(replayed)) == _same(load_records(live))
