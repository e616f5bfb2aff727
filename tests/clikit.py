"""Helpers for tests that run the `newsarchive` command in a subprocess and read what it printed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEDECMS = ROOT / "fixtures" / "sites" / "dedecms"

#: The crawl's summary line.
SUMMARY = re.compile(
    r"^(?P<archive>\S+): (?P<new>\d+) new, (?P<updated>\d+) updated, (?P<views>\d+) views, "
    r"(?P<unchanged>\d+) unchanged, (?P<duplicates>\d+) duplicates, (?P<failed>\d+) failed"
    r"(?:, (?P<unavailable>\d+) view counts unavailable)?"
    r"(?:, (?P<older>\d+) older than --since skipped)?(?:, (?P<newer>\d+) newer than --until skipped)?"
    r" in [\d.]+s$"
)
CLI_TIMEOUT = 180


def expected_records(site_dir: Path = DEDECMS) -> dict[str, dict]:
    lines = (site_dir / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["path"]: r for r in map(json.loads, lines)}


def run_cli(*args: str, cwd: Path, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``python -m newsarchive ARGS`` in *cwd* (not the project folder) and wait for it."""
    return subprocess.run(
        [sys.executable, "-m", "newsarchive", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def error_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("error:")]
