"""Drop the lines of a body that are page furniture: navigation, boilerplate, meta lines, credits.

The line filters are one ordered table (`LINE_RULES`): each line is tried against
the rules in order and the first that matches decides; a line no rule matches
is article text. Then the head of the body is trimmed (bylines, a repeated
headline).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import NamedTuple

from newsarchive.extract.body.scan import MAX_LINK_DENSITY
from newsarchive.extract.patterns import body as P
from newsarchive.normalize import normalize_text

__all__ = ["LINE_RULES", "LineRule", "clean_paragraphs"]

_ANY_LENGTH = sys.maxsize
_BYLINE_MAX_CHARS = 60
_EDITOR_ENDS_AFTER = 100        # the editor's line ends the article once this much text came before it
_TITLE_LINE_WITHIN = 3          # the headline repeated as one of the first paragraphs...
_HEAD_LINE_MAX_CHARS = 60       # ... under lines this short is dropped with them
_HEADLINE_TAG_MAX_CHARS = 8     # "（图）", "[组图]", "（附全文）" after a repeated headline
_CAPTION_MAX_CHARS = 60         # a line repeating the one before it is a repeated caption


class LineRule(NamedTuple):
    """One line filter: *test* (line, its link characters, characters kept so far, headline).

    It is asked only of lines up to *max_chars* long. A match drops the line; when
    *ends* is set, the article ends there instead (a line met before any text is
    only dropped).
    """

    name: str
    max_chars: int
    ends: bool
    test: Callable[[str, int, int, str], bool]


def _is_navigation(text: str, links: int, kept: int, title: str) -> bool:
    """Return True if most of the line is link text: a menu, a list of related links."""
    return bool(links) and links > len(text) * MAX_LINK_DENSITY


def _is_end_marker(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for a heading after which nothing is article: 相关新闻 / 网友评论 / Related articles."""
    return P.END_MARKER.match(text) is not None


def _is_closing_editor_line(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for the editor's line below the article (责任编辑：张三): teasers follow it."""
    return kept >= _EDITOR_ENDS_AFTER and P.EDITOR_LINE.match(text) is not None and _is_boilerplate(text)


def _is_boilerplate_line(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for a share bar, tool bar, editor or copyright line (see _is_boilerplate)."""
    return _is_boilerplate(text)


def _is_cms_meta_line(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for a CMS meta line: 发布时间：2021-11-05 来源：通辽日报 浏览次数：123."""
    return ("：" in text or ":" in text) and _is_meta_line(text)


def _is_english_meta_line(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for "Published: 14 March 2022" / "Updated 3:45 PM ET, Mon March 14, 2022"."""
    return P.ENGLISH_META.match(text) is not None and P.META_DATE.search(text) is not None


def _is_credit(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for an image credit: 图片来源：视觉中国 / Photo: Getty Images."""
    return P.CREDIT.search(text) is not None


def _is_headline(text: str, links: int, kept: int, title: str) -> bool:
    """Return True for the headline *title* repeated as the body's first line: "标题", "标题（图）"."""
    if not title or kept or not text.startswith(title):
        return False
    rest = text[len(title) :]
    return not rest or (len(rest) <= _HEADLINE_TAG_MAX_CHARS and P.HEADLINE_TAG.fullmatch(rest) is not None)


#: The line filters, tried in order; the first that matches decides.
LINE_RULES = (
    LineRule("navigation", _ANY_LENGTH, False, _is_navigation),
    LineRule("end marker", 40, True, _is_end_marker),
    LineRule("editor line", 200, True, _is_closing_editor_line),
    LineRule("boilerplate", 200, False, _is_boilerplate_line),
    LineRule("meta line", 120, False, _is_cms_meta_line),
    LineRule("English meta line", 80, False, _is_english_meta_line),
    LineRule("image credit", 40, False, _is_credit),
    LineRule("headline", _ANY_LENGTH, False, _is_headline),
)
# The loop reads plain tuples: a rule's fields by position, without the names.
_STEPS = tuple((rule.max_chars, rule.test, rule.ends) for rule in LINE_RULES)


def clean_paragraphs(lines: list[tuple[str, int]], norm_title: str) -> tuple[str, ...]:
    """Normalise *lines* and drop navigation, boilerplate and the headline *norm_title*."""
    paragraphs: list[str] = []
    kept = 0
    for raw, links in lines:
        if links and links > len(raw.strip()) * MAX_LINK_DENSITY:
            continue  # the navigation rule, asked before normalising the line
        text = normalize_text(raw)
        if not text:
            continue
        n = len(text)
        for max_chars, test, ends in _STEPS:
            if n <= max_chars and test(text, links, kept, norm_title):
                break
        else:
            if n <= _CAPTION_MAX_CHARS and paragraphs and paragraphs[-1] == text and not _is_figure(text):
                continue  # a caption printed twice (<figcaption> and a <p> under it)
            paragraphs.append(text)
            kept += n
            continue
        if ends and kept:
            break
    return _trim_head(paragraphs, norm_title)


def _trim_head(paragraphs: list[str], norm_title: str) -> tuple[str, ...]:
    """Drop the byline and date strip above the first paragraph, and a repeated headline."""
    lead = 0
    while lead < len(paragraphs) - 1 and _is_head_furniture(paragraphs[lead]):
        lead += 1
    if lead:
        # "BBC News" / "Published" / "18 February 2022" between the headline and the
        # first paragraph: the byline and date strip, not text.
        del paragraphs[:lead]
    if norm_title and norm_title in paragraphs[1:_TITLE_LINE_WITHIN]:
        # The headline repeated in the body under a short date or kicker line
        # (<font size=1>Monday, March 5, 2007</font><br><font size=5><b>Headline</b>):
        # it and the lines above it are the article's head, not its text.
        at = paragraphs.index(norm_title)
        if all(len(p) <= _HEAD_LINE_MAX_CHARS for p in paragraphs[:at]):
            del paragraphs[: at + 1]
    return tuple(paragraphs)


def _is_boilerplate(text: str) -> bool:
    """Return True if the short line *text* is a share bar, tool bar, editor or copyright line."""
    if P.BOILERPLATE_START.match(text):
        return True
    if (
        len(text) <= _BYLINE_MAX_CHARS
        and text[-1] not in ".!?"
        and P.BYLINE.match(text)
    ):
        return True
    for word in P.BOILERPLATE_WORDS:
        if word in text:
            return True
    toolbar = "打印" in text or "关闭" in text or "字体" in text or "字号" in text
    return toolbar and P.TOOLBAR.search(text) is not None


def _is_meta_line(text: str) -> bool:
    """Return True if *text* is a CMS meta line (发布时间：… 来源：… 浏览次数：…)."""
    strong = 0
    labels = 0
    first = None
    for match in P.META_LABEL.finditer(text):
        labels += 1
        if match.group("strong"):
            strong += 1
            if first is None:
                first = match
    if not strong:
        return False
    if labels >= 2:
        return True
    # One label: "来源：通辽日报" alone, or beside a date: "2021-11-05 来源：通辽日报"
    assert first is not None
    return len(text) <= 40 and (first.start() == 0 or bool(P.META_DATE.search(text)))


def _is_figure(text: str) -> bool:
    """Return True if *text* has no letters: a table's number, which may repeat the cell above it."""
    return not any(ch.isalpha() for ch in text)


def _is_head_furniture(text: str) -> bool:
    """Return True if *text* is a short Latin-script line with no sentence end (a byline, a date)."""
    return (
        len(text) <= _HEAD_LINE_MAX_CHARS
        and text[-1] not in P.SENTENCE_END
        and P.CJK_CHAR.search(text) is None
    )
