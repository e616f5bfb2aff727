"""Find an article's body on any page and split it into normalised paragraphs.

Two walks over the lxml tree. The first (`scan_document`) computes, bottom-up, the
text and link length of every block and credits each paragraph-like block's
score to its block ancestors (readability's scheme, with Chinese punctuation);
the best-scoring container wins, joined by siblings that score nearly as well.
The same walk collects the page's visible text pieces (a PageText) that the
headline, date and meta extractors read, so the page's text is decoded once.
The second (`_collect_paragraphs`) turns the chosen container into paragraphs
in page order, skipping boilerplate subtrees; `_clean_paragraphs` then drops
boilerplate lines. The tree is never modified: other extractors share it.
"""

from __future__ import annotations

import heapq
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._native import speedups as _speedups
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import COLLECTED_TAGS, PageText
from newsarchive.extract.pagetext import SKIP_TAGS as PAGE_SKIP_TAGS
from newsarchive.normalize import normalize_text

if TYPE_CHECKING:
    from newsarchive.extract.document import Document

__all__ = ["Body", "Scan", "extract_body", "scan_document"]

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

# Line breaks inside a block: <br>, <hr>.
_BREAK_TAGS = frozenset({"br", "hr"})

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

# class / id hints that the element is chrome around the article, in two strengths.
# Strong: never article text, even beside a positive word (<div class="article-share">):
#   <div class="nav">, <div class="sidebar">, <div id="footer">, <div class="comment-list">,
#   <div class="bdsharebuttonbox"> (分享到), <div class="related-news">, <div class="recommend">,
#   <div class="copyright">, <div class="breadcrumb">, <div class="ad-box">, <div id="jiathis">,
#   <div class="zan-i">+1</div> (a like button), <i class="pstatus"> (Discuz edit note)
#   <div class="article-body__marketing"> / <div class="contributions-epic"> (sign-up and
#   donation asks inside English articles)
_STRONG_NEGATIVE_RE = re.compile(
    r"nav|sidebar|side_?bar|footer|comment(?!ary)|comm(?:$|[\s_-]|list|box)|share|related|relate|"
    r"recommend|copyright|liuyan|"
    r"breadcrumb|crumb|banner|menu|toolbar|pager|pagination|paging|advert|"
    r"(?:^|[\s_-])(?:ad|ads|adv|gg|foot|print|reply|replies|dianzan|fenxiang|xgxw|xgwz|xglj|"
    r"tuijian|pinglun|remen|login|search|zan|like|likes|digg|vote|pstatus|"
    r"promo|epic|marketing|paywall|signup|donate)(?:$|[\s_-])|"
    r"bdshare|jiathis|social|subscribe|newsletter|widget|popup|modal|qrcode|erweima|"
    r"disclaimer|statement|shengming|mianze",
    re.IGNORECASE,
)
# Weak: chrome unless a positive word says otherwise (<div class="content-left"> is the body):
#   <div class="hot">, <div class="rank">, <div class="right">, <ul class="list">, <div class="tags">,
#   <div class="hidden"> (a hidden duplicate or a popup's text)
_WEAK_NEGATIVE_RE = re.compile(
    r"(?:^|[\s_-])(?:hot|rank|side|right|left|tags?|tool|header|top|bottom|list|link|links|more|"
    r"next|prev|weixin|wechat|hidden|hide)(?:$|[\s_-])",
    re.IGNORECASE,
)

# class / id of an ancestor that makes everything inside it chrome:
#   <div class="footer"><div class="txt">版权所有…</div></div>, <div id="comment_list">,
#   <div class="allComm"> (Sina blog comments), <div class="related-posts">
_CHROME_RE = re.compile(
    r"footer|(?:^|[\s_-])foot(?:$|[\s_-])|comment(?!ary)|comm(?:$|[\s_-]|list|box)|sidebar|side_?bar|"
    r"copyright|statement|disclaimer|related|recommend|pinglun|liuyan",
    re.IGNORECASE,
)

# Words of site-wide legal text: 本站郑重声明：所载文章仅供参考 / 未经许可不得转载 /
# 违法和不良信息举报电话 / 客服电话 / Copyright © 2019 / 蒙ICP备05001234号
_FOOTER_WORDS = (
    "版权", "ICP", "不得转载", "禁止转载", "违法和不良信息", "郑重声明", "免责声明", "客服电话",
    "联系我们", "Copyright", "copyright", "All rights reserved", "All Rights Reserved",
)

# Inline style that hides an element: <div style="display:none">.
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

