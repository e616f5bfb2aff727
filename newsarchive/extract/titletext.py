"""The texts a headline is read from: an element's text, its leading line, <title> and title metas.

Shared by the headline finder (newsarchive.extract.title); pure functions of one element
or one page.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache
from typing import Any

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged
from newsarchive.extract.patterns.tags import BLOCK_TAGS, SKIP_TAGS
from newsarchive.normalize import normalize_text

__all__ = [
    "META_LINE",
    "clean_headline",
    "element_text",
    "headline_part",
    "leading_text",
    "meta_titles",
    "page_title",
    "split_page_title",
    "squash",
]

_SPACES = re.compile(r"\s+")
_BLOCK_OR_SKIP = BLOCK_TAGS | SKIP_TAGS

def element_text(el: Any, raw: str | None = None) -> str:
    """Return the normalised text of *el*, line breaks inside Chinese text joined.

    "常务委员会<br>关于批准" -> "常务委员会关于批准"; "Hello<br>world" -> "Hello world".
    *raw* is ``el.text_content()`` when the caller has it already.
    """
    for child in el.iterdescendants():
        if child.tag in _BLOCK_OR_SKIP:
            break
    else:
        # No line breaks, blocks or scripts inside: lxml joins the text in C.
        return normalize_text(text_content(el) if raw is None else raw)
    parts: list[str] = []

    def walk(node: Any) -> None:
        tag = node.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            return
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in BLOCK_TAGS:
            parts.append("\n")

    walk(el)
    text = "".join(parts).strip()
    if "\n" in text:
        text = P.CJK_LINE_BREAK.sub("", text)
    return normalize_text(text)


#: What marks a date / source line rather than more headline: a date, 来源, 作者...
META_LINE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}|来源|作者|时间|日期|发布|编辑|记者")


def leading_text(el: Any) -> str:
    """Return the text of *el* before its first <br> or block child, or "" if it has none."""
    lead = el.text or ""
    if not lead.strip() and not any(child.tag in BLOCK_TAGS for child in el):
        return ""  # no block child, and no own text that a date line could follow
    parts = [lead]
    for child in el:
        if child.tag in BLOCK_TAGS:
            break
        child_text = element_text(child)
        if lead.strip() and META_LINE.search(child_text):
            break  # <h1>标题<span>2021-01-12 来源：临江日报</span></h1>
        parts.append(child_text)
        if child.tail:
            parts.append(child.tail)
    else:
        return ""
    return normalize_text("".join(parts))


@lru_cache(maxsize=2048)
def squash(text: str) -> str:
    """Return *text* without whitespace (cached: the page title is squashed for every candidate)."""
    return _SPACES.sub("", text)


def split_page_title(title: str) -> list[str]:
    """Return the parts of a <title>: "标题_频道_网站" -> ["标题", "频道", "网站"]."""
    parts = [p for p in P.TITLE_SEPARATORS.split(title) if p and p.strip()]
    if parts and len(parts) == 1:
        parts = [p for p in P.TITLE_TRAILING_DASH.split(parts[0]) if p.strip()]
    return [p.strip() for p in parts]


def clean_headline(text: str, site_names: AbstractSet[str] = frozenset()) -> str:
    """Return the headline *text* without what the site put around it.

    Icon glyphs (private use characters), a label ("主题：", "标题："), a site's
    name in brackets ("【通辽新闻网】"; *site_names* are <title>'s site parts),
    brackets around the whole headline and decoration at its ends ("- -", "★").
    A kicker in brackets ("【聚焦两会】标题") is the headline's own and stays.
    """
    cleaned = P.PRIVATE_USE.sub(" ", text) if P.PRIVATE_USE.search(text) else text
    for _ in range(2):
        cleaned = P.TITLE_EDGE_DECORATION.sub("", cleaned)
        cleaned = P.TITLE_LABEL.sub("", cleaned)
        m = P.SITE_IN_BRACKETS.search(cleaned)
        if m is not None:
            name = m.group(1) or m.group(2)
            if squash(name) in site_names or P.SITE_NAME_END.search(name):
                cleaned = cleaned[: m.start()] + cleaned[m.end() :]
        if len(cleaned) > 2 and cleaned[0] in "【[" and cleaned[-1] in "】]" and cleaned.count(cleaned[0]) == 1:
            cleaned = cleaned[1:-1]
    cleaned = normalize_text(cleaned)
    return cleaned if len(squash(cleaned)) >= 2 else text


def headline_part(parts: list[str]) -> str:
    """Return the part of <title> that is the headline: "标题 - 栏目 - 站点" -> "标题".

    With three or more parts the headline is at the end that names no site
    (SITE_NAME_END); otherwise, and with two parts, it is the longest part.
    """
    if len(parts) >= 3:
        first, last = P.SITE_NAME_END.search(parts[0]), P.SITE_NAME_END.search(parts[-1])
        if last and not first and len(squash(parts[0])) >= 4:
            return parts[0]
        if first and not last and len(squash(parts[-1])) >= 4:
            return parts[-1]
    return max(parts, key=len) if parts else ""


def page_title(tree: Any, page: PageText | None = None) -> str:
    for el in iter_tagged(tree, page, "title"):
        text = normalize_text(text_content(el))
        if text:
            return text
    return ""


def meta_titles(tree: Any, page: PageText | None = None) -> list[str]:
    found: dict[str, str] = {}
    for meta in iter_tagged(tree, page, "meta"):
        if meta.get("content") is None:
            continue
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in P.META_TITLE_NAMES and key not in found:
            text = normalize_text(meta.get("content"))
            if text:
                found[key] = text
    return [found[k] for k in P.META_TITLE_NAMES if k in found]
