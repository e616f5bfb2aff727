"""Read what a URL's shape says: article or listing page, home page, and the hosts of a crawl.

Pure: URL strings in, values out. Used by the listing, pagination and section rules
in newsarchive.extract.links and its sibling modules.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsarchive.normalize import drop_tracking_params

__all__ = ["PageKind", "SiteHosts", "is_root_url", "site_hosts", "url_kind"]

# Article-shaped URLs: /a/123.html, /html/2021/1105/123.html, t20220417_123456.html,
# /2021/11/05/slug/ and /2021/11/slug/ (blog permalinks: a slug that is not only digits),
# /?p=123 (WordPress's plain permalinks; ?p= elsewhere is a page number),
# /?company/77.html (PbootCMS without URL rewriting: the column and id in the query),
# ids and hashes without an extension: /article/5a00ad8b, /news/1234567, /p/8f3a2c1d9e, /5f2c9a0b3d4e1f60/,
# /art/2021/11/5/art_12_345.html, show-123.html, content_123.htm, detail/123, ?id=123, ?aid=123.
_ARTICLE_URL = re.compile(
    r"""(?:/t\d{8}_\d+\.s?html?$
        |/art/\d{4}/|/art_\d+_\d+\.html
        |/(?:a|n|c|p|news|article|content|detail|details|show|view|info|doc)[/_-]?\d+(?:[/_-]\d+)*\.(?:s?html?|php|aspx?|jsp)$
        |/(?:show|view|content|detail|article|info)[_-]\d+(?:[_-]\d+)*\.s?html?$
        |/(?:19|20)\d{2}[-/]?\d{2}[-/]?\d{2}/\w+\.s?html?$
        |/(?:19|20)\d{2}/(?:0[1-9]|1[0-2])/(?:(?:0[1-9]|[12]\d|3[01])/)?(?!(?:page|feed|amp)/?$)(?=[^/]*[^\d/])[^/?#.]+/?$
        |/(?:19|20)\d{2}[-/]?\d{2}/\d+\.s?html?$
        |/(?:19|20)\d{2}/\d{4}/\d+\.s?html?$
        |/\d{4,}\.s?html?$
        |[?&](?:id|aid|articleid|newsid|contentid|docid|infoid|itemid|wbnewsid)=\d+
        |[?&]m=content.*&id=\d+
        |^/(?:index\.php)?\?p=\d+$
        |^/(?:index\.php)?\?[a-z][\w-]*/\d+\.html?$
        |/(?:a|n|p|s|article|articles|news|content|contents|detail|details|post|posts|story|stories|doc|docs|info|show|view|item|read)
          /(?:(?=[a-z\d]*[a-z])(?=[a-z\d]*\d)[a-z\d]{8,40}|(?!(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?/?$)\d{5,20})/?$
        |/(?=[a-f\d]*\d)(?=[a-f\d]*[a-f])[a-f\d]{12,40}/?$
        |/(?!(?:19|20)\d{2}(?:0[1-9]|1[0-2])[0-3]\d/?$)\d{7,20}/?$
        )""",
    re.IGNORECASE | re.VERBOSE,
)
# Listing-shaped URLs: list_1_2.html, /list/, index_2.html, list-12-1.html, ?page=2, /node_123.htm,
# ?catid=3 (PHPCMS), ?typeid=3 (DedeCMS), ?classid=3 (EmpireCMS), /col/col123/ (Hanweb),
# feeds that go on by cursor or offset: ?cursor=5a00ad8b, ?offset=20, ?last_id=123.
_LISTING_URL = re.compile(
    r"""(?:/list[/_-]|/lists?\.(?:s?html?|php|aspx?|jsp)
        |/index_\d+\.s?html?$|/index\.(?:s?html?|php|aspx?|jsp)$|/default\.(?:s?html?|aspx?)$
        |/node_\d+(?:_\d+)?\.s?html?$|/col/col\d+/
        |[?&](?:page|paged|p|pn|pageno|pagenum|page_no|currentpage|curpage|pageindex|catid|cat|typeid|classid|tid|cid|columnid
          |cursor|offset|after|last_?id|max_?id|since_?id)=
        |/$
        )""",
    re.IGNORECASE | re.VERBOSE,
)
# Dynamic list scripts, whose ?id= names a column, not an article: list.asp?id=3,
# news_list.asp?id=5, NewsList.aspx?id=2, ShowClass.asp?ClassID=3.
_LIST_SCRIPT = re.compile(
    r"/(?:news|article|info|art|wz)?[_-]?(?:list|showclass|class)\.(?:asp|aspx|php|jsp|do)$", re.IGNORECASE
)


class PageKind(enum.Enum):
    """What a page is: a listing of articles, an article, or neither."""

    LISTING = "listing"
    ARTICLE = "article"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class SiteHosts:
    """The hosts a crawl stays on: (domain without "www.", port) pairs; subdomains included."""

    origins: frozenset[tuple[str, int]]

    def allows(self, url: str) -> bool:
        """Return True when *url* is http(s) on one of these sites (or a subdomain)."""
        origin = _origin(url)
        if origin is None:
            return False
        host, port = origin
        for domain, allowed_port in self.origins:
            if port != allowed_port and not (port in (80, 443) and allowed_port in (80, 443)):
                continue
            if host == domain or host.endswith("." + domain):
                return True
        return False


def site_hosts(urls: Iterable[str], extra_hosts: Iterable[str] = ()) -> SiteHosts:
    """Return the SiteHosts of start *urls* plus *extra_hosts* (host names, optionally with a port)."""
    origins: set[tuple[str, int]] = set()
    for url in urls:
        origin = _origin(url)
        if origin is not None:
            origins.add(origin)
    for host in extra_hosts:
        origin = _origin(host if "//" in host else f"http://{host}/")
        if origin is not None:
            origins.add(origin)
    return SiteHosts(frozenset(origins))


def _origin(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    return host, port if port is not None else (443 if scheme == "https" else 80)


def url_kind(url: str) -> PageKind | None:
    """Return the kind of page *url*'s shape suggests, or None when it says nothing.

    "/a/123.html", "t20220417_123.html", "show-123.html", "?id=5" -> ARTICLE;
    "list_1_2.html", "/list/", "index_2.html", "?page=2" -> LISTING. Tracking parameters
    ("/article/5a00ad8b?from=list&spm=x") say nothing and are left out.
    """
    parts = urlsplit(url)
    query = drop_tracking_params(parts.query) if parts.query else ""
    tail = parts.path + ("?" + query if query else "")
    if _LIST_SCRIPT.search(parts.path):
        return PageKind.LISTING
    if _ARTICLE_URL.search(tail):
        return PageKind.ARTICLE
    if _LISTING_URL.search(tail) or not parts.path:
        return PageKind.LISTING
    return None


def is_root_url(url: str) -> bool:
    """Return True when *url* is a site's home page: "/", "/index.html", "/index.php"."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        return False
    return path == "/" or (path.count("/") == 1 and path[1:].split(".")[0].lower() in ("index", "default", "main", "home"))
