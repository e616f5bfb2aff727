"""Real `newsarchive crawl` processes killed, stopped and run twice at once on one archive.

Each crawl runs in a subprocess against the dedecms fixture site with a fixed delay
between requests (no AutoThrottle), so a signal lands part-way through. Every wait is
bounded, and every process a test starts is killed when the test ends.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

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


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"], ids=["sqlite", "jsonl"])
def test_sigkill_part_way_then_rerun_archives_every_article_once(
    suffix, start_mock, procs, tmp_path
):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / f"news{suffix}"
    log = tmp_path / "crawl.log"
    proc = procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path, log=log)
    wait_for(lambda: crawled(log) >= 5 or proc.poll() is not None, "5 article pages")
    assert proc.poll() is None, "the crawl ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=WAIT)
    assert proc.returncode == -signal.SIGKILL
    if archive.exists():
        archived(archive)  # still readable: integrity ok / every line parses

    rerun = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    # Its saved state may be torn by the kill: the rerun starts afresh and reads every page.
    assert "was killed before it finished" in rerun.stderr
    assert_complete(archive)
    assert not archive.with_name(archive.name + ".incomplete").exists()


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"], ids=["sqlite", "jsonl"])
def test_sigterm_stops_gracefully_and_writes_what_was_fetched(
    suffix, start_mock, procs, tmp_path
):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / f"news{suffix}"
    log = tmp_path / "crawl.log"
    proc = procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path, log=log)
    wait_for(lambda: crawled(log) >= 5 or proc.poll() is not None, "5 article pages")
    assert proc.poll() is None, "the crawl ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 1
    assert "interrupted" in err.strip().splitlines()[-1]
    assert "Received SIGTERM" in log.read_text(encoding="utf-8")
    # Nothing in flight is lost: every article the crawl counted as new is in the archive.
    new = summary_new(out)
    assert new >= 1
    assert len(archived(archive)) == new
    marker = archive.with_name(archive.name + ".incomplete")
    assert marker.exists()

    rerun = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert "was stopped before it finished; this one reads every listing page" in rerun.stderr
    assert summary_new(rerun.stdout) == 15 - new
    assert_complete(archive)
    assert not marker.exists()


def lock_holder(archive: Path) -> int | None:
    lock = archive.with_name(archive.name + ".lock")
    try:
        text = lock.read_text().strip()
    except FileNotFoundError:
        return None
    return int(text) if text.isdigit() else None


def test_second_crawl_on_a_busy_archive_refuses(start_mock, procs, tmp_path):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / "news.sqlite"
    log = tmp_path / "first.log"
    first = procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path, log=log)
    # Article pages are requested only after the archive is asked whether it has them,
    # so once two are in, the first crawl holds the lock (its pid is in the lock file).
    wait_for(
        lambda: (crawled(log) >= 2 and lock_holder(archive) == first.pid)
        or first.poll() is not None,
        "the first crawl to take the archive's lock",
    )
    assert first.poll() is None, first.communicate(timeout=WAIT)[1][-3000:]

    second = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0",
                        cwd=tmp_path)
    assert second.returncode == 1
    assert second.stdout == ""
    err = second.stderr.strip().splitlines()
    assert len(err) == 1, second.stderr
    assert err[0].startswith("error: archive ") and "another harvest" in err[0]
    assert f"pid {first.pid}" in err[0]

    _, err_first = first.communicate(timeout=WAIT)
    assert first.returncode == 0, err_first[-3000:]
    assert_complete(archive)


def test_two_crawls_started_together_one_refuses(start_mock, procs, tmp_path):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / "news.sqlite"
    crawls = [
        procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path,
              log=tmp_path / f"crawl{n}.log")
        for n in (1, 2)
    ]
    outputs = [p.communicate(timeout=WAIT) for p in crawls]
    results = [(p.returncode, out, err) for p, (out, err) in zip(crawls, outputs, strict=True)]
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 1], [err[-2000:] for _, _, err in results]
    loser = next(err for code, _, err in results if code == 1)
    errors = [line for line in loser.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "another harvest" in errors[0]
    assert_complete(archive)


# --- --processes: the parent merges its workers' shards --------------------------------

SECTIONS = ("/a/xinwen/", "/a/minsheng/", "/a/xiangzhen/")


def start_parallel(mock, archive: Path, log: Path, cwd: Path) -> subprocess.Popen:
    """Start `crawl --processes 2` in a session of its own (so the test can kill all of it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl",
         *(mock.url("dedecms", s) for s in SECTIONS), "-o", str(archive),
         "--processes", "2", *SLOW, "-v", "--log-file", str(log)],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )


