"""Find the publish time a page states for machines: <meta>, JSON-LD, <time datetime>, script variables, the URL.

Each strategy returns (datetime, precision) or None.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.dates.parse import When, parse_datetime, parse_iso_datetime, valid
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged

__all__ = ["date_from_attributes", "date_from_jsonld", "date_from_metas", "date_from_script", "date_from_url"]

_ATTR_ELEMENTS = etree.XPath(P.DATE_ATTR_XPATH)
#: Literal label words looked up with str.find before any regex runs.
_SCRIPT_KEYS = (
    "publishdate", "publish_date", "publishtime", "publish_time", "pubtime", "pub_time",
    "pubdate", "newstime", "news_time", "ptime",
)


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
            if valid(dt, now):
                return dt, "day"
    return None
