"""Find when an article was published: metas, JSON-LD, <time>, the date line, the URL."""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged

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


# ---------------------------------------------------------------------------
# Strategies over a parsed page. Each returns (datetime, precision) or None.
# ---------------------------------------------------------------------------

_ATTR_ELEMENTS = etree.XPath(P.DATE_ATTR_XPATH)
_WS = re.compile(r"\s+")
#: Literal label words looked up with str.find before any regex runs.
_SCRIPT_KEYS = (
    "publishdate", "publish_date", "publishtime", "publish_time", "pubtime", "pub_time",
    "pubdate", "newstime", "news_time", "ptime",
)
_LABEL_WORDS = ("时间", "日期", "发表", "发布", "時間", "Published", "Posted", "Date", "DATE", "date:")

When = tuple[datetime, str]


def _drop_fake_midnight(found: When) -> When:
    """A meta's "2012-06-24 00:00:00" means a date without a time."""
    dt, precision = found
    if precision != "day" and dt.hour == 0 and dt.minute == 0 and dt.second == 0:
        return dt, "day"
    return found


def _parse_value(value: str, now: datetime) -> When | None:
    value = value.strip()
    if not value:
        return None
    found = parse_iso_datetime(value, now=now) or parse_datetime(value, now=now)
    if found is not None and (found[0].hour, found[0].minute, found[0].second) == (23, 59, 59):
        # A CMS placeholder for documents imported without a date (gov.cn's
        # firstpublishedtime "2007-08-20-23:59:59"), not a time anyone published at.
        return None
    return found


def date_from_metas(tree: Any, now: datetime, page: PageText | None = None) -> tuple[When | None, When | None]:
    """Return (strong, weak) publish times from <meta> tags.

    Strong names (article:published_time, PubDate, publishdate, og:release_date...)
    say publish time; weak ones (date, dc.date) may be a modification date.
    """
    strong: When | None = None
    weak: When | None = None
    for meta in iter_tagged(tree, page, "meta"):
        content = meta.get("content")
        if not content:
            continue
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv")
        if not key:
            continue
        key = key.replace(" ", "").lower()
        if strong is None and key in P.META_DATE_STRONG:
            strong = _parse_value(content, now)
        elif weak is None and key in P.META_DATE_WEAK:
            weak = _parse_value(content, now)
    return (strong and _drop_fake_midnight(strong)), (weak and _drop_fake_midnight(weak))


def date_from_jsonld(tree: Any, now: datetime, page: PageText | None = None) -> When | None:
    """Return the datePublished of the page's JSON-LD (or similar script data), or None."""
    for script in iter_tagged(tree, page, "script"):
        code = script.text
        if not code or "ate" not in code:
            continue
        for key in ('"datePublished"', '"pubDate"', '"publishDate"', '"dateCreated"'):
            pos = code.find(key)
            if pos == -1:
                continue
            m = P.JSONLD_DATE.match(code, pos)
            if m is not None:
                found = _parse_value(m.group(1), now)
                if found is not None:
                    return _drop_fake_midnight(found)
    return None


# One pass over the page source instead of three substring scans (0.14 ms on a 100 kB page).
_ATTR_WORDS = re.compile("datePublished|data-pub|data-time")


def date_from_attributes(tree: Any, text: str, now: datetime, page: PageText | None = None) -> When | None:
    """Return the time of <time datetime>, itemprop="datePublished" or data-publishtime."""
    if next(iter(iter_tagged(tree, page, "time")), None) is None and _ATTR_WORDS.search(text) is None:
        return None
    for el in _ATTR_ELEMENTS(tree):
        for attr in ("datetime", "content", "data-publishtime", "pubdate", "data-pubdate", "data-time"):
            value = el.get(attr)
            if value:
                found = _parse_value(value, now)
                if found is not None:
                    return found
        if el.get("itemprop") == "datePublished":
            found = parse_datetime(text_content(el), now=now)
            if found is not None:
                return found
    return None


def date_from_script(tree: Any, now: datetime, page: PageText | None = None) -> When | None:
    """Return a publish time that page scripts hold: var publishdate = '2019-09-26 12:11:01'."""
    for script in iter_tagged(tree, page, "script"):
        code = script.text
        if not code or len(code) < 20:
            continue
        low = code.lower()
        for key in _SCRIPT_KEYS:
            pos = low.find(key)
            while pos != -1:
                m = P.SCRIPT_DATE.match(code, pos)
                if m is not None:
                    found = _parse_value(m.group(1), now)
                    if found is not None:
                        return _drop_fake_midnight(found)
                pos = low.find(key, pos + 1)
    return None


