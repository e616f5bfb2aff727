"""The writer's lock, between real processes: a second writer fails clearly or waits; readers pass."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from newsarchive.archive import ArchiveLocked, load_records, open_archive
from tests.archive_samples import make_article

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A writer process: opens the archive, adds one article, prints "ready", then
# holds the lock until its stdin closes (or it is killed).
HOLDER = textwrap.dedent(
    """
    import sys
    from newsarchive.archive import open_archive
    from tests.archive_samples import make_article
    with open_archive(sys.argv[1]) as archive:
        archive.add(make_article("harvest", path="news/holder.html"))
        archive.flush()
        print("ready", flush=True)
        sys.stdin.read()
    """
)

# A writer process that adds N articles, waiting up to 30 s for the lock.
WRITER = textwrap.dedent(
    """
    import sys
    from newsarchive.archive import open_archive
    from tests.archive_samples import make_article
    name, count = sys.argv[2], int(sys.argv[3])
    with open_archive(sys.argv[1], lock_timeout=30, batch_size=5) as archive:
        for i in range(count):
            archive.add(make_article("school", path=f"{name}/{i}.html", title=f"{name} {i} 新教学楼投入使用"))
    """
)

BACKENDS = ["jsonl", "sqlite"]


@pytest.fixture(params=BACKENDS)
def path(request, tmp_path):
    return tmp_path / f"news.{request.param}"


def _python(code, *args, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], cwd=ROOT, text=True, **kwargs
    )


@pytest.fixture
def holder(path):
    proc = _python(HOLDER, path, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "ready"
    yield proc
    if not proc.stdin.closed:
        proc.stdin.close()
    proc.wait(timeout=30)
    proc.stdout.close()


def test_second_writer_fails_with_clear_message(path, holder):
    with pytest.raises(ArchiveLocked) as info:
        open_archive(path)
    message = str(info.value)
    assert message == (
        f"archive {path} is being written by another harvest (pid {holder.pid}); "
        "wait for it to finish, or run cron jobs under flock"
    )


def test_second_writer_process_fails_without_writing(path, holder):
    before = path.read_bytes()
    out = subprocess.run(
        [sys.executable, "-c", WRITER.replace("lock_timeout=30", "lock_timeout=0"), str(path), "b", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )
    assert out.returncode != 0
    assert "is being written by another harvest" in out.stderr
    assert path.read_bytes() == before


def test_reader_works_while_writer_holds_the_lock(path, holder):
    records = load_records(path)
    assert [r["canonical_url"] for r in records] == [make_article("harvest", path="news/holder.html").canonical_url]


def test_waiting_writer_gets_the_lock_when_released(path, holder):
    started = time.monotonic()
    holder.stdin.close()  # the first harvest finishes after we start waiting
    with open_archive(path, lock_timeout=30) as archive:
        assert archive.add(make_article("festival")) == "new"
    assert time.monotonic() - started < 30
    assert holder.wait(timeout=30) == 0


def test_lock_dies_with_a_killed_writer(path, holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with open_archive(path) as archive:  # no stale lock
        assert archive.has_url(make_article("harvest", path="news/holder.html").canonical_url)


def test_waiting_gives_up_after_lock_timeout(path, holder):
    started = time.monotonic()
    with pytest.raises(ArchiveLocked):
        open_archive(path, lock_timeout=0.3)
    assert 0.25 <= time.monotonic() - started < 5


def test_two_writers_never_interleave(path):
    procs = [_python(WRITER, path, name, 40) for name in ("a", "b")]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    records = load_records(path)
    assert len(records) == 80
    if path.suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").splitlines()
        names = [json.loads(line)["title"].split()[0] for line in lines]
        # One writer's lines all come before the other's.
        assert names == sorted(names) or names == sorted(names, reverse=True)
