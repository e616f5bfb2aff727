"""Read a page's links: listing or article, the article list, the next page, the sections.

Pure: a parsed Document in, URLs out. The spider decides what to fetch from these.
The rules are generic (they must work on a site never seen before); a site
profile may name a selector for the article links or the next page instead.

The rules live in sibling modules, re-exported here: urlkind (URL shapes, site
hosts), anchors (one pass over the anchors), listing (the main article list and
its dates) and pagination (the next page); their regexes are tables in
newsarchive.extract.patterns.links. This module reads the sections, tells
listings from articles and answers all three questions in one pass.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract.anchors import _absolute, _clean_text, _Link, _roots, _scan
from newsarchive.extract.document import Document
from newsarchive.extract.jsonlist import read_json_listing
from newsarchive.extract.listing import (
    ArticleLink,
    _item_of,
    _select_main_groups,
    find_article_links,
)
from newsarchive.extract.pagination import find_next_page
from newsarchive.extract.patterns.links import (
    DATELINE,
    NOT_SECTION_TEXT,
    NOT_SECTION_URL,
    SENTENCE_END,
)
from newsarchive.extract.patterns.tags import SKIP_TAGS, TEXT_CONTAINER_TAGS
from newsarchive.extract.urlkind import PageKind, SiteHosts, is_root_url, site_hosts, url_kind
from newsarchive.normalize import without_tracking

__all__ = [
    "ArticleLink",
    "PageKind",
    "PageLinks",
    "SiteHosts",
    "analyze_page",
    "classify_page",
    "find_article_links",
    "find_next_page",
    "find_section_links",
    "is_root_url",
    "main_list_template",
    "site_hosts",
    "url_kind",
]

logger = logging.getLogger(__name__)

# Section anchor texts that lead home, not to a section.
_HOME_TEXT = frozenset({"首页", "网站首页", "返回首页", "主页", "home", "index", "首 页"})

# Elements whose text is not running text: hidden ones, and anchors (counted separately).
_NOT_RUNNING_TEXT = SKIP_TAGS | {"a"}

#: Running text (characters) that makes a page's biggest block an article body.
_BODY_MIN_CHARS = 80
#: ...or, under a headline and a dateline and before the page's links, a short one (a 快讯).
_SHORT_BODY_MIN_CHARS = 40
#: Text (characters) before a link in its block that still leaves the link leading it: "03-18", "[乡镇]".
_ITEM_LEAD_MAX = 12
#: Section links that make a site root a home page, whatever its text says.
_HOME_MIN_SECTIONS = 2
#: Section links taken from a home page, at most.
MAX_SECTIONS = 40


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What a page offers a crawler: its *kind*, article links, next page, section links and list template."""

    kind: PageKind
    articles: tuple[ArticleLink, ...] = ()
    next_page: str | None = None
    sections: tuple[str, ...] = ()
    #: The template path of the article list's links: hand it to the next page's
    #: analyze_page as *list_template*.
    template: tuple[str, ...] | None = None


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def find_section_links(
    doc: Document, *, hosts: SiteHosts | None = None, _links: list[_Link] | None = None
) -> tuple[str, ...]:
    """Return the section (channel) links of home page *doc*'s navigation, at most MAX_SECTIONS.

    Short anchor texts (2-10 characters) in <nav> or a nav/menu block; when there is
    none, the first group of at least four short links. Home links, article-shaped
    URLs and other sites are left out.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    links = _links if _links is not None else _scan(doc)

    def menu_entry(link: _Link) -> bool:
        return (
            2 <= len(link.text) <= 10
            and link.text.lower() not in _HOME_TEXT
            and link.url != current
            and not is_root_url(link.url)
            and hosts.allows(link.url)
            and url_kind(link.url) is not PageKind.ARTICLE
        )

    def news(link: _Link) -> bool:
        return not NOT_SECTION_URL.search(link.url) and not NOT_SECTION_TEXT.search(link.text)

    chosen = [link for link in links if link.nav and menu_entry(link) and news(link)]
    if not chosen:
        # No marked menu: the first group of at least four menu-like links, counted
        # before the entries that are not news (关于我们, 联系我们) are left out.
        groups: dict[tuple[str, ...], list[_Link]] = {}
        for link in links:
            if menu_entry(link):
                groups.setdefault(link.template, []).append(link)
        for members in groups.values():
            if len(members) >= 4 and any(news(m) for m in members):
                chosen = [m for m in members if news(m)]
                break
    out: list[str] = []
    for link in chosen:
        if link.url not in out:
            out.append(link.url)
    return tuple(out[:MAX_SECTIONS])


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def _block_sizes(tree: etree._Element, items: frozenset[etree._Element] = frozenset()) -> dict[etree._Element, list[int]]:
    """Return [characters, sentence ends] of running text of each block of *tree*.

    Text inside anchors, scripts and forms is not running text, nor is the text of a
    list's *items* (a teaser beside its headline link); a <p>'s text is added to the
    nearest block ancestor, so an article body's paragraphs add up.
    """
    sizes: dict[etree._Element, list[int]] = {}
    # From the root, not <body>: broken pages leave content after </body> and
    # lxml then hangs it on <html> (a gov.cn bulletin page does).
    stack: list[tuple[etree._Element, etree._Element]] = [(r, r) for r in _roots(tree)]
    while stack:
        el, block = stack.pop()
        if el.tag in TEXT_CONTAINER_TAGS:
            block = el
        if el.text:
            _add_text(sizes, block, el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    _add_text(sizes, block, child.tail)
                continue
            if child.tag not in _NOT_RUNNING_TEXT and child not in items:
                stack.append((child, block))
            if child.tail:
                _add_text(sizes, block, child.tail)
    return sizes


def _biggest_block(sizes: dict[etree._Element, list[int]]) -> tuple[int, int]:
    """Return (characters, sentence ends) of the block holding the most running text."""
    if not sizes:
        return 0, 0
    chars, sentences = max(sizes.values(), key=lambda v: (v[0], v[1]))
    return chars, sentences


def _add_text(sizes: dict[etree._Element, list[int]], block: etree._Element, text: str) -> None:
    stripped = text.strip()
    if not stripped:
        return
    entry = sizes.setdefault(block, [0, 0])
    entry[0] += len(stripped)
    entry[1] += len(SENTENCE_END.findall(stripped))


def _text_before(item: etree._Element, anchor: etree._Element) -> str:
    """Return the text of *item* that comes before *anchor* in it."""
    ancestors = set(anchor.iterancestors())
    parts: list[str] = []
    for el in item.iter():
        if el is anchor:
            break
        if not isinstance(el.tag, str):
            continue
        if el.text:
            parts.append(el.text)
        if el is not item and el not in ancestors and el.tail:
            parts.append(el.tail)
    return _clean_text("".join(parts))


def _list_items(main: list[_Link]) -> frozenset[etree._Element]:
    """Return the items of the main list: each link's own block when the link leads it.

    A listing's item opens with its headline (after at most a date or a number:
    "03-18", "[乡镇]"); a link inside running text (a body's "详见<a>…</a>") makes no item.
    """
    if len({link.url for link in main}) < 2:
        return frozenset()
    found: set[etree._Element] = set()
    for link in main:
        item = _item_of(link.element)
        if item is not link.element and len(_text_before(item, link.element)) <= _ITEM_LEAD_MAX:
            found.add(item)
    return frozenset(found)


def _short_article(doc: Document, sizes: dict[etree._Element, list[int]], main: list[_Link]) -> bool:
    """Return True when *doc* holds a short body under its headline and dateline, before its links.

    The headline is the first h1-h3 that the <title> names (6-80 characters); the body
    the first block after it with a sentence and _SHORT_BODY_MIN_CHARS characters;
    between the two stands a date with its year ("2024-03-16 07:30"); and every link
    of the main list comes after the body (a related-articles block follows it, while
    a listing's links come before its footer).
    """
    order = {el: i for i, el in enumerate(doc.tree.iter())}
    title = _clean_text(" ".join(el.text_content() for el in doc.tree.iter("title")))
    headline = next(
        (el for el in doc.tree.iter("h1", "h2", "h3") if 6 <= len(_clean_text(el.text_content())) <= 80
         and _clean_text(el.text_content()) in title),
        None,
    )
    if headline is None:
        return False
    top = order[headline]
    after = [
        (order[block], block)
        for block, (chars, sentences) in sizes.items()
        if order.get(block, -1) > top and chars >= _SHORT_BODY_MIN_CHARS and sentences >= 1
    ]
    if not after:
        return False
    at, _ = min(after, key=lambda pair: pair[0])
    if any(order.get(link.element, at + 1) < at for link in main):
        return False
    between = " ".join(
        el.text or "" for el in doc.tree.iter() if isinstance(el.tag, str) and top < order[el] < at
    )
    return bool(DATELINE.search(between))


def _classify(doc: Document, main: list[_Link]) -> PageKind:
    main_links = len({link.url for link in main})
    sizes = _block_sizes(doc.tree, _list_items(main))
    chars, sentences = _biggest_block(sizes)
    article_text = (chars >= _BODY_MIN_CHARS and sentences >= 2) or chars >= 4 * _BODY_MIN_CHARS
    hint = url_kind(doc.url)
    if article_text and (main_links < 8 or chars >= 60 * main_links or hint is PageKind.ARTICLE):
        return PageKind.ARTICLE
    if main_links >= 2 and _short_article(doc, sizes, main):
        # A short article followed by a block of related-article cards.
        return PageKind.ARTICLE
    if main_links >= 2 or (main_links >= 1 and hint is PageKind.LISTING):
        return PageKind.LISTING
    if article_text or (hint is PageKind.ARTICLE and chars >= 40 and sentences >= 1):
        return PageKind.ARTICLE
    return PageKind.OTHER


def classify_page(doc: Document, *, hosts: SiteHosts | None = None) -> PageKind:
    """Return whether *doc* is a listing, an article or neither.

    An article has one block of running text with sentence punctuation; a listing
    has a group of same-template links with title-like text and little running text
    (its items' teasers do not count). A short body under a headline and a dateline,
    before the page's links, is an article however many related links follow it.
    The URL's shape breaks ties ("/a/123.html" vs "list_1_2.html").
    """
    hosts = hosts or site_hosts([doc.url])
    links = _scan(doc)
    main = _select_main_groups(links, _absolute(doc.url, doc.url) or doc.url, hosts, several=is_root_url(doc.url))
    return _classify(doc, main)


def main_list_template(links: list[_Link], articles: tuple[ArticleLink, ...]) -> tuple[str, ...] | None:
    """Return the template path most of *articles*' links share, or None when there are none."""
    urls = {article.url for article in articles}
    counts = Counter(link.template for link in links if without_tracking(link.url) in urls and not link.nav)
    return counts.most_common(1)[0][0] if counts else None


def analyze_page(
    doc: Document,
    *,
    now: datetime,
    hosts: SiteHosts | None = None,
    article_selector: str | None = None,
    next_selector: str | None = None,
    sections: bool = False,
    list_template: tuple[str, ...] | None = None,
) -> PageLinks:
    """Return *doc*'s kind and, unless it is an article, its article links and next page.

    Anchors are read once for all three questions. *sections* also collects the
    navigation's section links (wanted on a home page only). A JSON endpoint's
    answer (newsarchive.extract.jsonlist) is a listing of the items it holds.
    *list_template* is PageLinks.template of the channel's page before this one: its
    list goes on here, and the page is a listing, however few items it holds.
    """
    hosts = hosts or site_hosts([doc.url])
    from_json = read_json_listing(doc, now=now, hosts=hosts)
    if from_json is not None:
        return PageLinks(PageKind.LISTING, from_json[0], from_json[1])
    links = _scan(doc)
    articles = find_article_links(
        doc, now=now, hosts=hosts, selector=article_selector, template=list_template, _links=links
    )
    urls = {article.url for article in articles}
    main = [link for link in links if not (link.nav or link.noise) and without_tracking(link.url) in urls]
    template = main_list_template(links, articles)
    continued = list_template is not None and template == list_template
    kind = PageKind.LISTING if continued else _classify(doc, main)
    section_links = find_section_links(doc, hosts=hosts, _links=links) if sections else ()
    if kind is PageKind.ARTICLE and not (len(section_links) >= _HOME_MIN_SECTIONS and is_root_url(doc.url)):
        return PageLinks(kind)
    # The site root is never an article when it links to sections: a company site's
    # home page with a long intro blurb and a handful of news links (PbootCMS's default
    # template) reads like one.
    next_page = find_next_page(doc, selector=next_selector, hosts=hosts, _links=links)
    if kind is not PageKind.LISTING and (next_page or section_links):
        kind = PageKind.LISTING
    return PageLinks(kind, articles, next_page, section_links, template)
