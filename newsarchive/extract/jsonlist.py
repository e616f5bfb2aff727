"""Read listings whose items come from a JSON endpoint: find the endpoint a page names, read its answer.

App-style sites render a channel's first cards and load the rest from an API the
page names (``data-api="/api/channel/list?cid=3&page=2"``, or a URL in a script);
the answer is JSON holding a list of objects, each with a URL and a title (and
often a time), and says how to go on: a next URL, a cursor with ``has_more``, or
nothing, when the page number is counted up until a page comes back empty.

Pure: a Document in, links and URLs out. The spider requests what this names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from newsarchive.extract.anchors import _absolute, _base_url, _iter_tags, _roots
from newsarchive.extract.dates import parse_cn_datetime
from newsarchive.extract.document import Document
from newsarchive.extract.listing import ArticleLink
from newsarchive.extract.urlkind import SiteHosts
from newsarchive.normalize import without_tracking

__all__ = ["find_json_endpoint", "is_json_page", "read_json_listing"]

# A listing API's address: /api/channel/list?cid=3&page=1, /api/v2/news/feed?cursor=,
# https://m.example.cn/api/articles.json, /index.php?s=/api/list&page=2.
_API_URL = re.compile(
    r"""(?:https?://[^\s"'<>]+?)?/?(?:[\w.-]+/)*(?:api|ajax|json)[/=][\w./-]*?(?:list|feed|articles?|news|items|more)[\w./-]*(?:\?[^\s"'<>]*)?"""
    r"""|(?:https?://[^\s"'<>]+?)?/?(?:[\w.-]+/)*[\w-]*(?:list|feed)[\w-]*\.json(?:\?[^\s"'<>]*)?""",
    re.IGNORECASE,
)
# data- attributes that may name a listing's endpoint or its next page.
_DATA_ATTRS = ("data-api", "data-url", "data-src", "data-source", "data-list", "data-load", "data-href", "data-more")
# Object keys: the item's address, its headline, its time.
_URL_KEYS = ("url", "link", "href", "share_url", "shareUrl", "article_url", "articleUrl", "detail_url", "detailUrl", "jump_url", "jumpUrl", "web_url", "pc_url")
_TITLE_KEYS = ("title", "headline", "name", "subject", "text", "short_title")
_TIME_KEYS = (
    "published_at", "publish_time", "publishTime", "pub_time", "pubTime", "pubdate", "pub_date", "date",
    "time", "created_at", "create_time", "createTime", "ctime", "datetime", "release_time", "updated_at",
)
# How the answer goes on: a next address, a cursor, whether there is more.
_NEXT_URL_KEYS = ("next", "next_url", "nextUrl", "next_page_url", "nextPageUrl", "next_page")
_CURSOR_KEYS = ("next_cursor", "nextCursor", "cursor", "last_id", "lastId", "max_behot_time", "offset_next")
_MORE_KEYS = ("has_more", "hasMore", "more", "has_next", "hasNext", "is_more")
_TOTAL_PAGE_KEYS = ("total_page", "totalPage", "total_pages", "totalPages", "pages", "page_count", "pageCount")
# Parameters of the request that count pages or hold a cursor.
_PAGE_PARAMS = ("page", "p", "pn", "pageno", "pageNo", "page_no", "pageindex", "pageIndex", "curpage", "current")
_CURSOR_PARAMS = ("cursor", "last_id", "lastId", "after", "max_id", "offset", "start")

def is_json_page(doc: Document) -> bool:
    """Return True when *doc*'s text is a JSON object or array (an endpoint's answer)."""
    head = doc.text.lstrip()[:1]
    return head in ("{", "[")

def find_json_endpoint(doc: Document, hosts: SiteHosts) -> str | None:
    """Return the same-site listing endpoint *doc* names in a data- attribute or a script, or None."""
    base = _base_url(doc)
    for root in _roots(doc.tree):
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in _DATA_ATTRS:
                value = el.get(attr)
                if value and _API_URL.fullmatch(value.strip()):
                    url = _absolute(base, value)
                    if url and hosts.allows(url):
                        return url
    for script in _iter_tags(doc.tree, "script"):
        code = script.text or ""
        if "list" not in code and "feed" not in code and "api" not in code:
            continue
        for m in re.finditer(r"""["'`]([^"'`\s]{4,300})["'`]""", code):
            value = m.group(1)
            if _API_URL.fullmatch(value):
                url = _absolute(base, value)
                if url and hosts.allows(url):
                    return url
    return None

