"""extract_article: the facade that runs every field's strategies on one page."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.errors import NotAnArticle
from newsarchive.extract.body import extract_body, scan_document
from newsarchive.extract.body.teasers import is_one_of_teasers, is_teaser_list, is_unheaded_fragment
from newsarchive.extract.dates import extract_published_at, format_published_at
from newsarchive.extract.document import Document, parse_document
from newsarchive.extract.meta import (
    extract_author,
    extract_canonical_url,
    extract_section,
    extract_source,
    extract_view_count,
    find_counter_url,
)
from newsarchive.extract.title import find_headline
from newsarchive.items import Article
from newsarchive.normalize import site_of
from newsarchive.sites import SiteProfile, compile_selector

__all__ = ["extract_article"]

logger = logging.getLogger(__name__)

#: A Chinese character (a headline with one is a Chinese page).
_CJK = re.compile(r"[\u3400-\u9fff]")
#: Where a page states its own address: <link rel="canonical" href=...>, <meta property="og:url" content=...>.
_OWN_ADDRESS = etree.XPath(
    "//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href | //meta[@property='og:url']/@content"
)


def _selector(profile: SiteProfile | None, field: str) -> Any:
    value = getattr(profile, field, None) if profile is not None else None
    return compile_selector(value) if value else None


def _own_address(tree: Any) -> str:
    """Return the absolute http(s) address the page states for itself, or ""."""
    for value in _OWN_ADDRESS(tree):
        value = str(value).strip()
        if value.startswith(("http://", "https://")):
            return value
    return ""


def _page_body(tree: Any) -> Any:
    """Return the page's <body> element, or the root when it has none."""
    body = tree.find(".//body") if tree.tag != "body" else tree
    return body if body is not None else tree


def _local_now(now: datetime | None, zone: ZoneInfo) -> datetime:
    if now is None:
        return datetime.now(zone).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(zone).replace(tzinfo=None)
    return now


def extract_article(
    html: bytes | str | Document,
    url: str | None = None,
    *,
    content_type: str | None = None,
    listing_url: str | None = None,
    profile: SiteProfile | None = None,
    now: datetime | None = None,
    timezone: str = "Asia/Shanghai",
) -> Article:
    """Return the Article that the page *html* fetched from *url* holds.

    *html* is the page's bytes (decoded as Scrapy would, *content_type* giving
    the HTTP header), its text, or a Document already parsed by the caller.
    *profile* selectors outrank the generic rules for the fields they name.
    *now* (default: the clock) bounds publish times and anchors "3小时前";
    times the page gives without an offset are in *timezone*.
    Without *url* (a file on disk, a WARC record with no target URI) the
    address is the absolute one the page states for itself (``<link
    rel=canonical>``, ``og:url``), else empty.
    Raises NotAnArticle when the page has no headline or no body text, or its
    body reads as a column of teasers (a listing, home or search page) or, with
    a headline no element shows, as a short blurb among them (a home page), and
    UndecodablePage when its bytes read as mojibake under every charset.
    """
    if isinstance(html, Document):
        doc = html
    else:
        doc = parse_document(html, url or "", content_type)
    if url is None:
        url = doc.url or _own_address(doc.tree)
    zone = ZoneInfo(timezone)
    local_now = _local_now(now, zone)
    tree = doc.tree
    # One walk scores the blocks for the body and collects the text every field reads.
    scan = scan_document(doc)
    page = scan.page

    headline = find_headline(tree, page, selector=_selector(profile, "title"), url=url)
    if headline is None or not headline.text:
        raise NotAnArticle(f"no headline found on {url or 'the page'}")
    shown = headline.shown or headline.text
    body = extract_body(doc, selector=profile.body if profile else None, title=shown, scan=scan)
    if not body.paragraphs:
        raise NotAnArticle(f"no body text found on {url or 'the page'}")
    if is_teaser_list(body.node, body.paragraphs) or is_one_of_teasers(body.node, body.paragraphs):
        raise NotAnArticle(f"{url or 'the page'} is a list of teasers, not an article")
    if headline.node is None and is_unheaded_fragment(_page_body(tree), body.node, body.paragraphs):
        raise NotAnArticle(f"{url or 'the page'} shows no headline and only a blurb among teasers: not an article")

    # A headline in Chinese: times the page prints are *timezone*'s, metas in UTC are stored times.
    chinese = _CJK.search(headline.text) is not None
    anchor = 0
    if headline.node is not None:
        anchor = min(
            page.index_after(headline.node),
            page.index_past(page.index_of(headline.node), shown),
        )
    when = extract_published_at(
        tree,
        doc.text,
        url,
        page,
        now=local_now,
        headline=headline.node,
        anchor=anchor,
        selector=_selector(profile, "published_at"),
        local_zone_known=chinese,
    )
    published_at = (
        format_published_at(when[0], when[1], timezone, utc_is_stored=chinese) if when is not None else None
    )
    counter_url = find_counter_url(tree, url, page)
    view_count = extract_view_count(
        tree, page, anchor=anchor, selector=_selector(profile, "view_count"), body=body.node
    )
    if view_count == 0 and counter_url is not None:
        view_count = None  # the template's placeholder that the counter script overwrites
    return Article(
        url=url,
        canonical_url=extract_canonical_url(tree, url, page) if url else "",
        site=profile.name if profile is not None else (site_of(url) if url else ""),
        title=headline.text,
        published_at=published_at,
        published_precision=when[1] if when is not None else None,
        view_count=view_count,
        paragraphs=body.paragraphs,
        author=extract_author(tree, page, anchor=anchor, selector=_selector(profile, "author")),
        source=extract_source(tree, page, anchor=anchor, selector=_selector(profile, "source")),
        section=extract_section(
            tree,
            page,
            anchor=anchor,
            title=headline.text,
            selector=_selector(profile, "section"),
        ),
        listing_url=listing_url,
        counter_url=counter_url,
    )