_RELATIVE_START = re.compile(r"^\s*(?:\d{1,4}\s*(?:秒钟?|分钟|个?小时|钟头|天|周|个月)\s*前|昨天|前天|今天|刚刚)")


def _relative_at_start(text: str, now: datetime) -> When | None:
    """Return "3小时前" / "昨天 10:20" / "刚刚" at the start of *text*, relative to *now*."""
    if _RELATIVE_START.match(text) is None:
        return None
    return _parse_relative(text[:20], now)


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
            "RELATIVE_BASE": _naive_now(now),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if dt is None or not _valid(dt, now):
        return None
    if _FALLBACK_TIME.search(text):
        return dt.replace(second=0, microsecond=0), "minute"
    return dt.replace(hour=0, minute=0, second=0, microsecond=0), "day"


def _labelled(context: str, now: datetime) -> When | None:
    """Return the date right after a publish label in *context*: "发布时间：2021-11-05"."""
    for m in P.DATE_LABEL.finditer(context):
        before = context[max(0, m.start() - 6) : m.start()]
        if P.NOT_PUBLISH_CONTEXT.search(before + m.group(0)):
            continue
        tail = context[m.end() : m.end() + 60]
        dm = P.DATETIME_FULL.search(tail)
        if dm is None or dm.start() > 3:
            if any(c.isascii() and c.isalpha() for c in tail[:3]):
                found = parse_datetime(tail[:40], now=now)
                if found is not None:
                    return found
            found = _relative_at_start(tail, now) or parse_with_dateparser(tail[:40], now=now)
            if found is not None:
                return found
            continue
        found = _match_full(dm)
        if found is not None and _valid(found[0], now):
            return found
    return None


def date_near_headline(page: PageText, start: int, now: datetime) -> When | None:
    """Return the date on the lines under the headline (from piece *start*), before the body.

    A labelled date wins ("来源：新华社 时间：2021-11-05"); else the first date in a
    short piece (a date line, not a paragraph of the body), skipping dates that
    name an event ("2007年6月29日…会议通过").
    """
    lines = page.lines_after(start)
    joined = " | ".join(text for _, text in lines)
    found = _labelled(joined, now)
    if found is not None:
        for i, _ in lines:
            finer = _finer_in_title(page, i, found, now)
            if finer is not found:
                return finer
        return found
    for i, s in lines:
        if len(s) > 150 or P.NOT_PUBLISH_CONTEXT.search(s):
            continue
        for m in P.DATETIME_FULL.finditer(s):
            result = _match_full(m)
            if result is not None and _valid(result[0], now):
                return _finer_in_title(page, i, result, now)
        if any(c.isascii() and c.isalpha() for c in s):
            found = parse_datetime(s, now=now)
            if found is not None:
                return found
        if len(s) <= 30:
            found = _relative_at_start(s, now)
            if found is not None:
                return _finer_in_title(page, i, found, now)
    return None


def _finer_in_title(page: PageText, i: int, found: When, now: datetime) -> When:
    """Return the time of day a date's element keeps in its title attribute, else *found*.

    Forums print the day, or "前天 10:20", and put the full time in a tooltip:
    <span title="2011-09-26 21:47:08">发表于: 2011-09-26</span>.
    """
    if found[1] == "second":
        return found
    el = page.owner(i)
    for _ in range(2):
        if el is None:
            break
        tip = el.get("title")
        if tip:
            finer = parse_datetime(tip, now=now)
            if finer is not None and _RANK[finer[1]] > _RANK[found[1]] and finer[0].date() == found[0].date():
                return finer
        el = el.getparent()
    return found


def date_above_headline(page: PageText, start: int, now: datetime) -> When | None:
    """Return a date printed on one of the two short lines right above the headline (piece *start*)."""
    for i in range(start - 1, max(-1, start - 3), -1):
        text = " ".join(page.texts[i].split())
        if len(text) > 40 or P.NOT_PUBLISH_CONTEXT.search(text):
            continue
        for m in P.DATETIME_FULL.finditer(text):
            found = _match_full(m)
            if found is not None and _valid(found[0], now):
                return _finer_in_title(page, i, found, now)
    return None


