"""Read what a page's <head> states: its <meta> names and its canonical address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from newsarchive.extract.pagetext import PageText, iter_tagged
from newsarchive.normalize import canonicalize_url, normalize_text
from newsarchive.urlpolicy import site_host

__all__ = ["extract_canonical_url", "page_metas"]


def page_metas(tree: Any, page: PageText | None = None) -> dict[str, str]:
    """Return the page's <meta> name -> content (first of each, normalised), kept in *page*'s cache."""
    if page is not None:
        cached = page._cache.get("metas")
        if cached is not None and page.tree is tree:
            return cached  # type: ignore[no-any-return]
    out: dict[str, str] = {}
    for meta in iter_tagged(tree, page, "meta"):
        key = meta.get("name") or meta.get("property") or meta.get("itemprop")
        content = meta.get("content")
        if key and content:
            key = key.replace(" ", "").lower()
            if key not in out:
                out[key] = normalize_text(content)
    if page is not None and page.tree is tree:
        page._cache["metas"] = out
    return out




def extract_canonical_url(tree: Any, url: str, page: PageText | None = None) -> str:
    """Return the canonical form of the page's address: its same-site <link rel=canonical>, else *url*."""
    for link in iter_tagged(tree, page, "link"):
        if "canonical" not in (link.get("rel") or "").lower():
            continue
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        absolute = urljoin(url, href)
        if absolute.startswith(("http://", "https://")) and site_host(absolute) == site_host(url):
            return canonicalize_url(absolute)
    return canonicalize_url(url)
