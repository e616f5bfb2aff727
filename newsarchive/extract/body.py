"""Find an article's body on any page and split it into normalised paragraphs.

Two walks over the lxml tree. The first (`_score_tree`) computes, bottom-up, the
text and link length of every block and credits each paragraph-like block's
score to its block ancestors (readability's scheme, with Chinese punctuation);
the best-scoring container wins, joined by siblings that score nearly as well.
The second (`_collect_paragraphs`) turns the chosen container into paragraphs
in page order, skipping boilerplate subtrees; `_clean_paragraphs` then drops
boilerplate lines. The tree is never modified: other extractors share it.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree

from newsarchive.normalize import normalize_text

if TYPE_CHECKING:
    from newsarchive.extract.document import Document

__all__ = ["Body", "extract_body"]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Heuristics as data. These tables are private to the body pass (the shared
# patterns module holds the field extractors' tables); each names a real sample.
# ---------------------------------------------------------------------------

# Subtrees that never hold article text: <script>, <style>, form widgets, embeds.
_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "select", "option", "textarea", "button",
        "template", "svg", "canvas", "object", "embed", "video", "audio", "map", "input",
        "head", "title", "meta", "link", "frameset", "frame",
        etree.Comment, etree.ProcessingInstruction, etree.Entity,
    }
)

# Elements that start a new line of text (everything else is inline: a, span, font, b...).
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot",
        "tr", "td", "th", "caption", "section", "article", "header", "footer", "aside", "nav",
        "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure",
        "figcaption", "center", "form", "hr", "address", "fieldset", "details", "summary",
        "body", "html", "br",
    }
)

# Blocks whose text is one paragraph: their score goes to the container around them
# (<div class="content"><p>…</p><p>…</p></div>). Other blocks (div, td, section) hold
# their own text runs (<td>第一段<br>第二段</td>) and are scored as containers themselves.
_PARAGRAPH_TAGS = frozenset(
    {"p", "li", "dt", "dd", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
     "figcaption", "caption", "address", "summary", "th"}
)

# Table cells and rows: a row's cells become one line, cells separated by a space
# (<tr><td>姓名</td><td>职务</td></tr> -> "姓名 职务").
_CELL_TAGS = frozenset({"td", "th"})

# Punctuation that marks running prose: "据了解，该项目总投资12亿元。" / "He said, however."
_PUNCT_RE = re.compile(r"[，。、；！？：,;!?]|\.(?=\s|$)")

# class / id hints that the element holds the article:
#   <div class="TRS_Editor">, <div class="Custom_UnionStyle">, <div id="zoom">,
#   <div class="article-content">, <td class="t_f" id="postmessage_1">, <div id="artibody">,
#   <div class="entry-content">, <div id="articalContent"> (Sina blog), <div class="con_txt">
_POSITIVE_HINT_RE = re.compile(
    r"trs_editor|custom_unionstyle|content|article|artical|artibody|zoom|detail|"
    r"(?:^|[\s_-])(?:con|txt|text|main|body|post|entry|story|news_?txt|cont)(?:$|[\s_-])|"
    r"postmessage|t_f\b|t_msgfont|tpc_content|read_tpc|bbs_?content|maintext|mainbody|"
    r"newstext|news_?con|textbox|wenzhang|zhengwen|neirong|vsbcontent",
    re.IGNORECASE,
)

# class / id hints that the element is chrome around the article:
#   <div class="nav">, <div class="sidebar">, <div id="footer">, <div class="comment-list">,
#   <div class="bdsharebuttonbox"> (分享到), <div class="related-news">, <div class="recommend">,
#   <div class="copyright">, <div class="hot-list">, <div class="breadcrumb">, <div class="ad-box">
_NEGATIVE_HINT_RE = re.compile(
    r"nav|sidebar|side_?bar|footer|foot\b|comment|share|related|relate|recommend|copyright|"
    r"breadcrumb|crumb|banner|menu|toolbar|pager|pagination|paging|advert|"
    r"(?:^|[\s_-])(?:ad|ads|adv|gg|hot|rank|side|right|left|tags?|tool|login|search|"
    r"footer|header|top|bottom|list|link|links|more|next|prev|print|reply|replies|"
    r"dianzan|fenxiang|xgxw|xgwz|xglj|tuijian|pinglun|remen)(?:$|[\s_-])|"
    r"bdshare|jiathis|social|subscribe|widget|popup|modal|qrcode|erweima|weixin|wechat|"
    r"disclaimer|statement|shengming|mianze",
    re.IGNORECASE,
)

# Inline style that hides an element: <div style="display:none">.
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Whole lines that are page furniture, not article text:
#   责任编辑：张三 / (责任编辑：李四) / 【打印】【关闭】 / 【字体：大 中 小】 / 上一篇：… / 下一篇：…
#   版权所有 © 2021 通辽日报社 / 蒙ICP备05001234号 / 分享到： / 扫一扫在手机打开当前页
#   Copyright © 2020 / All rights reserved / Share this article / Advertisement
_BOILERPLATE_RE = re.compile(
    r"^[\[【(（]?\s*(?:责任编辑|责编|编辑|审核|校对|终审|监制|值班编辑|本文编辑|网络编辑)\s*[:：]|"
    r"^[\[【(（]?\s*(?:编辑|责编|编审)\s*[:：]?\s*[\u4e00-\u9fa5]{2,4}\s*[\]】)）]?$|"
    r"打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|\[\s*打印\s*\]|\[\s*关闭\s*\]|"
    r"字体\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中\s*[】\]]?\s*[【\[]?\s*小|"
    r"字号\s*[:：]?\s*[【\[]?\s*大|【\s*字体|收藏本页|加入收藏|设为首页|"
    r"^\s*[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页)|"
    r"版权所有|版权声明|ICP\s*备|ICP证|公网安备|网安备|违法和不良信息举报|"
    r"^(?:分享到|分享至|分享|扫一扫|微信扫一扫|手机扫一扫|扫描二维码)|"
    r"^\s*(?:copyright|©|\(c\))|all rights reserved|^share (?:this|on)|^advertisement$|"
    r"^(?:follow us|sign up for|subscribe to)",
    re.IGNORECASE,
)

# Headings after which nothing belongs to the article (the rest of the container is
# lists, comments, navigation): 相关新闻 / 相关阅读 / 推荐阅读 / 网友评论 / Related articles.
_END_MARKER_RE = re.compile(
    r"^[\[【]?\s*(?:相关新闻|相关阅读|相关文章|相关链接|相关报道|推荐阅读|延伸阅读|热门推荐|"
    r"热点推荐|猜你喜欢|为你推荐|精彩推荐|网友评论|发表评论|我要评论|最新评论|热门评论|"
    r"相关推荐|更多阅读|往期回顾|related (?:articles|stories|news|content)|"
    r"read more|more stories|you may also like|comments)\s*[\]】]?\s*[:：>»]?$",
    re.IGNORECASE,
)

# Meta lines that a CMS prints inside the body container:
#   "发布时间：2021-11-05 来源：通辽日报 作者：张三 浏览次数：123"
_META_LABEL_RE = re.compile(
    r"(?:发布时间|发布日期|发表时间|时间|日期|来源|作者|编辑|点击数|点击量|点击|浏览次数|浏览量|"
    r"浏览|阅读数|阅读量|阅读|访问量|字体|文章来源|信息来源|稿源|供稿)\s*[:：]"
)
_META_MAX_CHARS = 120

# Image credits kept out of the body: 图片来源：视觉中国 / （图源：新华社） / 摄影：王五
# / 图/IC photo / Photo: Getty Images.
_CREDIT_RE = re.compile(
    r"^[(（\[【]?\s*(?:图片来源|图片来自|图源|来源图片|摄影|摄|图片|图|供图|配图|photo|image|credit)"
    r"\s*[:：/|]|^[(（]?\s*(?:getty images|视觉中国|图虫创意|东方ic)\s*[)）]?$",
    re.IGNORECASE,
)
_CREDIT_MAX_CHARS = 40

# Paragraph scoring (readability's constants, measured in characters of Chinese).
_MIN_BLOCK_CHARS = 20          # shorter blocks (menu items, labels) earn no score
_MAX_LINK_DENSITY = 0.5        # a block more linked than this is navigation
_SIBLING_SHARE = 0.3           # a sibling joins the winner if it scores this share of it
_POSITIVE_FACTOR = 1.3
_NEGATIVE_FACTOR = 0.5
_BEFORE_TITLE_FACTOR = 0.3     # a container that ends before the headline is not the body


@dataclass(frozen=True, slots=True)
class Body:
    """The body container *node* (None when none was found) and its *paragraphs*."""

    node: Any
    paragraphs: tuple[str, ...]


class _Frame:
    """Bottom-up statistics of one element during the scoring walk."""

    __slots__ = (
        "el", "block", "bframe", "up", "in_link", "chars", "link", "punct", "runs",
        "tot", "tot_link", "score", "start", "end", "container",
    )

    def __init__(self, el: Any, block: bool, parent: _Frame | None, in_link: bool, start: int):
        self.el = el
        self.block = block
        self.in_link = in_link
        self.chars = 0      # direct text of a block, with its inline descendants
        self.link = 0       # ... of which inside <a>
        self.punct = 0
        self.runs = 0       # text runs separated by <br> or child blocks
        self.tot = 0        # whole subtree text
        self.tot_link = 0
        self.score = 0.0
        self.start = start
        self.end = start
        if block:
            self.bframe: _Frame = self
            self.up = parent.bframe if parent is not None else None
        else:
            self.bframe = parent.bframe if parent is not None else self
            self.up = None
        self.container = block and el.tag not in _PARAGRAPH_TAGS


def _add_text(frame: _Frame, text: str, in_link: bool, new_run: bool) -> None:
    n = len(text.strip())
    if not n:
        return
    b = frame.bframe
    b.chars += n
    if in_link:
        b.link += n
    elif n > 3:
        b.punct += len(_PUNCT_RE.findall(text))
    if new_run or not b.runs:
        b.runs += 1


def _hint_factor(el: Any) -> float:
    attrs = (el.get("class") or "") + " " + (el.get("id") or "")
    if len(attrs) < 2:
        return 1.0
    factor = 1.0
    if _POSITIVE_HINT_RE.search(attrs):
        factor *= _POSITIVE_FACTOR
    if _NEGATIVE_HINT_RE.search(attrs):
        factor *= _NEGATIVE_FACTOR
    return factor


def _score_tree(root: Any) -> tuple[list[_Frame], dict[Any, _Frame]]:
    """Walk *root* once; return the scored container frames and every block's frame."""
    stack: list[_Frame] = []
    candidates: list[_Frame] = []
    blocks: dict[Any, _Frame] = {}
    order = 0
    # True once a <br> or a child block ends, so the next text starts a new run.
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag
        if event == "start":
            order += 1
            parent = stack[-1] if stack else None
            if tag in _SKIP_TAGS:
                walker.skip_subtree()
                frame = _Frame(el, False, parent, False, order)
                frame.tot = -1  # marks a skipped subtree
                stack.append(frame)
                continue
            block = tag in _BLOCK_TAGS
            in_link = tag == "a" or (parent is not None and parent.in_link)
            frame = _Frame(el, block, parent, in_link, order)
            stack.append(frame)
            if block:
                blocks[el] = frame
                if parent is not None:
                    parent.bframe.runs += 0  # the parent's next text is a new run
            text = el.text
            if text and frame.tot == 0 and tag != "br":
                _add_text(frame, text, in_link, False)
            continue

        frame = stack.pop()
        frame.end = order
        parent = stack[-1] if stack else None
        if frame.tot == -1:
            frame.tot = 0
        elif frame.block:
            if frame.chars:
                frame.tot += frame.chars
                frame.tot_link += frame.link
                _credit(frame)
            if frame.score > 0:
                candidates.append(frame)
        if parent is not None:
            if not frame.block:
                # inline: its direct text was already given to the enclosing block
                parent.tot += frame.tot
                parent.tot_link += frame.tot_link
            else:
                parent.tot += frame.tot
                parent.tot_link += frame.tot_link
            tail = el.tail
            if tail:
                _add_text(parent, tail, parent.in_link, frame.block)
    return candidates, blocks


