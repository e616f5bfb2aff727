"""Check a crawl's settings before it starts: known names, and values a crawl can use.

A typo (``NEWSARCHIVE_TIMEZON``) was ignored and a bad value
(``NEWSARCHIVE_TIMEZONE=Mars/Base``) failed mid-crawl with a traceback. The
rules are a table, one row per ``NEWSARCHIVE_*`` setting ``newsarchive.settings``
defines (a test keeps the two in step), plus the few Scrapy settings whose
wrong value otherwise ends in a traceback. The ``newsarchive crawl`` command
and the settings-check add-on of a plain ``scrapy crawl`` both call
``check_settings``.

Values are read as Scrapy's getters read them (``-s`` gives strings; settings
files and tests give Python values), then checked for range.
"""
from __future__ import annotations

import difflib
import math
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from newsarchive import settings as project_settings
from newsarchive.distributed import redis_url_problem, run_id_problem
from newsarchive.errors import ArchiveError, SettingsError

__all__ = ["PREFIX", "RULES", "check_settings", "setting_problems"]

#: The prefix of every setting of ours; any other name with it is a typo.
PREFIX = "NEWSARCHIVE_"

# Variables read from the environment, not settings: named so the hint can say so.
_ENVIRONMENT = frozenset({"NEWSARCHIVE_PURE_PYTHON"})
# The level names Python's logging accepts (Scrapy hands LOG_LEVEL to it).
_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
# Scrapy's getbool accepts these, and any integer text.
_TRUE = frozenset({"True", "true"})
_FALSE = frozenset({"False", "false"})


@dataclass(frozen=True, slots=True)
class _Rule:
    """How one setting's value is read and checked.

    *check* returns None for a good value, else what to give instead (the text
    after "give"). *example* is a good value for the message.
    """

    check: Callable[[object], str | None]
    example: str


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value)
    if isinstance(value, str):
        text = value.strip()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        try:
            return bool(int(text))
        except ValueError:
            return None
    return None


def _boolean(value: object) -> str | None:
    return None if _as_bool(value) is not None else "1 or 0 (True or False)"


def _whole(minimum: int, unit: str) -> Callable[[object], str | None]:
    want = f"a whole number of {unit} of at least {minimum}"

    def check(value: object) -> str | None:
        if isinstance(value, bool):
            return want
        try:
            number = int(value) if isinstance(value, (int, str)) else None
        except ValueError:
            number = None
        return want if number is None or number < minimum else None

    return check


def _seconds(*, above_zero: bool = False) -> Callable[[object], str | None]:
    want = "a number of seconds above 0" if above_zero else "a number of seconds, 0 or more"

    def check(value: object) -> str | None:
        if isinstance(value, bool):
            return want
        try:
            number = float(value) if isinstance(value, (int, float, str)) else None
        except ValueError:
            number = None
        if number is None or not math.isfinite(number) or number < 0 or (above_zero and number == 0):
            return want
        return None

    return check


def _zone(value: object) -> str | None:
    want = "an IANA zone name such as Asia/Shanghai or UTC"
    if not isinstance(value, str) or not value.strip():
        return want
    try:
        zoneinfo.ZoneInfo(value.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(value.strip(), sorted(zoneinfo.available_timezones()), n=1)
        return f"{want} (did you mean {close[0]}?)" if close else want
    return None


def _archive(value: object) -> str | None:
    from newsarchive.archive import backend_for

    want = "a path ending in .jsonl, .sqlite or .db"
    if not isinstance(value, (str, Path)) or not str(value).strip():
        return want
    if str(value) == ":memory:":
        return None
    try:
        backend_for(value)
    except ArchiveError:
        return want
    return _folder_problem(Path(value), want)


def _folder_problem(path: Path, want: str) -> str | None:
    """Return what to give when *path* cannot be a file: it is a folder, or under a file."""
    if path.is_dir():
        return f"{want} ({str(path)!r} is a folder)"
    for parent in path.parents:
        if parent.exists():
            return None if parent.is_dir() else f"{want} in a folder ({str(parent)!r} is a file)"
    return None


def _file_path(value: object) -> str | None:
    want = "a file path"
    if not isinstance(value, (str, Path)) or not str(value).strip():
        return want
    return _folder_problem(Path(value), want)


def _folder_path(value: object) -> str | None:
    want = "a folder path"
    if not isinstance(value, (str, Path)) or not str(value).strip():
        return want
    path = Path(value)
    if path.exists() and not path.is_dir():
        return f"{want}; {str(path)!r} is a file"
    return None


def _warc_files(value: object) -> str | None:
    # Whether each file exists is checked when the crawl opens them (newsarchive crawl
    # --from-warc checks before it starts).
    want = "WARC file paths ending in .warc or .warc.gz, comma-separated"
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)):
        return want
    for name in names:
        text = str(name).strip()
        if not text.endswith((".warc", ".warc.gz")):
            return f"{want} (not {text!r})"
        if Path(text).is_dir():
            return f"{want} ({text!r} is a folder)"
    return None


def _log_level(value: object) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None
    return None if value in _LOG_LEVELS else f"one of {', '.join(_LOG_LEVELS)} (upper case)"


