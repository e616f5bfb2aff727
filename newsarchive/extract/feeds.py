"""Read what a site publishes for machines: robots.txt sitemaps, sitemap XML, RSS and Atom feeds.

Sitemaps (``<urlset>`` and ``<sitemapindex>``, gzip or not, Google News sitemaps'
``<news:publication_date>``), RSS 2.0 and 1.0 and Atom are told apart by their root
element, whatever namespace (or none) they are written in; a page's
``<link rel="alternate" type="application/rss+xml">`` names its feeds. Broken XML
is read as far as it goes.

Pure: bytes or text and the URL they came from in, URLs and dates out. The spider
decides which of them to request.
"""

from __future__ import annotations

import email.utils
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Literal
from urllib.parse import urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from newsarchive.extract.document import Document

__all__ = [
    "MAX_SITEMAP_BYTES",
    "Feed",
    "FeedEntry",
    "FeedKind",
    "SitemapRef",
    "find_feed_links",
    "parse_feed_date",
    "read_feed",
    "sitemaps_in_robots",
]

logger = logging.getLogger(__name__)

#: What read_feed() found at a URL.
FeedKind = Literal["urlset", "sitemapindex", "rss", "atom", "none"]

# An XML parser that reads no DTD, expands no entity, touches no network and refuses
# documents deeper or bigger than libxml2's safe limits (huge_tree off); recover=True
# reads a feed with an unescaped "&" or cut short as far as it is well formed.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    recover=True,
    remove_comments=True,
    remove_pis=True,
    load_dtd=False,
)
# gzip's magic bytes: a sitemap.xml.gz, or a server that gzips without saying so.
_GZIP_MAGIC = b"\x1f\x8b"
#: Largest sitemap read after decompressing, in bytes: the sitemap protocol's 50 MB.
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
# Root elements (local names) and what they are.
_ROOTS: dict[str, FeedKind] = {"urlset": "urlset", "sitemapindex": "sitemapindex", "rss": "rss", "rdf": "rss", "feed": "atom"}
# <link type=...> of a feed in a page's <head>.
_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"})
# Feeds of comments, not of articles: WordPress's /comments/feed/ and a post's /slug/feed/
# ("南溪观察 » 评论 Feed", "… Comments Feed").
_COMMENT_FEED = re.compile(r"评论|comments?\b", re.IGNORECASE)
_COMMENT_FEED_URL = re.compile(r"/comments?/feed/?$|/comments/|[?&]feed=comments", re.IGNORECASE)
# robots.txt: "Sitemap: https://www.example.cn/sitemap.xml" (any case, anywhere in the file).
_ROBOTS_SITEMAP = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)
# Markup in an Atom title of type="html" ("&lt;b&gt;…" once unescaped by the parser).
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# A bare "&" (show.php?id=1&from=map, written unescaped by older CMSs), which the
# parser would drop with the name after it; a real entity or character reference stays.
_BARE_AMPERSAND = re.compile(rb"&(?!(?:[A-Za-z][\w.-]*|#\d+|#x[\da-fA-F]+);)")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One page a sitemap or feed lists: its *url*, *title* when given, and its dates.

    *published* is when it appeared (``<news:publication_date>``, RSS ``<pubDate>``,
    Atom ``<published>``), *modified* when it last changed (``<lastmod>``, Atom
    ``<updated>``); both timezone-aware, or None when not given or unreadable.
    """

    url: str
    title: str | None = None
    published: datetime | None = None
    modified: datetime | None = None

    @property
    def latest(self) -> datetime | None:
        """Return the later of *published* and *modified* (the newest thing known about the page)."""
        dates = [d for d in (self.published, self.modified) if d is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class SitemapRef:
    """A sitemap named by a sitemap index: its *url* and ``<lastmod>`` (aware), if given."""

    url: str
    modified: datetime | None = None


@dataclass(frozen=True, slots=True)
class Feed:
    """What a sitemap or feed lists: *kind*, its *entries* and (an index's) *sitemaps*.

    *kind* is "urlset", "sitemapindex", "rss", "atom", or "none" when the body is
    not one of these (an HTML error page, an empty answer, XML of another kind).
    """

    kind: FeedKind
    entries: tuple[FeedEntry, ...] = ()
    sitemaps: tuple[SitemapRef, ...] = ()


# ---------------------------------------------------------------------------
# robots.txt and <head>
# ---------------------------------------------------------------------------


def sitemaps_in_robots(text: str, url: str) -> tuple[str, ...]:
    """Return the sitemap URLs robots.txt *text* (fetched from *url*) names, in order, once each.

    "Sitemap: /wp-sitemap.xml" is resolved against *url*; a ``#`` comment ends a line.
    """
    found: list[str] = []
    for match in _ROBOTS_SITEMAP.finditer(text):
        value = match.group(1).split("#", 1)[0].strip()
        if not value:
            continue
        absolute = urljoin(url, value)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return tuple(found)


def find_feed_links(doc: Document) -> tuple[str, ...]:
    """Return the RSS and Atom feeds *doc* names in ``<link rel="alternate">``, comment feeds left out.

    ``<link rel="alternate" type="application/rss+xml" title="南溪观察 » Feed" href="/feed/">``
    -> ("https://www.example.cn/feed/",). Relative addresses are resolved against the
    page (or its ``<base href>``).
    """
    base = doc.url
    for href in doc.tree.xpath("//base/@href"):
        base = urljoin(doc.url, str(href).strip())
        break
    found: list[str] = []
    for link in doc.tree.xpath("//link[@href]"):
        rels = {r.lower() for r in (link.get("rel") or "").split()}
        kind = (link.get("type") or "").split(";", 1)[0].strip().lower()
        if "alternate" not in rels or kind not in _FEED_TYPES:
            continue
        href = (link.get("href") or "").strip()
        if not href or _COMMENT_FEED.search(link.get("title") or "") or _COMMENT_FEED_URL.search(href):
            continue
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme in ("http", "https") and absolute not in found:
            found.append(absolute)
    return tuple(found)


# ---------------------------------------------------------------------------
# Sitemaps and feeds
# ---------------------------------------------------------------------------


def read_feed(body: bytes | str, url: str, *, tz: tzinfo = UTC) -> Feed:
    """Return what the sitemap, sitemap index, RSS or Atom document *body* (from *url*) lists.

    A gzip *body* is decompressed (by its magic bytes, whatever the URL or header
    says), up to MAX_SITEMAP_BYTES. Dates without an offset ("2025-11-03") are
    read in *tz*. A body that is not one of these documents gives kind "none".
    """
    root = _parse(body, url)
    if root is None:
        return Feed("none")
    kind = _ROOTS.get(_local(root))
    if kind is None:
        logger.debug("%s: root element <%s> is neither a sitemap nor a feed", url, _local(root))
        return Feed("none")
    if kind == "sitemapindex":
        return Feed(kind, sitemaps=tuple(_index_refs(root, url, tz)))
    if kind == "urlset":
        return Feed(kind, entries=_unique(_sitemap_entries(root, url, tz)))
    if kind == "atom":
        return Feed(kind, entries=_unique(_atom_entries(root, url, tz)))
    return Feed(kind, entries=_unique(_rss_entries(root, url, tz)))


def _parse(body: bytes | str, url: str) -> etree._Element | None:
    data = body.encode("utf-8") if isinstance(body, str) else body
    if data[:2] == _GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(data, MAX_SITEMAP_BYTES)
        except zlib.error as exc:
            logger.debug("%s: not readable gzip (%s)", url, exc)
            return None
        if inflater.unconsumed_tail:
            logger.debug("%s: more than %d bytes once decompressed, cut there", url, MAX_SITEMAP_BYTES)
    elif len(data) > MAX_SITEMAP_BYTES:
        data = data[:MAX_SITEMAP_BYTES]
    # A BOM, or a blank line a plugin printed before "<?xml", makes the declaration
    # an error; the document after it is fine.
    data = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not data.startswith(b"<"):
        return None
    if isinstance(body, str):
        data = re.sub(rb"^<\?xml[^>]*\?>", b"", data, count=1)  # the text is UTF-8 now, whatever it declared
    data = _BARE_AMPERSAND.sub(b"&amp;", data)
    try:
        root = etree.fromstring(data, parser=_PARSER, base_url=url)
    except etree.XMLSyntaxError as exc:
        logger.debug("%s: unreadable XML (%s)", url, exc)
        return None
    return root


def _local(el: etree._Element) -> str:
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in el:
        if _local(child) == name:
            yield child


def _child_text(el: etree._Element, *names: str) -> str | None:
    """Return the stripped text of *el*'s first child named one of *names* (in that order)."""
    for name in names:
        for child in _children(el, name):
            text = _SPACE.sub(" ", "".join(child.itertext())).strip()
            if text:
                return text
    return None


def _descendant_text(el: etree._Element, name: str) -> str | None:
    for child in el.iter():
        if _local(child) == name:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _absolute(url: str, base: str) -> str | None:
    absolute = urljoin(base, url.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _unique(entries: Iterable[FeedEntry]) -> tuple[FeedEntry, ...]:
    seen: set[str] = set()
    out = []
    for entry in entries:
        if entry.url not in seen:
            seen.add(entry.url)
            out.append(entry)
    return tuple(out)


def _index_refs(root: etree._Element, url: str, tz: tzinfo) -> Iterator[SitemapRef]:
    seen: set[str] = set()
    for node in _children(root, "sitemap"):
        loc = _child_text(node, "loc")
        target = _absolute(loc, url) if loc else None
        if target is None or target in seen:
            continue
        seen.add(target)
        yield SitemapRef(target, parse_feed_date(_child_text(node, "lastmod"), tz))


def _sitemap_entries(root: etree._Element, url: str, tz: tzinfo) -> Iterator[FeedEntry]:
    for node in _children(root, "url"):
        loc = _child_text(node, "loc")
        target = _absolute(loc, url) if loc else None
        if target is None:
            continue
        title = published = None
        for news in _children(node, "news"):
            title = _child_text(news, "title")
            published = parse_feed_date(_child_text(news, "publication_date"), tz)
        yield FeedEntry(target, title, published, parse_feed_date(_child_text(node, "lastmod"), tz))


def _rss_entries(root: etree._Element, url: str, tz: tzinfo) -> Iterator[FeedEntry]:
    # RSS 2.0 keeps its items in <channel>; RSS 1.0 (RDF) beside it.
    items = [item for item in root.iter() if _local(item) == "item"]
    for item in items:
        link = _child_text(item, "link")
        if link is None:
            for guid in _children(item, "guid"):
                text = (guid.text or "").strip()
                if guid.get("isPermaLink", "true").lower() != "false" and text.startswith(("http://", "https://", "/")):
                    link = text
            if link is None:
                link = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        target = _absolute(link, url) if link else None
        if target is None:
            continue
        published = parse_feed_date(_child_text(item, "pubdate", "date", "published"), tz)
        modified = parse_feed_date(_child_text(item, "updated", "modified"), tz)
        yield FeedEntry(target, _child_text(item, "title"), published, modified)


def _atom_entries(root: etree._Element, url: str, tz: tzinfo) -> Iterator[FeedEntry]:
    for entry in _children(root, "entry"):
        target = None
        for link in _children(entry, "link"):
            rel = (link.get("rel") or "alternate").strip().lower()
            href = link.get("href")
            if rel == "alternate" and href:
                target = _absolute(href, link.base or url)
                break
        if target is None:
            continue
        title = None
        for node in _children(entry, "title"):
            text = "".join(node.itertext())
            if (node.get("type") or "").lower() in ("html", "xhtml"):
                text = _TAG.sub("", text)
            title = _SPACE.sub(" ", text).strip() or None
            break
        published = parse_feed_date(_child_text(entry, "published", "issued"), tz)
        modified = parse_feed_date(_child_text(entry, "updated", "modified"), tz)
        yield FeedEntry(target, title, published, modified)


def parse_feed_date(text: str | None, tz: tzinfo = UTC) -> datetime | None:
    """Return the aware datetime of a sitemap or feed date, or None when there is none.

    W3C datetimes ("2025-11-03", "2025-11-03T10:30:00+08:00", "2025-11-03T02:30Z"),
    RFC 822 ("Mon, 03 Nov 2025 10:30:00 +0800") and "2025-11-03 10:30:00"; one
    without an offset is read in *tz*.
    """
    if not text:
        return None
    value = text.strip()
    found: datetime | None = None
    try:
        found = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}", value):
            found = datetime.fromisoformat(value + "-01")
    if found is None:
        try:
            found = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            logger.debug("unreadable feed date %r", value)
            return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=tz)
    return found