# Lines that are page furniture, not article text. Three tables, cheapest test first.
# Start of line:  责任编辑：张三 / (责任编辑：李四) / 编辑 王五 / 上一篇：… / 下一篇：… /
#   分享到： / 扫一扫在手机打开当前页 / 点击进入专题： / 展开全文 / 免责声明：本文仅代表作者观点 /
#   本帖最后由 阳光妈妈 于 2015-5-10 21:40 编辑 (Discuz) / Copyright © 2020 / Share this article /
#   Story continues below advertisement / Continue reading the main story
_BOILERPLATE_START_RE = re.compile(
    r"[\[【(（]?\s*(?:责任编辑|责编|编辑|审核|校对|终审|监制|值班编辑|本文编辑|网络编辑|编审|"
    r"责任校对|审校)\s*[:：]|"
    r"[\[【(（]?\s*(?:编辑|责编|编审)\s*[:：]?\s*[\u4e00-\u9fa5]{2,4}\s*[\]】)）]?$|"
    r"[【\[]?\s*(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)|"
    r"(?:分享到|分享至|扫一扫|微信扫一扫|手机扫一扫|扫描二维码|用微信扫描|点击进入专题|返回搜狐|"
    r"返回首页|返回顶部|打印本页|关闭窗口|我要纠错|【纠错】|展开全文|阅读原文|查看原文|阅读全文|"
    r"本帖最后由|[【\[]?(?:免责声明|特别声明|版权声明|声明)\s*[:：】\]])|"
    r"(?:copyright|©|\(c\)\s*\d)|share (?:this|on)|advertisement$|follow us|sign up for|"
    r"subscribe to|print this|continue reading|story continues|listen to this article|"
    r"skip advertisement|read (?:the )?full (?:article|story)|image caption|media caption|image source",
    re.IGNORECASE,
)
# Anywhere in a short line: 版权所有 © 2021 通辽日报社 / 蒙ICP备05001234号 / 京公网安备 110… /
#   违法和不良信息举报电话 / All rights reserved / 设为首页 | 加入收藏
_BOILERPLATE_WORDS = (
    "版权所有", "版权声明", "ICP备", "ICP证", "公网安备", "违法和不良信息举报", "收藏本页",
    "加入收藏", "设为首页", "打印本页", "关闭窗口", "All rights reserved", "All Rights Reserved",
)
# Tool bars: 【打印】【关闭】 / [ 打印 ] / 【字体：大 中 小】 / 字号：T|T
_TOOLBAR_RE = re.compile(
    r"[【\[]\s*(?:打印|关闭|打印此页|关闭本页|收藏|返回)\s*[】\]]|"
    r"字[体号]\s*[:：]?\s*[【\[]?\s*(?:大|T|放大)"
)
_BOILERPLATE_MAX_CHARS = 200

# An English byline on its own line: "By Sian Jones, BBC Wales" (a sentence such as
# "By Tuesday, it was over." ends with a full stop and is kept).
_BYLINE_RE = re.compile(r"By\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:\s*(?:,|and|$))")
_BYLINE_MAX_CHARS = 60

# The editor's line, which ends an article: 责任编辑：张三 / 【责任编辑：李四】 / (编辑 王五)
_EDITOR_RE = re.compile(r"[\[【(（]?\s*(?:责任编辑|责编|编辑|值班编辑|本文编辑)\s*[:：\s]")
_EDITOR_ENDS_AFTER = 100       # ... once this many characters of article came before it

# Headings after which nothing belongs to the article (the rest of the container is
# lists, comments, navigation): 相关新闻 / 相关阅读 / 推荐阅读 / 网友评论 / Related articles.
_END_MARKER_RE = re.compile(
    r"^[\[【]?\s*(?:相关新闻|相关阅读|相关文章|相关链接|相关报道|推荐阅读|延伸阅读|热门推荐|"
    r"热点推荐|猜你喜欢|为你推荐|精彩推荐|网友评论|发表评论|我要评论|最新评论|热门评论|"
    r"相关推荐|更多阅读|往期回顾|related (?:articles|stories|news|content)|"
    r"read more|more stories|you may also like|comments|related topics|more on this story|"
    r"explore more on these topics|most read|most viewed|top stories)\s*[\]】]?\s*[:：>»]?$",
    re.IGNORECASE,
)

# Meta lines that a CMS prints inside the body container:
#   "发布时间：2021-11-05 来源：通辽日报 作者：张三 浏览次数：123"
#   "索引号：11330521002608286F/2021-00123 发布机构：德清县发改局" (政府信息公开)
#   "Published: 14 March 2022" / "Updated 3:45 PM ET, Mon March 14, 2022"
# Strong labels name the page's metadata; weak ones (时间：, 阅读：) also start article
# lines such as "时间：9月20日 地点：人民广场", so they count only beside a strong one.
_META_LABEL_RE = re.compile(
    r"(?:(?P<strong>发布时间|发布日期|发表时间|更新时间|来源|作者|编辑|责编|点击数|点击量|浏览次数|"
    r"浏览量|阅读数|阅读量|访问量|文章来源|信息来源|稿源|供稿|索引号|发布机构|发文机关|主题分类|"
    r"发文字号|文号|成文日期|生成日期|公开方式|公开范围|所属主题)|时间|日期|点击|浏览|阅读|字体)"
    r"\s*[:：]"
)
_ENGLISH_META_RE = re.compile(
    r"(?:published|updated|posted|last updated|first published)\b[\s:]", re.IGNORECASE
)
_META_MAX_CHARS = 120
_ENGLISH_META_MAX_CHARS = 80
# A date or time in a meta line: 2021-11-05 / 2021/11/05 / 2021年11月5日 / 10:30 / 2022
_DATE_RE = re.compile(
    r"(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}|\b\d{1,2}:\d\d\b|\b(?:19|20)\d\d\b"
)

