"""Read what a URL's shape says: article or listing page, home page, and the hosts of a crawl.

Pure: URL strings in, values out. Used by the listing, pagination and section rules
in newsarchive.extract.links and its sibling modules.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsarchive.extract.patterns.links import ARTICLE_URL, LIST_SCRIPT, LISTING_URL
from newsarchive.normalize import drop_tracking_params
from newsarchive.urlpolicy import site_origin

__all__ = ["PageKind", "SiteHosts", "is_root_url", "site_hosts", "url_kind"]


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
        origin = site_origin(url)
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
        origin = site_origin(url)
        if origin is not None:
            origins.add(origin)
    for host in extra_hosts:
        origin = site_origin(host if "//" in host else f"http://{host}/")
        if origin is not None:
            origins.add(origin)
    return SiteHosts(frozenset(origins))



def url_kind(url: str) -> PageKind | None:
    """Return the kind of page *url*'s shape suggests, or None when it says nothing.

    "/a/123.html", "t20220417_123.html", "show-123.html", "?id=5" -> ARTICLE;
    "list_1_2.html", "/list/", "index_2.html", "?page=2" -> LISTING. Tracking parameters
    ("/article/5a00ad8b?from=list&spm=x") say nothing and are left out.
    """
    parts = urlsplit(url)
    query = drop_tracking_params(parts.query) if parts.query else ""
    tail = parts.path + ("?" + query if query else "")
    if LIST_SCRIPT.search(parts.path):
        return PageKind.LISTING
    if ARTICLE_URL.search(tail):
        return PageKind.ARTICLE
    if LISTING_URL.search(tail) or not parts.path:
        return PageKind.LISTING
    return None


def is_root_url(url: str) -> bool:
    """Return True when *url* is a site's home page: "/", "/index.html", "/index.php"."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        return False
    return path == "/" or (path.count("/") == 1 and path[1:].split(".")[0].lower() in ("index", "default", "main", "home"))
