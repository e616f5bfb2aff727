"""Find the publish time a page prints: the date line under or above the headline, a labelled date elsewhere.

Each strategy returns (datetime, precision) or None.
"""

from __future__ import annotations

import re
from datetime import datetime

from newsarchive.extract import patterns as P
from newsarchive.extract.dates.parse import (
    PRECISION_RANK,
    When,
    match_full,
    parse_datetime,
    parse_with_dateparser,
    relative_at_start,
    valid,
)
from newsarchive.extract.pagetext import PageText

__all__ = ["date_above_headline", "date_from_labels", "date_near_headline"]

_WS = re.compile(r"\s+")
#: Literal label words looked up with str.find before any regex runs.
_LABEL_WORDS = ("时间", "日期", "发表", "发布", "時間", "本贴由", "本帖由", "Published", "Posted", "Date", "DATE", "date:")


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
            found = relative_at_start(tail, now) or parse_with_dateparser(tail[:40], now=now)
            if found is not None:
                return found
            continue
        found = match_full(dm)
        if found is not None and valid(found[0], now):
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
            result = match_full(m)
            if result is not None and valid(result[0], now):
                return _finer_in_title(page, i, result, now)
        if any(c.isascii() and c.isalpha() for c in s):
            found = parse_datetime(s, now=now)
            if found is not None:
                return found
        if len(s) <= 30:
            found = relative_at_start(s, now)
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
            if finer is not None and PRECISION_RANK[finer[1]] > PRECISION_RANK[found[1]] and finer[0].date() == found[0].date():
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
            found = match_full(m)
            if found is not None and valid(found[0], now):
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
