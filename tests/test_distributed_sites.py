"""Shared harvests and the sites: one politeness across workers, incremental harvests as on one machine."""

from __future__ import annotations

import pytest

from tests.crawlkit import (
    LiveSite,
    archived,
    article_paths,
    expected_records,
    mismatches,
    page_requests,
)
from tests.rediskit import QUICK, Harvest, wait_for

pytestmark = pytest.mark.slow

SHARE = ["-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSARCHIVE_REDIS_WORKER_TIMEOUT=4"]


def _busiest(times: list[float], window: float) -> int:
    """Return the most requests the site received within any *window* seconds."""
    times = sorted(times)
    most, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


def test_three_workers_keep_one_site_s_delay_between_them(redis_url, tmp_path):
    """DOWNLOAD_DELAY=0.3 is the site's, not each worker's: 3 workers on their own would
    send up to 10 requests a second (20 in 2 s); shared, the site gets at most 2/0.3 ≈ 7
    in any 2 seconds (counted from the server's own log; 3 more allowed for scheduling)."""
    live = LiveSite("dedecms")
    harvest = Harvest(redis_url, tmp_path)
    delay = ["--delay", "0.3", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSARCHIVE_SITEMAPS=0"]
    try:
        archiver = harvest.archiver(tmp_path / "shared.sqlite")
        workers = [harvest.worker(live.base, *delay, *SHARE, name=f"w{i}") for i in range(3)]
        for proc in (*workers, archiver):
            assert harvest.wait(proc) == 0, harvest.output(proc.name)
        times = live.request_times()
    finally:
        harvest.close()
        live.close()
    assert len(times) >= 40
    assert _busiest(times, 2.0) <= int(2.0 / 0.3) + 3, sorted(times)
    fetched = [int(harvest.output(f"w{i}").split(": ", 1)[1].split(" pages", 1)[0]) for i in range(3)]
    assert sum(1 for n in fetched if n > 0) >= 2, fetched  # the work was shared


def test_a_second_shared_harvest_adds_only_the_new_articles(redis_url, tmp_path):
    live = LiveSite("dedecms")
    archive = tmp_path / "shared.sqlite"
    harvest = Harvest(redis_url, tmp_path)
    try:
        archiver = harvest.archiver(archive, name="archiver1")
        wait_for(lambda: "published" in harvest.output("archiver1"), "the archive's URLs published")
        for proc in (harvest.worker(live.base, *QUICK, name="day1"), archiver):
            assert harvest.wait(proc) == 0, harvest.output(proc.name)
        before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
        live.switch("grown")
        archiver = harvest.archiver(archive, name="archiver2")
        # Started first, as the README says: the workers then skip what it has.
        wait_for(lambda: "published" in harvest.output("archiver2"), "the archive's URLs published")
        day2 = [harvest.worker(live.base, *QUICK, *SHARE, name=f"day2-{i}") for i in range(2)]
        for proc in (*day2, archiver):
            assert harvest.wait(proc) == 0, harvest.output(proc.name)
        second = page_requests(live.requests())
    finally:
        harvest.close()
        live.close()
    after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    grown = expected_records("dedecms", "expected-grown.jsonl")
    assert set(after) - set(before) == set(grown)
    assert {p: after[p] for p in before} == before, "the grown site changed old records"
    problems = [m for p in sorted(grown) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    again = sorted(set(second) & (article_paths("dedecms") - set(grown)))
    assert not again, f"old article pages fetched again on the second day: {again}"
    assert f"{len(grown)} new, 0 updated" in harvest.output("archiver2")
