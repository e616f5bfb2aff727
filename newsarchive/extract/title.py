"""Find an article's headline: <h1> and friends compared with metas and <title>."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged
from newsarchive.extract.patterns.tags import HEADING_TAGS, SKIP_TAGS
from newsarchive.extract.titletext import (
    META_LINE,
    clean_headline,
    element_text,
    headline_part,
    leading_text,
    meta_titles,
    page_title,
    split_page_title,
    squash,
)
from newsarchive.normalize import normalize_text

__all__ = ["Headline", "find_headline", "split_page_title"]

logger = logging.getLogger(__name__)

_TITLE_CLASS = etree.XPath(
    "//body//*[contains(@class,'tit') or contains(@id,'tit') or contains(@class,'Tit') or "
    "contains(@class,'headline') or contains(@class,'biaoti')]"
)
#: The longest text we accept as a headline (Chinese headlines rarely pass 60 characters).
MAX_TITLE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline *text* and the element it was read from (*node*, None for <title>/metas).

    *shown* is the text as the page shows it, when the site's decoration was taken
    off *text* ("【通辽新闻网】标题", "主题：标题"): the body finds the headline by it.
    """

    text: str
    node: Any
    shown: str = ""


def _following_text(el: Any) -> int:
    """Return how much non-link text follows *el* closely: body text follows a headline."""
    total = 0
    node = el
    for _ in range(3):
        sib = node.getnext()
        steps = 0
        while sib is not None and steps < 4 and total < 400:
            if isinstance(sib.tag, str) and sib.tag not in SKIP_TAGS:
                text = len(sib.xpath("normalize-space(string(.))"))
                links = sum(len(t.strip()) for t in sib.xpath(".//a//text()"))
                total += max(0, text - 2 * links)
            sib = sib.getnext()
            steps += 1
        if total >= 400:
            break
        node = node.getparent()
        if node is None:
            break
    return total


def _in_link(el: Any) -> bool:
    """True when *el* is or sits in a link, or is one link and nothing else."""
    node = el
    for _ in range(3):
        if node is None:
            break
        if node.tag == "a":
            return True
        node = node.getparent()
    return len(el) == 1 and el[0].tag == "a" and not (el.text or "").strip() and not (el[0].tail or "").strip()


def _is_home(href: str | None) -> bool:
    href = (href or "").strip()
    if href in ("/", "./", "../", "#", "index.html", "index.htm", "index.shtml", "index.php"):
        return True
    # http://www.example.gov.cn or http://www.example.gov.cn/
    return href.startswith(("http://", "https://", "//")) and href.rstrip("/").count("/") <= 2


def _in_logo(el: Any) -> bool:
    """True when *el* is, sits in or wraps only a link to the site's home page (a logo)."""
    node = el
    for _ in range(3):
        if node is None:
            break
        if node.tag == "a":
            return _is_home(node.get("href"))
        node = node.getparent()
    links = list(el.iter("a"))
    return len(links) == 1 and _is_home(links[0].get("href")) and (
        len(text_content(links[0]).strip()) >= len(text_content(el).strip()) - 1
    )


def _site_parts(parts: list[str]) -> set[str]:
    """Return the squashed parts of <title> that name the site or channel, not the headline.

    The parts after the first, except the longest ("标题_频道_网站"); and the first
    too when it is much shorter than the longest ("某某新闻网 - 市政府召开常务会议").
    """
    if len(parts) < 2:
        return set()
    if len(parts) >= 3:
        # "标题 - 栏目 - 站点" (or the reverse): every part but the headline's end names the site.
        headline = headline_part(parts)
        if headline in (parts[0], parts[-1]) and headline != max(parts, key=len):
            return {squash(x) for x in parts if x != headline}
    longest = max(parts, key=len)
    names = {squash(x) for x in parts[1:] if x != longest}
    if parts[0] != longest and len(parts[0]) * 2 < len(longest):
        names.add(squash(parts[0]))
    return names


