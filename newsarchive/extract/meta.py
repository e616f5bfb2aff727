"""Find the fields around a headline: view count, counter script, author, source, section, canonical URL."""

from __future__ import annotations

import html as _html
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged
from newsarchive.normalize import canonicalize_url, normalize_text, parse_count

__all__ = [
    "extract_author",
    "extract_canonical_url",
    "extract_section",
    "extract_source",
    "extract_view_count",
    "find_counter_url",
    "parse_counter_response",
]

logger = logging.getLogger(__name__)

_HITS_ELEMENTS = etree.XPath("//*[@id='hits' or @id='click' or @id='clicks' or @id='hits_num']")
_BY_CLASS = etree.XPath("//body//*[@class=$c or @id=$c]")
_CLASS_AND_ID = etree.XPath("//@class | //@id", smart_strings=False)
_WS = re.compile(r"\s+")
_BARE_NUMBER = re.compile(r"^\s*[(（:：]?\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(万|千|[kKwW])?\s*[)）]?\s*$")

#: Literal words that start a view-count label (looked up with str.find first).
# 访问量 is left out on purpose: "总访问量" / "您是第N位访问者" count the site, not the article.
_VIEW_WORDS = ("阅读", "浏览", "点击", "人气", "围观", "查看", "iew", "IEW", "hits", "Hits", "reads")
#: Class / id fragments of an icon or element that shows a bare view count.
_VIEW_ICON_HINTS = re.compile(r"eye|view|click|hits|read|pv\b|browse|liulan|dianji", re.IGNORECASE)
#: Words that make 阅读 / 点击 / 浏览 the heading of a list of other articles.
_HEADING_PREFIXES = frozenset({"推荐", "相关", "延伸", "热门", "精彩", "更多", "扩展", "拓展", "深度", "最新", "排行", "猜你"})
#: How far above the headline (in text pieces) a count may sit: a forum's 查看 header
#: is next to the thread title; a blog sidebar's totals are further away.
_BEFORE_WINDOW = 15
#: How many text pieces after the headline still belong to its meta line and body top.
_LIST_WINDOW = 60
#: How many text pieces after the headline make its own meta line (楼主 / 时间 / 点击 / 回复).
_META_LINE_PIECES = 8
_AUTHOR_WORDS = ("作者", "记者", "記者", "通讯员", "撰稿", "撰文", "执笔", "编辑", "責任編輯", "责编", "文/", "文 /")
_SOURCE_WORDS = ("来源", "稿源", "出处", "來源")
_HOME_ENDINGS = ("首页", "主页", "首 页")
_CRUMB_LABEL = re.compile(r"^.*?(?:位置|所在)\s*[:：]\s*")
_CRUMB_WORDS = ("当前位置", "现在的位置", "所在位置", "您的位置", "当前的位置", "现在位置")


def _only_menu(names: str) -> bool:
    """True when the class/id *names* mark a menu or nav and nothing else of another area."""
    return bool(P.MENU_AREA.search(names)) and not P.NOT_ARTICLE_AREA.search(P.MENU_AREA.sub(" ", names))


def _in_other_area(el: Any, *, menu_ok: bool = False) -> bool:
    """True when *el* sits in a comment thread, a sidebar or a list of other articles.

    With *menu_ok* (a count on the headline's own meta line) a menu or nav class
    alone does not make it another area.
    """
    depth = 0
    while el is not None and depth < 12:
        names = el.get("class") or ""
        ident = el.get("id")
        if ident:
            names = f"{names} {ident}"
        if names and P.NOT_ARTICLE_AREA.search(names) and not (menu_ok and _only_menu(names)):
            return True
        if el.tag in ("body", "html", "article", "main"):
            return False
        el = el.getparent()
        depth += 1
    return False


def _in_list_item(el: Any) -> bool:
    """True when *el* sits in a list item that links elsewhere: "<li><a>标题</a> 点击数：3521</li>"."""
    for _ in range(3):
        if el is None:
            return False
        if el.tag == "li":
            return any(a.get("href") for a in el.iter("a"))
        el = el.getparent()
    return False


