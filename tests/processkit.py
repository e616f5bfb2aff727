"""Helpers for tests that run `newsarchive crawl` in real subprocesses on the dedecms fixture site.

The processes a test starts through the ``procs`` fixture (tests/conftest.py) are killed
when it ends; every wait is bounded by WAIT.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from newsarchive.archive import open_archive

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "fixtures" / "sites" / "dedecms" / "expected.jsonl"
# The re-post of /a/xinwen/2021/1105/12.html (site.toml [[duplicates]]): one of the two is kept
# (the original, unless a crawl was stopped before it reached it).
REPOSTS = {"/a/xinwen/2021/1105/12.html", "/a/xiangzhen/2021/1111/16.html"}
SLOW = ["--delay", "0.25", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "RANDOMIZE_DOWNLOAD_DELAY=False"]
WAIT = 120  # seconds: the longest any single wait may take


def expected_paths() -> set[str]:
    lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["path"] for line in lines if line.strip()}


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
    records = [json.loads(line) for line in lines]  # every line parses
    # A re-post archived before its original was found keeps its line but is no article.
    with open_archive(path, readonly=True) as archive:
        replaced = {row.canonical_url for row in archive.iter_duplicates() if row.record}
    return [r for r in records if r["canonical_url"] not in replaced]


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
