"""Find the view count an article page shows: a labelled number or the one beside an eye icon."""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.meta.areas import in_list_item, in_other_area
from newsarchive.extract.pagetext import PageText
from newsarchive.normalize import parse_count

__all__ = ["BARE_NUMBER", "extract_view_count"]

logger = logging.getLogger(__name__)

_HITS_ELEMENTS = etree.XPath("//*[@id='hits' or @id='click' or @id='clicks' or @id='hits_num']")
#: A number alone, as a hits element, an eye icon or a counter's answer shows it: 1665, (1,024), ：1.2万
BARE_NUMBER = re.compile(r"^\s*[(（:：]?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万|千|[kKwW])?\s*[)）]?\s*$")

#: Literal words that start a view-count label (looked up with str.find first).
_VIEW_WORDS = ("阅读", "浏览", "点击", "人气", "围观", "查看", "访问", "iew", "IEW", "hits", "Hits", "reads")
#: A label that names the article's count only on the headline's own meta line
#: (PbootCMS: 时间：2021-11-05 访问量：1323); elsewhere "访问量：99123" counts the site.
_META_LINE_ONLY = "访问"
#: Class / id fragments of an icon or element that shows a bare view count.
_VIEW_ICON_HINTS = re.compile(r"eye|view|click|hits|read|pv\b|browse|liulan|dianji", re.IGNORECASE)
#: Words that make 阅读 / 点击 / 浏览 the heading of a list of other articles.
_HEADING_PREFIXES = frozenset({"推荐", "相关", "延伸", "热门", "精彩", "更多", "扩展", "拓展", "深度", "最新", "排行", "猜你"})
#: The character before 访问量 that makes it the site's: 总访问量, 累计访问量, 本站访问量, 网站访问量.
_SITE_TOTALS = frozenset("总计站网")
#: How far above the headline (in text pieces) a count may sit: a forum's 查看 header
#: is next to the thread title; a blog sidebar's totals are further away.
_BEFORE_WINDOW = 15
#: How many text pieces after the headline still belong to its meta line and body top.
_LIST_WINDOW = 60
#: How many text pieces after the headline make its own meta line (楼主 / 时间 / 点击 / 回复).
_META_LINE_PIECES = 8


def _labelled_count(page: PageText, offset: int) -> int | None:
    """Return the count of a label starting at *offset*: "浏览次数：177", "1164次阅读"."""
    joined = page.joined
    before = joined[max(0, offset - 2) : offset]
    if before in _HEADING_PREFIXES:
        return None  # 推荐阅读 / 相关阅读 / 热门点击: a list heading, not a count label
    if joined.startswith(_META_LINE_ONLY, offset) and before and before[-1] in _SITE_TOTALS:
        return None  # 总访问量 / 累计访问量 / 本站访问量: the site's visits
    start = offset - 1 if joined[offset : offset + 3] in ("iew", "IEW") else offset
    if start != offset and start > 0 and joined[start - 1].isalpha():
        return None  # "Reviews (3)", "Interviews: 4", "Preview": not a view label
    context = page.context_at(start, pieces=3, chars=60)
    m = P.VIEW_LABELLED.match(context)
    if m is not None:
        rest = context[m.end("num") :].lstrip()
        if not P.NOT_VIEW_CONTEXT.match(rest[:2] or " ") or P.NEXT_COUNT_LABEL.match(rest):
            return parse_count(m.group("num") + (m.group("unit") or ""))
        return None
    before = page.context_before(start, pieces=2, chars=24)
    around = before + context[:8]
    for m in P.VIEW_SUFFIXED.finditer(around):
        if m.end() <= len(before):
            continue
        if P.NOT_VIEW_CONTEXT.search(around[max(0, m.start() - 2) : m.start()]):
            continue
        return parse_count(m.group("num") + (m.group("unit") or ""))
    return None


