"""Find the page after a listing: next-page links, numbered pages, sibling URLs, pager scripts.

Pager scripts covered: TRS WCM createPageHTML(...) and countPage/currentPage
variables, and the data proxy behind a Hanweb jpage list.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract.anchors import (
    _absolute,
    _base_url,
    _clean_text,
    _iter_tags,
    _Link,
    _roots,
    _scan,
    _select_by,
)
from newsarchive.extract.document import Document, text_content
from newsarchive.extract.jsonlist import find_json_endpoint
from newsarchive.extract.listing import _recordset_texts
from newsarchive.extract.patterns.links import (
    CREATE_PAGE_HTML,
    CURRENT_CLASS,
    HANWEB_NEXTGROUP,
    HANWEB_RECORD,
    JPAGE_PER_PAGE,
    JPAGE_TOTAL,
    JS_NUMBER_VAR,
    LOAD_MORE_CLASS,
    LOAD_MORE_TEXT,
    NEXT_CLASS,
    NEXT_TEXT,
    PAGE_DIR,
    PAGE_NUMBER_TEXT,
    PAGE_PARAM,
    PAGED_FILE,
    PAGER_TEXT,
    RECORD_RANGE,
    STEM_PAGE_NUMBER,
    STEM_SEPARATOR,
    TRS_COUNT,
    TRS_CURRENT,
)
from newsarchive.extract.urlkind import SiteHosts, site_hosts

__all__ = ["find_next_page"]

# data- attributes holding the address a "more" control loads.
_MORE_ATTRS = ("data-url", "data-href", "data-next", "data-next-url", "data-more", "data-api", "data-src", "data-load")

# File stems a listing's first page goes by: index.html, list.html, default.htm.
_FIRST_PAGE_STEMS = frozenset({"index", "list", "default", "more"})


def _page_key(url: str) -> tuple[tuple[str, ...], int | None] | None:
    """Return (what stays the same across pages, page number) for *url*, or None.

    "/news/list_1_2.html" -> (("/news/list_1", ".html"), 2); "/news/index.html" ->
    (("/news/index", ".html"), None); "/search?page=3&q=x" -> (("/search", "q=x", "page"), 3).
    """
    parts = urlsplit(url)
    if parts.query:
        m = PAGE_PARAM.search(parts.query)
        if m is not None:
            rest = (parts.query[: m.start()] + parts.query[m.end():]).strip("&")
            return (parts.netloc, parts.path, rest, m.group("key").lower()), int(m.group("n"))
    m = PAGE_DIR.search(parts.path)
    if m is not None:
        return (parts.netloc, parts.path[: m.start()], parts.query, "dir"), int(m.group("n"))
    directory, _, name = parts.path.rpartition("/")
    m = PAGED_FILE.match(name)
    if m is not None:
        return (parts.netloc, directory, m.group("stem"), m.group("ext").lower(), parts.query), int(m.group("n"))
    return None


def _first_page_keys(url: str) -> list[tuple[str, ...]]:
    """Return the page keys that the later pages of first page *url* may have."""
    parts = urlsplit(url)
    directory, _, name = parts.path.rpartition("/")
    keys: list[tuple[str, ...]] = []
    if name:
        stem, dot, ext = name.partition(".")
        if dot:
            keys.append((parts.netloc, directory, stem, "." + ext.lower(), parts.query))
    else:
        for stem in _FIRST_PAGE_STEMS:
            for ext in (".html", ".htm", ".shtml", ".php", ".aspx", ".asp", ".jsp"):
                keys.append((parts.netloc, directory, stem, ext, parts.query))
    # ?page=2 on the bare address, /page/2/ below it.
    for key in ("page", "paged", "p", "pn", "pageno", "pagenum", "page_no", "pageindex", "currentpage", "curpage", "pageid", "start"):
        keys.append((parts.netloc, parts.path, parts.query, key))
    keys.append((parts.netloc, parts.path.rstrip("/"), parts.query, "dir"))
    return keys


def _first_page_sibling(key: tuple[str, ...], wanted: set[tuple[str, ...]]) -> bool:
    """Return True when *key* names a numbered page beside a first page.

    list_3_2.html beside /news/ (DedeCMS), and /news/?lang=cn&page=2 beside /news/
    (MetInfo: later pages add parameters the first page's address leaves out).
    """
    if len(key) == 4:
        netloc, path, rest, name = key
        extra = set(rest.split("&")) if rest else set()
        return any(
            len(w) == 4
            and (w[0], w[1], w[3]) == (netloc, path, name)
            and (set(w[2].split("&")) if w[2] else set()) <= extra
            for w in wanted
        )
    if len(key) != 5:
        return False
    netloc, directory, stem, ext, query = key
    head = STEM_SEPARATOR.split(stem, maxsplit=1)[0].lower()
    return head in _FIRST_PAGE_STEMS and (netloc, directory, head, ext, query) in wanted


def _next_by_text(links: list[_Link], current: str) -> str | None:
    for link in links:
        if link.url == current:
            continue
        if NEXT_TEXT.match(link.text) or NEXT_CLASS.search(link.element.get("class") or ""):
            return link.url
    return None


def _next_by_number(links: list[_Link], current: str) -> str | None:
    """Return the link numbered one past the page marked current (<span class="current">3</span>)."""
    numbered: dict[int, str] = {}
    containers: set[etree._Element] = set()
    for link in links:
        m = PAGE_NUMBER_TEXT.match(link.text)
        if m is None:
            continue
        n = int(next(g for g in m.groups() if g))
        numbered.setdefault(n, link.url)
        parent = link.element.getparent()
        if parent is not None:
            grand = parent.getparent()
            containers.add(parent if len(parent) > 1 or grand is None else grand)
    if not numbered:
        return None
    for container in containers:
        for el in container.iter():
            if el.tag == "a" and not CURRENT_CLASS.search(el.get("class") or ""):
                continue
            if el.tag != "a" and el.getparent() is not None and el.getparent().tag == "a":
                continue
            text = _clean_text(el.text or "") if len(el) == 0 else ""
            m = PAGE_NUMBER_TEXT.match(text)
            if m is None:
                continue
            if el.tag != "a" or CURRENT_CLASS.search(el.get("class") or ""):
                n = int(next(g for g in m.groups() if g))
                url = numbered.get(n + 1)
                if url is not None and url != current:
                    return url
    return None


def _next_by_url(links: list[_Link], current: str) -> str | None:
    """Return the sibling URL one page past *current* (index_2.html after index.html / index_1.html)."""
    key = _page_key(current)
    candidates: dict[int, str] = {}
    if key is not None:
        wanted_keys: list[tuple[str, ...]] = [key[0]]
        now_n: int | None = key[1]
    else:
        wanted_keys = _first_page_keys(current)
        now_n = None
    wanted = set(wanted_keys)
    for link in links:
        other = _page_key(link.url)
        if other is None or link.url == current:
            continue
        if other[0] not in wanted and not (now_n is None and _first_page_sibling(other[0], wanted)):
            continue
        # From a first page, only a link that reads like a pager's is believed:
        # node_12.htm beside index.htm is a section, not page 12.
        if now_n is None and not (PAGE_NUMBER_TEXT.match(link.text) or PAGER_TEXT.match(link.text)):
            continue
        candidates.setdefault(other[1] or 0, link.url)
    if not candidates:
        return None
    if now_n is not None:
        return candidates.get(now_n + 1)
    # On a first page: the smallest later page, skipping a "_1" alias of this page
    # when a "_2" is also linked (DedeCMS list_1_1.html is page 1; TRS index_1.html is page 2).
    numbers = sorted(candidates)
    if numbers[0] <= 1 and 2 in candidates and len(numbers) > 1:
        for link in links:
            if link.url == candidates[numbers[0]] and PAGE_NUMBER_TEXT.match(link.text):
                m = PAGE_NUMBER_TEXT.match(link.text)
                assert m is not None
                if int(next(g for g in m.groups() if g)) == 1:
                    return candidates[2]
    return candidates[numbers[0]]


def _same_listing(url: str, current: str) -> bool:
    """Return True when *url* is *current* asked with other parameters (a cursor, an offset, a page)."""
    a, b = urlsplit(url), urlsplit(current)
    if (a.netloc, a.path.rstrip("/")) != (b.netloc, b.path.rstrip("/")) or a.query == b.query:
        return False
    # A bare query names another page, not a parameter: PbootCMS's /?news/ beside its home page /.
    return _bare_query(a.query) == _bare_query(b.query)


def _bare_query(query: str) -> list[str]:
    """Return the parts of *query* without a "=": "news/&page=2" -> ["news/"]."""
    return [part for part in query.split("&") if part and "=" not in part]


def _next_by_load_more(doc: Document, links: list[_Link], current: str) -> str | None:
    """Return what a feed's 加载更多 control loads: a link to this listing with a cursor or
    offset (<a href="?cursor=5a00ad8b">加载更多</a>), or the address in a control's data-
    attribute (<button class="load-more" data-url="/channel/local?cursor=...">).

    A "more" link to another address is a section link (更多>> under a home page's box), not a page.
    """
    for link in links:
        if LOAD_MORE_TEXT.match(link.text) and _same_listing(link.url, current):
            return link.url
    base = _base_url(doc)
    for root in _roots(doc.tree):
        for el in root.iter():
            if not isinstance(el.tag, str) or el.tag in ("script", "style", "link", "img"):
                continue
            text = _clean_text(text_content(el)) if len(el) < 4 else ""
            if not (LOAD_MORE_TEXT.match(text) or LOAD_MORE_CLASS.search(el.get("class") or "")):
                continue
            for attr in _MORE_ATTRS:
                found = _absolute(base, el.get(attr))
                if found and found != current:
                    return found
    return None


def _next_by_script(doc: Document) -> str | None:
    """Return the next page a TRS createPageHTML(...) call or countPage/currentPage variables name."""
    for script in _iter_tags(doc.tree, "script"):
        code = script.text or ""
        if "Page" not in code and "page" not in code:
            continue
        variables = {m.group("name"): int(m.group("value")) for m in JS_NUMBER_VAR.finditer(code)}
        m = CREATE_PAGE_HTML.search(code)
        if m is not None:
            count = _js_int(m.group("count"), variables)
            cur = _js_int(m.group("cur"), variables)
            if count is None or cur is None:
                continue
            # Pages counted from 0 in the 4-argument form, from 1 in the 6-argument one;
            # either way page k is name_k.ext, and the next page is cur + 1.
            last = count - 1 if m.group("div") is None else count
            if cur + 1 > last:
                return None
            return urljoin(doc.url, f"{m.group('name')}_{cur + 1}.{m.group('ext')}")
        count_m, cur_m = TRS_COUNT.search(code), TRS_CURRENT.search(code)
        if count_m is not None and cur_m is not None:
            count, cur = int(count_m.group(1)), int(cur_m.group(1))
            if cur + 1 >= count:
                return None
            name = urlsplit(doc.url).path.rpartition("/")[2]
            stem, dot, ext = name.partition(".")
            stem = STEM_PAGE_NUMBER.sub("", stem) if dot else "index"
            return urljoin(doc.url, f"{stem}_{cur + 1}.{ext or 'html'}")
    return None


def _next_by_data_proxy(doc: Document) -> str | None:
    """Return the next record group of a Hanweb jpage list, asked of its data proxy by GET.

    A column page holds the first records in a <recordset> and names the proxy in
    <nextgroup>; jpage asks it for ``startrecord=N&endrecord=M&perpage=P`` plus the
    <nextgroup> parameters (columnid, unitid, webid...), which the servlet reads
    from the query as from a POST form. On the column page the next group starts
    after the records it holds (when jpage's totalRecord says there are more); on
    a proxy answer, after the range it was asked for, if that range came back full.
    """
    texts = _recordset_texts(doc)
    if not texts:
        return None
    held = sum(len(HANWEB_RECORD.findall(text)) for text in texts)
    parts = urlsplit(doc.url)
    asked = RECORD_RANGE.search(parts.query)
    if asked is not None:
        start, end = int(asked.group(1)), int(asked.group(2))
        size = end - start + 1
        if held < size or size < 1:
            return None
        params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                  if k.lower() not in ("startrecord", "endrecord")]
        query = urlencode([("startrecord", str(end + 1)), ("endrecord", str(end + size)), *params])
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    proxy = next((m.group(1) for text in texts if (m := HANWEB_NEXTGROUP.search(text))), None)
    if proxy is None or held == 0:
        return None
    code = " ".join(script.text or "" for script in _iter_tags(doc.tree, "script") if "jpage" in (script.text or ""))
    total_m, per_m = JPAGE_TOTAL.search(code), JPAGE_PER_PAGE.search(code)
    if total_m is None or int(total_m.group(1)) <= held:
        return None
    per_page = per_m.group(1) if per_m is not None else str(held)
    target = urlsplit(urljoin(doc.url, html.unescape(proxy)))
    params = [(k, v) for k, v in parse_qsl(target.query, keep_blank_values=True) if k.lower() != "page"]
    query = urlencode([("startrecord", str(held + 1)), ("endrecord", str(2 * held)), ("perpage", per_page), *params])
    return urlunsplit((target.scheme, target.netloc, target.path, query, ""))


def _js_int(token: str, variables: dict[str, int]) -> int | None:
    if token.isdigit():
        return int(token)
    return variables.get(token)


def find_next_page(
    doc: Document,
    *,
    selector: str | None = None,
    hosts: SiteHosts | None = None,
    _links: list[_Link] | None = None,
) -> str | None:
    """Return the URL of the listing page after *doc*, or None on the last page.

    Tried in order: a profile *selector*, <link rel="next">, a "下一页" / "next" / ">"
    link, the number after the current page's, a sibling URL one page on
    (index_2.html, list_1_2.html, ?page=2), a feed's 加载更多 control (a link with
    a cursor or offset, a data- URL), then pager scripts (TRS
    createPageHTML(12, 0, "index", "html") -> index_1.html) and last the JSON
    endpoint the page names (newsarchive.extract.jsonlist). Off-site URLs are refused.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    links = _links if _links is not None else _scan(doc)
    found: str | None = None
    if selector:
        for el in _select_by(doc.tree, selector):
            href = el.get("href") if el.tag == "a" else next((a.get("href") for a in el.iter("a")), None)
            found = _absolute(_base_url(doc), href)
            if found:
                break
        return found if found and found != current and hosts.allows(found) else None
    for link_el in _iter_tags(doc.tree, "link"):
        if (link_el.get("rel") or "").lower() == "next":
            found = _absolute(_base_url(doc), link_el.get("href"))
            if found and found != current and hosts.allows(found):
                return found
    for strategy in (_next_by_text, _next_by_number, _next_by_url):
        found = strategy(links, current)
        if found and hosts.allows(found):
            return found
    found = _next_by_load_more(doc, links, current)
    if found and hosts.allows(found):
        return found
    for script_strategy in (_next_by_script, _next_by_data_proxy):
        found = script_strategy(doc)
        if found and found != current and hosts.allows(found):
            return found
    found = find_json_endpoint(doc, hosts)
    return found if found and found != current else None
