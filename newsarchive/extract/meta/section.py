"""Find an article's section: a column meta, else the breadcrumb's last category."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.meta.head import page_metas
from newsarchive.extract.pagetext import PageText
from newsarchive.normalize import normalize_text

__all__ = ["extract_section"]

_BY_CLASS = etree.XPath("//body//*[@class=$c or @id=$c]")
_CLASS_AND_ID = etree.XPath("//@class | //@id", smart_strings=False)
_HOME_ENDINGS = ("首页", "主页", "首 页")
_CRUMB_LABEL = re.compile(r"^.*?(?:位置|所在)\s*[:：]\s*")
_CRUMB_WORDS = ("当前位置", "现在的位置", "所在位置", "您的位置", "当前的位置", "现在位置")


def _section_value(text: str, title: str | None) -> str | None:
    """Return *text* when it can name a section: short, not the headline, a home link, a
    document number (2007年第23号) or a share widget's word (微信)."""
    text = text.strip()
    if (
        not text
        or len(text) > 20
        or text == title
        or text.isdigit()
        or P.BREADCRUMB_HOME.match(text)
        or P.BREADCRUMB_LEAF.match(text)
        or P.DOCUMENT_NUMBER.search(text)
        or P.WIDGET_WORDS.match(text)
        or P.NOTICE_WORDS.search(text)
    ):
        return None
    return text


def _is_home_link(a: Any) -> bool:
    """True when link *a* goes to a site's front page (<a href="http://www.xinhuanet.com/">新华网</a>)."""
    href = (a.get("href") or "").strip()
    if not href:
        return False
    parts = urlsplit(href)
    return not parts.query and parts.path in ("", "/", "/index.html", "/index.htm", "/index.shtml")


def _crumb_last(el: Any, title: str | None) -> str | None:
    links = [
        _section_value(normalize_text(text_content(a)), title) for a in el.iter("a") if not _is_home_link(a)
    ]
    found = [t for t in links if t]
    if found:
        return found[-1]
    text = normalize_text(text_content(el))
    parts = [p for p in P.BREADCRUMB_SEPARATORS.split(text) if p]
    if len(parts) >= 2:
        steps = [_section_value(_CRUMB_LABEL.sub("", p), title) for p in parts[1:]]
        steps = [p for p in steps if p]
        if steps:
            return steps[-1]
    return None


def _crumb_pieces(page: PageText, i: int, stop: int) -> list[str]:
    """Return the pieces of a breadcrumb starting at piece *i*: steps with separators between them.

    A menu ("首页 资讯 模拟设计 EDA/IP/IC设计") has no separator between its
    items; the crumb ends there, or at its leaf (正文).
    """
    parts: list[str] = []
    last_sep = True
    for j in range(i, min(stop, i + 12)):
        text = page.texts[j].strip()
        if len(text) > 40:
            break
        is_sep = P.BREADCRUMB_SEPARATORS.fullmatch(text) is not None
        if not is_sep and not last_sep and not P.BREADCRUMB_SEPARATORS.match(text):
            break
        parts.append(text)
        if not is_sep and P.BREADCRUMB_LEAF.match(text):
            break
        last_sep = is_sep or P.BREADCRUMB_SEPARATORS.search(text[-2:] or " ") is not None
    return parts


def _crumb_from_text(page: PageText, anchor: int, title: str | None) -> str | None:
    """Return the last category of a breadcrumb line above the headline, read from text alone.

    "您现在的位置：首页 > 新闻中心 > 本地新闻 > 正文" -> "本地新闻".
    """
    start = max(0, anchor - 80)
    for i in range(anchor - 1, start - 1, -1):
        piece = page.texts[i].strip()
        if not (P.BREADCRUMB_HOME.match(piece) or piece.endswith(_HOME_ENDINGS)):
            continue
        parts = _crumb_pieces(page, i, anchor)
        line = " ".join(parts)
        if not P.BREADCRUMB_SEPARATORS.search(line[len(parts[0]) :] if parts else ""):
            continue
        steps = [
            _section_value(_CRUMB_LABEL.sub("", step), title)
            for part in parts
            for step in P.BREADCRUMB_SEPARATORS.split(part)
        ]
        steps = [p for p in steps if p]
        if steps:
            return steps[-1]
    return None