# Image credits kept out of the body: 图片来源：视觉中国 / （图源：新华社） / 摄影：王五
# / 图/IC photo / Photo: Getty Images / Photograph: Jane Doe/Reuters / Image source, PA Media.
_CREDIT_RE = re.compile(
    r"^[(（\[【]?\s*(?:图片来源|图片来自|图源|来源图片|摄影|摄|图片|图|供图|配图|photo|photograph|"
    r"image|image source|illustration|credit)\s*[:：/|,]|"
    r"^[(（]?\s*(?:getty images|视觉中国|图虫创意|东方ic)\s*[)）]?$",
    re.IGNORECASE,
)
_CREDIT_MAX_CHARS = 40
_SENTENCE_END = frozenset(".!?\"'”’)…:;")
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
_TITLE_LINE_WITHIN = 3          # the headline repeated as one of the first paragraphs...
_HEAD_LINE_MAX_CHARS = 60       # ... under lines this short is dropped with them

# Paragraph scoring (readability's constants, measured in characters of Chinese).
_MIN_BLOCK_CHARS = 20          # shorter blocks (menu items, labels) earn no score
_MAX_LINK_DENSITY = 0.5        # a block more linked than this is navigation
_SIBLING_SHARE = 0.4           # a sibling joins the winner if it scores this share of it
_SIBLING_MIN = 8.0             # ... and never less than this
_SIBLING_UNLIKE_SHARE = 0.75   # ... or this share when its tag or class differs
_POSITIVE_FACTOR = 1.3
_STRONG_NEGATIVE_FACTOR = 0.3
_WEAK_NEGATIVE_FACTOR = 0.7
_DECAY = 0.5                   # share of a container's score that its parent receives
_MOST_OF_BODY = 0.6            # a chrome-named element with this share of the body is kept
_CHROME_FACTOR = 0.25          # inside a footer / comments / sidebar, or reads as legal text
_FOOTER_MAX_CHARS = 400
_BEFORE_TITLE_FACTOR = 0.3     # a container that ends before the headline is not the body
_TITLE_DISTANCE = 100.0        # blocks after the headline at which a container's score halves
_NAMED_CHILD_SHARE = 0.8       # a named child with this share of its unnamed parent's score wins
_LEADERS = 8                   # candidates whose hints and ancestors are read


@dataclass(frozen=True, slots=True)
class Body:
    """The body container *node* (None when none was found) and its *paragraphs*."""

    node: Any
    paragraphs: tuple[str, ...]


# The scoring walk keeps one frame per block element: a list rather than an object,
# as it is built for every block of every page (measured: a fifth of the walk's time).
_Frame = list[Any]  # [el, up, kind, start, chars, link, punct, runs, newrun, nblock, tot, tot_link, score, end]
(
    _EL,       # the element
    _UP,       # the frame of the nearest block ancestor, or None
    _KINDOF,   # _PARAGRAPH, _CONTAINER or _ROOT
    _START,    # order of the block in the walk
    _CHARS,    # own text, with its inline descendants' (<span>, <a>)
    _LINKC,    # ... of which inside <a>
    _PUNCT,    # punctuation marks in the own text
    _RUNS,     # own text runs separated by <br> or child blocks
    _NEWRUN,   # True when the next own text starts a new run
    _NBLOCK,   # block children
    _TOT,      # whole subtree text
    _TOTLINK,  # ... of which inside <a>
    _SCORE,    # container score
    _END,      # order of the last block inside it
) = range(14)


class _Walk:
    """Result of the scoring walk: scored containers and the headline's element."""

    __slots__ = ("candidates", "title_node", "title_order")

    def __init__(self) -> None:
        self.candidates: list[_Frame] = []
        self.title_node: Any = None
        self.title_order = 0


@lru_cache(maxsize=4096)
def _hints(attrs: str) -> tuple[bool, bool, bool, bool]:
    """Return (positive, strong negative, weak negative, chrome) for a class + id string.

    Cached: a site repeats the same few class names on every page.
    """
    return (
        _POSITIVE_HINT_RE.search(attrs) is not None,
        _STRONG_NEGATIVE_RE.search(attrs) is not None,
        _WEAK_NEGATIVE_RE.search(attrs) is not None,
        _CHROME_RE.search(attrs) is not None,
    )


