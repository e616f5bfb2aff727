"""One pass over a page's anchors: each followable link with its template path and context.

Shared by the article-list, pagination and section rules; also holds the anchor
texts of a pager, which both the main-list finder and the next-page rules read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract.document import Document, text_content
from newsarchive.extract.patterns.links import (
    CARD_TITLE_CLASS,
    CLASS_TOKEN_SPLIT,
    DIGITS,
    NOT_PAGE_URL,
    SPACE,
)
from newsarchive.extract.patterns.tags import HEADING_TAGS
from newsarchive.sites import compile_selector

# Containers whose links are never the main article list: navigation, footer, side
# blocks, ads, friend links, share bars. Matched against class and id tokens. Pager
# names are not here: MetInfo wraps its article list in <ul class="met-pager-ajax">.
_NOISE_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "mainmenu", "submenu", "footer", "foot", "bottom",
        "copyright", "header", "head", "topbar", "sidebar", "side", "aside", "ad", "ads",
        "advert", "adv", "banner", "friend", "friendlink", "flink", "links", "yqlj", "link",
        "hot", "hotnews", "rank", "ranking", "paihang", "tuijian", "recommend", "related",
        "xgwz", "xgxw", "share", "breadcrumb", "crumb", "crumbs", "position", "location", "weizhi", "dqwz",
        "login", "search", "tool",
        "tools", "announ", "announce", "marquee",
    }
)
_NOISE_TAGS = frozenset({"nav", "footer", "header", "aside", "form", "select", "button"})
# Elements whose <header>/<footer> belong to an entry, not to the page.
_ENTRY_TAGS = frozenset({"article", "main"})
_ENTRY_PART_TOKENS = frozenset({"header", "head", "footer", "foot"})
# Containers that hold the site's section links: <nav>, class="nav", id="menu", daohang.
_NAV_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "mainmenu", "navmenu", "daohang", "dh", "column",
        "lanmu", "channel", "topnav", "mainnav",
    }
)
# Block elements inside an anchor that make it a card rather than a linked phrase.
_CARD_PARTS = frozenset({*HEADING_TAGS, "div", "p", "section", "article", "figure", "figcaption", "ul", "li", "dl", "dt", "dd", "header", "footer"})
# A card's headline: a heading, or the <strong> some templates print instead.
_CARD_HEADINGS = frozenset({*HEADING_TAGS, "strong"})


@dataclass(slots=True)
class _Link:
    element: etree._Element
    url: str
    text: str
    template: tuple[str, ...]
    noise: bool
    nav: bool


def _clean_text(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _anchor_text(a: etree._Element) -> str:
    """Return the headline of anchor *a*: its text, or, when it wraps a whole card, the card's headline.

    A card (<a><img><h3>标题</h3><span>来源</span><span>3小时前</span></a>) gives its
    heading's text, or the text of a part whose class names a title; a card without
    one gives its longest block of one text run (not an info line of several spans).
    Inline markup (<a>桐溪<em>县</em>新闻</a>) is one text.
    """
    if len(a) == 0 or not any(isinstance(el.tag, str) and el.tag in _CARD_PARTS for el in a.iterdescendants()):
        return _clean_text(text_content(a))
    runs: list[str] = []  # parts whose text is one run: a headline
    lines: list[str] = []  # parts made of several texts: an info line (来源 · 3小时前 · 1.2万阅读)
    for el in a.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        if el.tag in _CARD_HEADINGS or CARD_TITLE_CLASS.search(el.get("class") or ""):
            heading = _clean_text(text_content(el))
            if len(heading) >= 2:
                return heading
        if el.tag in _CARD_PARTS and not any(
            isinstance(child.tag, str) and child.tag in _CARD_PARTS for child in el.iterdescendants()
        ):
            texts = sum(1 for child in el if isinstance(child.tag, str) and text_content(child).strip())
            (lines if texts >= 2 else runs).append(_clean_text(text_content(el)))
    runs.append(_clean_text("".join([a.text or "", *(child.tail or "" for child in a)])))
    best = max(runs, key=len)
    return best if len(best) >= 2 else max(lines, key=len, default=best)


def _base_url(doc: Document) -> str:
    for base in _iter_tags(doc.tree, "base"):
        href = str(base.get("href") or "").strip()
        if href:
            return urljoin(doc.url, href)
        break
    return doc.url


def _absolute(base: str, href: str | None) -> str | None:
    """Return the absolute http(s) URL of *href* without its fragment, or None."""
    if not href:
        return None
    href = href.strip()
    if not href or href[0] == "#" or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _tokens(element: etree._Element) -> set[str]:
    """Return the class and id names of *element*, each also cut at its first and last "-" or "_".

    "footer_left" gives footer, "sidebar-news-list" sidebar, but utility classes
    keep their middle words: "border-bottom-dashed" does not give "bottom".
    """
    tokens: set[str] = set()
    for attr in ("class", "id"):
        value = element.get(attr)
        if value:
            for name in value.lower().split():
                tokens.add(name)
                parts = [p for p in CLASS_TOKEN_SPLIT.split(name) if p]
                if len(parts) > 1:
                    tokens.add(parts[0])
                    tokens.add(parts[-1])
    return tokens


def _roots(tree: etree._Element) -> list[etree._Element]:
    """Return *tree* and the elements lxml left beside it.

    Markup after a page's </html> becomes siblings of the root element (a gov.cn
    bulletin page keeps its whole body there), which tree.iter() never reaches.
    """
    return [tree, *tree.itersiblings()]


def _iter_tags(tree: etree._Element, tag: str) -> Iterator[etree._Element]:
    for root in _roots(tree):
        yield from root.iter(tag)


def _entry_part(el: etree._Element, tokens: set[str]) -> bool:
    """Return True for a header or footer inside an <article> or <main>: the entry's own
    (<header class="entry-header"> holding its headline and date), not the page's chrome."""
    if el.tag not in ("header", "footer", "div", "p", "span") or not (tokens & _NOISE_TOKENS) <= _ENTRY_PART_TOKENS:
        return False
    return any(a.tag in _ENTRY_TAGS for a in el.iterancestors())


