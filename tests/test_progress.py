"""The crawl's progress: a live line on a terminal, a plain line in the log."""

from __future__ import annotations

import logging
import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest
import pytest_twisted
from newsarchive.middlewares.progress import Snapshot

from newsarchive.errors import SettingsError
from newsarchive.settings_check import check_settings
from tests.crawlkit import LiveSite, crawl_settings, expected_records, run_crawl

LOG_LINE = re.compile(
    r"progress: (?P<pages>\d+) pages \([\d.]+/s\), (?P<new>\d+) new, \d+ updated, "
    r"(?P<duplicates>\d+) duplicates, (?P<failed>\d+) failed, \d+ known(?:; about \S+ left)?$"
)
LIVE_LINE = re.compile(r"pages (\d+) \| new (\d+) \| duplicates (\d+) \| failed (\d+) \| [\d.]+ pages/s")


def test_the_lines_say_pages_new_duplicates_failed_rate_and_eta():
    stats = {
        "response_received_count": 120, "newsarchive/archive/new": 80, "newsarchive/archive/updated": 1,
        "newsarchive/dedupe/exact": 1, "newsarchive/dedupe/near": 1, "newsarchive/links/known": 9,
        "newsarchive/progress/expected": 186,
    }
    snap = Snapshot(stats, failed=2, elapsed=40.0)
    # 80 + 1 + 2 + 2 + 9 = 94 articles met in 40 s; 92 left at 2.35 a second: 39 s.
    assert snap.live_line() == "pages 120 | new 80 | duplicates 2 | failed 2 | 3.0 pages/s | ETA 39s"
    assert snap.log_line() == (
        "progress: 120 pages (3.0/s), 80 new, 1 updated, 2 duplicates, 2 failed, 9 known; about 39s left"
    )
    assert LOG_LINE.match(snap.log_line())
    # A paginated section that states no size: no ETA.
    unknown = Snapshot({**stats, "newsarchive/progress/unknown": 1}, failed=2, elapsed=40.0)
    assert unknown.eta() is None and "ETA" not in unknown.live_line()
    assert Snapshot({}, failed=0, elapsed=0.0).live_line() == "pages 0 | new 0 | duplicates 0 | failed 0 | 0.0 pages/s"
    assert "ETA 1h02m" in Snapshot({**stats, "newsarchive/progress/expected": 94 + 8741}, 2, 40.0).live_line()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSARCHIVE_PROGRESS", "always", "one of auto, live, log"),
        ("NEWSARCHIVE_PROGRESS_INTERVAL", "-1", "a number of seconds"),
        ("NEWSARCHIVE_PROGRESS_INTERVAL", "soon", "a number of seconds"),
    ],
)
def test_bad_progress_settings_are_refused(name, value, message):
    with pytest.raises(SettingsError, match=message):
        check_settings({name: value})
    check_settings({"NEWSARCHIVE_PROGRESS": "LIVE", "NEWSARCHIVE_PROGRESS_INTERVAL": "0.5"})


@pytest.fixture(scope="module")
def live():
    site = LiveSite("dedecms")
    yield site
    site.close()


@pytest_twisted.ensureDeferred
async def test_a_crawl_not_on_a_terminal_logs_a_plain_line_each_interval(live, tmp_path, caplog):
    live.reset()
    archive = tmp_path / "news.sqlite"
    settings = crawl_settings(
        archive, NEWSARCHIVE_PROGRESS_INTERVAL=0.2, DOWNLOAD_DELAY=0.05, DOWNLOAD_DELAY_JITTER=0,
    )
    with caplog.at_level(logging.INFO, logger="newsarchive.middlewares.progress"):
        crawler = await run_crawl(settings, start_urls=live.base)
    lines = [r.getMessage() for r in caplog.records if r.name == "newsarchive.middlewares.progress"]
    matches = [LOG_LINE.match(line) for line in lines]
    assert len(matches) >= 2 and all(matches), lines
    pages = [int(m["pages"]) for m in matches]
    new = [int(m["new"]) for m in matches]
    assert pages == sorted(pages) and new == sorted(new) and pages[-1] > pages[0]
    stats = crawler.stats.get_stats()
    assert new[-1] <= stats["newsarchive/archive/new"] == len(expected_records("dedecms"))
    assert pages[-1] <= stats["response_received_count"]
    # Each section's first page states its last page: the ETA knows the total.
    assert stats.get("newsarchive/progress/unknown", 0) == 0
    assert stats["newsarchive/progress/expected"] >= len(expected_records("dedecms"))
    assert any("left" in line for line in lines), lines


def _crawl_on_a_pty(*args: str, cwd) -> tuple[int, str, str]:
    """Run ``newsarchive crawl ARGS`` with stderr on a pseudo-terminal; return (status, stdout, terminal)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", *args],
        cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, text=True,
    )
    os.close(slave)
    seen = bytearray()
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the terminal is closed: every writer has exited
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out, seen.decode("utf-8", "replace")


def test_on_a_terminal_one_live_line_is_redrawn_and_cleared(live, tmp_path):
    live.reset()
    status, out, terminal = _crawl_on_a_pty(live.base, "-o", str(tmp_path / "news.sqlite"), "--delay", "0.1", cwd=tmp_path)
    assert status == 0, terminal
    drawn = LIVE_LINE.findall(terminal)
    assert len(drawn) >= 2, terminal
    assert [int(d[0]) for d in drawn] == sorted(int(d[0]) for d in drawn)
    assert "\r" in terminal  # redrawn in place, not one line each
    assert terminal.count("\n") <= 2, terminal  # no log lines on the terminal
    assert re.match(r"\S+: 15 new, .* 1 duplicates, 0 failed in [\d.]+s$", out.strip()), out


def test_no_progress_keeps_the_terminal_quiet_and_progress_forces_the_line(live, tmp_path):
    live.reset()
    status, _, terminal = _crawl_on_a_pty(
        live.base, "-o", str(tmp_path / "a.sqlite"), "--delay", "0.05", "--no-progress", cwd=tmp_path
    )
    assert status == 0 and not LIVE_LINE.search(terminal), terminal
    live.reset()
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", live.base, "-o", str(tmp_path / "b.sqlite"),
         "--delay", "0.1", "--progress"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert LIVE_LINE.search(result.stderr), result.stderr
