"""A cleanly closed SQLite archive is readable anywhere: a copy, a read-only folder, plain sqlite3."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from newsarchive.archive import SqliteArchive, load_records, open_archive
from tests.archive_samples import make_article


def _journal_mode(path):
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_clean_close_leaves_rollback_journal_and_writer_uses_wal(tmp_path):
    db = tmp_path / "news.sqlite"
    with open_archive(db) as archive:
        archive.add(make_article("harvest"))
        assert _journal_mode(db) == "wal"
    assert _journal_mode(db) == "delete"
    assert not (tmp_path / "news.sqlite-wal").exists()
    assert not (tmp_path / "news.sqlite-shm").exists()
    with open_archive(db) as archive:
        archive.add(make_article("renovation"))
        assert _journal_mode(db) == "wal"
    assert _journal_mode(db) == "delete"
    assert len(load_records(db)) == 2


def test_close_with_a_reader_open_keeps_wal_and_loses_nothing(tmp_path):
    db = tmp_path / "news.sqlite"
    with open_archive(db) as archive:
        archive.add(make_article("harvest"))
    with open_archive(db) as archive:
        archive.add(make_article("renovation"))
        archive.flush()
        reader = SqliteArchive(db, readonly=True)
        try:
            reader.count_views()
            archive.close()
        finally:
            reader.close()
    assert len(load_records(db)) == 2


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 CLI is not installed")
def test_plain_sqlite3_cli_reads_a_closed_archive_read_only(tmp_path):
    db = tmp_path / "news.sqlite"
    with open_archive(db) as archive:
        archive.add(make_article("harvest"))
    done = subprocess.run(
        ["sqlite3", "-readonly", str(db), "SELECT count(*) FROM articles; PRAGMA journal_mode;"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "delete"]


def _left_in_wal(base):
    """An archive whose writer died before closing: the file is still in WAL mode."""
    folder = base / "copy"
    folder.mkdir()
    db = folder / "news.sqlite"
    script = (
        "import os, sys\n"
        "from newsarchive.archive import open_archive\n"
        "from tests.archive_samples import make_article\n"
        "archive = open_archive(sys.argv[1])\n"
        "archive.add(make_article('harvest'))\n"
        "archive.flush()\n"
        "archive._conn.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(db)], cwd=ROOT, check=True, timeout=60)
    for extra in ("-wal", "-shm", ".lock"):
        (folder / f"news.sqlite{extra}").unlink(missing_ok=True)
    return folder, db


ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _as_reader() -> list[str]:
    """Root ignores folder permissions: run the reader as an unprivileged user then."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot be made")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import newsarchive"],
        cwd="/", capture_output=True, text=True, timeout=60, check=False,
    )
    if probe.returncode != 0:
        why = (probe.stderr.strip().splitlines() or ["no output"])[-1]
        pytest.skip(f"the unprivileged reader cannot import the checkout (is it under a private folder?): {why}")
    return prefix


def test_stats_and_export_read_a_wal_archive_on_a_read_only_folder():
    prefix = _as_reader()
    base = Path(tempfile.mkdtemp(prefix="newsarchive-ro-"))
    try:
        base.chmod(0o777)
        folder, db = _left_in_wal(base)
        assert _journal_mode(db) == "wal"
        for extra in ("-wal", "-shm"):
            (folder / f"news.sqlite{extra}").unlink(missing_ok=True)
        db.chmod(0o444)
        folder.chmod(0o555)
        out = base / "out.jsonl"
        runs = {
            command: subprocess.run(
                [*prefix, sys.executable, "-m", "newsarchive", *args],
                cwd=base, capture_output=True, text=True, timeout=120, check=False,
            )
            for command, args in {
                "stats": ["stats", str(db)],
                "export": ["export", str(db), "-o", str(out)],
            }.items()
        }
        for command, done in runs.items():
            assert done.returncode == 0, (command, done.stderr)
        assert len(out.read_text(encoding="utf-8").splitlines()) == 1
        assert not (folder / "news.sqlite-shm").exists()
    finally:
        folder_path = base / "copy"
        if folder_path.exists():
            folder_path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)