def _attrs_of(el: Any) -> str:
    """Return *el*'s class, id and itemprop as one string ("" when it has none).

    itemprop carries schema.org's name for the body: <div itemprop="articleBody">.
    """
    cls = el.get("class")
    ident = el.get("id")
    prop = el.get("itemprop")
    if cls is None and ident is None and prop is None:
        return ""
    return (cls or "") + " " + (ident or "") + " " + (prop or "")


def _hint_factor(el: Any) -> float:
    """Return the weight that *el*'s class and id give its score (1.0 when they say nothing)."""
    attrs = _attrs_of(el)
    if not attrs:
        return 1.0
    positive, strong, weak, _ = _hints(attrs)
    if strong:
        # Both, as in Sina blog's <div id="sina_keyword_ad_area2" class="articalContent">:
        # the page's own naming of the body outweighs an ad-slot id, but earns no bonus.
        return 1.0 if positive else _STRONG_NEGATIVE_FACTOR
    if positive:
        return _POSITIVE_FACTOR
    if weak:
        return _WEAK_NEGATIVE_FACTOR
    return 1.0


# How the scoring walk treats each tag (one dict lookup per element).
_INLINE, _SKIP, _LINK, _BREAK, _PARAGRAPH, _CONTAINER, _ROOT = range(7)  # >= _PARAGRAPH: a block
_KIND: dict[Any, int] = {tag: _SKIP for tag in _SKIP_TAGS}
_KIND.update({tag: _CONTAINER for tag in _BLOCK_TAGS})
_KIND.update({tag: _PARAGRAPH for tag in _PARAGRAPH_TAGS})
_KIND.update({tag: _BREAK for tag in _BREAK_TAGS})
_KIND["a"] = _LINK
# <body> and <html> take credit only for paragraphs directly inside them (a 1998 page
# with its <p>s straight in <body>), never the decayed scores of every container below.
_KIND["body"] = _KIND["html"] = _ROOT


# Tags whose direct text a reader never sees (build_page_text's rule): the scan
# collects the page's text pieces by it while scoring.
_HIDDEN_TEXT_TAGS = PAGE_SKIP_TAGS
assert _HIDDEN_TEXT_TAGS <= _SKIP_TAGS

if _speedups is not None:
    # The compiled walks (newsarchive/_speedups.pyx) read the same tables: tag -> kind,
    # plus 8 for the tags whose own text is hidden, 16 for those PageText.tagged() lists,
    # 32 for block tags and 64 for table cells (the body's line breaks).
    _speedups.configure(
        {
            tag: _KIND.get(tag, _INLINE)
            | (8 if tag in _HIDDEN_TEXT_TAGS else 0)
            | (16 if tag in COLLECTED_TAGS else 0)
            | (32 if tag in _BLOCK_TAGS else 0)
            | (64 if tag in _CELL_TAGS else 0)
            for tag in {*(t for t in _KIND if isinstance(t, str)), *COLLECTED_TAGS}
        },
        _MIN_BLOCK_CHARS,
        _MAX_LINK_DENSITY,
        _DECAY,
    )


class Scan:
    """The one walk over a page: scored containers for the body, and the page's text pieces."""

    __slots__ = ("page", "roots", "title_bound", "title_frames", "walk")

    def __init__(self, walk: _Walk, page: PageText, roots: list[Any], title_frames: list[_Frame], bound: int):
        self.walk = walk
        self.page = page
        self.roots = roots
        self.title_frames = title_frames
        self.title_bound = bound


def scan_document(doc: Document) -> Scan:
    """Walk *doc*'s tree once: score its blocks and collect its visible text pieces (a PageText).

    The headline is not known yet: blocks short enough to be it are kept, and
    extract_body matches them against the headline afterwards.
    """
    tree = doc.tree
    # Broken pages can leave a second <html> beside the first (a CMS template that
    # includes a whole page); its content counts as well.
    roots = [tree, *(el for el in tree.itersiblings() if isinstance(el.tag, str))]
    return _scan(roots, _TITLE_BOUND)


def _score_tree(roots: list[Any], title: str) -> _Walk:
    """Walk *roots* once, bottom-up; score containers and find the headline *title*."""
    title_hi = int(len(title) * 1.3 + 6) + 1
    scan = _scan(roots, title_hi)
    _match_titles(scan, title)
    return scan.walk


#: Blocks up to this many characters are kept as possible headline elements.
_TITLE_BOUND = 400


def _hidden_pieces(
    el: Any,
    texts: list[str],
    elements: list[Any],
    tails: list[bool],
) -> None:
    """Collect the visible text pieces inside *el*, a subtree the scoring walk skips."""
    tag = el.tag
    shown = isinstance(tag, str) and tag not in _HIDDEN_TEXT_TAGS
    if shown:
        text = el.text
        if text and not text.isspace():
            texts.append(text)
            elements.append(el)
            tails.append(False)
    for child in el:
        if len(child) or child.tag not in _HIDDEN_TEXT_TAGS:
            _hidden_pieces(child, texts, elements, tails)
        if shown:
            tail = child.tail
            if tail and not tail.isspace():
                texts.append(tail)
                elements.append(child)
                tails.append(True)