def _score(candidate: str, page: str, parts: list[str], heading: bool = False, sites: set[str] | None = None) -> int:
    """Rank how *candidate* relates to the <title> *page*: 3 equal, 2 prefix, 1 inside, 0 none."""
    if not page:
        return 0
    c, p = squash(candidate), squash(page)
    if not c or (sites and c in sites):
        return 0
    if c == p:
        return 3
    if heading and len(parts) >= 2 and len(c) >= 8 and c == squash(max(parts, key=len)):
        # <h1> is the whole headline part of "Opinion | Headline - The Washington Post":
        # it beats og:title "Opinion | Headline", which only starts the same way.
        return 3
    if p.startswith(c) and len(c) >= 4:
        return 2
    first = squash(parts[0]) if parts else ""
    if first and len(first) >= 8 and c.startswith(first.rstrip(".…")) and len(c) <= len(first) * 2 and (
        heading or first.endswith(("...", "…"))
    ) and not META_LINE.search(c[len(first) :]):
        # <title> truncated the headline: "很长的标题..._网站"
        return 2
    if len(c) >= 6 and c in p:
        return 1
    return 0


class _Candidate:
    """A text that may be the headline: an element's text or lead, or a meta's (*node* None)."""

    __slots__ = ("_follow", "_logo", "node", "order", "rank", "size", "tag", "text")

    def __init__(self, text: str, node: Any, order: int) -> None:
        self.text = text
        self.node = node
        self.order = order
        self.tag: Any = node.tag if node is not None else None
        self.size = len(squash(text))
        self.rank = 0  # how <title> holds it (see _score), set when matched against it
        self._logo: bool | None = None
        self._follow: int | None = None

    def in_logo(self) -> bool:
        """Return True if the element is (in) the site's logo link; asked only when it ranks."""
        if self._logo is None:
            self._logo = self.node is not None and _in_logo(self.node)
        return self._logo

    def following(self) -> int:
        """Return how much non-link text follows the element (see _following_text)."""
        if self._follow is None:
            self._follow = _following_text(self.node)
        return self._follow


_Test = Callable[[_Candidate], bool]
_Measure = Callable[[_Candidate], float]

_MIN_TITLE_CHARS = 2            # shorter texts are never a headline
_MIN_PREFIX_CHARS = 8           # <title> starting with a shorter non-heading text is chance
_MIN_MATCH_CHARS = 8            # a text that <title> only contains must be this long to be taken
_BOX_HEADINGS = ("h1", "h2", "h3")
_HEADING_RANK = {"h1": 3, "h2": 2}   # other elements rank 1

# Matching <title> (the headline is usually its first part: "标题_频道_网站").
# A candidate is ruled out by the first of these that holds:
_MATCH_VETOES: tuple[tuple[str, _Test], ...] = (
    ("<title> does not hold it", lambda c: c.rank == 0),
    (
        "a box heading or menu item that <title> happens to start with (学会动态)",
        lambda c: c.rank >= 2 and c.size < _MIN_PREFIX_CHARS and c.tag not in _BOX_HEADINGS,
    ),
    ("the site's logo", _Candidate.in_logo),
)
# The rest are ranked by the first measure, ties broken by the next; on a full tie the
# earlier candidate (elements in page order, then the metas) wins. A meta has no element:
# its length counts whatever its rank, and it is neither a link nor a heading.
_MATCH_RANKING: tuple[tuple[str, _Measure], ...] = (
    ("how <title> holds it: 3 equal, 2 starts with it, 1 contains it", lambda c: c.rank),
    ("the longer part of <title> it starts", lambda c: c.size if c.rank == 2 or c.node is None else 0),
    (
        "the headline itself, not a link repeating it (breadcrumb, 上一篇, related list)",
        lambda c: 0 if c.node is None or _in_link(c.node) else 1,
    ),
    ("an <h1>, then an <h2>, then the rest", lambda c: _HEADING_RANK.get(c.tag, 1) if c.node is not None else 0),
)

