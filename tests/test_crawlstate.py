"""Recovery at the start of a crawl and the marker at its end (newsarchive.crawlstate)."""

from __future__ import annotations

import os
from pathlib import Path

from newsarchive.crawlstate import (
    KILLED,
    STOPPED,
    begin_crawl,
    end_crawl,
    incomplete_marker,
    job_dir_for,
    recover,
    remove_finished_job_dir,
)
from newsarchive.diskqueue import LifoDiskQueue


def _job_dir(archive: Path, *, torn: bool) -> Path:
    job = Path(job_dir_for(archive))
    queue = job / "requests.queue"
    queue.mkdir(parents=True)
    (job / "requests.seen").write_text("", encoding="utf-8")
    lifo = LifoDiskQueue(queue / "p10")
    lifo.push(b"a request")
    lifo.close()
    if torn:
        with (queue / "p10").open("r+b") as f:
            f.truncate((queue / "p10").stat().st_size - 2)
    (queue / "active.json").write_text("[10]", encoding="utf-8")
    return job


def test_a_finished_crawl_leaves_nothing_to_recover(tmp_path):
    archive = tmp_path / "news.sqlite"
    job = _job_dir(archive, torn=False)
    recovery = recover(archive, None)
    assert (recovery.how, recovery.discarded, recovery.read_every_listing) == (None, None, False)
    assert recovery.describe(archive) is None
    assert job.is_dir()


def test_after_a_kill_the_own_job_dir_goes_and_every_listing_is_read(tmp_path):
    archive = tmp_path / "news.sqlite"
    job = _job_dir(archive, torn=False)
    incomplete_marker(archive).write_text("running 4242\n", encoding="utf-8")
    recovery = begin_crawl(archive, None)
    assert recovery.how == KILLED and recovery.read_every_listing
    assert "killed" in (recovery.discarded or "")
    assert recovery.describe(archive) == (
        f"the last crawl into {archive} was killed before it finished; this one reads every listing page"
    )
    assert not job.exists()
    assert incomplete_marker(archive).read_text(encoding="utf-8") == f"running {os.getpid()}\n"


def test_after_a_graceful_stop_a_whole_job_dir_is_kept_for_resuming(tmp_path):
    archive = tmp_path / "news.sqlite"
    job = _job_dir(archive, torn=False)
    incomplete_marker(archive).write_text(f"{STOPPED}\n", encoding="utf-8")
    recovery = recover(archive, job)
    assert recovery.how == STOPPED and recovery.discarded is None and recovery.read_every_listing
    assert "was stopped before it finished" in (recovery.describe(archive) or "")
    assert job.is_dir()


def test_a_torn_job_dir_goes_whatever_the_marker_says(tmp_path):
    archive = tmp_path / "news.sqlite"
    job = _job_dir(archive, torn=True)
    recovery = recover(archive, job)
    assert recovery.how is None
    assert "requests.queue/p10: record 1 cut short" in (recovery.discarded or "")
    message = recovery.describe(archive) or ""
    assert message.startswith(f"the saved crawl state beside {archive} was discarded (") and "p10" in message
    assert not job.exists()


def test_another_job_dir_is_not_the_archives_own(tmp_path):
    archive = tmp_path / "news.sqlite"
    own = _job_dir(archive, torn=False)
    incomplete_marker(archive).write_text("running 4242\n", encoding="utf-8")
    recovery = recover(archive, tmp_path / "elsewhere")
    assert recovery.how == KILLED and recovery.discarded is None
    assert own.is_dir()
    assert remove_finished_job_dir(archive, tmp_path / "elsewhere") is False
    (own / "notes.txt").write_text("mine", encoding="utf-8")  # not only Scrapy's files
    assert remove_finished_job_dir(archive, own) is False and own.is_dir()


def test_end_crawl_removes_marks_or_leaves_the_marker(tmp_path):
    archive = tmp_path / "news.sqlite"
    marker = incomplete_marker(archive)
    marker.write_text("running 1\n", encoding="utf-8")
    end_crawl(archive, finished=False)  # a forced stop: the next crawl treats it as killed
    assert marker.read_text(encoding="utf-8") == "running 1\n"
    end_crawl(archive, finished=False, stopped=True)
    assert marker.read_text(encoding="utf-8") == f"{STOPPED}\n"
    end_crawl(archive, finished=True)
    assert not marker.exists()


def test_a_torn_jobdir_given_after_a_kill_is_named_in_the_note(tmp_path):
    # A JOBDIR set with -s is not removed for the kill alone; its torn queue is, and the note says why.
    archive = tmp_path / "news.sqlite"
    job = _job_dir(archive, torn=True).rename(tmp_path / "state")
    incomplete_marker(archive).write_text("running 4242\n", encoding="utf-8")
    recovery = recover(archive, job)
    assert recovery.how == KILLED and not job.exists()
    message = recovery.describe(archive) or ""
    assert "was killed before it finished; its saved crawl state was discarded (it cannot be resumed" in message
    assert "requests.queue/p10: record 1 cut short" in message