def _scan(roots: list[Any], bound: int) -> Scan:
    """Walk *roots* once, bottom-up; score containers and collect text pieces (see _scan_py)."""
    if _speedups is None:
        return _scan_py(roots, bound)
    candidates, title_frames, pieces = _speedups.scan_blocks(roots, bound)
    result = _Walk()
    result.candidates = candidates
    page = PageText.from_pieces(roots[0], pieces, roots)
    return Scan(result, page, roots, title_frames, bound)


def _scan_py(roots: list[Any], bound: int) -> Scan:
    """Walk *roots* once, bottom-up; score containers and collect text pieces.

    Only block elements get a frame; inline elements (<a>, <span>, <font>) hand
    their text to the enclosing block, so nested text is counted exactly once.
    Blocks with at most *bound* characters are kept for the headline match.
    """
    result = _Walk()
    candidates = result.candidates
    title_frames: list[_Frame] = []
    texts: list[str] = []
    elements: list[Any] = []
    tails: list[bool] = []
    # Bound once: each is called for every text piece of the page.
    add_text, add_element, add_tail = texts.append, elements.append, tails.append
    kinds = _KIND.get
    top: _Frame | None = None  # the innermost open block; its _UP chain is the stack
    links = 0
    order = 0
    for root in roots:
        # A comment or processing instruction (kept by parsers other than ours) comes
        # as one "comment" / "pi" event, handled as an end: its tail is the parent's text.
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, el in walker:
            kind = kinds(el.tag, _INLINE)
            if event == "start":
                if kind == _INLINE:
                    pass
                elif kind == _LINK:
                    links += 1
                elif kind == _SKIP:
                    walker.skip_subtree()
                    if len(el) or el.tag not in _HIDDEN_TEXT_TAGS:
                        _hidden_pieces(el, texts, elements, tails)
                    continue
                elif kind == _BREAK:
                    if top is not None:
                        top[_NEWRUN] = True
                    continue
                else:
                    order += 1
                    if top is not None:
                        top[_NBLOCK] += 1
                    top = [el, top, kind, order, 0, 0, 0, 0, True, 0, 0, 0, 0.0, order]
                text = el.text
                is_tail = False
            else:
                if kind >= _PARAGRAPH:
                    frame = top
                    assert frame is not None
                    chars = frame[_CHARS]
                    own = 0.0
                    if chars:
                        frame[_TOT] += chars
                        frame[_TOTLINK] += frame[_LINKC]
                        if chars <= bound and frame[_LINKC] * 2 <= chars:
                            title_frames.append(frame)
                        own = _own_score(frame)
                    if kind != _PARAGRAPH:
                        frame[_SCORE] += own
                        own = 0.0
                    if frame[_SCORE] > 0:
                        frame[_END] = order
                        candidates.append(frame)
                    top = frame[_UP]
                    if top is not None:
                        top[_TOT] += frame[_TOT]
                        top[_TOTLINK] += frame[_TOTLINK]
                        top[_NEWRUN] = True
                        # A paragraph's score goes whole to its container, a container's half
                        # to the next one up; a wrapper with nothing but one block inside
                        # (<section><section><p>) passes its score on undiminished.
                        if top[_KINDOF] == _ROOT:
                            top[_SCORE] += own
                        elif frame[_NBLOCK] == 1 and not chars:
                            top[_SCORE] += own + frame[_SCORE]
                        else:
                            top[_SCORE] += own + frame[_SCORE] * _DECAY
                elif kind == _LINK:
                    links -= 1
                text = el.tail
                is_tail = True
            # Text (of a start event) or tail (of an end event) goes to the enclosing block.
            if not text or text.isspace():
                continue
            add_text(text)
            add_element(el)
            add_tail(is_tail)
            if top is None:
                continue
            n = len(text)
            top[_CHARS] += n
            if links:
                top[_LINKC] += n
            elif n > 10:
                # str.count beats a regex here by 2-4x; these five marks carry the signal.
                top[_PUNCT] += (
                    text.count("，") + text.count("。") + text.count("、")
                    + text.count(",") + text.count(". ")
                )
            if top[_NEWRUN]:
                top[_RUNS] += 1
                top[_NEWRUN] = False
    tree = roots[0]
    page = PageText.from_walk(tree, texts, elements, tails, roots)
    return Scan(result, page, roots, title_frames, bound)


