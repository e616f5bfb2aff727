"""Shared harvests survive their processes: a worker killed mid-crawl, an archiver killed mid-drain."""

from __future__ import annotations

import re
import signal
import socket

import pytest

from newsarchive.distributed import RunKeys
from tests.processkit import assert_complete
from tests.rediskit import QUICK, Harvest, redis_client, wait_for

pytestmark = pytest.mark.slow

SHARE = ["-s", "CONCURRENT_REQUESTS=2", "-s", "NEWSARCHIVE_REDIS_WORKER_TIMEOUT=4"]


def test_a_worker_killed_mid_crawl_loses_no_article(redis_url, start_mock, tmp_path):
    url = start_mock(sites=["dedecms"]).urls["dedecms"]
    client = redis_client(redis_url)
    keys = RunKeys("news")
    harvest = Harvest(redis_url, tmp_path)
    try:
        archiver = harvest.archiver(tmp_path / "shared.sqlite")
        doomed = harvest.worker(url, *QUICK, *SHARE, "--delay", "0.3", name="doomed")
        wait_for(lambda: "Crawled (200)" in harvest.log("doomed"), "the first worker's first page")
        survivor = harvest.worker(url, *QUICK, *SHARE, "--delay", "0.3", name="survivor")
        inflight = keys.inflight(f"{socket.gethostname()}-{doomed.pid}")
        # Killed while it holds requests, after some of its articles were sent.
        wait_for(lambda: client.llen(keys.items) + client.scard(keys.known) >= 3 and client.hlen(inflight) > 0,
                 "the doomed worker to hold requests mid-crawl")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        assert harvest.wait(survivor) == 0, harvest.output("survivor")
        assert harvest.wait(archiver) == 0, harvest.output("archiver")
    finally:
        harvest.close()
    assert_complete(tmp_path / "shared.sqlite")
    taken = re.search(r"(\d+) requests of silent workers taken over", harvest.output("survivor"))
    assert taken and int(taken.group(1)) >= 1, harvest.output("survivor")
    assert not client.exists(inflight)


def test_an_archiver_killed_mid_drain_loses_nothing_when_started_again(redis_url, start_mock, tmp_path):
    url = start_mock(sites=["dedecms"]).urls["dedecms"]
    client = redis_client(redis_url)
    keys = RunKeys("news")
    harvest = Harvest(redis_url, tmp_path)
    archive = tmp_path / "shared.sqlite"
    try:
        # The harvest runs to its end with no archiver: its articles wait in Redis.
        worker = harvest.worker(url, *QUICK, name="worker")
        assert harvest.wait(worker) == 0, harvest.output("worker")
        sent = client.llen(keys.items)
        assert sent == 16  # 15 articles and the re-post of one
        # What an archiver killed after taking a batch leaves: the batch in items:processing
        # (taken from the list, not yet committed). The next archiver starts with it.
        for _ in range(5):
            client.lmove(keys.items, keys.items_processing, "LEFT", "RIGHT")
        first = harvest.archiver(archive, name="first")
        # The archiver adds each committed article's URL to the known set.
        wait_for(lambda: client.scard(keys.known) > 0 or first.poll() is not None, "the first commit")
        first.send_signal(signal.SIGKILL)  # wherever it is now: mid-batch, between batches or done
        first.wait(timeout=10)
        # Started again (--until-idle: the first may have drained all before its kill).
        again = harvest.archiver(archive, "--until-idle", "2", name="again")
        assert harvest.wait(again) == 0, harvest.output("again")
    finally:
        harvest.close()
    assert_complete(archive)
    assert not client.exists(keys.items, keys.items_processing)
