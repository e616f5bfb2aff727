"""Find when an article was published: metas, JSON-LD, <time>, the date line, the URL."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from newsarchive.extract import patterns as P

__all__ = ["format_published_at", "parse_cn_datetime", "parse_datetime"]

logger = logging.getLogger(__name__)

#: The earliest publish year we accept; older dates are passages quoted in the text.
MIN_YEAR = 1990

_PM_WORDS = frozenset({"下午", "晚上", "傍晚"})
_AM_WORDS = frozenset({"上午", "早上", "凌晨"})


@lru_cache(maxsize=32)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _naive_now(now: datetime) -> datetime:
    return now.replace(tzinfo=None) if now.tzinfo is not None else now


def _valid(dt: datetime, now: datetime) -> bool:
    """Return True when *dt* lies between MIN_YEAR and one day after *now*."""
    if dt.year < MIN_YEAR:
        return False
    if dt.tzinfo is not None and now.tzinfo is not None:
        return dt <= now + timedelta(days=1)
    return dt.replace(tzinfo=None) <= _naive_now(now) + timedelta(days=1)


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


def _match_full(m: re.Match[str]) -> tuple[datetime, str] | None:
    g = m.groupdict()
    # "2019.11" followed by ".05" is fine, but 1.5.2 version numbers never reach here (year first).
    return _build(int(g["y"]), int(g["m"]), int(g["d"]), g)


def _match_en(m: re.Match[str]) -> tuple[datetime, str] | None:
    g = m.groupdict()
    month = P.MONTHS_EN[g["mon"][:3].lower()]
    return _build(int(g["y"]), month, int(g["d"]), g)


def parse_datetime(text: str, *, now: datetime) -> tuple[datetime, str] | None:
    """Return the first absolute date in *text* with its precision, or None.

    Precision is "day", "minute" or "second". The datetime is naive (wall-clock
    time as printed); dates before 1990 or more than a day after *now* are
    skipped. "发布时间：2021年11月5日 10:30" -> (datetime(2021, 11, 5, 10, 30), "minute").
    """
    for m in P.DATETIME_FULL.finditer(text):
        found = _match_full(m)
        if found is not None and _valid(found[0], now):
            return found
    if any(c.isalpha() and c.isascii() for c in text[:400]):
        for pattern in P.DATETIME_EN:
            for m in pattern.finditer(text):
                found = _match_en(m)
                if found is not None and _valid(found[0], now):
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
    return (dt, precision) if _valid(dt, now) else None


def _parse_relative(text: str, now: datetime) -> tuple[datetime, str] | None:
    base = _naive_now(now).replace(microsecond=0)
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
    base = _naive_now(now)
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
    found = _parse_relative(text, now)
    if found is not None:
        return found
    return _parse_month_day(text, now)


def format_published_at(dt: datetime, precision: str, timezone: str = "Asia/Shanghai") -> str:
    """Return *dt* as DESIGN.md's ISO form: "2021-11-05T10:30:00+08:00", or "2021-11-05" for a day.

    A naive *dt* is wall-clock time in *timezone*; an aware one is converted to it.
    """
    zone = _zone(timezone)
    dt = dt.replace(tzinfo=zone) if dt.tzinfo is None else dt.astimezone(zone)
    if precision == "day":
        return dt.date().isoformat()
    if precision == "minute":
        dt = dt.replace(second=0)
    return dt.replace(microsecond=0).isoformat(timespec="seconds")