def _credit(frame: _Frame) -> None:
    """Give the paragraph score of *frame*'s own text to its block ancestors."""
    chars = frame.chars
    if chars < _MIN_BLOCK_CHARS and frame.punct < 2:
        return
    if frame.link > chars * _MAX_LINK_DENSITY:
        return
    runs = frame.runs or 1
    score = runs + frame.punct + min((chars - frame.link) / 100.0, 3.0 * runs)
    target: _Frame | None = frame if frame.container else frame.up
    weight = 1.0
    for _ in range(3):
        if target is None:
            break
        target.score += score * weight
        weight /= 2.0
        target = target.up


def _final_score(frame: _Frame, title_order: int) -> float:
    tot = frame.tot or 1
    density = frame.tot_link / tot
    score = frame.score * (1.0 - density) * _hint_factor(frame.el)
    if title_order and frame.end < title_order:
        score *= _BEFORE_TITLE_FACTOR
    return score


def _choose(
    candidates: list[_Frame], blocks: dict[Any, _Frame], title_order: int
) -> tuple[Any, list[Any]]:
    """Return the body node and the roots to read paragraphs from."""
    best: _Frame | None = None
    best_score = 0.0
    finals: dict[Any, float] = {}
    for frame in candidates:
        s = _final_score(frame, title_order)
        finals[frame.el] = s
        if s > best_score:
            best, best_score = frame, s
    if best is None:
        return None, []
    parent = best.el.getparent()
    if parent is None or best.el.tag in ("body", "html"):
        return best.el, [best.el]
    roots = []
    threshold = max(best_score * _SIBLING_SHARE, 5.0)
    for sibling in parent:
        if sibling is best.el:
            roots.append(sibling)
            continue
        s = finals.get(sibling)
        if s is not None and s >= threshold:
            roots.append(sibling)
            continue
        frame = blocks.get(sibling)
        if frame is None or sibling.tag not in _PARAGRAPH_TAGS:
            continue
        # A stray <p> beside the container: keep it when it is prose.
        if frame.tot >= 60 and frame.tot_link < frame.tot * 0.25 and frame.punct >= 2:
            roots.append(sibling)
    if len(roots) == 1:
        return best.el, roots
    return parent, roots