def _progress_mode(value: object) -> str | None:
    return None if str(value).lower() in ("auto", "live", "log") else "one of auto, live, log"


#: The rule of every setting checked: each NEWSARCHIVE_* one settings.py defines, and
#: the Scrapy settings whose bad value otherwise stops a crawl with a traceback.
RULES: Mapping[str, _Rule] = {
    "NEWSARCHIVE_ARCHIVE": _Rule(_archive, "archive/news.sqlite"),
    "NEWSARCHIVE_BATCH_SECONDS": _Rule(_seconds(), "1.0"),
    "NEWSARCHIVE_BATCH_SIZE": _Rule(_whole(1, "rows"), "100"),
    "NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS": _Rule(_boolean, "1"),
    "NEWSARCHIVE_FETCH_COUNTERS": _Rule(_boolean, "0"),
    "NEWSARCHIVE_FROM_WARC": _Rule(_warc_files, "crawl.warc.gz"),
    "NEWSARCHIVE_LOCK_TIMEOUT": _Rule(_seconds(), "60"),
    "NEWSARCHIVE_MAX_LISTING_PAGES": _Rule(_whole(0, "pages"), "500"),
    "NEWSARCHIVE_PROGRESS": _Rule(_progress_mode, "log"),
    "NEWSARCHIVE_PROGRESS_INTERVAL": _Rule(_seconds(), "60"),
    "NEWSARCHIVE_REDIS_RUN": _Rule(run_id_problem, "county-2026-12-07"),
    "NEWSARCHIVE_REDIS_URL": _Rule(redis_url_problem, "redis://127.0.0.1:6379/0"),
    "NEWSARCHIVE_REDIS_WORKER_TIMEOUT": _Rule(_seconds(above_zero=True), "30"),
    "NEWSARCHIVE_RESUME": _Rule(_boolean, "0"),
    "NEWSARCHIVE_RETRY_BACKOFF": _Rule(_seconds(), "1.0"),
    "NEWSARCHIVE_RETRY_BACKOFF_MAX": _Rule(_seconds(), "60"),
    "NEWSARCHIVE_SITEMAPS": _Rule(_boolean, "0"),
    "NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES": _Rule(_whole(0, "pages"), "1"),
    "NEWSARCHIVE_TIMEZONE": _Rule(_zone, "Asia/Shanghai"),
    "NEWSARCHIVE_WARC": _Rule(_boolean, "0"),
    "NEWSARCHIVE_WARC_MAX_SIZE": _Rule(_whole(1, "bytes"), "1000000000"),
    # Scrapy's own, which the project sets or the CLI's options write.
    "DOWNLOAD_DELAY": _Rule(_seconds(), "0.25"),
    "DOWNLOAD_TIMEOUT": _Rule(_seconds(above_zero=True), "30"),
    "JOBDIR": _Rule(_folder_path, "archive/news.sqlite.job"),
    "LOG_FILE": _Rule(_file_path, "archive/crawl.log"),
    "LOG_LEVEL": _Rule(_log_level, "INFO"),
    "RETRY_TIMES": _Rule(_whole(0, "retries"), "2"),
}


def _our_names() -> list[str]:
    return sorted(name for name in vars(project_settings) if name.startswith(PREFIX))


def _unknown(name: str) -> str:
    if name in _ENVIRONMENT:
        return f"unknown setting {name}: it is an environment variable ({name}=1 newsarchive ...), not a setting"
    # Compared without the prefix all of them share, so that only a near name is offered.
    ours = {name[len(PREFIX):]: name for name in _our_names()}
    close = difflib.get_close_matches(name[len(PREFIX):], list(ours), n=1, cutoff=0.6)
    if close:
        return f"unknown setting {name} — did you mean {ours[close[0]]}?"
    return f"unknown setting {name}: the {PREFIX}* settings are listed in README.md (Settings)"


def setting_problems(values: Mapping[str, object]) -> list[str]:
    """Return one message per bad setting in *values* (name -> value), in name order; [] when all are good.

    A name that starts with NEWSARCHIVE_ but is none of ours is bad, with the
    closest good name: ``unknown setting NEWSARCHIVE_TIMEZON — did you mean
    NEWSARCHIVE_TIMEZONE?``. A value is bad when the crawl could not use it:
    ``NEWSARCHIVE_BATCH_SIZE='ten': give a whole number of rows of at least 1,
    e.g. -s NEWSARCHIVE_BATCH_SIZE=100``. None (a setting left unset) is good.
    """
    ours = set(_our_names())
    problems = []
    for name in sorted(values):
        if name.startswith(PREFIX) and name not in ours:
            problems.append(_unknown(name))
            continue
        rule = RULES.get(name)
        value = values[name]
        if rule is None or value is None:
            continue
        want = rule.check(value)
        if want is not None:
            problems.append(f"{name}={value!r}: give {want}, e.g. -s {name}={rule.example}")
    return problems


def check_settings(values: Mapping[str, object]) -> None:
    """Raise SettingsError with the first of setting_problems(*values*), if there is one."""
    problems = setting_problems(values)
    if problems:
        raise SettingsError(problems[0])
