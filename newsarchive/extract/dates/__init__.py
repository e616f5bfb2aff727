"""Find when an article was published: metas, JSON-LD, <time>, the date line, the URL.

`parse` reads a date in a piece of text and prints one; `markup` holds the
strategies that read what the page states for machines (metas, JSON-LD,
attributes, script variables, the URL), `text` those that read what it prints
for readers (the date line, labelled dates). extract_published_at runs them
as a cascade and decides between a meta's time and the printed one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from newsarchive.extract.dates.markup import (
    date_from_attributes,
    date_from_jsonld,
    date_from_metas,
    date_from_script,
    date_from_url,
)
from newsarchive.extract.dates.parse import (
    MIN_YEAR,
    When,
    format_published_at,
    parse_cn_datetime,
    parse_datetime,
    parse_iso_datetime,
    parse_with_dateparser,
)
from newsarchive.extract.dates.text import date_above_headline, date_from_labels, date_near_headline
from newsarchive.extract.pagetext import PageText

__all__ = [
    "MIN_YEAR",
    "date_above_headline",
    "date_from_attributes",
    "date_from_jsonld",
    "date_from_labels",
    "date_from_metas",
    "date_from_script",
    "date_from_url",
    "date_near_headline",
    "extract_published_at",
    "format_published_at",
    "parse_cn_datetime",
    "parse_datetime",
    "parse_iso_datetime",
    "parse_with_dateparser",
]

logger = logging.getLogger(__name__)


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


def _other_day(meta: When, page: When) -> bool:
    """True when the *page*'s printed date names another day than the *meta*'s (in local time)."""
    days = abs((meta[0].replace(tzinfo=None).date() - page[0].date()).days)
    # A meta with an offset may fall on the day before or after the local one.
    return days > 1 if meta[0].tzinfo is not None else days >= 1


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
    completed with the time the page prints for that day; a meta on another day
    than the date the headline's line prints (a regeneration time) gives way to it. *now* is naive local
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
    printed_at_headline = visible is not None
    if visible is None:
        visible = date_from_labels(page, anchor, now)
    if primary is not None:
        keep = not local_zone_known and primary[0].tzinfo is not None
        if visible is not None and not keep and _agrees(primary, visible):
            logger.debug("meta date %s completed by page time %s", primary, visible)
            return visible
        if visible is not None and printed_at_headline and strong is primary and _other_day(primary, visible):
            # <meta name=PubDate> is the time the CMS regenerated the page; the date
            # the headline's line prints is the article's (发布日期：2021-11-05).
            logger.debug("meta date %s is another day than the printed %s", primary, visible)
            return visible
        return primary
    if visible is not None:
        return visible
    if weak is not None:
        return weak
    return date_from_script(tree, now, page) or date_from_url(url, now)
