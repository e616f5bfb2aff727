"""Find who wrote an article and where it comes from: "作者：张三", "记者 李四", "来源：新华社"."""

from __future__ import annotations

import re
from typing import Any

from newsarchive.extract import patterns as P
from newsarchive.extract.meta.areas import in_other_area
from newsarchive.extract.meta.head import page_metas
from newsarchive.extract.pagetext import PageText
from newsarchive.normalize import normalize_text

__all__ = ["extract_author", "extract_source"]

_AUTHOR_WORDS = ("作者", "记者", "記者", "通讯员", "撰稿", "撰文", "执笔", "编辑", "責任編輯", "责编", "文/", "文 /")
_SOURCE_WORDS = ("来源", "稿源", "出处", "來源")


def _clean_value(value: str, *, author: bool = False) -> str | None:
    """Return *value* as a short name-like phrase, or None when it is a label, notice or placeholder.

    The value ends where the next label starts ("孙立 评论：0" -> "孙立"); an
    editor's staff code goes ("杨倩_NF4425" -> "杨倩"); reprint and copyright
    notices ("转载请注明"), placeholders ("系统管理员", "网络整理") and numbers
    are no names; "本站" (this site) is a source, though no author.
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
    if not author and value == P.SOURCE_OWN_SITE:
        return value
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
            if value and not in_other_area(page.owner(i)):
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
    metas = page_metas(tree, page)
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
    metas = page_metas(tree, page)
    for key in P.META_SOURCE_NAMES:
        value = _clean_value(metas.get(key, ""))
        if value and not value.startswith("http"):
            return value
    return None