# No text matches <title> (a generic one: "新闻动态--学会官网"): the heading that the most
# non-link text follows wins. A candidate is ruled out by the first of these that holds:
_MIN_FOLLOWING_CHARS = 60
_CRUMB_SEPARATOR = re.compile(r"\s(?:»|>|＞|→|>>|/)\s|»|＞|->")
_MIN_FALLBACK_CHARS = 5
_FALLBACK_VETOES: tuple[tuple[str, _Test], ...] = (
    ("too short to be a headline", lambda c: c.size < _MIN_FALLBACK_CHARS),
    ("the site's logo", _Candidate.in_logo),
    ("a menu or a list of links (a linked heading still counts)", lambda c: _is_link_list(c)),
    ("a breadcrumb (论坛 » 时事 » 标题)", lambda c: _is_breadcrumb(c)),
    ("little text follows it", lambda c: c.following() < _MIN_FOLLOWING_CHARS),
)
# ... and the rest are scored by the sum of weight * measure, the highest first.
_FALLBACK_WEIGHTS: tuple[tuple[str, float, _Measure], ...] = (
    ("an <h1>", 300, lambda c: c.tag == "h1"),
    ("an <h2>", 150, lambda c: c.tag == "h2"),
    ("an <h3> to <h6>", 100, lambda c: c.tag in ("h3", "h4", "h5", "h6")),
    ("non-link text that follows it, up to 400 characters", 1, lambda c: min(c.following(), 400)),
    ("earlier on the page", -0.01, lambda c: c.order),
)


# No heading and no title meta either (table layouts, government templates): a styled
# line alone in its block that body text follows is the headline, before a <title> that
# is one name (the site's) or missing.
# <div class=Heading>…</div>  <td><a href=本页><b>…</b></a></td>  <big><font>…</font></big>  <p><strong>…</strong></p>
_STYLED = etree.XPath(
    "(//body//*[self::div or self::td or self::p or self::center or self::span or self::strong or self::b"
    " or self::big or self::font or self::a])[position() <= 3000]"
)
_INLINE = frozenset({"span", "strong", "b", "big", "font", "a", "em", "i", "u"})
_MAX_STYLED_CHARS = 60
_DATE_OR_LABEL = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}|(?:来源|作者|发布|时间|日期|点击|浏览|位置)\s*[:：]")
_WORD_CHARS = re.compile(r"[^\W\d_]")
_LABEL_VALUE = re.compile(r"^\w{2,5}\s*[:：]\s*\S{1,12}$")   # 联系人：张三  服务热线：96390
_STYLED_VETOES: tuple[tuple[str, _Test], ...] = (
    ("too short or too long for a headline", lambda c: not _MIN_FALLBACK_CHARS <= c.size <= _MAX_STYLED_CHARS),
    ("a widget, not words (☀ 21℃ 晴)", lambda c: len(_WORD_CHARS.findall(c.text)) < 4),
    ("a sentence or an addressee (各单位：)", lambda c: "。" in c.text or c.text.endswith(("：", ":", "；"))),
    ("a date, source or breadcrumb line", lambda c: _DATE_OR_LABEL.search(c.text) is not None),
    (
        "a label and its short value (联系人：张三), but not the headline's (主题：标题)",
        lambda c: _LABEL_VALUE.match(c.text) is not None and P.TITLE_LABEL.match(c.text) is None,
    ),
    ("not alone in its block (a bold lead-in of a paragraph)", lambda c: not _alone(c.node, c.text)),
    ("the site's logo", _Candidate.in_logo),
    ("little text follows it", lambda c: c.following() < _MIN_FOLLOWING_CHARS),
)
# ... and the first one left wins: the headline comes before its body, whose lines (一、总体要求) follow it.


def _alone(el: Any, text: str) -> bool:
    """Return True if *el*'s text is the whole text of the block it sits in."""
    node = el
    while node.tag in _INLINE and node.getparent() is not None:
        node = node.getparent()
    return node is el or element_text(node) == text


