"""A crawl's ``since`` and ``until``: what they accept, and which articles they keep.

    >>> now = datetime(2024, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    >>> parse_bound("yesterday", now=now).day
    datetime.date(2024, 3, 9)
    >>> parse_bound("2024-01-01T08:00+08:00", now=now).moment.isoformat()
    '2024-01-01T08:00:00+08:00'
    >>> older(parse_bound("2024-03-01", now=now), "2024-02-29T23:59:00+08:00")
    True

A bound is a calendar day (``2024-01-01``, ``3 days ago``, ``yesterday``, ``today``:
the whole day counts) or a moment (``2024-01-01T08:00+08:00``; without an offset, in
the site's local time). Relative words are read by dateparser against *now*, the
crawl's start in the site's time zone, with its settings pinned (languages English
and Chinese, relative expressions only), so ``3天前`` and ``昨天`` work too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

__all__ = ["DateBound", "DateBoundError", "day_of", "newer", "older", "parse_bound"]

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
#: What a bad value's message offers instead.
EXAMPLES = "2024-01-01, 2024-01-01T08:00+08:00, '3 days ago', yesterday or today"


class DateBoundError(ValueError):
    """A --since/--until value that is no date: the message says what is accepted."""


@dataclass(frozen=True, slots=True)
class DateBound:
    """A ``since`` or ``until`` bound: its local *day*, and its *moment* when a time was given."""

    day: date
    moment: datetime | None = None
    text: str = ""

    def iso(self) -> str:
        """Return the bound as an absolute value that parse_bound() reads back the same."""
        return self.moment.isoformat() if self.moment is not None else self.day.isoformat()


def parse_bound(value: str, *, now: datetime, zone: str = "Asia/Shanghai") -> DateBound:
    """Return the bound *value* gives, relative words resolved against *now*; raise
    DateBoundError when it is none. A time without an offset is in *zone*."""
    text = str(value).strip()
    tz = ZoneInfo(zone)
    try:
        if _ISO_DAY.match(text):
            return DateBound(date.fromisoformat(text), None, text)
        if _ISO_MOMENT.match(text):
            moment = datetime.fromisoformat(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=tz)
            return DateBound(moment.date(), moment, text)
    except ValueError:
        raise DateBoundError(f"{value!r} is not a valid date; give {EXAMPLES}") from None
    day = _relative_day(text, now.astimezone(tz))
    if day is None:
        raise DateBoundError(f"{value!r} is not a date; give {EXAMPLES}")
    return DateBound(day, None, text)


def _relative_day(text: str, now: datetime) -> date | None:
    if not text or not re.search(r"[A-Za-z\u4e00-\u9fff]", text):
        return None
    import dateparser  # type: ignore[import-untyped]  # slow to import: only for words

    found = dateparser.parse(
        text,
        languages=["en", "zh"],
        settings={
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "past",
            "PARSERS": ["relative-time"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return found.date() if found is not None else None


def _parse_published(published_at: str) -> tuple[date, datetime | None] | None:
    """Return (the page's local day, the moment or None) of a published_at value."""
    try:
        day = date.fromisoformat(published_at[:10])
        if len(published_at) <= 10:
            return day, None
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return None
    return day, moment if moment.tzinfo is not None else None


def day_of(published_at: str | None) -> date | None:
    """Return the local calendar day of *published_at*, or None when it has none."""
    parsed = _parse_published(published_at) if published_at else None
    return parsed[0] if parsed else None


def older(since: DateBound | None, published_at: str | None) -> bool:
    """Return True when an article published at *published_at* is before *since*.

    Two moments compare as moments; otherwise days (an article dated only by its day
    is kept on the bound's day). An article with no date is never older.
    """
    parsed = _parse_published(published_at) if since is not None and published_at else None
    if since is None or parsed is None:
        return False
    day, moment = parsed
    if since.moment is not None and moment is not None:
        return moment < since.moment
    return day < since.day


def newer(until: DateBound | None, published_at: str | None) -> bool:
    """Return True when an article published at *published_at* is after *until*
    (the whole day of a day bound counts; the same rules as older())."""
    parsed = _parse_published(published_at) if until is not None and published_at else None
    if until is None or parsed is None:
        return False
    day, moment = parsed
    if until.moment is not None and moment is not None:
        return moment > until.moment
    return day > until.day