def date_from_labels(page: PageText, anchor: int, now: datetime) -> When | None:
    """Return a labelled publish time anywhere on the page: the first after piece *anchor*, else the last before it."""
    before: When | None = None
    joined = page.joined
    for offset in page.find_all(_LABEL_WORDS):
        i = page.index_at(offset)
        if not page.visible(i):
            continue
        context = _WS.sub(" ", joined[max(0, offset - 6) : offset + 90])
        found = _labelled(context, now)
        if found is None:
            continue
        found = _finer_in_title(page, i, found, now)
        if i >= anchor:
            return found
        before = found
    return before
def date_from_url(url: str, now: datetime) -> When | None:
    """Return the date in *url*'s path: t20220417_…, /2021/1105/, art/2025/10/29/, /202204/."""
    path = url.split("?", 1)[0]
    path = path.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else ""
    for pattern in P.URL_DATES:
        for m in pattern.finditer(path):
            try:
                dt = datetime(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                continue
            if _valid(dt, now):
                return dt, "day"
    return None


def _agrees(meta: When, page: When) -> bool:
    """True when the page's printed time should replace the *meta* one.

    It does when the page prints a time of day (the reader's local time, which a
    meta in UTC or another offset may not show) within a day of the meta's, or
    the same day when the meta gives only the date. A printed minute that the
    meta already has to the second keeps the meta's seconds.
    """
    m_dt, m_prec = meta
    p_dt, p_prec = page
    if m_prec == "day":
        return m_dt.date() == p_dt.date() and p_prec != "day"
    if p_prec == "day":
        return False
    m_local = m_dt.replace(tzinfo=None)
    if abs(m_local - p_dt) > timedelta(days=1):
        return False
    if m_prec == "second" and p_prec == "minute" and m_local.replace(second=0) == p_dt:
        return False
    if m_dt.tzinfo is not None and m_dt.utcoffset() and (m_local.hour, m_local.minute) == (p_dt.hour, p_dt.minute):
        return False  # the meta states the page's own offset ("-05:00"): keep it
    return p_dt.replace(second=0) != m_local.replace(second=0)


_RANK = {"day": 0, "minute": 1, "second": 2}


def extract_published_at(
    tree: Any,
    text: str,
    url: str,
    page: PageText,
    *,
    now: datetime,
    headline: Any = None,
    anchor: int | None = None,
    selector: Any = None,
    local_zone_known: bool = True,
) -> When | None:
    """Return (datetime, precision) of the article's publish time, or None if the page has none.

    Cascade: profile *selector*; strong <meta>; JSON-LD; <time>/itemprop; the
    date line under the *headline* element (from piece *anchor*, by default the
    first after the element) or right above it; a labelled date elsewhere; weak
    metas; page-script variables; the URL. A meta that gives only the day is
    completed with the time the page prints for that day. *now* is naive local
    time; dates more than a day after it are rejected. Without *local_zone_known*
    (a page not in Chinese, whose printed times may be in any zone) a meta time
    with an offset is kept rather than replaced by the printed one.
    """
    if selector is not None:
        for hit in selector(tree):
            value = hit.text_content() if hasattr(hit, "text_content") else str(hit)
            found = parse_cn_datetime(value, now=now)
            if found is not None:
                return found
    strong, weak = date_from_metas(tree, now, page)
    primary = strong or date_from_jsonld(tree, now, page) or date_from_attributes(tree, text, now, page)
    if anchor is None:
        anchor = page.index_after(headline) if headline is not None else 0
    visible = None
    if headline is not None:
        visible = date_near_headline(page, anchor, now) or date_above_headline(
            page, page.index_of(headline), now
        )
    if visible is None:
        visible = date_from_labels(page, anchor, now)
    if primary is not None:
        keep = not local_zone_known and primary[0].tzinfo is not None
        if visible is not None and not keep and _agrees(primary, visible):
            logger.debug("meta date %s completed by page time %s", primary, visible)
            return visible
        return primary
    if visible is not None:
        return visible
    if weak is not None:
        return weak
    return date_from_script(tree, now, page) or date_from_url(url, now)