def _labelled_count(page: PageText, offset: int) -> int | None:
    """Return the count of a label starting at *offset*: "浏览次数：177", "1164次阅读"."""
    joined = page.joined
    if joined[max(0, offset - 2) : offset] in _HEADING_PREFIXES:
        return None  # 推荐阅读 / 相关阅读 / 热门点击: a list heading, not a count label
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
    m = _BARE_NUMBER.match(page.texts[i])
    if m is None:
        return None
    # The element whose text the number is, or the icon it follows: <i class="fa fa-eye"></i>1665
    el = page.element(i)
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    if not _VIEW_ICON_HINTS.search(names):
        return None
    return parse_count(m.group(1) + (m.group(2) or ""))


def extract_view_count(
    tree: Any, page: PageText, *, anchor: int = 0, selector: Any = None
) -> int | None:
    """Return the view count shown in the article's meta area, or None when it shows none.

    A labelled number ("浏览次数：177", "阅读数(1.2万)", "1164次阅读") or the bare
    number after an eye icon, outside comments, sidebars and lists of other
    articles; the one nearest after the headline (piece *anchor*) wins. Comment
    counts ("举报", "评论"), likes and numbers in scripts or hidden inputs are not views.
    """
    if selector is not None:
        for hit in selector(tree):
            text = hit.text_content() if hasattr(hit, "text_content") else str(hit)
            value = parse_count(text)
            if value is not None:
                return value
    found: list[tuple[int, int, int]] = []  # (before headline?, distance, value)
    # Far above the headline a count is a sidebar's or the blog's own totals: the
    # search starts _BEFORE_WINDOW pieces above it.
    first = max(0, anchor - _BEFORE_WINDOW)
    nearest: int | None = None
    for offset in page.find_all(_VIEW_WORDS, page.starts[first] if first < len(page.starts) else len(page.joined)):
        i = page.index_at(offset)
        if nearest is not None and i > nearest:
            # The first count within _LIST_WINDOW pieces after the headline outranks
            # every later one and survives the many-counts rule below: a page listing
            # a hundred articles with their clicks is not read to its end.
            break
        value = _labelled_count(page, offset)
        menu_ok = anchor <= i < anchor + _META_LINE_PIECES
        if (
            value is not None
            and not _in_other_area(page.owner(i), menu_ok=menu_ok)
            and not _in_list_item(page.owner(i))
        ):
            logger.debug("view count %d labelled at piece %d", value, i)
            found.append((0 if i >= anchor else 1, abs(i - anchor), value))
            if nearest is None and anchor <= i <= anchor + _LIST_WINDOW:
                nearest = i
    for i, _ in page.lines_after(anchor, max_pieces=30, max_chars=400):
        value = _icon_count(page, i)
        if value is not None and not _in_other_area(page.owner(i)):
            found.append((0, i - anchor, value))
    if not found and "hits" in page.joined or not found and "click" in page.joined:
        for el in _HITS_ELEMENTS(tree):
            m = _BARE_NUMBER.match(text_content(el))
            if m is not None and not _in_other_area(el):
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


# ---------------------------------------------------------------------------
# Counter scripts
# ---------------------------------------------------------------------------


