"""Shared harvests (``crawl --redis``): real redis-server, worker and archiver subprocesses, fixture sites."""

from __future__ import annotations

import re
import socket
import time
from urllib.parse import urlsplit

import pytest

from newsarchive.distributed import RunKeys
from newsarchive.settings_check import setting_problems
from tests.crawlkit import page_requests
from tests.processkit import REPOSTS, archived, assert_complete, run_to_end
from tests.rediskit import QUICK, WAIT, Harvest, redis_client, wait_for

pytestmark = pytest.mark.slow

# A worker takes at most two requests at a time from the shared queue, so that a
# second worker finds some left (a worker holds up to CONCURRENT_REQUESTS).
SHARE = ["-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSARCHIVE_REDIS_WORKER_TIMEOUT=4"]


def _fields(records: list[dict]) -> set[tuple]:
    """The records as one process archives them; of the site's re-post pair, whichever
    came first is kept (processkit.REPOSTS), so the pair is compared by its content."""
    return {
        ("re-post" if urlsplit(r["canonical_url"]).path in REPOSTS else urlsplit(r["canonical_url"]).path,
         r["content_hash"], r["title"], r["version"])
        for r in records
    }


def _fetched(output: str) -> int:
    match = re.search(r": (\d+) pages fetched", output)
    assert match, output
    return int(match.group(1))


@pytest.mark.parametrize(
    ("name", "value", "bad"),
    [
        ("NEWSARCHIVE_REDIS_URL", "redis://127.0.0.1:6379/0", False),
        ("NEWSARCHIVE_REDIS_URL", "unix:///run/redis.sock", False),
        ("NEWSARCHIVE_REDIS_URL", "127.0.0.1:6379", True),
        ("NEWSARCHIVE_REDIS_RUN", "county-2026-12-07", False),
        ("NEWSARCHIVE_REDIS_RUN", "two words", True),
        ("NEWSARCHIVE_REDIS_WORKER_TIMEOUT", "0", True),
    ],
    ids=["url", "unix-socket", "no-scheme", "run", "run-space", "timeout-zero"],
)
def test_redis_settings_are_checked(name, value, bad):
    problems = setting_problems({name: value})
    assert bool(problems) is bad, problems
    if bad:
        assert problems[0].startswith(f"{name}={value!r}: give")


def test_two_workers_and_an_archiver_archive_what_one_process_does(redis_url, start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    url = mock.urls["dedecms"]
    single = run_to_end(url, "-o", str(tmp_path / "single.sqlite"), *QUICK, cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    mock.reset("dedecms")
    harvest = Harvest(redis_url, tmp_path)
    try:
        archiver = harvest.archiver(tmp_path / "shared.sqlite")
        first = harvest.worker(url, *QUICK, *SHARE, "--delay", "0.2", name="first")
        wait_for(lambda: "Crawled (200)" in harvest.log("first"), "the first worker's first page")
        second = harvest.worker(url, *QUICK, *SHARE, "--delay", "0.2", name="second")
        for proc in (first, second, archiver):
            assert harvest.wait(proc) == 0, harvest.output(proc.name)
    finally:
        harvest.close()
    assert_complete(tmp_path / "shared.sqlite")
    assert _fields(archived(tmp_path / "shared.sqlite")) == _fields(archived(tmp_path / "single.sqlite"))
    # Each page once: the second worker did not fetch the start page again (robots.txt
    # is each worker's own).
    pages = [p for p in page_requests(mock.requests("dedecms")) if p != "/robots.txt"]
    assert sorted(p for p in set(pages) if pages.count(p) > 1) == []
    # How the pages split between the workers is left open: the idle rule (a worker
    # stays while another holds a request) is test_a_worker_stays_while_another_still_fetches.
    assert _fetched(harvest.output("first")) + _fetched(harvest.output("second")) >= len(set(pages))
    client = redis_client(redis_url)
    keys = RunKeys("news")
    assert client.exists(keys.done)
    assert not client.exists(keys.requests, keys.seen, keys.items, keys.items_processing)


def test_a_worker_stays_while_another_still_fetches(redis_url, start_mock, tmp_path):
    """The idle rule: a worker with nothing left to do stays while any live worker holds a request."""
    url = start_mock(sites=["dedecms"]).urls["dedecms"]
    client = redis_client(redis_url)
    keys = RunKeys("news")
    # Another worker, alive, with one request in flight (as POP_SCRIPT records it).
    client.sadd(keys.workers, "other")
    client.set(keys.alive("other"), "1", ex=WAIT)
    client.hset(keys.inflight("other"), "token", b"0\nrequest")
    harvest = Harvest(redis_url, tmp_path)
    try:
        worker = harvest.worker(url, *QUICK, *SHARE, name="worker")
        name = f"{socket.gethostname()}-{worker.pid}"
        wait_for(lambda: client.llen(keys.items) >= 15, "the worker's articles")
        wait_for(lambda: not client.exists(keys.requests, keys.inflight(name)), "the worker's own work to end")
        time.sleep(3)  # a few of its idle checks (every second with a 4 s worker timeout)
        assert worker.poll() is None, harvest.output("worker")
        client.delete(keys.inflight("other"), keys.alive("other"))
        client.srem(keys.workers, "other")
        assert harvest.wait(worker) == 0, harvest.output("worker")
    finally:
        harvest.close()
    assert client.exists(keys.done)


def test_a_worker_requests_sitemap_only_articles_when_the_whole_harvest_is_idle(redis_url, start_mock, tmp_path):
    """A sitemap's (or a home page's) leftover links wait for every worker, not only this
    one: a section another worker still reads would otherwise lose its articles' listing_url.
    wpnews has 9 articles its sections list and 3 that only its sitemaps name."""
    mock = start_mock(sites=["wpnews"])
    url = mock.urls["wpnews"]
    client = redis_client(redis_url)
    keys = RunKeys("news")
    client.sadd(keys.workers, "other")
    client.set(keys.alive("other"), "1", ex=WAIT)
    client.hset(keys.inflight("other"), "token", b"0\nrequest")
    quick = ["--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=False"]  # sitemaps on
    harvest = Harvest(redis_url, tmp_path)
    archive = tmp_path / "shared.sqlite"
    try:
        archiver = harvest.archiver(archive)
        worker = harvest.worker(url, *quick, *SHARE, name="worker")
        name = f"{socket.gethostname()}-{worker.pid}"
        articles = lambda: {p for p in page_requests(mock.requests("wpnews")) if p.startswith("/20")}
        wait_for(lambda: len(articles()) >= 9, "the sections' articles")
        wait_for(lambda: not client.exists(keys.requests, keys.inflight(name)), "the worker's own work to end")
        time.sleep(3)  # a few of its idle checks
        early = articles()
        assert worker.poll() is None, harvest.output("worker")
        client.delete(keys.inflight("other"), keys.alive("other"))
        client.srem(keys.workers, "other")
        for proc in (worker, archiver):
            assert harvest.wait(proc) == 0, harvest.output(proc.name)
    finally:
        harvest.close()
    records = archived(archive)
    by_listing = {urlsplit(r["canonical_url"]).path: urlsplit(r["listing_url"]).path for r in records}
    sitemap_only = {p for p, listing in by_listing.items() if listing.endswith((".xml", ".xml.gz"))}
    assert len(records) == 12 and len(sitemap_only) == 3, by_listing
    assert early and not early & sitemap_only, (sorted(early), sorted(sitemap_only))