def _items(value: Any) -> Iterator[list[dict[str, Any]]]:
    """Yield every list of objects inside *value*."""
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if objects:
            yield objects
        for v in value:
            if isinstance(v, (list, dict)):
                yield from _items(v)
    elif isinstance(value, dict):
        for v in value.values():
            if isinstance(v, (list, dict)):
                yield from _items(v)

def _first(obj: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = obj.get(key)
        if value not in (None, ""):
            return value
    return None

def _time_of(value: Any, now: datetime, zone: ZoneInfo) -> tuple[datetime, str] | None:
    """Return the naive local time of a JSON time value (epoch seconds or ms, ISO text, 3小时前)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
        number = float(value)
        if number > 1e11:
            number /= 1000
        if not 1e8 < number < 1e10:
            return None
        return datetime.fromtimestamp(number, UTC).astimezone(zone).replace(tzinfo=None), "second"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            found = parse_cn_datetime(value, now=now)
            return (found[0], found[1]) if found is not None else None
        if parsed.tzinfo is not None:
            parsed = parsed.astimezone(zone).replace(tzinfo=None)
        precision = "day" if len(value.strip()) <= 10 else "second"
        return parsed, precision
    return None

def _links_in(data: Any, base: str, hosts: SiteHosts, now: datetime, zone: ZoneInfo) -> list[ArticleLink]:
    best: list[ArticleLink] = []
    for objects in _items(data):
        links: list[ArticleLink] = []
        for obj in objects:
            href, title = _first(obj, _URL_KEYS), _first(obj, _TITLE_KEYS)
            if not isinstance(href, str) or not isinstance(title, str):
                continue
            url = _absolute(base, href)
            if url is None or not hosts.allows(url):
                continue
            url = without_tracking(url)
            when = _time_of(_first(obj, _TIME_KEYS), now, zone)
            links.append(ArticleLink(url, " ".join(title.split()), *(when or (None, None))))
        if len(links) > len(best):
            best = links
    return best

def _with_param(url: str, names: tuple[str, ...], default: str, value: str) -> str:
    """Return *url* with its first parameter among *names* (else *default*) set to *value*."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    lowered = {n.lower() for n in names}
    key = next((k for k, _ in pairs if k.lower() in lowered), default)
    pairs = [(k, v) for k, v in pairs if k != key] + [(key, value)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))

def _next_of(data: Any, url: str, count: int, hosts: SiteHosts) -> str | None:
    """Return the address of the answer after *data* (asked at *url*, *count* items read), or None."""
    if count == 0:
        return None
    meta: dict[str, Any] = {}
    if isinstance(data, dict):
        meta = dict(data)
        for value in data.values():
            if isinstance(value, dict):
                meta.update({k: v for k, v in value.items() if k not in meta})
    more = _first(meta, _MORE_KEYS)
    if more is False or more in (0, "0", "false"):
        return None
    next_url = _first(meta, _NEXT_URL_KEYS)
    if isinstance(next_url, str) and ("/" in next_url or "?" in next_url):
        found = _absolute(url, urljoin(url, next_url))
        return found if found and found != url and hosts.allows(found) else None
    cursor = _first(meta, _CURSOR_KEYS)
    if isinstance(cursor, (str, int)) and not isinstance(cursor, bool) and str(cursor):
        found = _with_param(url, _CURSOR_PARAMS, "cursor", str(cursor))
        return found if found != url else None
    query = dict(parse_qsl(urlsplit(url).query))
    for name in _PAGE_PARAMS:
        value = query.get(name)
        if value is not None and value.isdigit():
            page = int(value)
            total = _first(meta, _TOTAL_PAGE_KEYS)
            if isinstance(total, int) and not isinstance(total, bool) and page >= total:
                return None
            return _with_param(url, (name,), name, str(page + 1))
    return None

def read_json_listing(
    doc: Document, *, now: datetime, hosts: SiteHosts, timezone_name: str = "Asia/Shanghai"
) -> tuple[tuple[ArticleLink, ...], str | None] | None:
    """Return the article links of a JSON listing answer and the address of the next answer.

    None when *doc* is not JSON. The links come from the longest list of objects
    holding a same-site URL and a title; the next answer is the one the JSON names
    (``next``, a cursor unless ``has_more`` is false) or, when it names none, the
    request's page number plus one, until an answer holds no item.
    """
    if not is_json_page(doc):
        return None
    try:
        data = json.loads(doc.text)
    except ValueError:
        return None
    zone = ZoneInfo(timezone_name)
    links = _links_in(data, doc.url, hosts, now, zone)
    seen: dict[str, ArticleLink] = {}
    for link in links:
        seen.setdefault(link.url, link)
    return tuple(seen.values()), _next_of(data, doc.url, len(seen), hosts)

