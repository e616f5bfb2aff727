"""Real `newsarchive crawl` processes killed, stopped and run twice at once on one archive.

Each crawl runs in a subprocess against the dedecms fixture site with a fixed delay
between requests (no AutoThrottle), so a signal lands part-way through. Every wait is
bounded, and every process a test starts is killed when the test ends.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "fixtures" / "sites" / "dedecms" / "expected.jsonl"
# The re-post of /a/xinwen/2021/1105/12.html (site.toml [[duplicates]]): one of the two is kept.
REPOSTS = {"/a/xinwen/2021/1105/12.html", "/a/xiangzhen/2021/1111/16.html"}
SLOW = ["--delay", "0.25", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"]
WAIT = 120  # seconds: the longest any single wait may take


def expected_paths() -> set[str]:
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["path"] for line in lines if line.strip()}


@pytest.fixture
def procs():
    """Start crawl subprocesses; whatever is still running at the end is killed."""
    started: list[subprocess.Popen] = []

    def start(*args: str, cwd: Path, log: Path) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "crawl", *args, "-v", "--log-file", str(log)],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=WAIT)


def wait_for(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def crawled(log: Path) -> int:
    """Return how many article pages the log says were downloaded."""
    if not log.exists():
        return 0
    text = log.read_text(encoding="utf-8", errors="replace")
    return sum(1 for line in text.splitlines() if "Crawled (200)" in line and "/20" in line)


def run_to_end(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", *args],
        cwd=cwd, capture_output=True, text=True, timeout=WAIT, check=False,
    )


def archived(path: Path) -> list[dict]:
    """Return every record of the archive, checking the file on the way."""
    if path.suffix == ".sqlite":
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute("SELECT * FROM articles")]
        finally:
            conn.close()
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]  # every line parses


def assert_complete(path: Path) -> None:
    """Every expected article exactly once (one of the two re-posts), nothing else."""
    records = archived(path)
    urls = [r["canonical_url"] for r in records]
    assert len(urls) == len(set(urls)), "an article was archived twice"
    paths = {urlsplit(r["url"]).path for r in records}
    assert len(paths) == len(records)
    missing = expected_paths() - paths
    assert len(missing) == 1 and missing <= REPOSTS, f"missing: {sorted(missing)}"
    assert paths <= expected_paths()


def summary_new(stdout: str) -> int:
    line = stdout.strip().splitlines()[-1]
    return int(line.split(": ", 1)[1].split(" new", 1)[0])


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