def _match_titles(scan: Scan, title: str) -> None:
    """Find the headline *title*'s element among the scan's short blocks, in walk order."""
    result = scan.walk
    result.title_node = None
    result.title_order = 0
    title_len = len(title)
    title_lo = title_len * 0.8 - 2 if title_len else 1e9
    title_hi = title_len * 1.3 + 6
    for frame in scan.title_frames:
        if title_lo <= frame[_CHARS] <= title_hi:
            _match_title(result, frame, title)


def _match_title(result: _Walk, frame: _Frame, title: str) -> None:
    """Remember *frame* as the headline's element if its text is *title*."""
    if result.title_node is not None and result.title_node.tag == "h1":
        return
    if frame[_LINKC] * 2 > frame[_CHARS]:
        return  # a link to the article (breadcrumb, list), not its headline
    lead = frame[_EL].text
    if lead and "&" not in lead and not title.startswith(normalize_text(lead).replace(" ", "")):
        return  # its own first text already differs: no need to read all of it
    if normalize_text(text_content(frame[_EL])).replace(" ", "") != title:
        return
    if result.title_node is None or frame[_EL].tag == "h1":
        result.title_node = frame[_EL]
        result.title_order = frame[_START]


def _own_score(frame: _Frame) -> float:
    """Return the paragraph score of *frame*'s own text, or 0 for menus and labels."""
    chars = frame[_CHARS]
    link = frame[_LINKC]
    if chars < _MIN_BLOCK_CHARS and not frame[_PUNCT]:
        return 0.0
    if link > chars * _MAX_LINK_DENSITY:
        return 0.0
    runs = frame[_RUNS] or 1
    return float(runs + frame[_PUNCT] + min((chars - link) / 100.0, 3.0 * runs))


def _in_chrome(el: Any, memo: dict[Any, bool]) -> bool:
    """Return True if an ancestor of *el* is <div class="footer">, <div id="comments">...

    *memo* caches the answer per ancestor: the leaders share most of their ancestors.
    """
    path = []
    found = False
    node = el.getparent()
    while node is not None:
        known = memo.get(node)
        if known is not None:
            found = known
            break
        path.append(node)
        attrs = _attrs_of(node)
        if attrs and _hints(attrs)[3]:
            found = True
            break
        node = node.getparent()
    for node in path:
        memo[node] = found
    return found


def _final_score(frame: _Frame, title_order: int, memo: dict[Any, bool]) -> float:
    """Return *frame*'s score weighed by link density, class/id hints and position."""
    el = frame[_EL]
    tot = frame[_TOT] or 1
    score = frame[_SCORE] * (1.0 - frame[_TOTLINK] / tot) * _hint_factor(el)
    if _in_chrome(el, memo):
        score *= _CHROME_FACTOR
    if frame[_TOT] <= _FOOTER_MAX_CHARS:
        # A short block of legal text (本站郑重声明 / 版权所有 / 违法和不良信息举报电话)
        # can out-punctuate a one-paragraph article.
        text = text_content(el)
        if any(word in text for word in _FOOTER_WORDS):
            score *= _CHROME_FACTOR
    if title_order:
        if frame[_END] < title_order:
            score *= _BEFORE_TITLE_FACTOR
        elif frame[_START] > title_order:
            # The body follows the headline closely; far below it are footers and lists.
            score /= 1.0 + (frame[_START] - title_order) / _TITLE_DISTANCE
    return float(score)


def _choose(candidates: list[_Frame], title_order: int) -> tuple[Any, list[Any]]:
    """Return the body node and the roots to read paragraphs from."""
    if not candidates:
        return None, []
    # Rank cheaply first; hints and ancestry are read only for the leaders.
    leaders = heapq.nlargest(
        _LEADERS, candidates, key=lambda f: f[_SCORE] * (1.0 - f[_TOTLINK] / (f[_TOT] or 1))
    )
    memo: dict[Any, bool] = {}
    finals = {f[_EL]: _final_score(f, title_order, memo) for f in leaders}
    best = max(leaders, key=lambda f: finals[f[_EL]])
    best_el = best[_EL]
    best_score = finals[best_el]
    if best_score <= 0:
        return None, []
    if _hint_factor(best_el) < _POSITIVE_FACTOR:
        # An unnamed container (<article>) wins on the sum of its children, a sign-up ask
        # and the standfirst included; a child the page names as the body
        # (class="article-body") that scores nearly as much is the body.
        for f in leaders:
            el = f[_EL]
            if (
                el.getparent() is best_el
                and finals[el] >= best_score * _NAMED_CHILD_SHARE
                and _hint_factor(el) >= _POSITIVE_FACTOR
            ):
                best, best_el, best_score = f, el, finals[el]
                break
    parent = best_el.getparent()
    if parent is None or best_el.tag in ("body", "html"):
        return best_el, [best_el]
    roots = []
    named = _hint_factor(best_el) >= _POSITIVE_FACTOR
    threshold = max(best_score * _SIBLING_SHARE, _SIBLING_MIN)
    # No hint lifts a score by more than _POSITIVE_FACTOR: weaker frames cannot join.
    floor = threshold / _POSITIVE_FACTOR
    by_el = {f[_EL]: f for f in candidates if f[_SCORE] >= floor}
    for sibling in parent:
        if sibling is best_el:
            roots.append(sibling)
            continue
        frame = by_el.get(sibling)
        if frame is not None:
            s = finals.get(sibling)
            if s is None:
                s = _final_score(frame, title_order, memo)
            # Parts of one article look alike (<div class="part"> twice); a different
            # block (comments, a site blurb) must nearly match the winner to join.
            # When the page names its body (class="content", itemprop="articleBody"),
            # an unlike sibling must be named so too.
            if s >= threshold and (
                (sibling.tag == best_el.tag and sibling.get("class") == best_el.get("class"))
                or (
                    s >= best_score * _SIBLING_UNLIKE_SHARE
                    and (not named or _hint_factor(sibling) >= _POSITIVE_FACTOR)
                )
            ):
                roots.append(sibling)
                continue
        if sibling.tag in _PARAGRAPH_TAGS and _is_prose(sibling):
            # A stray <p> beside the container: keep it.
            roots.append(sibling)
    if len(roots) == 1:
        return best_el, roots
    return parent, roots


