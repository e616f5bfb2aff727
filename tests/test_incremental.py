"""Harvesting the same site day after day: only what is new is fetched and added.

The fixture site is served in-process (tests.mockserver.serve_sites) so that one
server, on one port, can switch from ``www/`` to the ``grown`` or ``edited``
variant between two crawls, as a real site changes overnight under the same URLs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import pytest_twisted

from newsarchive.crawlstate import job_dir_for
from tests.crawlkit import (
    LiveSite,
    all_expected_records,
    archived,
    article_paths,
    crawl_settings,
    expected_records,
    mismatches,
    page_requests,
    run_crawl,
    unexpected_paths,
)
from tests.mockserver import ROOT

SITE = "dedecms"
BACKENDS = ("jsonl", "sqlite")


@pytest.fixture
def live():
    site = LiveSite(SITE)
    yield site
    site.close()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest_twisted.ensureDeferred
async def test_next_day_adds_exactly_the_new_articles(live, backend, tmp_path):
    archive = tmp_path / f"news.{backend}"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    first_log = page_requests(live.requests())
    live.switch("grown")

    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)

    after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    added = set(after) - set(before)
    grown = expected_records(SITE, "expected-grown.jsonl")
    assert added == set(grown)
    assert {p: after[p] for p in before} == before, "a crawl of the grown site changed old records"
    problems = [m for p in sorted(added) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    assert crawler.stats.get_value("newsarchive/archive/new") == len(grown)

    second_log = page_requests(live.requests())
    articles = article_paths(SITE)
    again = sorted(p for p in set(second_log) & set(first_log) if p in articles)
    assert not again, f"article pages fetched again on the second day: {again}"
    twice = [p for p, n in Counter(second_log).items() if n > 1 and p in articles]
    assert not twice
    # Page 2 of 本地新闻 holds only known articles: page 3 is never read.
    assert "/a/xinwen/list_1_3.html" not in second_log


@pytest_twisted.ensureDeferred
async def test_stop_after_known_pages_zero_walks_every_page(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    live.switch("grown")

    await run_crawl(crawl_settings(archive, NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES=0), start_urls=live.base)

    assert "/a/xinwen/list_1_3.html" in page_requests(live.requests())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest_twisted.ensureDeferred
async def test_full_recrawl_records_an_edit_and_a_new_view_count(live, backend, tmp_path):
    archive = tmp_path / f"news.{backend}"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    live.switch("edited")

    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base, full="1")

    edited = all_expected_records(SITE, "expected-edited.jsonl")
    versions = Counter(r["path"] for r in archived(archive, live.base, all_versions=True))
    latest = {r["path"]: r for r in archived(archive, live.base)}
    changed_text = "/a/xinwen/2021/1103/9.html"
    changed_count = "/a/xinwen/2021/1026/6.html"
    assert versions[changed_text] == 2
    assert latest[changed_text]["paragraphs"] == edited[changed_text]["paragraphs"]
    assert latest[changed_count]["view_count"] == edited[changed_count]["view_count"] == 468
    assert versions[changed_count] == 1
    assert crawler.stats.get_value("newsarchive/archive/updated") == 1
    assert crawler.stats.get_value("newsarchive/archive/views", 0) >= 1
    # Every article page was fetched again, once.
    fetched = Counter(page_requests(live.requests()))
    kept = set(latest)
    assert all(fetched[p] == 1 for p in kept), {p: fetched[p] for p in kept if fetched[p] != 1}


@pytest_twisted.ensureDeferred
async def test_since_stops_pagination_and_skips_older_articles(live, tmp_path):
    live.switch("grown")
    archive = tmp_path / "news.jsonl"

    crawler = await run_crawl(
        crawl_settings(archive), start_urls=live.base.rstrip("/") + "/a/xinwen/", since="2021-11-09"
    )

    fetched = page_requests(live.requests())
    # Page 2 ends with 11-05, before since: page 3 is not read, nor 12.html (11-05).
    assert "/a/xinwen/list_1_2.html" in fetched
    assert "/a/xinwen/list_1_3.html" not in fetched
    assert "/a/xinwen/2021/1105/12.html" not in fetched
    paths = {r["path"] for r in archived(archive, live.base)}
    assert paths == {
        "/a/xinwen/2021/1112/19.html", "/a/xinwen/2021/1111/18.html", "/a/xinwen/2021/1111/17.html",
        "/a/xinwen/2021/1110/15.html", "/a/xinwen/2021/1109/14.html",
    }
    assert crawler.stats.get_value("newsarchive/pagination/stopped_since") == 1


@pytest_twisted.ensureDeferred
async def test_a_crawl_stopped_part_way_continues_from_its_job_directory(live, tmp_path):
    """Closed early (as by SIGINT), the JOBDIR stays; the rerun fetches only what is left."""
    archive = tmp_path / "news.sqlite"
    first = await run_crawl(crawl_settings(archive, CLOSESPIDER_ITEMCOUNT=3, CONCURRENT_REQUESTS=1), start_urls=live.base)
    assert first.stats.get_value("finish_reason") == "closespider_itemcount"
    jobdir = Path(job_dir_for(str(archive)))
    assert (jobdir / "requests.seen").is_file()
    first_log = page_requests(live.requests())
    live.reset()

    second = await run_crawl(crawl_settings(archive), start_urls=live.base)

    assert second.stats.get_value("finish_reason") == "finished"
    assert not jobdir.exists()
    records = archived(archive, live.base)
    wrong = unexpected_paths(SITE, {r["path"] for r in records})
    assert not wrong, "\n".join(wrong)
    articles = article_paths(SITE)
    again = sorted(p for p in set(page_requests(live.requests())) & set(first_log) if p in articles)
    assert not again, f"article pages fetched by both runs: {again}"


# -- a plain `scrapy crawl news` killed part-way -------------------------------------------


def _scrapy_crawl(base: str, archive: Path, log: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_urls={base}",
            "-s", f"NEWSARCHIVE_ARCHIVE={archive}", "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=DEBUG",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", *extra,
        ],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _articles_crawled(log: Path) -> int:
    if not log.exists():
        return 0
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return sum(1 for line in lines if "Crawled (200)" in line and "/2021/" in line)


def _tear(jobdir: Path) -> int:
    """Cut the last bytes off every request queue file in *jobdir*, as a kill mid-write would."""
    torn = 0
    for path in (jobdir / "requests.queue").rglob("*"):
        if path.is_file() and path.name != "active.json" and path.stat().st_size > 8:
            with path.open("r+b") as f:
                f.truncate(path.stat().st_size - 3)
            torn += 1
    return torn


@pytest.mark.slow
@pytest.mark.parametrize("marker", [True, False], ids=["with-marker", "queue-only"])
def test_scrapy_crawl_killed_then_rerun_archives_every_article_once(marker, start_mock, tmp_path):
    """SIGKILL a `scrapy crawl news` mid-way, tear its queue: the rerun discards the job dir, warns,
    reads every listing page and archives every article exactly once (one of each re-post)."""
    mock = start_mock(sites=[SITE])
    base = mock.urls[SITE]
    archive = tmp_path / "news.sqlite"
    jobdir = Path(job_dir_for(str(archive)))
    log = tmp_path / "first.log"
    proc = _scrapy_crawl(base, archive, log, "-s", "DOWNLOAD_DELAY=0.25", "-s", "CONCURRENT_REQUESTS=1")
    try:
        deadline = time.monotonic() + 120
        while _articles_crawled(log) < 5 and proc.poll() is None:
            assert time.monotonic() < deadline, "timed out waiting for 5 article pages"
            time.sleep(0.05)
        assert proc.poll() is None, "the crawl ended before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert jobdir.is_dir(), "the killed crawl left no job directory to recover from"
    assert _tear(jobdir) >= 1
    marker_file = archive.with_name(archive.name + ".incomplete")
    if marker:
        assert marker_file.is_file()
    else:
        marker_file.unlink(missing_ok=True)  # only the torn queue tells

    rerun_log = tmp_path / "rerun.log"
    rerun = _scrapy_crawl(base, archive, rerun_log, "-s", "DOWNLOAD_DELAY=0")
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err[-3000:]

    text = rerun_log.read_text(encoding="utf-8", errors="replace")
    assert "WARNING" in text and "reads every listing page" in text
    assert "Spider closed (finished)" in text
    assert not jobdir.exists()
    assert not marker_file.exists()
    records = archived(archive, base)
    paths = [r["path"] for r in records]
    assert len(paths) == len(set(paths)), "an article was archived twice"
    wrong = unexpected_paths(SITE, set(paths))
    assert not wrong, "\n".join(wrong)


def test_job_state_problem_reads_a_whole_queue_and_names_a_torn_one(tmp_path):
    import struct

    from newsarchive.crawlstate import job_state_problem
    from newsarchive.diskqueue import LifoDiskQueue

    queue = tmp_path / "requests.queue"
    (queue / "p10").parent.mkdir(parents=True)
    lifo = LifoDiskQueue(queue / "p10")
    for record in (b"first request", b"second"):
        lifo.push(record)
    lifo.close()
    whole = (queue / "p10").read_bytes()
    (queue / "active.json").write_text("[10]", encoding="utf-8")
    assert job_state_problem(tmp_path) is None

    (queue / "p10").write_bytes(whole[:-3])  # cut mid-write
    assert job_state_problem(tmp_path) == f"requests.queue/p10: record 2 cut short at byte {len(whole) - 3} of {len(whole)}"
    # queuelib's format (Scrapy's own PickleLifoDiskQueue, or an older newsarchive) is not ours.
    records = [b"first request", b"second"]
    body = b"".join(r + struct.pack(">L", len(r)) for r in records)
    (queue / "p10").write_bytes(struct.pack(">L", len(records)) + body)
    assert "requests.queue/p10: not a newsarchive queue file" in (job_state_problem(tmp_path) or "")
    (queue / "p10").write_bytes(whole)
    (queue / "active.json").unlink()  # never closed
    assert "active.json" in (job_state_problem(tmp_path) or "")


def test_a_running_harvests_marker_and_job_directory_are_left_alone(tmp_path):
    """A second `scrapy crawl` on an archive another harvest is writing must not take its
    "running" marker for a killed crawl and delete that harvest's job directory."""
    from newsarchive.spiders.news import NewsSpider
    from scrapy.utils.test import get_crawler

    from newsarchive.archive.lock import ArchiveLock

    archive = tmp_path / "news.sqlite"
    jobdir = Path(job_dir_for(str(archive)))
    jobdir.mkdir()
    (jobdir / "requests.seen").write_text("", encoding="utf-8")
    (jobdir / "requests.queue").mkdir()
    (jobdir / "requests.queue" / "p10").write_bytes(b"\x00\x00\x00\x00torn")
    marker = archive.with_name(archive.name + ".incomplete")
    marker.write_text("running 999999\n", encoding="utf-8")
    holder = ArchiveLock(archive)
    holder.acquire()
    try:
        # get_crawler applies the settings: the crawl-state add-on runs its recovery.
        get_crawler(NewsSpider, crawl_settings(archive))
        assert jobdir.is_dir() and (jobdir / "requests.queue" / "p10").exists()
        assert marker.read_text(encoding="utf-8") == "running 999999\n"
    finally:
        holder.release()

    crawler = get_crawler(NewsSpider, crawl_settings(archive))
    # Once nobody holds the lock, the marker says that crawl was killed: its state goes
    # (Scrapy's SpiderState makes the JOBDIR again, empty).
    assert not (jobdir / "requests.queue").exists() and not (jobdir / "requests.seen").exists()
    assert crawler.settings.getint("NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES") == 0
    assert marker.read_text(encoding="utf-8") == f"running {os.getpid()}\n"