def _skippable(el: Any, tag: Any) -> bool:
    if tag in _SKIP_TAGS:
        return True
    style = el.get("style")
    if style and _HIDDEN_RE.search(style):
        return True
    if el.get("hidden") is not None:
        return True
    attrs = el.get("class") or el.get("id")
    if attrs:
        attrs = (el.get("class") or "") + " " + (el.get("id") or "")
        if _NEGATIVE_HINT_RE.search(attrs) and not _POSITIVE_HINT_RE.search(attrs):
            return True
    return False


def _collect_paragraphs(roots: list[Any], title_node: Any) -> list[tuple[str, int]]:
    """Return (text, link characters) for each line in *roots*, in page order."""
    out: list[tuple[str, int]] = []
    parts: list[str] = []
    link_chars = 0

    def flush() -> None:
        nonlocal link_chars
        if parts:
            text = "".join(parts)
            parts.clear()
            if text.strip():
                out.append((text, link_chars))
        link_chars = 0

    for root in roots:
        links = 0
        walker = etree.iterwalk(root, events=("start", "end"))
        skipped: Any = None
        for event, el in walker:
            tag = el.tag
            if event == "start":
                if el is not root and _skippable(el, tag):
                    walker.skip_subtree()
                    skipped = el
                    if tag in _BLOCK_TAGS:
                        flush()
                    continue
                if tag in _BLOCK_TAGS and tag not in _CELL_TAGS:
                    flush()
                elif tag == "a":
                    links += 1
                text = el.text
                if text:
                    parts.append(text)
                    if links:
                        link_chars += len(text.strip())
                continue
            if el is skipped:
                skipped = None
            else:
                if tag == "a":
                    links -= 1
                elif tag in _CELL_TAGS:
                    parts.append(" ")
                elif tag in _BLOCK_TAGS:
                    flush()
                if el is title_node:
                    # Everything up to the headline is masthead, not article.
                    parts.clear()
                    link_chars = 0
                    out.clear()
            if el is root:
                continue
            tail = el.tail
            if tail:
                parts.append(tail)
                if links:
                    link_chars += len(tail.strip())
        flush()
    return out