def _links_elsewhere(el: Any, url: str) -> bool:
    """Return True if *el* holds a link that is not to the page itself ("#" counts as itself)."""
    here = urlsplit(url)._replace(fragment="").geturl() if url else ""
    for a in el.iter("a"):
        href = (a.get("href") or "").strip()
        if href in ("", "#") or href.startswith("javascript:"):
            continue
        if not here or urlsplit(urljoin(url, href))._replace(fragment="").geturl() != here:
            return True
    return False


def _styled_line(tree: Any, url: str, site_names: set[str]) -> Headline | None:
    """Return the first styled line that reads as a headline (_STYLED_VETOES), or None."""
    short = [el for el in _STYLED(tree) if len(text_content(el)) <= _MAX_STYLED_CHARS * 3]
    for c in _candidates([el for el in short if not _links_elsewhere(el, url)], site_names):
        if not _vetoed(c, _STYLED_VETOES):
            return Headline(c.text, c.node)
    return None


def _is_breadcrumb(c: _Candidate) -> bool:
    """Return True if the candidate is a trail of links ending in the page's name: 首页 > 栏目 > 标题."""
    return c.node is not None and _CRUMB_SEPARATOR.search(c.text) is not None and any(
        a.get("href") for a in c.node.iter("a")
    )


def _is_link_list(c: _Candidate) -> bool:
    """Return True if the candidate's element is mostly link text and not a heading."""
    links = sum(len(text_content(a).strip()) for a in c.node.iter("a"))
    return links * 2 >= c.size and c.tag not in HEADING_TAGS


def _candidates(elements: list[Any], site_names: set[str]) -> list[_Candidate]:
    """Return the texts of *elements* that could be a headline, each element's lead text too."""
    found: list[_Candidate] = []
    for order, el in enumerate(elements):
        raw = text_content(el)
        if len(raw) > MAX_TITLE_CHARS * 3:
            continue
        text = element_text(el, raw)
        if not text or len(text) > MAX_TITLE_CHARS or len(text) < _MIN_TITLE_CHARS:
            continue
        if squash(text) in site_names:
            continue
        found.append(_Candidate(text, el, order))
        lead = leading_text(el)
        if lead and lead != text:
            # <h1>标题<br><span>2021年01月12日 来源：…</span></h1>: the headline is the lead.
            found.append(_Candidate(lead, el, order))
    return found


def _vetoed(c: _Candidate, vetoes: tuple[tuple[str, _Test], ...]) -> bool:
    """Return True if one of *vetoes* rules the candidate *c* out (tried in order)."""
    for _, test in vetoes:
        if test(c):
            return True
    return False


def _best_match(candidates: list[_Candidate]) -> _Candidate | None:
    """Return the candidate that ranks first by _MATCH_RANKING (the earliest on a tie)."""
    best: tuple[float, ...] | None = None
    chosen = None
    for c in candidates:
        key = tuple(measure(c) for _, measure in _MATCH_RANKING)
        if best is None or key > best:
            best, chosen = key, c
    return chosen