@pytest.fixture
def session_killer():
    """Kill every process group registered, whatever happens in the test."""
    groups: list[subprocess.Popen] = []
    yield groups.append
    for proc in groups:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.communicate(timeout=WAIT)


def test_sigterm_to_parallel_crawl_merges_what_workers_fetched(
    start_mock, session_killer, tmp_path
):
    mock = start_mock(sites=["dedecms"])
    archive, log = tmp_path / "news.sqlite", tmp_path / "crawl.log"
    proc = start_parallel(mock, archive, log, tmp_path)
    session_killer(proc)
    wait_for(lambda: crawled(log) >= 4 or proc.poll() is not None, "4 article pages")
    assert proc.poll() is None, "the crawl ended before it could be stopped"
    proc.send_signal(signal.SIGTERM)  # the parent only: it asks its workers to stop
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 1, err[-3000:]
    assert "interrupted" in err.strip().splitlines()[-1]
    assert not (tmp_path / "news.sqlite.parts").exists()
    assert len(archived(archive)) == summary_new(out) >= 1
    # Articles on later listing pages may be missing: the next run reads every page.
    assert (tmp_path / "news.sqlite.incomplete").exists()

    rerun = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_complete(archive)


def test_killed_parallel_crawl_leaves_shards_the_next_run_merges(
    start_mock, session_killer, tmp_path
):
    mock = start_mock(sites=["dedecms"])
    archive, log = tmp_path / "news.sqlite", tmp_path / "crawl.log"
    proc = start_parallel(mock, archive, log, tmp_path)
    session_killer(proc)
    wait_for(lambda: crawled(log) >= 4 or proc.poll() is not None, "4 article pages")
    assert proc.poll() is None, "the crawl ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # parent and workers at once, as an OOM kill would
    proc.communicate(timeout=WAIT)
    assert list((tmp_path / "news.sqlite.parts").glob("worker-*.sqlite"))

    rerun = run_to_end(*(mock.url("dedecms", s) for s in SECTIONS), "-o", str(archive),
                       "--processes", "2", "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert not (tmp_path / "news.sqlite.parts").exists()
    assert_complete(archive)


def test_double_ctrl_c_to_parallel_crawl_merges_and_says_interrupted(
    start_mock, session_killer, tmp_path
):
    mock = start_mock(sites=["dedecms"])
    archive, log = tmp_path / "news.sqlite", tmp_path / "crawl.log"
    proc = start_parallel(mock, archive, log, tmp_path)
    session_killer(proc)
    wait_for(lambda: _rows_in_shards(tmp_path / "news.sqlite.parts") >= 2 or proc.poll() is not None,
             "2 articles in the workers' shards")
    assert proc.poll() is None, "the crawl ended before it could be stopped"
    # Ctrl-C twice in a terminal: the whole process group gets SIGINT, then again.
    os.killpg(proc.pid, signal.SIGINT)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=WAIT)
    assert proc.returncode == 1, err[-3000:]
    assert "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: crawl interrupted") and "run the same command again" in last, last
    # The parent waited for its workers and merged their shards.
    assert not (tmp_path / "news.sqlite.parts").exists()
    assert len(archived(archive)) == summary_new(out) >= 1
    assert (tmp_path / "news.sqlite.incomplete").exists()

    rerun = run_to_end(*(mock.url("dedecms", s) for s in SECTIONS), "-o", str(archive),
                       "--processes", "2", "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_complete(archive)


def _rows_in_shards(parts: Path) -> int:
    """Return how many articles the workers' shards hold so far (0 while they are being made)."""
    total = 0
    for shard in parts.glob("worker-*.sqlite"):
        try:
            conn = sqlite3.connect(f"file:{shard}?mode=ro", uri=True, timeout=1)
            try:
                total += conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            pass
    return total
