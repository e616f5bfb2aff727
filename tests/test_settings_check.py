"""Settings are checked before a crawl starts: unknown NEWSARCHIVE_* names and bad values (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive import settings as project_settings
from newsarchive.errors import SettingsError
from newsarchive.settings_check import PREFIX, RULES, check_settings, setting_problems

ROOT = Path(__file__).resolve().parent.parent


def _ours() -> set[str]:
    return {name for name in vars(project_settings) if name.startswith(PREFIX)}


def test_every_setting_of_ours_has_a_rule():
    assert _ours() == {name for name in RULES if name.startswith(PREFIX)}


def test_the_project_settings_pass():
    values = {name: getattr(project_settings, name) for name in vars(project_settings) if name.isupper()}
    assert setting_problems(values) == []


def test_every_example_passes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, rule in RULES.items():
        assert setting_problems({name: rule.example}) == [], name


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NEWSARCHIVE_TIMEZONE", "UTC"),
        ("NEWSARCHIVE_TIMEZONE", "America/New_York"),
        ("NEWSARCHIVE_BATCH_SIZE", "1"),
        ("NEWSARCHIVE_BATCH_SIZE", 1000),
        ("NEWSARCHIVE_BATCH_SECONDS", "0.05"),
        ("NEWSARCHIVE_LOCK_TIMEOUT", "0"),
        ("NEWSARCHIVE_MAX_LISTING_PAGES", "0"),
        ("NEWSARCHIVE_RESUME", "False"),
        ("NEWSARCHIVE_RESUME", "1"),
        ("NEWSARCHIVE_RESUME", False),
        ("NEWSARCHIVE_ARCHIVE", ":memory:"),
        ("NEWSARCHIVE_ARCHIVE", "archive/new/folder/news.jsonl"),
        ("LOG_LEVEL", "WARNING"),
        ("DOWNLOAD_DELAY", 0),
    ],
    ids=lambda v: str(v),
)
def test_good_values_pass(name, value, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert setting_problems({name: value}) == []


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSARCHIVE_TIMEZON", "UTC", "unknown setting NEWSARCHIVE_TIMEZON — did you mean NEWSARCHIVE_TIMEZONE?"),
        ("NEWSARCHIVE_BATCHSIZE", "10", "did you mean NEWSARCHIVE_BATCH_SIZE?"),
        ("NEWSARCHIVE_FOO", "1", "unknown setting NEWSARCHIVE_FOO: the NEWSARCHIVE_* settings are listed in README.md"),
        ("NEWSARCHIVE_PURE_PYTHON", "1", "it is an environment variable"),
        ("NEWSARCHIVE_TIMEZONE", "Mars/Base", "NEWSARCHIVE_TIMEZONE='Mars/Base': give an IANA zone name"),
        ("NEWSARCHIVE_TIMEZONE", "Asia/Shangai", "(did you mean Asia/Shanghai?)"),
        ("NEWSARCHIVE_TIMEZONE", "../../etc/passwd", "give an IANA zone name"),
        ("NEWSARCHIVE_BATCH_SIZE", "ten", "give a whole number of rows of at least 1, e.g. -s NEWSARCHIVE_BATCH_SIZE=100"),
        ("NEWSARCHIVE_BATCH_SIZE", "0", "of at least 1"),
        ("NEWSARCHIVE_BATCH_SIZE", "2.5", "a whole number"),
        ("NEWSARCHIVE_MAX_LISTING_PAGES", "-1", "a whole number of pages of at least 0"),
        ("NEWSARCHIVE_LOCK_TIMEOUT", "soon", "NEWSARCHIVE_LOCK_TIMEOUT='soon': give a number of seconds, 0 or more"),
        ("NEWSARCHIVE_RETRY_BACKOFF", "-1", "0 or more"),
        ("NEWSARCHIVE_BATCH_SECONDS", "nan", "a number of seconds"),
        ("DOWNLOAD_TIMEOUT", "0", "a number of seconds above 0"),
        ("NEWSARCHIVE_RESUME", "yes", "NEWSARCHIVE_RESUME='yes': give 1 or 0 (True or False)"),
        ("NEWSARCHIVE_FETCH_COUNTERS", "off", "give 1 or 0"),
        ("NEWSARCHIVE_ARCHIVE", "news.txt", "give a path ending in .jsonl, .sqlite or .db"),
        ("NEWSARCHIVE_ARCHIVE", "", "give a path ending in .jsonl, .sqlite or .db"),
        ("LOG_LEVEL", "info", "give one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    ],
    ids=lambda v: str(v),
)
def test_bad_settings_say_what_to_give(name, value, message):
    problems = setting_problems({name: value})
    assert len(problems) == 1
    assert message in problems[0]
    with pytest.raises(SettingsError) as raised:
        check_settings({name: value})
    assert str(raised.value) == problems[0]


def test_paths_that_cannot_be_files(tmp_path):
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    under_file = str(tmp_path / "plain" / "news.sqlite")
    assert f"in a folder ({str(tmp_path / 'plain')!r} is a file)" in setting_problems({"NEWSARCHIVE_ARCHIVE": under_file})[0]
    (tmp_path / "dir.sqlite").mkdir()
    assert "is a folder" in setting_problems({"NEWSARCHIVE_ARCHIVE": str(tmp_path / "dir.sqlite")})[0]
    assert "is a file" in setting_problems({"JOBDIR": str(tmp_path / "plain")})[0]
    assert "is a folder" in setting_problems({"LOG_FILE": str(tmp_path)})[0]


def test_every_bad_setting_is_reported_in_name_order():
    problems = setting_problems({"NEWSARCHIVE_TIMEZONE": "Mars/Base", "NEWSARCHIVE_BATCH_SIZE": "x", "OTHER": "y"})
    assert [p.split("=")[0] for p in problems] == ["NEWSARCHIVE_BATCH_SIZE", "NEWSARCHIVE_TIMEZONE"]


# --- scrapy crawl, in a real process ------------------------------------------------------


def _scrapy_crawl(tmp_path: Path, *settings: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "start_urls=http://127.0.0.1:9/",
            "-s", f"NEWSARCHIVE_ARCHIVE={tmp_path / 'news.sqlite'}"]
    for setting in settings:
        argv += ["-s", setting]
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("NEWSARCHIVE_TIMEZON=UTC", "error: unknown setting NEWSARCHIVE_TIMEZON — did you mean NEWSARCHIVE_TIMEZONE?"),
        ("NEWSARCHIVE_TIMEZONE=Mars/Base", "error: NEWSARCHIVE_TIMEZONE='Mars/Base': give an IANA zone name"),
        ("NEWSARCHIVE_BATCH_SIZE=ten", "error: NEWSARCHIVE_BATCH_SIZE='ten': give a whole number of rows"),
        ("NEWSARCHIVE_MAX_LISTING_PAGES=-5", "error: NEWSARCHIVE_MAX_LISTING_PAGES='-5': give a whole number of pages of at least 0"),
        ("NEWSARCHIVE_LOCK_TIMEOUT=soon", "error: NEWSARCHIVE_LOCK_TIMEOUT='soon': give a number of seconds"),
        ("NEWSARCHIVE_RESUME=yes", "error: NEWSARCHIVE_RESUME='yes': give 1 or 0"),
        ("NEWSARCHIVE_ARCHIVE=news.txt", "error: NEWSARCHIVE_ARCHIVE='news.txt': give a path ending in .jsonl, .sqlite or .db"),
        ("LOG_LEVEL=verbose", "error: LOG_LEVEL='verbose': give one of CRITICAL, ERROR, WARNING, INFO, DEBUG"),
    ],
    ids=["unknown-name", "zone", "whole-number", "range", "seconds", "boolean", "path", "choice"],
)
def test_scrapy_crawl_stops_with_one_error_line(setting, message, tmp_path):
    # A crawl stopped gracefully before: its marker and resume state must be left for the next run.
    (tmp_path / "news.sqlite.incomplete").write_text("stopped\n", encoding="utf-8")
    (tmp_path / "news.sqlite.job").mkdir()
    result = _scrapy_crawl(tmp_path, setting)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.sqlite.incomplete", "news.sqlite.job"]
    assert (tmp_path / "news.sqlite.incomplete").read_text(encoding="utf-8") == "stopped\n"


def test_scrapy_crawl_with_good_settings_gets_past_the_check(tmp_path):
    result = _scrapy_crawl(tmp_path, "NEWSARCHIVE_TIMEZONE=UTC", "NEWSARCHIVE_BATCH_SIZE=5", "LOG_LEVEL=INFO")
    assert "error: " not in result.stderr
    assert "Spider opened" in result.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("NEWSARCHIVE_TIMEZON=UTC", "error: unknown setting NEWSARCHIVE_TIMEZON — did you mean NEWSARCHIVE_TIMEZONE?"),
        ("NEWSARCHIVE_RETRY_BACKOFF=fast", "error: NEWSARCHIVE_RETRY_BACKOFF='fast': give a number of seconds"),
    ],
    ids=["unknown-name", "seconds"],
)
def test_newsarchive_crawl_stops_with_one_error_line_before_making_anything(setting, message, tmp_path):
    archive = tmp_path / "new" / "news.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "http://127.0.0.1:9/", "-o", str(archive), "-s", setting],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], result.stderr
    assert result.stderr.startswith(message), result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "new").exists()