def _select(
    elements: list[Any], metas: list[str], page: str, *, fallback: bool, tree: Any = None, url: str = ""
) -> Headline | None:
    """Return the headline among *elements* and *metas*, judged against the <title> *page*.

    The best match with <title> (_MATCH_VETOES, then _MATCH_RANKING) wins; with
    *fallback*, when nothing matches, the best-weighted heading (_FALLBACK_VETOES,
    _FALLBACK_WEIGHTS), then the first meta, then a styled line of *tree* (page
    *url*) that body text follows unless <title> has parts, then <title>'s longest part.
    """
    parts = split_page_title(page) if page else []
    site_names = _site_parts(parts)
    texts = _candidates(elements, site_names)
    for c in texts:
        c.rank = _score(c.text, page, parts, c.tag in ("h1", "h2"), site_names)
    meta_texts = [_Candidate(text, None, 0) for text in metas]
    for c in meta_texts:
        c.rank = _score(c.text, page, parts, sites=site_names)
    # A meta counts only when <title> starts with it or equals it.
    chosen = _best_match(
        [c for c in texts if not _vetoed(c, _MATCH_VETOES)] + [c for c in meta_texts if c.rank >= 2]
    )
    if chosen is not None and (chosen.rank >= 2 or len(chosen.text) >= _MIN_MATCH_CHARS):
        if chosen.node is None:
            # A meta matched: use the element showing the same text, if any, as the anchor.
            for c in texts:
                if squash(c.text) == squash(chosen.text) and not c.in_logo():
                    return Headline(c.text, c.node)
        return Headline(chosen.text, chosen.node)
    if not fallback:
        return None
    # Nothing on the page repeats <title>: the title is generic ("新闻动态--学会官网").
    scored = [c for c in texts if not _vetoed(c, _FALLBACK_VETOES)]
    if scored:
        best = max(scored, key=lambda c: sum(weight * measure(c) for _, weight, measure in _FALLBACK_WEIGHTS))
        return Headline(best.text, best.node)
    if metas:
        return Headline(metas[0], None)
    # ... but not over a <title> that names the headline beside the site ("标题_网站").
    styled = _styled_line(tree, url, site_names) if tree is not None and len(parts) < 2 else None
    if styled is not None:
        return styled
    if parts:
        return Headline(headline_part(parts), None)
    return None


def _text_candidates(page: PageText, parts: list[str]) -> list[Any]:
    """Return elements whose text starts like <title>'s first part: the headline repeated."""
    if not parts:
        return []
    words = parts[0].split()
    key = words[0][:6] if words and len(words[0]) >= 4 else parts[0][:6]
    if len(key) < 4:
        return []
    found: list[Any] = []
    seen: set[Any] = set()
    looked = 0
    for offset in page.find_all((key,))[:30]:
        i = page.index_at(offset)
        if page.joined[page.starts[i] : offset].strip():
            continue  # the words inside a sentence of the body, not a headline's start
        looked += 1
        if looked > 4:
            break
        el = page.owner(i)
        for _ in range(3):
            if el is None or el.tag in ("body", "html"):
                break
            if el not in seen:
                seen.add(el)
                found.append(el)
            el = el.getparent()
    return found


def find_headline(tree: Any, page: PageText, *, selector: Any = None, url: str = "") -> Headline | None:
    """Return the headline of the page *tree* (its text in *page*), or None when it has none.

    *selector* is a compiled XPath from a site profile and wins when it matches
    text. Otherwise headings, elements repeating <title>'s start and title-like
    elements are compared with the metas and <title>: the longest one that
    <title> starts with wins ("标题_频道_网站" -> "标题"); a site-name or logo
    heading never does. A page with neither headings nor title metas gets a
    styled line (a div, td, <strong>, <big><font>, a link to *url* itself)
    alone in its block with body text after it. What the site put around the
    headline goes (clean_headline: icon glyphs, "主题：", "【站点】", "- -").
    """
    if selector is not None:
        for el in selector(tree):
            if isinstance(getattr(el, "tag", None), str):
                text = element_text(el)
                if text:
                    return Headline(text, el)
            elif normalize_text(str(el)):
                return Headline(normalize_text(str(el)), None)
    title = page_title(tree, page)
    parts = split_page_title(title) if title else []
    metas = meta_titles(tree, page)
    elements = list(iter_tagged(tree, page, *HEADING_TAGS))[:150]
    known = set(elements)
    elements.extend(el for el in _text_candidates(page, parts) if el not in known)
    found = _select(elements, metas, title, fallback=False)
    if found is None:
        elements.extend(el for el in _TITLE_CLASS(tree)[:150] if el not in known)
        found = _select(elements, metas, title, fallback=True, tree=tree, url=url)
    if found is not None:
        text = clean_headline(found.text, _site_parts(parts))
        if text != found.text:
            found = Headline(text, found.node, found.text)
        logger.debug("headline %r", found.text)
    return found