def _is_prose(el: Any) -> bool:
    """Return True if *el* reads as a paragraph of prose (long, punctuated, few links)."""
    text = text_content(el)
    n = len(text.strip())
    if n < 60:
        return False
    link = sum(len(text_content(a)) for a in el.iter("a"))
    return link < n * 0.25 and len(_PUNCT_RE.findall(text)) >= 2


# What _skip_kind says about an element inside the body container.
_KEEP, _SKIP_ALWAYS, _SKIP_BY_NAME = range(3)


def _skip_kind(el: Any, tag: Any) -> int:
    """Return whether the subtree of *el* holds no article text (script, hidden, share bar).

    _SKIP_BY_NAME when only its class/id says so: the caller checks it is not most of the body.
    """
    if tag in _SKIP_TAGS:
        return _SKIP_ALWAYS
    if not el.attrib:
        return _KEEP
    style = el.get("style")
    if style and _HIDDEN_RE.search(style):
        return _SKIP_ALWAYS
    if el.get("hidden") is not None:
        return _SKIP_ALWAYS
    attrs = _attrs_of(el)
    if attrs:
        positive, strong, weak, _ = _hints(attrs)
        if strong or (weak and not positive):
            return _SKIP_BY_NAME
    return _KEEP


def _holds_most_of(el: Any, root: Any, root_chars: list[int]) -> bool:
    """Return True if *el* has most of *root*'s text (*root_chars* caches root's length)."""
    if not root_chars:
        root_chars.append(len(text_content(root)))
    return len(text_content(el)) > root_chars[0] * _MOST_OF_BODY


def _collect_paragraphs(roots: list[Any], title_node: Any) -> list[tuple[str, int]]:
    """Return (text, link characters) for each line in *roots*, in page order."""
    out: list[tuple[str, int]]
    if _speedups is not None:
        out, title_at = _speedups.collect_lines(roots, title_node, _skip_kind, _holds_most_of)
    else:
        out, title_at = _collect_lines_py(roots, title_node)
    if title_at:
        # Lines above the headline are masthead (breadcrumb, section name) - unless
        # they outweigh what follows, when the "headline" was a repeat further down.
        before = sum(len(text) for text, _ in out[:title_at])
        after = sum(len(text) for text, _ in out[title_at:])
        if before < after:
            del out[:title_at]
    return out


def _collect_lines_py(roots: list[Any], title_node: Any) -> tuple[list[tuple[str, int]], int]:
    """Return the lines of *roots* and how many come before the headline *title_node* (0: not met)."""
    out: list[tuple[str, int]] = []
    parts: list[str] = []
    link_chars = 0
    title_at = 0

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
        # A comment's one event (parsers other than ours keep them) is handled as an end.
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        skipped: Any = None
        root_chars: list[int] = []
        for event, el in walker:
            tag = el.tag
            if event == "start":
                skip = _KEEP if el is root else _skip_kind(el, tag)
                if skip == _SKIP_BY_NAME and _holds_most_of(el, root, root_chars):
                    # A wrapper named like chrome (<div class="content-share-box">) around
                    # the article itself: the name is wrong, keep its text.
                    skip = _KEEP
                if skip:
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
                    parts.clear()
                    link_chars = 0
                    title_at = len(out)
            if el is root:
                continue
            tail = el.tail
            if tail:
                parts.append(tail)
                if links:
                    link_chars += len(tail.strip())
        flush()
    return out, title_at