def _crumb_before_leaf(page: PageText, anchor: int, title: str | None) -> str | None:
    """Return the step before a breadcrumb's leaf above the headline: "和讯网 > 股票 > 股市报道 > 正文".

    For breadcrumbs that start with the site's name instead of 首页; the steps
    must be separated ("新闻中心 国内新闻 > 正文" gives 国内新闻, the menu item
    before it is no step).
    """
    for i in range(anchor - 1, max(-1, anchor - 80), -1):
        piece = page.texts[i].strip()
        parts = [p for p in P.BREADCRUMB_SEPARATORS.split(piece) if p]
        if not parts or not P.BREADCRUMB_LEAF.match(parts[-1]):
            continue
        # the separator before the leaf: inside the piece ("> 正文") or the piece before it
        if len(parts) >= 2:
            return _section_value(parts[-2], title)
        sep_inside = P.BREADCRUMB_SEPARATORS.match(piece) is not None and not P.BREADCRUMB_LEAF.match(piece)
        j = i - 1
        if not sep_inside:
            if j < 0 or not P.BREADCRUMB_SEPARATORS.fullmatch(page.texts[j].strip()):
                continue
            j -= 1
        while j >= 0:
            step = page.texts[j].strip()
            if P.BREADCRUMB_SEPARATORS.fullmatch(step):
                j -= 1
                continue
            steps = [p for p in P.BREADCRUMB_SEPARATORS.split(step) if p]
            found = _section_value(steps[-1], title) if steps else None
            if found:
                return found
            break
    return None


def extract_section(
    tree: Any,
    page: PageText,
    *,
    anchor: int = 0,
    title: str | None = None,
    selector: Any = None,
) -> str | None:
    """Return the article's section: ColumnName / article:section meta, else the breadcrumb's last category."""
    if selector is not None:
        for hit in selector(tree):
            text = normalize_text(hit.text_content() if hasattr(hit, "text_content") else str(hit))
            if text and not P.WIDGET_WORDS.match(text):
                return text
    metas = page_metas(tree, page)
    for key in P.META_SECTION_NAMES:
        value = _section_value(metas.get(key) or "", title)
        if value:
            return value
    found = _crumb_from_text(page, anchor, title) or _crumb_before_leaf(page, anchor, title)
    if found:
        return found
    for offset in page.find_all(_CRUMB_WORDS):
        i = page.index_at(offset)
        if not page.visible(i):
            continue
        owner = page.owner(i)
        for el in (owner, owner.getparent() if owner is not None else None):
            if el is None or len(text_content(el)) > 300:
                continue
            found = _crumb_last(el, title)
            if found:
                return found
    for name in _crumb_classes(tree):
        for el in _BY_CLASS(tree, c=name):
            if len(text_content(el)) > 200:
                continue
            found = _crumb_last(el, title)
            if found:
                return found
    return None


def _crumb_classes(tree: Any) -> list[str]:
    """Return the class / id values in *tree* that name a breadcrumb (class="crumbs").

    Read from the tree's attributes (one XPath in C), not from the page source: six
    substring searches of a 120 kB source took twice as long, and a hint in the
    page's CSS ("position:absolute") or scripts used up the tries of real classes.
    """
    # Searched joined (NUL cannot occur in an attribute): one str.find per hit, not per value.
    joined = "\0".join(_CLASS_AND_ID(tree))
    names: list[str] = []
    for hint in P.BREADCRUMB_CLASS_HINTS:
        pos = joined.find(hint)
        tries = 0
        while pos != -1 and len(names) < 6 and tries < 8:
            tries += 1
            start = joined.rfind("\0", 0, pos) + 1
            end = joined.find("\0", pos)
            value = joined[start : end if end != -1 else len(joined)]
            after = joined[pos + len(hint) : pos + len(hint) + 1]
            # "locations" and "news-position" name a crumb; "positioned" does not.
            if (not after or after in " _-s\0") and len(value) <= 80 and value not in names:
                names.append(value)
            pos = joined.find(hint, pos + 1)
    return names

