"""Find an article's headline: <h1> and friends compared with metas and <title>."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import PageText, iter_tagged
from newsarchive.normalize import normalize_text

__all__ = ["Headline", "find_headline", "split_page_title"]

logger = logging.getLogger(__name__)

_TITLE_CLASS = etree.XPath(
    "//body//*[contains(@class,'tit') or contains(@id,'tit') or contains(@class,'Tit') or "
    "contains(@class,'headline') or contains(@class,'biaoti')]"
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SPACES = re.compile(r"\s+")
_BLOCK = frozenset({"p", "div", "br", "li", "tr", "td", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt"})
_SKIP = frozenset({"script", "style", "noscript", "select", "textarea", "button", "option"})
_BLOCK_OR_SKIP = _BLOCK | _SKIP

#: The longest text we accept as a headline (Chinese headlines rarely pass 60 characters).
MAX_TITLE_CHARS = 160


@dataclass(frozen=True, slots=True)
class Headline:
    """The headline *text* and the element it was read from (*node*, None for <title>/metas)."""

    text: str
    node: Any


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
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag in _BLOCK:
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK:
            parts.append("\n")

    walk(el)
    text = "".join(parts).strip()
    if "\n" in text:
        text = P.CJK_LINE_BREAK.sub("", text)
    return normalize_text(text)


#: What marks a date / source line rather than more headline: a date, 来源, 作者...
_META_LINE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}|来源|作者|时间|日期|发布|编辑|记者")


def _leading_text(el: Any) -> str:
    """Return the text of *el* before its first <br> or block child, or "" if it has none."""
    lead = el.text or ""
    if not lead.strip() and not any(child.tag in _BLOCK for child in el):
        return ""  # no block child, and no own text that a date line could follow
    parts = [lead]
    for child in el:
        if child.tag in _BLOCK:
            break
        child_text = element_text(child)
        if lead.strip() and _META_LINE.search(child_text):
            break  # <h1>标题<span>2021-01-12 来源：临江日报</span></h1>
        parts.append(child_text)
        if child.tail:
            parts.append(child.tail)
    else:
        return ""
    return normalize_text("".join(parts))


@lru_cache(maxsize=2048)
def _squash(text: str) -> str:
    """Return *text* without whitespace (cached: the page title is squashed for every candidate)."""
    return _SPACES.sub("", text)


def split_page_title(title: str) -> list[str]:
    """Return the parts of a <title>: "标题_频道_网站" -> ["标题", "频道", "网站"]."""
    parts = [p for p in P.TITLE_SEPARATORS.split(title) if p and p.strip()]
    if parts and len(parts) == 1:
        parts = [p for p in P.TITLE_TRAILING_DASH.split(parts[0]) if p.strip()]
    return [p.strip() for p in parts]


def _page_title(tree: Any, page: PageText | None = None) -> str:
    for el in iter_tagged(tree, page, "title"):
        text = normalize_text(text_content(el))
        if text:
            return text
    return ""


def _meta_titles(tree: Any, page: PageText | None = None) -> list[str]:
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


def _following_text(el: Any) -> int:
    """Return how much non-link text follows *el* closely: body text follows a headline."""
    total = 0
    node = el
    for _ in range(3):
        sib = node.getnext()
        steps = 0
        while sib is not None and steps < 4 and total < 400:
            if isinstance(sib.tag, str) and sib.tag not in _SKIP:
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
    longest = max(parts, key=len)
    names = {_squash(x) for x in parts[1:] if x != longest}
    if parts[0] != longest and len(parts[0]) * 2 < len(longest):
        names.add(_squash(parts[0]))
    return names


def _score(candidate: str, page: str, parts: list[str], heading: bool = False, sites: set[str] | None = None) -> int:
    """Rank how *candidate* relates to the <title> *page*: 3 equal, 2 prefix, 1 inside, 0 none."""
    if not page:
        return 0
    c, p = _squash(candidate), _squash(page)
    if not c or (sites and c in sites):
        return 0
    if c == p:
        return 3
    if heading and len(parts) >= 2 and len(c) >= 8 and c == _squash(max(parts, key=len)):
        # <h1> is the whole headline part of "Opinion | Headline - The Washington Post":
        # it beats og:title "Opinion | Headline", which only starts the same way.
        return 3
    if p.startswith(c) and len(c) >= 4:
        return 2
    first = _squash(parts[0]) if parts else ""
    if first and len(first) >= 8 and c.startswith(first.rstrip(".…")) and len(c) <= len(first) * 2 and (
        heading or first.endswith(("...", "…"))
    ) and not _META_LINE.search(c[len(first) :]):
        # <title> truncated the headline: "很长的标题..._网站"
        return 2
    if len(c) >= 6 and c in p:
        return 1
    return 0


def _select(elements: list[Any], metas: list[str], page: str, *, fallback: bool) -> Headline | None:
    parts = split_page_title(page) if page else []
    site_names = _site_parts(parts)
    best: tuple[int, int, int, int] | None = None
    chosen: Headline | None = None
    texts: list[tuple[str, Any, int]] = []
    # Whether an element is (in) the site's logo link, asked only of the candidates
    # that are used: most headings on a page rank 0 against <title> anyway.
    logos: dict[Any, bool] = {}

    def in_logo(el: Any) -> bool:
        found = logos.get(el)
        if found is None:
            found = logos[el] = _in_logo(el)
        return found

    for order, el in enumerate(elements):
        raw = text_content(el)
        if len(raw) > MAX_TITLE_CHARS * 3:
            continue
        text = element_text(el, raw)
        if not text or len(text) > MAX_TITLE_CHARS or len(text) < 2:
            continue
        if _squash(text) in site_names:
            continue
        texts.append((text, el, order))
        lead = _leading_text(el)
        if lead and lead != text:
            # <h1>标题<br><span>2021年01月12日 来源：…</span></h1>: the headline is the lead.
            texts.append((lead, el, order))
    for text, el, order in texts:
        tag = el.tag
        rank = _score(text, page, parts, tag in ("h1", "h2"), site_names)
        if rank == 0:
            continue
        if rank >= 2 and len(_squash(text)) < 8 and tag not in ("h1", "h2", "h3"):
            continue  # a box heading or menu item ("学会动态") that <title> happens to start with
        if in_logo(el):
            continue
        tag_bonus = {"h1": 3, "h2": 2}.get(tag, 1)
        # The headline itself, not a link repeating it (breadcrumb, "上一篇", related list).
        not_link = 0 if _in_link(el) else 1
        key = (rank, len(_squash(text)) if rank == 2 else 0, not_link, tag_bonus)
        if best is None or key > best:
            best, chosen = key, Headline(text, el)
    for text in metas:
        rank = _score(text, page, parts, sites=site_names)
        if rank >= 2 and (best is None or (rank, len(_squash(text)), 0, 0) > best):
            best, chosen = (rank, len(_squash(text)), 0, 0), Headline(text, None)
    if chosen is not None and (best is not None and (best[0] >= 2 or len(chosen.text) >= 8)):
        if chosen.node is None:
            # A meta matched: use the element showing the same text, if any, as the anchor.
            for text, el, _ in texts:
                if _squash(text) == _squash(chosen.text) and not in_logo(el):
                    return Headline(text, el)
        return chosen
    if not fallback:
        return None
    # Nothing on the page repeats <title>: the title is generic ("新闻动态--学会官网").
    # Take the heading that the most non-link text follows, preferring <h1>.
    scored = []
    for text, el, order in texts:
        if len(_squash(text)) < 5 or in_logo(el):
            continue
        links = sum(len(text_content(a).strip()) for a in el.iter("a"))
        if links * 2 >= len(_squash(text)) and el.tag not in _HEADINGS:
            continue  # a menu or a list of links, not a headline (a linked <h1> still is one)
        follow = _following_text(el)
        if follow < 60:
            continue
        weight = {"h1": 300, "h2": 150, "h3": 100, "h4": 100, "h5": 100, "h6": 100}.get(el.tag, 0)
        scored.append((weight + min(follow, 400) - order * 0.01, text, el))
    if scored:
        scored.sort(key=lambda s: s[0], reverse=True)
        return Headline(scored[0][1], scored[0][2])
    if metas:
        return Headline(metas[0], None)
    if parts:
        return Headline(max(parts, key=len) if len(parts) > 1 else parts[0], None)
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


def find_headline(tree: Any, page: PageText, *, selector: Any = None) -> Headline | None:
    """Return the headline of the page *tree* (its text in *page*), or None when it has none.

    *selector* is a compiled XPath from a site profile and wins when it matches
    text. Otherwise headings, elements repeating <title>'s start and title-like
    elements are compared with the metas and <title>: the longest one that
    <title> starts with wins ("标题_频道_网站" -> "标题"); a site-name or logo
    heading never does.
    """
    if selector is not None:
        for el in selector(tree):
            if isinstance(getattr(el, "tag", None), str):
                text = element_text(el)
                if text:
                    return Headline(text, el)
            elif normalize_text(str(el)):
                return Headline(normalize_text(str(el)), None)
    title = _page_title(tree, page)
    parts = split_page_title(title) if title else []
    metas = _meta_titles(tree, page)
    elements = list(iter_tagged(tree, page, *_HEADINGS))[:150]
    known = set(elements)
    elements.extend(el for el in _text_candidates(page, parts) if el not in known)
    found = _select(elements, metas, title, fallback=False)
    if found is None:
        elements.extend(el for el in _TITLE_CLASS(tree)[:150] if el not in known)
        found = _select(elements, metas, title, fallback=True)
    if found is not None:
        logger.debug("headline %r", found.text)
    return found