def _is_boilerplate(text: str) -> bool:
    """Return True if the short line *text* is a share bar, tool bar, editor or copyright line."""
    if _BOILERPLATE_START_RE.match(text):
        return True
    if (
        len(text) <= _BYLINE_MAX_CHARS
        and text[-1] not in ".!?"
        and _BYLINE_RE.match(text)
    ):
        return True
    for word in _BOILERPLATE_WORDS:
        if word in text:
            return True
    toolbar = "打印" in text or "关闭" in text or "字体" in text or "字号" in text
    return toolbar and _TOOLBAR_RE.search(text) is not None


def _is_meta_line(text: str) -> bool:
    """Return True if *text* is a CMS meta line (发布时间：… 来源：… 浏览次数：…)."""
    strong = 0
    labels = 0
    first = None
    for match in _META_LABEL_RE.finditer(text):
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
    return len(text) <= 40 and (first.start() == 0 or bool(_DATE_RE.search(text)))


def _is_head_furniture(text: str) -> bool:
    """Return True if *text* is a short Latin-script line with no sentence end (a byline, a date)."""
    return (
        len(text) <= _HEAD_LINE_MAX_CHARS
        and text[-1] not in _SENTENCE_END
        and _CJK_RE.search(text) is None
    )


def _clean_paragraphs(lines: list[tuple[str, int]], norm_title: str) -> tuple[str, ...]:
    """Normalise *lines* and drop navigation, boilerplate and the headline *norm_title*."""
    paragraphs: list[str] = []
    kept = 0
    for raw, link_chars in lines:
        if link_chars and link_chars > len(raw.strip()) * _MAX_LINK_DENSITY:
            continue  # navigation; no need to normalise it first
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
        if n <= _BOILERPLATE_MAX_CHARS and _is_boilerplate(text):
            if kept >= _EDITOR_ENDS_AFTER and _EDITOR_RE.match(text):
                break  # the editor's line closes the article; below it are teasers
            continue
        if n <= _META_MAX_CHARS and ("：" in text or ":" in text) and _is_meta_line(text):
            continue
        if n <= _ENGLISH_META_MAX_CHARS and _ENGLISH_META_RE.match(text) and _DATE_RE.search(text):
            continue
        if n <= _CREDIT_MAX_CHARS and _CREDIT_RE.search(text):
            continue
        if norm_title and not paragraphs and text == norm_title:
            continue
        paragraphs.append(text)
        kept += n
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


@lru_cache(maxsize=256)
def _compile_selector(selector: str) -> etree.XPath:
    """Compile a profile's body selector: XPath when it starts with / or (, else CSS."""
    stripped = selector.strip()
    if stripped.startswith(("/", "(")):
        return etree.XPath(stripped)
    from cssselect import GenericTranslator, SelectorError  # parsel's, installed with Scrapy

    try:
        xpath = GenericTranslator().css_to_xpath(stripped)
    except SelectorError as exc:  # "div::before" is valid CSS with no XPath form
        raise ValueError(f"body selector {selector!r} cannot be used: {exc}") from exc
    return etree.XPath(xpath)


def extract_body(
    doc: Document, *, selector: str | None = None, title: str | None = None, scan: Scan | None = None
) -> Body:
    """Return the article body of *doc*: its container node and normalised paragraphs.

    *selector* (a site profile's XPath, or CSS when it does not start with "/" or "(")
    wins when it matches. *title*, the headline, marks where the article starts: text
    before it and a first paragraph equal to it are dropped. Body(None, ()) when the
    page has no body text.
    """
    tree = doc.tree
    norm_title = normalize_text(title) if title else ""
    if selector:
        try:
            matches = [m for m in _compile_selector(selector)(tree) if isinstance(m.tag, str)]
        except (etree.XPathError, ValueError, SyntaxError) as exc:
            logger.debug("body selector %r unusable: %s", selector, exc)
            matches = []
        if matches:
            paragraphs = _clean_paragraphs(_collect_paragraphs(matches, None), norm_title)
            if paragraphs:
                return Body(matches[0], paragraphs)
            logger.debug("body selector %r matched no text; using generic rules", selector)

    squashed = norm_title.replace(" ", "")
    if scan is None or scan.page.tree is not tree or len(squashed) * 1.3 + 6 > scan.title_bound:
        scan = scan_document(doc) if len(squashed) * 1.3 + 6 <= _TITLE_BOUND else None
    if scan is not None:
        _match_titles(scan, squashed)
        walk = scan.walk
    else:
        # Broken pages can leave a second <html> beside the first (a CMS template that
        # includes a whole page); its content counts as well.
        walk = _score_tree([tree, *(el for el in tree.itersiblings() if isinstance(el.tag, str))], squashed)
    node, roots = _choose(walk.candidates, walk.title_order)
    if node is None:
        return Body(None, ())
    title_node = walk.title_node
    if title_node is not None and not _contains(node, title_node):
        title_node = None
    paragraphs = _clean_paragraphs(_collect_paragraphs(roots, title_node), norm_title)
    return Body(node, paragraphs)


def _contains(ancestor: Any, node: Any) -> bool:
    el = node
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False
