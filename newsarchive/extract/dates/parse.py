"""Read a date in text: absolute, ISO 8601, relative ("3小时前") or month and day; print one as DESIGN.md does."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from newsarchive.extract import patterns as P

__all__ = [
    "MIN_YEAR", "PRECISION_RANK", "When", "format_published_at", "match_full", "naive_now", "parse_cn_datetime",
    "parse_datetime", "parse_iso_datetime", "parse_relative", "parse_with_dateparser", "relative_at_start", "valid",
]

logger = logging.getLogger(__name__)

#: The earliest publish year we accept; older dates are passages quoted in the text.
MIN_YEAR = 1990

_PM_WORDS = frozenset({"下午", "晚上", "傍晚"})
_AM_WORDS = frozenset({"上午", "早上", "凌晨"})

#: A time and how much of it the page states: "day", "minute" or "second".
When = tuple[datetime, str]
#: Precisions from coarsest to finest.
PRECISION_RANK = {"day": 0, "minute": 1, "second": 2}


@lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def naive_now(now: datetime) -> datetime:
    """Return *now* as wall-clock time, without its zone."""
    return now.replace(tzinfo=None) if now.tzinfo is not None else now


def valid(dt: datetime, now: datetime) -> bool:
    """Return True when *dt* lies between MIN_YEAR and one day after *now*."""
    if dt.year < MIN_YEAR:
        return False
    if dt.tzinfo is not None and now.tzinfo is not None:
        return dt <= now + timedelta(days=1)
    return dt.replace(tzinfo=None) <= naive_now(now) + timedelta(days=1)


def _hour(groups: dict[str, str | None]) -> int:
    hour = int(groups["H"] or 0)
    marker = groups.get("ampm")
    latin = (groups.get("pm") or "").lower().replace(".", "")
    if (marker in _PM_WORDS or latin == "pm") and hour < 12:
        hour += 12
    elif (marker in _AM_WORDS or latin == "am") and hour == 12:
        hour = 0
    elif marker == "中午" and hour < 6:
        hour += 12
    return hour


def _build(
    year: int, month: int, day: int, groups: dict[str, str | None]
) -> tuple[datetime, str] | None:
    """Return the datetime and precision that the matched *groups* spell, or None if invalid."""
    try:
        if groups.get("H") is None or groups.get("M") is None:
            return datetime(year, month, day), "day"
        second = groups.get("S")
        dt = datetime(year, month, day, _hour(groups), int(groups["M"] or 0), int(second or 0))
    except ValueError:
        return None
    return dt, ("second" if second is not None else "minute")


def match_full(m: re.Match[str]) -> tuple[datetime, str] | None:
    """Return the datetime and precision a P.DATETIME_FULL match spells, or None if no such day exists."""
    g = m.groupdict()
    # "2019.11" followed by ".05" is fine, but 1.5.2 version numbers never reach here (year first).
    return _build(int(g["y"]), int(g["m"]), int(g["d"]), g)


def _match_en(m: re.Match[str]) -> tuple[datetime, str] | None:
    g = m.groupdict()
    month = P.MONTHS_EN[g["mon"][:3].lower()]
    if g.get("H") is None and m.start() and m.string[m.start() - 1] in " ,":
        before = P.CLOCK_BEFORE_EN.search(m.string, max(0, m.start() - 30), m.start())
        if before is not None:
            g = {**g, **before.groupdict()}
    return _build(int(g["y"]), month, int(g["d"]), g)


def parse_datetime(text: str, *, now: datetime) -> tuple[datetime, str] | None:
    """Return the first absolute date in *text* with its precision, or None.

    Precision is "day", "minute" or "second". The datetime is naive (wall-clock
    time as printed); dates before 1990 or more than a day after *now* are
    skipped. "发布时间：2021年11月5日 10:30" -> (datetime(2021, 11, 5, 10, 30), "minute").
    """
    for m in P.DATETIME_FULL.finditer(text):
        found = match_full(m)
        if found is not None and valid(found[0], now):
            return found
    if any(c.isalpha() and c.isascii() for c in text[:400]):
        for pattern in P.DATETIME_EN:
            for m in pattern.finditer(text):
                found = _match_en(m)
                if found is not None and valid(found[0], now):
                    return found
        for m in P.DATETIME_US.finditer(text):
            found = match_full(m)
            if found is not None and valid(found[0], now):
                return found
    return None


def parse_iso_datetime(text: str, *, now: datetime) -> tuple[datetime, str] | None:
    """Return the ISO 8601 datetime at the start of *text*, aware when it has an offset."""
    m = P.DATETIME_ISO.match(text)
    if m is None:
        return None
    g = m.groupdict()
    found = _build(int(g["y"]), int(g["m"]), int(g["d"]), g)
    if found is None:
        return None
    dt, precision = found
    tz = g.get("tz")
    if tz and precision != "day":
        if tz == "Z":
            offset = timedelta(0)
        else:
            sign = -1 if tz[0] == "-" else 1
            digits = tz[1:].replace(":", "")
            offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        from datetime import timezone as _tz

        dt = dt.replace(tzinfo=_tz(offset))
    return (dt, precision) if valid(dt, now) else None


def parse_relative(text: str, now: datetime) -> tuple[datetime, str] | None:
    """Return the time "3小时前", "昨天 10:20" or "刚刚" in *text* names, counted back from *now*."""
    base = naive_now(now).replace(microsecond=0)
    m = P.RELATIVE_AGO.search(text)
    if m is not None:
        n = int(m.group("n"))
        unit = m.group("unit")
        if unit.startswith("秒"):
            return base.replace(second=0), "minute"
        if unit in ("分钟", "分"):
            return (base - timedelta(minutes=n)).replace(second=0), "minute"
        if unit in ("小时", "个小时", "钟头"):
            return (base - timedelta(hours=n)).replace(second=0), "minute"
        if unit in ("天", "日"):
            day = base - timedelta(days=n)
        elif unit in ("周", "星期"):
            day = base - timedelta(weeks=n)
        elif unit in ("个月", "月"):
            day = base - timedelta(days=30 * n)
        else:
            day = base - timedelta(days=365 * n)
        return day.replace(hour=0, minute=0, second=0), "day"
    m = P.RELATIVE_DAY.search(text)
    if m is not None:
        day = base - timedelta(days=P.RELATIVE_DAY_OFFSET[m.group("word")])
        if m.group("H") is not None:
            return day.replace(hour=int(m.group("H")), minute=int(m.group("M")), second=0), "minute"
        return day.replace(hour=0, minute=0, second=0), "day"
    if P.RELATIVE_JUST_NOW.search(text):
        return base.replace(second=0), "minute"
    return None


def _parse_month_day(text: str, now: datetime) -> tuple[datetime, str] | None:
    m = P.DATETIME_MONTH_DAY.search(text)
    if m is None:
        return None
    g = m.groupdict()
    base = naive_now(now)
    for year in (base.year, base.year - 1):
        found = _build(year, int(g["m"]), int(g["d"]), g)
        if found is not None and found[0] <= base + timedelta(days=1):
            return found
    return None


def parse_cn_datetime(text: str, *, now: datetime) -> tuple[datetime, str] | None:
    """Return (naive local datetime, precision) for a date as Chinese pages print it, or None.

    Handles "2021/11/05", "2021-11-05 10:30:00", "2021年11月05日 10:30", "2021.11.05",
    "March 5, 2021", a listing's "11-05" (the year before *now* when that day is
    still to come), "3小时前", "昨天 10:20" and "刚刚", all relative to *now*.
    Precision is "day", "minute" or "second".
    """
    if not text:
        return None
    found = parse_datetime(text, now=now)
    if found is not None:
        return found
    found = parse_relative(text, now)
    if found is not None:
        return found
    return _parse_month_day(text, now)


def format_published_at(
    dt: datetime, precision: str, timezone: str = "Asia/Shanghai", *, utc_is_stored: bool = True
) -> str:
    """Return *dt* as DESIGN.md's ISO form: "2021-11-05T10:30:00+08:00", or "2021-11-05" for a day.

    A naive *dt* is wall-clock time in *timezone*; a UTC one is converted to it
    when *utc_is_stored* (a Chinese CMS storing UTC), else kept (a wire story
    printed in UTC); one with another offset ("-05:00", the page's own) keeps it.
    """
    zone = _zone(timezone)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone)
    elif not dt.utcoffset() and utc_is_stored:
        # UTC ("Z") is how CMSs store times; the page shows them in local time.
        dt = dt.astimezone(zone)
    if precision == "day":
        return dt.date().isoformat()
    if precision == "minute":
        dt = dt.replace(second=0)
    return dt.replace(microsecond=0).isoformat(timespec="seconds")



_RELATIVE_START = re.compile(r"^\s*(?:\d{1,4}\s*(?:秒钟?|分钟|个?小时|钟头|天|周|个月)\s*前|昨天|前天|今天|刚刚)")


def relative_at_start(text: str, now: datetime) -> When | None:
    """Return "3小时前" / "昨天 10:20" / "刚刚" at the start of *text*, relative to *now*."""
    if _RELATIVE_START.match(text) is None:
        return None
    return parse_relative(text[:20], now)


# What the fallback parser is asked about: a label's value that holds a digit or
# a word, but none of the fast patterns: "2 hours ago", "yesterday", "05/11/2021".
_FALLBACK_WORTH = re.compile(r"^\s*[\w/.,:-]*(?:\d|ago|yesterday|today|前)", re.IGNORECASE)
_FALLBACK_TIME = re.compile(r"\d{1,2}:\d{2}|\b(?:hours?|minutes?|mins?)\b|小时|分钟", re.IGNORECASE)


def parse_with_dateparser(text: str, *, now: datetime) -> When | None:
    """Return what dateparser reads in the labelled value *text*, or None.

    The slow fallback for values no fast pattern knows ("2 hours ago",
    "yesterday 10:20", "05/11/2021"): about 1 ms a call against a few µs, so it
    runs only on the text right after a publish label. Precision is "minute"
    when *text* states a clock time or counts hours/minutes, else "day".
    """
    text = text.split("|", 1)[0].strip(" :：")
    if not text or _FALLBACK_WORTH.match(text) is None:
        return None
    import dateparser  # type: ignore[import-untyped]  # slow: the fallback only

    logger.debug("date fallback: dateparser on %r", text)
    dt = dateparser.parse(
        text,
        languages=["en", "zh"],
        settings={
            "RELATIVE_BASE": naive_now(now),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if dt is None or not valid(dt, now):
        return None
    if _FALLBACK_TIME.search(text):
        return dt.replace(second=0, microsecond=0), "minute"
    return dt.replace(hour=0, minute=0, second=0, microsecond=0), "day"

