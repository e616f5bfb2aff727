"""What a site survey reads off one listing page: its pagination style and size, its links' names.

Pure: a parsed Document (and the next page newsarchive.extract.pagination found on it)
in, plain values out. newsarchive.survey adds the pages of a site up into a report.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsarchive.extract.anchors import _iter_tags, _Link, _scan
from newsarchive.extract.document import Document
from newsarchive.extract.jsonlist import find_json_endpoint, is_json_page
from newsarchive.extract.listing import _recordset_texts
from newsarchive.extract.pagination import _next_by_load_more
from newsarchive.extract.patterns.links import (
    CREATE_PAGE_HTML,
    DIR_PAGE_SUFFIX,
    JPAGE_PER_PAGE,
    JPAGE_TOTAL,
    JS_NUMBER_VAR,
    LOAD_MORE_TEXT,
    NEXT_CLASS,
    NEXT_TEXT,
    PAGE_DIR,
    PAGE_NUMBER_TEXT,
    PAGE_PARAM,
    PAGED_FILE,
    RECORD_RANGE,
    TRS_COUNT,
)
from newsarchive.extract.patterns.pager import (
    CURSOR_PARAM,
    LAST_PAGE_TEXT,
    PAGE_TOTAL,
    RECORD_TOTAL,
)
from newsarchive.extract.urlkind import SiteHosts, site_hosts
from newsarchive.normalize import without_tracking

__all__ = ["PAGINATION_STYLES", "Pagination", "describe_pagination", "link_names"]

#: The styles describe_pagination answers, each with the shape of its next page's URL.
PAGINATION_STYLES = {
    "numbered": "numbered pages (index_2.html, list_1_2.html, /news_2/)",
    "page-parameter": "a page parameter (?page=2)",
    "path": "a page path (/page/2/)",
    "cursor": "a cursor or offset (?cursor=…, ?offset=20)",
    "record-range": "record ranges of a data proxy (?startrecord=16&endrecord=30)",
    "json": "a JSON endpoint the page names (api/…list?page=)",
    "link": "a next-page link of another shape",
    "none": "one page: no next page",
}

#: How a page offers its next page, as the report names it.
VIA_REL_NEXT = "<link rel=next>"
VIA_NEXT_LINK = "下一页 link"
VIA_NUMBERS = "page numbers"
VIA_LOAD_MORE = "加载更多"
VIA_SCRIPT = "pager script (createPageHTML)"
VIA_JPAGE = "jpage records"
VIA_JSON = "JSON endpoint"


@dataclass(frozen=True, slots=True)
class Pagination:
    """A listing page's pagination: a PAGINATION_STYLES key, what offers it, and the size stated.

    *next_url* is the next page (None on the last); *via* the ways the page offers
    it, in the order listed by the VIA_ names; *last_page* the last page number the
    pager shows or states (None when it shows none: a cursor feed, 下一页 only);
    *records* the number of records it states (共60条, jpage's totalRecord).
    """

    style: str
    next_url: str | None
    via: tuple[str, ...] = ()
    last_page: int | None = None
    records: int | None = None


def _page_number_of(url: str) -> int | None:
    """Return the page number in *url*: list_1_3.html -> 3, ?page=4 -> 4, /page/5/ -> 5, /news_2/ -> 2."""
    parts = urlsplit(url)
    for found in (PAGE_PARAM.search(parts.query), PAGE_DIR.search(parts.path),
                  PAGED_FILE.match(parts.path.rpartition("/")[2])):
        if found is not None:
            return int(found.group("n"))
    for path in (parts.path, *(part for part in parts.query.split("&") if "=" not in part)):
        m = DIR_PAGE_SUFFIX.search(path)
        if m:
            return int(m.group(0).strip("_-/"))
    return None


def _style_of(next_url: str | None, doc: Document, endpoint: str | None) -> str:
    if next_url is None:
        return "none"
    parts = urlsplit(next_url)
    if is_json_page(doc) or next_url == endpoint:
        return "json"
    if CURSOR_PARAM.search(parts.query):
        return "cursor"
    if RECORD_RANGE.search(parts.query):
        return "record-range"
    if PAGE_PARAM.search(parts.query):
        return "page-parameter"
    if PAGE_DIR.search(parts.path):
        return "path"
    bare = [part for part in parts.query.split("&") if part and "=" not in part]
    if PAGED_FILE.match(parts.path.rpartition("/")[2]) or any(
        DIR_PAGE_SUFFIX.search(path) for path in (parts.path, *bare)
    ):
        # PbootCMS without URL rewriting numbers its column in the bare query: /?news_2/.
        return "numbered"
    return "link"


def _script_pages(doc: Document) -> int | None:
    """Return the page count a TRS createPageHTML call or countPage variable states."""
    for script in _iter_tags(doc.tree, "script"):
        code = script.text or ""
        m = CREATE_PAGE_HTML.search(code)
        if m is not None:
            token = m.group("count")
            variables = {v.group("name"): int(v.group("value")) for v in JS_NUMBER_VAR.finditer(code)}
            count = int(token) if token.isdigit() else variables.get(token)
            if count is not None:
                return count
        count_m = TRS_COUNT.search(code)
        if count_m is not None:
            return int(count_m.group(1))
    return None


def _jpage_size(doc: Document) -> tuple[int, int] | None:
    """Return (records, pages) a Hanweb jpage list's settings state."""
    code = " ".join(s.text or "" for s in _iter_tags(doc.tree, "script") if "jpage" in (s.text or ""))
    total, per = JPAGE_TOTAL.search(code), JPAGE_PER_PAGE.search(code)
    if total is None or per is None or int(per.group(1)) < 1:
        return None
    records = int(total.group(1))
    return records, math.ceil(records / int(per.group(1)))


def _numbers(links: list[_Link]) -> list[int]:
    found = []
    for link in links:
        m = PAGE_NUMBER_TEXT.match(link.text)
        if m:
            found.append(int(next(g for g in m.groups() if g)))
    return found


def describe_pagination(doc: Document, next_url: str | None, *, hosts: SiteHosts | None = None) -> Pagination:
    """Return how listing page *doc* paginates, given *next_url*, the next page found on it.

    The style is read off *next_url*'s shape; *via* off the page (a 下一页 link and
    page numbers can both be there). The last page is the largest the page
    shows: a page number, the 末页 link's page, 共3页, a pager script's count or
    jpage's records over its page size.
    """
    hosts = hosts or site_hosts([doc.url])
    links = _scan(doc)
    endpoint = find_json_endpoint(doc, hosts)
    via: list[str] = []
    if any((el.get("rel") or "").lower() == "next" for el in _iter_tags(doc.tree, "link")):
        via.append(VIA_REL_NEXT)
    if any(NEXT_TEXT.match(link.text) or NEXT_CLASS.search(link.element.get("class") or "") for link in links):
        via.append(VIA_NEXT_LINK)
    numbers = _numbers(links)
    if any(n >= 2 for n in numbers):
        via.append(VIA_NUMBERS)
    if _next_by_load_more(doc, links, doc.url) or any(LOAD_MORE_TEXT.match(link.text) for link in links
                                                     if link.url == next_url):
        via.append(VIA_LOAD_MORE)
    script_pages = _script_pages(doc)
    if script_pages is not None:
        via.append(VIA_SCRIPT)
    jpage = _jpage_size(doc) if _recordset_texts(doc) else None
    if jpage is not None:
        via.append(VIA_JPAGE)
    if endpoint is not None or is_json_page(doc):
        via.append(VIA_JSON)
    pages = [n for n in numbers if n < 10_000]
    pages += [n for link in links if LAST_PAGE_TEXT.match(link.text) and (n := _page_number_of(link.url))]
    for m in PAGE_TOTAL.finditer(doc.text):
        pages.append(int(m.group(1) or m.group(2)))
    if script_pages is not None:
        pages.append(script_pages)
    records: int | None = None
    if jpage is not None:
        records, jpage_pages = jpage
        pages.append(jpage_pages)
    elif (total := RECORD_TOTAL.search(doc.text)) is not None:
        records = int(total.group(1))
    return Pagination(
        _style_of(next_url, doc, endpoint), next_url, tuple(via), max(pages) if pages else None, records
    )


def link_names(doc: Document) -> dict[str, str]:
    """Return the first anchor text *doc* gives each URL it links (tracking parameters dropped)."""
    names: dict[str, str] = {}
    for link in _scan(doc):
        if link.text:
            names.setdefault(without_tracking(link.url), link.text)
    return names