def _is_meta_line(text: str) -> bool:
    if len(text) > _META_MAX_CHARS:
        return False
    labels = _META_LABEL_RE.findall(text)
    if len(labels) >= 2:
        return True
    return bool(labels) and text.startswith(labels[0]) and len(text) <= 40


def _clean_paragraphs(lines: list[tuple[str, int]], title: str | None) -> tuple[str, ...]:
    """Normalise *lines* and drop navigation, boilerplate and the headline."""
    paragraphs: list[str] = []
    norm_title = normalize_text(title) if title else ""
    for raw, link_chars in lines:
        text = normalize_text(raw)
        if not text:
            continue
        n = len(text)
        if link_chars and link_chars > n * _MAX_LINK_DENSITY:
            continue
        if n <= 40 and _END_MARKER_RE.match(text):
            if paragraphs:
                break
            continue
        if n <= 200 and _BOILERPLATE_RE.search(text):
            continue
        if _is_meta_line(text):
            continue
        if n <= _CREDIT_MAX_CHARS and _CREDIT_RE.search(text):
            continue
        if norm_title and not paragraphs and text == norm_title:
            continue
        paragraphs.append(text)
    return tuple(paragraphs)


@lru_cache(maxsize=256)
def _compile_selector(selector: str) -> etree.XPath:
    """Compile a profile's body selector: XPath when it starts with / or (, else CSS."""
    stripped = selector.strip()
    if stripped.startswith(("/", "(")):
        return etree.XPath(stripped)
    from cssselect import GenericTranslator

    return etree.XPath(GenericTranslator().css_to_xpath(stripped))


