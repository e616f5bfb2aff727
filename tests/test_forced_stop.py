"""Two SIGINT/SIGTERM at random points of a real `newsarchive crawl`, then a plain rerun.

Scrapy stops gracefully at the first signal and at once at the second. Whenever
the two land (before the first article, mid-crawl, during the graceful stop),
the crawl must exit 1 with the interrupted error line unless it had finished,
its summary must count exactly the rows in the archive, and one plain rerun
must leave every article of the site archived exactly once. Seeds are fixed,
so a failure is replayed by its test id; count and time are bounded.
"""

from __future__ import annotations

import random
import signal
import subprocess

import pytest

from tests.processkit import (
    SLOW,
    WAIT,
    archived,
    assert_complete,
    crawled,
    run_to_end,
    summary_new,
    wait_for,
)

pytestmark = pytest.mark.slow

SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"], ids=["sqlite", "jsonl"])
def test_two_signals_at_random_points_lose_no_article(suffix, seed, start_mock, procs, tmp_path):
    rng = random.Random(f"{suffix}{seed}")
    first, second = rng.choice([signal.SIGINT, signal.SIGTERM]), rng.choice([signal.SIGINT, signal.SIGTERM])
    after_pages = rng.randint(1, 12)  # article pages downloaded before the first signal
    gap = rng.uniform(0.0, 1.5)  # seconds between the two signals
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / f"news{suffix}"
    log = tmp_path / "crawl.log"
    proc = procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path, log=log)
    wait_for(lambda: crawled(log) >= after_pages or proc.poll() is not None, f"{after_pages} article pages")
    if proc.poll() is None:
        proc.send_signal(first)
        try:
            proc.wait(timeout=gap)
        except subprocess.TimeoutExpired:  # still running after the gap: the second signal
            proc.send_signal(second)
    out, err = proc.communicate(timeout=WAIT)
    where = f"seed {seed}: {first.name} after {after_pages} pages, {second.name} {gap:.2f}s later"
    if proc.returncode == 0:
        # It finished before a signal could stop it: a whole archive.
        assert_complete(archive)
    else:
        assert proc.returncode == 1, f"{where}: exit {proc.returncode}\n{err[-2000:]}"
        last = err.strip().splitlines()[-1]
        assert last.startswith("error: crawl interrupted") and "run the same command again" in last, (
            f"{where}: {last}"
        )
        rows = archived(archive) if archive.exists() else []
        assert summary_new(out) == len(rows), f"{where}: the summary counts rows not in the archive"
        marker = archive.with_name(archive.name + ".incomplete")
        assert marker.exists(), f"{where}: the marker says the crawl finished"

    rerun = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, f"{where}: rerun failed\n{rerun.stderr[-3000:]}"
    assert "unpack requires" not in rerun.stderr
    assert_complete(archive)
    assert not archive.with_name(archive.name + ".incomplete").exists()


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"], ids=["sqlite", "jsonl"])
def test_a_plain_scrapy_crawl_forced_to_stop_commits_what_it_counted(suffix, start_mock, tmp_path):
    """`scrapy crawl news`, SIGINT twice part-way: the archive holds every article the crawl
    counted as archived, and a plain rerun completes it."""
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / f"news{suffix}"
    log = tmp_path / "crawl.log"

    def scrapy_crawl(*extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [
                sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"start_urls={mock.url('dedecms')}",
                "-s", f"NEWSARCHIVE_ARCHIVE={archive}", "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=DEBUG",
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False", *extra,
            ],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )

    # Batches of 100 over 60 s: without the forced-stop commit, nothing counted would be written.
    proc = scrapy_crawl("-s", "DOWNLOAD_DELAY=0.25", "-s", "NEWSARCHIVE_BATCH_SECONDS=60")
    try:
        wait_for(
            lambda: proc.poll() is not None
            or log.exists() and log.read_text(encoding="utf-8").count(": new\n") >= 3,
            "3 articles archived",
        )
        assert proc.poll() is None, "the crawl ended before it could be stopped"
        proc.send_signal(signal.SIGINT)
        wait_for(lambda: "shutting down gracefully" in log.read_text(encoding="utf-8"), "the first")
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=WAIT)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "received SIGINT twice" in text
    counted = sum(1 for line in text.splitlines() if "archived http" in line and ": new" in line)
    assert counted >= 1
    assert len(archived(archive)) == counted

    rerun = scrapy_crawl("-s", "DOWNLOAD_DELAY=0")
    rerun.communicate(timeout=WAIT)
    assert rerun.returncode == 0
    assert "unpack requires" not in log.read_text(encoding="utf-8", errors="replace")
    assert_complete(archive)