def _with_query(url: str, **values: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in values]
    query.extend(values.items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def _expand(text: str, m: re.Match[str]) -> str:
    """Return the whole URL around the match *m* in *text* (back to the opening quote)."""
    start = m.start()
    while start > 0 and text[start - 1] not in "\"'( =\n\t<>":
        start -= 1
    end = m.end()
    return _html.unescape(text[start:end])


def _counter_from(text: str, base_url: str) -> str | None:
    for pattern, kind in ((P.COUNTER_EMPIRE, "empire"), (P.COUNTER_DEDECMS, "dede"), (P.COUNTER_PHPCMS, "phpcms")):
        m = pattern.search(text)
        if m is not None:
            url = urljoin(base_url, _expand(text, m))
            return _with_query(url, addclick="0") if kind == "empire" else url
    return None


def _counter_calls(code: str) -> Iterator[re.Match[str]]:
    """Yield P.COUNTER_CALL's matches in *code* as finditer() does, trying only where one can start.

    A match starts with "src" (any case) or "$.": finding those with str.find on the
    lower-cased code and matching there is 3x faster than finditer() over a 14 kB
    script, which tries the pattern at every character.
    """
    low = code.lower()
    if len(low) != len(code) or "\u017f" in code:
        # Lower-casing moved offsets ("İ" becomes two characters), or "ſ", which the
        # pattern's IGNORECASE reads as "s": let the regex scan.
        yield from P.COUNTER_CALL.finditer(code)
        return
    starts: list[int] = []
    for needle in ("src", "$."):
        at = low.find(needle)
        while at != -1:
            starts.append(at)
            at = low.find(needle, at + 1)
    end = 0
    for at in sorted(starts):
        if at < end:
            continue
        m = P.COUNTER_CALL.match(code, at)
        if m is not None:
            yield m
            end = m.end()


_COUNTER_HINTS = re.compile(r"ViewClick|count\.php|op=count|_showDynClicks|\$\.(?:get|ajax|post)")


def find_counter_url(tree: Any, url: str, page: PageText | None = None) -> str | None:
    """Return the absolute URL of the page's view-counter endpoint, or None.

    DedeCMS ``/plus/count.php?aid=N``, EmpireCMS ``/e/public/ViewClick/?classid=C&id=N``
    (rewritten to ``addclick=0`` so that asking does not add a view), PHPCMS
    ``api.php?op=count&id=N&modelid=M``, and other same-site ``<script src>`` /
    ``$.get`` counters.
    """
    generic: str | None = None
    for script in iter_tagged(tree, page, "script"):
        src = script.get("src")
        code = src if src else script.text
        if not code:
            continue
        # One regex pass tells whether any of the eight words below occurs at all; every
        # one of them holds one of these four, which str's search finds several times
        # faster in a long script than the regex, whose first characters are common in code.
        hinted = (
            "count" in code or "ViewClick" in code or "_showDyn" in code or "$." in code
        ) and _COUNTER_HINTS.search(code) is not None
        if hinted:
            if "ViewClick" in code or "count.php" in code or "op=count" in code:
                found = _counter_from(code, url)
                if found is not None:
                    return found
            if "_showDynClicks" in code:
                vsb = P.COUNTER_VSB.search(code)
                if vsb is not None:
                    return urljoin(url, P.VSB_COUNTER_PATH.format(**vsb.groupdict()))
        if generic is not None:
            continue
        if src:
            if "?" in src and P.COUNTER_WORDS.search(src):
                absolute = urljoin(url, src.strip())
                if _host(absolute) == _host(url):  # not a third-party site-statistics script
                    generic = absolute
            continue
        if hinted and ("$.get" in code or "$.ajax" in code or "$.post" in code):
            for m in _counter_calls(code):
                candidate = _html.unescape(m.group("url"))
                if P.COUNTER_WORDS.search(candidate):
                    absolute = urljoin(url, candidate)
                    if _host(absolute) == _host(url):
                        generic = absolute
                        break
    return generic


def parse_counter_response(text: str) -> int | None:
    """Return the count a counter endpoint answered, or None.

    "document.write('177');" -> 177, "$('#hits').html('177');" -> 177, "177" -> 177.
    """
    if not text:
        return None
    m = P.COUNTER_RESPONSE.search(text)
    if m is not None:
        return parse_count(m.group(1))
    m = _BARE_NUMBER.match(text.strip().rstrip(";").strip().strip("'\""))
    if m is not None:
        return parse_count(m.group(1) + (m.group(2) or ""))
    return None


# ---------------------------------------------------------------------------
# Author, source, section, canonical URL
# ---------------------------------------------------------------------------


def _metas(tree: Any, page: PageText | None = None) -> dict[str, str]:
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


def _clean_value(value: str, *, author: bool = False) -> str | None:
    """Return *value* as a short name-like phrase, or None when it is a label, notice or placeholder.

    The value ends where the next label starts ("孙立 评论：0" -> "孙立"); an
    editor's staff code goes ("杨倩_NF4425" -> "杨倩"); reprint and copyright
    notices ("转载请注明"), placeholders ("系统管理员", "网络整理") and numbers
    are no names.
    """
    value = normalize_text(value)
    m = P.VALUE_STOP.search(value)
    if m is not None:
        value = value[: m.start()]  # "孙立 评论：0" -> "孙立"; "点击：" (an empty label) -> ""
    value = value.strip(" -_|·:：,，、")
    if author:
        value = P.EDITOR_CODE.sub("", value).strip(" -_|·:：,，、")
    if not value or len(value) < 2 or value.isdigit():
        return None
    if P.EMPTY_VALUES.match(value) or P.NOTICE_WORDS.search(value):
        return None
    return value


def _labelled_value(
    page: PageText, anchor: int, pattern: re.Pattern[str], words: tuple[str, ...], *, author: bool = False
) -> str | None:
    """Return the value of the first *pattern* label under the headline, else anywhere on the page.

    For authors a writer or reporter outranks an editor, who is named only when
    the page names no one else.
    """
    editor: str | None = None
    line = " | ".join(text for _, text in page.lines_after(anchor, max_pieces=30, max_chars=400))
    for m in pattern.finditer(line):
        value = _clean_value(m.group("value"), author=author)
        if value:
            if not author or not P.EDITOR_LABEL.search(m.group("label")):
                return value
            editor = editor or value
    if author:
        reporter = _dateline_reporter(page, anchor)
        if reporter:
            return reporter
    for offset in page.find_all(words):
        i = page.index_at(offset)
        context = page.context_at(max(page.starts[i], offset - 4), pieces=2, chars=60, sep=" | ")
        hit = pattern.search(context)
        if hit is not None:
            value = _clean_value(hit.group("value"), author=author)
            if value and not _in_other_area(page.owner(i)):
                if not author or not P.EDITOR_LABEL.search(hit.group("label")):
                    return value
                editor = editor or value
    return editor


def _dateline_reporter(page: PageText, anchor: int) -> str | None:
    """Return the reporter the body's first lines name.

    A dateline "新华社巴黎12月9日电（记者唐霁）" -> "唐霁", or a byline line of
    its own "澎湃新闻记者 段彦超 廖艳" -> "段彦超 廖艳".
    """
    for offset in page.find_all(("记者",), page.starts[anchor] if anchor < len(page.starts) else len(page.joined)):
        i = page.index_at(offset)
        if i > anchor + 80:
            break
        piece = page.texts[i].strip()
        m = P.BYLINE_REPORTER.fullmatch(piece) if len(piece) <= 30 else None
        if m is None:
            start = max(page.starts[i], offset - 3)
            m = P.DATELINE_REPORTER.search(page.joined, start, offset + 30)
        if m is not None:
            value = _clean_value(m.group("value"), author=True)
            if value:
                return value
    return None


def _from_selector(tree: Any, selector: Any, pattern: re.Pattern[str], *, author: bool = False) -> str | None:
    for hit in selector(tree):
        text = hit.text_content() if hasattr(hit, "text_content") else str(hit)
        m = pattern.search(text)
        value = _clean_value(m.group("value") if m else text, author=author)
        if value:
            return value
    return None


def extract_author(tree: Any, page: PageText, *, anchor: int = 0, selector: Any = None) -> str | None:
    """Return the author the page states ("作者：张三", "记者 李四", "编辑：王五"), or None."""
    if selector is not None:
        value = _from_selector(tree, selector, P.AUTHOR_LABELLED, author=True)
        if value:
            return value
    value = _labelled_value(page, anchor, P.AUTHOR_LABELLED, _AUTHOR_WORDS, author=True)
    if value:
        return value
    metas = _metas(tree, page)
    for key in P.META_AUTHOR_NAMES:
        value = _clean_value(metas.get(key, ""), author=True)
        if value and not value.startswith("http"):
            return value
    return None


def extract_source(tree: Any, page: PageText, *, anchor: int = 0, selector: Any = None) -> str | None:
    """Return the source the page states ("来源：新华社", ContentSource meta), or None."""
    if selector is not None:
        value = _from_selector(tree, selector, P.SOURCE_LABELLED)
        if value:
            return value
    value = _labelled_value(page, anchor, P.SOURCE_LABELLED, _SOURCE_WORDS)
    if value:
        return value
    metas = _metas(tree, page)
    for key in P.META_SOURCE_NAMES:
        value = _clean_value(metas.get(key, ""))
        if value and not value.startswith("http"):
            return value
    return None


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
    metas = _metas(tree, page)
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


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def extract_canonical_url(tree: Any, url: str, page: PageText | None = None) -> str:
    """Return the canonical form of the page's address: its same-site <link rel=canonical>, else *url*."""
    for link in iter_tagged(tree, page, "link"):
        if "canonical" not in (link.get("rel") or "").lower():
            continue
        href = (link.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        absolute = urljoin(url, href)
        if absolute.startswith(("http://", "https://")) and _host(absolute) == _host(url):
            return canonicalize_url(absolute)
    return canonicalize_url(url)