def _icon_count(page: PageText, i: int) -> int | None:
    """Return piece *i* as a count when it is a bare number an eye icon or hits element shows."""
    m = BARE_NUMBER.match(page.texts[i])
    if m is None:
        return None
    if i and page.texts[i - 1].rstrip().endswith((":", "：")):
        return None  # another label's value: 文章：<span class="view-num">11</span> in an author box
    # The element whose text the number is, or the icon it follows: <i class="fa fa-eye"></i>1665
    el = page.element(i)
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not _VIEW_ICON_HINTS.search(names):
        return None
    return parse_count(m.group(1) + (m.group(2) or ""))


def extract_view_count(
    tree: Any, page: PageText, *, anchor: int = 0, selector: Any = None, body: Any = None
) -> int | None:
    """Return the view count shown in the article's meta area, or None when it shows none.

    A labelled number ("浏览次数：177", "阅读数(1.2万)", "1164次阅读") or the bare
    number after an eye icon, outside comments, sidebars and lists of other
    articles; the one nearest after the headline (piece *anchor*) wins. Comment
    counts ("举报", "评论"), likes and numbers in scripts or hidden inputs are not views.
    *body* is the body's container: a footer inside the post that holds it is the
    post's meta line (发表于 2008-01-02 | 阅读(1660)), not the page footer.
    """
    if selector is not None:
        for hit in selector(tree):
            text = hit.text_content() if hasattr(hit, "text_content") else str(hit)
            value = parse_count(text)
            if value is not None:
                return value
    post = body.getparent() if body is not None else None
    if post is not None and post.tag in ("body", "html"):
        post = body if body.tag not in ("body", "html") else None
    found: list[tuple[int, int, int]] = []  # (before headline?, distance, value)
    # Far above the headline a count is a sidebar's or the blog's own totals: the
    # search starts _BEFORE_WINDOW pieces above it.
    first = max(0, anchor - _BEFORE_WINDOW)
    nearest: int | None = None
    meta_line: set[int] | None = None  # the pieces between the headline and the body's prose
    for offset in page.find_all(_VIEW_WORDS, page.starts[first] if first < len(page.starts) else len(page.joined)):
        i = page.index_at(offset)
        if nearest is not None and i > nearest:
            # The first count within _LIST_WINDOW pieces after the headline outranks
            # every later one and survives the many-counts rule below: a page listing
            # a hundred articles with their clicks is not read to its end.
            break
        menu_ok = anchor <= i < anchor + _META_LINE_PIECES
        if page.joined.startswith(_META_LINE_ONLY, offset):
            if meta_line is None:
                meta_line = {j for j, _ in page.lines_after(anchor, max_pieces=_META_LINE_PIECES)}
            if i not in meta_line:
                continue
        value = _labelled_count(page, offset)
        if (
            value is not None
            and not in_other_area(page.owner(i), menu_ok=menu_ok, post=post)
            and not in_list_item(page.owner(i))
        ):
            logger.debug("view count %d labelled at piece %d", value, i)
            found.append((0 if i >= anchor else 1, abs(i - anchor), value))
            if nearest is None and anchor <= i <= anchor + _LIST_WINDOW:
                nearest = i
    for i, _ in page.lines_after(anchor, max_pieces=30, max_chars=400):
        value = _icon_count(page, i)
        if value is not None and not in_other_area(page.owner(i)):
            found.append((0, i - anchor, value))
    if not found and "hits" in page.joined or not found and "click" in page.joined:
        for el in _HITS_ELEMENTS(tree):
            m = BARE_NUMBER.match(text_content(el))
            if m is not None and not in_other_area(el):
                found.append((1, 0, parse_count(m.group(1)) or 0))
    if not found:
        return None
    if len({value for _, _, value in found}) >= 3:
        # Many different counts: a list of other articles with their clicks. Only
        # one right under the headline can be this article's.
        found = [f for f in found if f[0] == 0 and f[1] <= _LIST_WINDOW]
        if not found:
            return None
    found.sort()
    return found[0][2]