def _find_title_node(root: Any, title: str) -> Any:
    """Return the element whose text is the headline *title*, or None."""
    want = normalize_text(title)
    if not want:
        return None
    fallback = None
    for el in _TITLE_CANDIDATES(root):
        text = normalize_text(el.text_content())
        if text == want:
            return el
        if fallback is None and want in text and len(text) <= len(want) * 1.5 + 10:
            fallback = el
    return fallback


# Where a headline sits: <h1>, <h2>, or an element whose class/id says title.
_TITLE_CANDIDATES = etree.XPath(
    "//body//h1 | //body//h2 | //body//h3 | "
    "//body//*[contains(translate(@class,'TITLE','title'),'title') or "
    "contains(translate(@id,'TITLE','title'),'title')][not(self::head)]"
)


def _order_of(root: Any, node: Any) -> int:
    if node is None:
        return 0
    for i, el in enumerate(root.iter(), 1):
        if el is node:
            return i
    return 0


def extract_body(doc: Document, *, selector: str | None = None, title: str | None = None) -> Body:
    """Return the article body of *doc*: its container node and normalised paragraphs.

    *selector* (a site profile's XPath, or CSS when it does not start with "/" or "(")
    wins when it matches. *title*, the headline, marks where the article starts: text
    before it and a first paragraph equal to it are dropped. Body(None, ()) when the
    page has no body text.
    """
    tree = doc.tree
    root = tree.find("body") if tree.tag == "html" else None
    if root is None:
        root = tree
    title_node = _find_title_node(root, title) if title else None

    if selector:
        try:
            matches = [m for m in _compile_selector(selector)(tree) if isinstance(m.tag, str)]
        except (etree.XPathError, ValueError, SyntaxError) as exc:
            logger.debug("body selector %r unusable: %s", selector, exc)
            matches = []
        if matches:
            inner_title = title_node if any(
                title_node is not None and _contains(m, title_node) for m in matches
            ) else None
            paragraphs = _clean_paragraphs(_collect_paragraphs(matches, inner_title), title)
            if paragraphs:
                return Body(matches[0], paragraphs)
            logger.debug("body selector %r matched no text; using generic rules", selector)

    candidates, blocks = _score_tree(root)
    title_order = 0
    if title_node is not None:
        title_order = blocks[title_node].start if title_node in blocks else _order_of(root, title_node)
    node, roots = _choose(candidates, blocks, title_order)
    if node is None:
        return Body(None, ())
    inner_title = title_node if title_node is not None and _contains(node, title_node) else None
    paragraphs = _clean_paragraphs(_collect_paragraphs(roots, inner_title), title)
    return Body(node, paragraphs)


def _contains(ancestor: Any, node: Any) -> bool:
    el = node
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False