def _scan(doc: Document) -> list[_Link]:
    """Return every followable anchor of *doc* with its template path and context flags."""
    base = _base_url(doc)
    links: list[_Link] = []
    # Context of each ancestor is computed once and cached by element.
    context: dict[etree._Element, tuple[tuple[str, ...], bool, bool]] = {}

    def context_of(el: etree._Element) -> tuple[tuple[str, ...], bool, bool]:
        found = context.get(el)
        if found is not None:
            return found
        parent = el.getparent()
        if parent is None or el.tag in ("body", "html"):
            result: tuple[tuple[str, ...], bool, bool] = ((), False, False)
        else:
            path, noise, nav = context_of(parent)
            tokens = _tokens(el)
            cls = (el.get("class") or "").split()
            # Numbers in a class name are the item's own (post-301, item_7): the
            # template is the same for every item of a list.
            step = f"{el.tag}.{DIGITS.sub('#', cls[0])}" if cls else str(el.tag)
            if not noise and (el.tag in _NOISE_TAGS or tokens & _NOISE_TOKENS):
                noise = not _entry_part(el, tokens)
            nav = nav or el.tag == "nav" or bool(tokens & _NAV_TOKENS)
            result = ((*path, step)[-6:], noise, nav)
        context[el] = result
        return result

    # Pages repeat their links (image and title, nav and footer): resolve each href once.
    resolved: dict[str | None, str | None] = {}
    for a in _iter_tags(doc.tree, "a"):
        href = a.get("href")
        if href in resolved:
            url = resolved[href]
        else:
            url = _absolute(base, href)
            if url is not None and NOT_PAGE_URL.search(urlsplit(url).path):
                url = None
            resolved[href] = url
        if url is None:
            continue
        text = _anchor_text(a)
        if len(text) < 2:
            text = _clean_text(a.get("title") or "") or text
        parent = a.getparent()
        if parent is None:
            continue
        path, noise, nav = context_of(parent)
        links.append(_Link(a, url, text, path, noise, nav))
    return links


def _select_by(tree: etree._Element, selector: str) -> list[etree._Element]:
    """Return the elements a profile's *selector* picks (see newsarchive.sites.compile_selector)."""
    return [e for e in compile_selector(selector)(tree) if isinstance(e, etree._Element)]
