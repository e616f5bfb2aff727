"""A crawl resumed from a graceful stop, killed, its request queue torn mid-record: the next run
detects the tear (newsarchive.diskqueue's checksummed records), discards the state with a note,
and archives every article of the site exactly once.

Scrapy writes requests.queue/active.json only when a crawl closes, so a queue torn by a kill
is left beside a whole active.json only by a crawl that resumed an earlier stop: that is the
case the record checks alone can catch (issue 14: the resumed crawl read the torn queue,
logged "unpack requires a buffer of 4 bytes" and lost articles).
"""

from __future__ import annotations

import signal
import struct
from pathlib import Path

import pytest

from newsarchive.crawlstate import job_dir_for
from newsarchive.diskqueue import MAGIC, torn_problem
from tests.processkit import (
    SLOW,
    WAIT,
    assert_complete,
    crawled,
    run_to_end,
    wait_for,
)

pytestmark = pytest.mark.slow


def _queue_files(jobdir: Path) -> list[Path]:
    """Our request queue files in *jobdir* (not the FIFO start queue's chunks), largest first."""
    files = [
        p for p in (jobdir / "requests.queue").rglob("*")
        if p.is_file() and p.name not in ("active.json", "info.json") and not p.name.startswith("q")
    ]
    return sorted(files, key=lambda p: p.stat().st_size, reverse=True)


def _text(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""


def _tear_last_record(path: Path) -> str:
    """Cut *path* in the middle of its last record, as a kill mid-write does; return the problem."""
    data = path.read_bytes()
    (size,) = struct.unpack(">L", data[-4:])
    record = 8 + size + 4
    path.write_bytes(data[: len(data) - record // 2])
    problem = torn_problem(path)
    assert problem is not None and "cut short" in problem, problem
    return problem


@pytest.mark.parametrize("given", [False, True], ids=["own-jobdir-marker-lost", "jobdir-given"])
def test_a_torn_queue_is_discarded_and_no_article_is_lost(given, start_mock, procs, tmp_path):
    mock = start_mock(sites=["dedecms"])
    url = mock.url("dedecms")
    archive = tmp_path / "news.sqlite"
    jobdir = tmp_path / "state" if given else Path(job_dir_for(archive))
    jobdir_args = ("-s", f"JOBDIR={jobdir}") if given else ()
    marker = archive.with_name(archive.name + ".incomplete")
    # One request in the downloader at a time: the rest wait in the queue on disk.
    slow = (*SLOW, "-s", "CONCURRENT_REQUESTS=1")

    # 1. A graceful stop part-way: Scrapy closes its queues (active.json, whole records).
    log = tmp_path / "first.log"
    first = procs(url, "-o", str(archive), *slow, *jobdir_args, cwd=tmp_path, log=log)
    wait_for(lambda: crawled(log) >= 3 or first.poll() is not None, "3 article pages")
    assert first.poll() is None, "the crawl ended before it could be stopped"
    first.send_signal(signal.SIGTERM)
    first.communicate(timeout=WAIT)
    assert first.returncode == 1
    assert (jobdir / "requests.queue" / "active.json").is_file()
    files = _queue_files(jobdir)
    assert files, "the stopped crawl left no request queue to resume"
    assert all(p.read_bytes()[: len(MAGIC)] == MAGIC for p in files), "a queue file is not ours"
    assert all(torn_problem(p) is None for p in files)

    # 2. The next run resumes the queue, and is killed part-way.
    log = tmp_path / "second.log"
    second = procs(url, "-o", str(archive), *slow, *jobdir_args, cwd=tmp_path, log=log)
    wait_for(
        lambda: second.poll() is not None
        or "Resuming crawl (" in _text(log) and crawled(log) >= 1,
        "the resumed crawl's first article page",
    )
    assert second.poll() is None, "the resumed crawl ended before it could be killed"
    second.send_signal(signal.SIGKILL)
    second.communicate(timeout=WAIT)
    assert second.returncode == -signal.SIGKILL
    text = _text(log)
    resumed = int(text.split("Resuming crawl (", 1)[1].split(" requests", 1)[0])
    assert resumed >= 1

    # 3. Tear the fullest queue file mid-record, as the kill could have.
    files = [p for p in _queue_files(jobdir) if p.stat().st_size > len(MAGIC)]
    assert files, "the killed crawl left no request in its queue to tear"
    # (A kill can tear a record itself: Python's file buffer is written out in pieces.)
    problem = torn_problem(files[0]) or _tear_last_record(files[0])
    # What the next run may name: the first torn file it meets (the kill may have torn others).
    torn = {
        f"{p.relative_to(jobdir)}: {torn_problem(p)}" for p in _queue_files(jobdir) if torn_problem(p)
    }
    assert any(problem in t for t in torn)
    if not given:
        marker.unlink()  # only the torn queue tells (the marker is the archive's own)

    # 4. A plain rerun: the torn state is discarded with a note naming the tear; nothing is lost.
    rerun = run_to_end(url, "-o", str(archive), *jobdir_args, "--delay", "0", cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    notes = [line for line in rerun.stderr.splitlines() if line.startswith("note:")]
    assert any(f"discarded (it cannot be resumed from: {t})" in n for n in notes for t in torn), (
        rerun.stderr[-3000:]
    )
    assert "unpack requires" not in rerun.stderr and "Traceback" not in rerun.stderr
    assert_complete(archive)
    assert not marker.exists()
