"""The one walk over a page: score every block bottom-up and collect the page's text pieces.

Computes, bottom-up, the text and link length of every block and credits each
paragraph-like block's score to its block ancestors (readability's scheme, with
Chinese punctuation). The same walk collects the page's visible text pieces (a
PageText) that the headline, date and meta extractors read, so the page's text
is decoded once. The compiled twin (newsarchive/_speedups.pyx) walks the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._native import speedups as _speedups
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import COLLECTED_TAGS, PageText
from newsarchive.extract.pagetext import SKIP_TAGS as PAGE_SKIP_TAGS
from newsarchive.extract.patterns.tags import (
    BLOCK_TAGS,
    BREAK_TAGS,
    CELL_TAGS,
    PARAGRAPH_TAGS,
    SKIP_TAGS,
)
from newsarchive.normalize import normalize_text

if TYPE_CHECKING:
    from newsarchive.extract.document import Document

__all__ = [
    "CHARS", "EL", "END", "LINKC", "MAX_LINK_DENSITY", "SCORE", "START", "TITLE_BOUND", "TOT", "TOTLINK",
    "Frame", "Scan", "Walk", "match_titles", "scan_document", "score_tree",
]

# Paragraph scoring (readability's constants, measured in characters of Chinese).
_MIN_BLOCK_CHARS = 20          # shorter blocks (menu items, labels) earn no score
MAX_LINK_DENSITY = 0.5         # a block more linked than this is navigation
_DECAY = 0.5                   # share of a container's score that its parent receives


# The scoring walk keeps one frame per block element: a list rather than an object,
# as it is built for every block of every page (measured: a fifth of the walk's time).
Frame = list[Any]  # [el, up, kind, start, chars, link, punct, runs, newrun, nblock, tot, tot_link, score, end]
(
    EL,       # the element
    UP,       # the frame of the nearest block ancestor, or None
    KINDOF,   # _PARAGRAPH, _CONTAINER or _ROOT
    START,    # order of the block in the walk
    CHARS,    # own text, with its inline descendants' (<span>, <a>)
    LINKC,    # ... of which inside <a>
    PUNCT,    # punctuation marks in the own text
    RUNS,     # own text runs separated by <br> or child blocks
    NEWRUN,   # True when the next own text starts a new run
    NBLOCK,   # block children
    TOT,      # whole subtree text
    TOTLINK,  # ... of which inside <a>
    SCORE,    # container score
    END,      # order of the last block inside it
) = range(14)


class Walk:
    """Result of the scoring walk: scored containers and the headline's element."""

    __slots__ = ("candidates", "title_node", "title_order")

    def __init__(self) -> None:
        self.candidates: list[Frame] = []
        self.title_node: Any = None
        self.title_order = 0


# How the scoring walk treats each tag (one dict lookup per element).
_INLINE, _SKIP, _LINK, _BREAK, _PARAGRAPH, _CONTAINER, _ROOT = range(7)  # >= _PARAGRAPH: a block
_KIND: dict[Any, int] = {tag: _SKIP for tag in SKIP_TAGS}
_KIND.update({tag: _CONTAINER for tag in BLOCK_TAGS})
_KIND.update({tag: _PARAGRAPH for tag in PARAGRAPH_TAGS})
_KIND.update({tag: _BREAK for tag in BREAK_TAGS})
_KIND["a"] = _LINK
# <body> and <html> take credit only for paragraphs directly inside them (a 1998 page
# with its <p>s straight in <body>), never the decayed scores of every container below.
_KIND["body"] = _KIND["html"] = _ROOT


# Tags whose direct text a reader never sees (build_page_text's rule): the scan
# collects the page's text pieces by it while scoring.
_HIDDEN_TEXT_TAGS = PAGE_SKIP_TAGS
assert _HIDDEN_TEXT_TAGS <= SKIP_TAGS

if _speedups is not None:
    # The compiled walks (newsarchive/_speedups.pyx) read the same tables: tag -> kind,
    # plus 8 for the tags whose own text is hidden, 16 for those PageText.tagged() lists,
    # 32 for block tags and 64 for table cells (the body's line breaks).
    _speedups.configure(
        {
            tag: _KIND.get(tag, _INLINE)
            | (8 if tag in _HIDDEN_TEXT_TAGS else 0)
            | (16 if tag in COLLECTED_TAGS else 0)
            | (32 if tag in BLOCK_TAGS else 0)
            | (64 if tag in CELL_TAGS else 0)
            for tag in {*(t for t in _KIND if isinstance(t, str)), *COLLECTED_TAGS}
        },
        _MIN_BLOCK_CHARS,
        MAX_LINK_DENSITY,
        _DECAY,
    )


class Scan:
    """The one walk over a page: scored containers for the body, and the page's text pieces."""

    __slots__ = ("page", "roots", "title_bound", "title_frames", "walk")

    def __init__(self, walk: Walk, page: PageText, roots: list[Any], title_frames: list[Frame], bound: int):
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
    return _scan(roots, TITLE_BOUND)


def score_tree(roots: list[Any], title: str) -> Walk:
    """Walk *roots* once, bottom-up; score containers and find the headline *title*."""
    title_hi = int(len(title) * 1.3 + 6) + 1
    scan = _scan(roots, title_hi)
    match_titles(scan, title)
    return scan.walk


#: Blocks up to this many characters are kept as possible headline elements.
TITLE_BOUND = 400


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
    result = Walk()
    result.candidates = candidates
    page = PageText.from_pieces(roots[0], pieces, roots)
    return Scan(result, page, roots, title_frames, bound)


def _scan_py(roots: list[Any], bound: int) -> Scan:
    """Walk *roots* once, bottom-up; score containers and collect text pieces.

    Only block elements get a frame; inline elements (<a>, <span>, <font>) hand
    their text to the enclosing block, so nested text is counted exactly once.
    Blocks with at most *bound* characters are kept for the headline match.
    """
    result = Walk()
    candidates = result.candidates
    title_frames: list[Frame] = []
    texts: list[str] = []
    elements: list[Any] = []
    tails: list[bool] = []
    # Bound once: each is called for every text piece of the page.
    add_text, add_element, add_tail = texts.append, elements.append, tails.append
    kinds = _KIND.get
    top: Frame | None = None  # the innermost open block; its UP chain is the stack
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
                        top[NEWRUN] = True
                    continue
                else:
                    order += 1
                    if top is not None:
                        top[NBLOCK] += 1
                    top = [el, top, kind, order, 0, 0, 0, 0, True, 0, 0, 0, 0.0, order]
                text = el.text
                is_tail = False
            else:
                if kind >= _PARAGRAPH:
                    frame = top
                    assert frame is not None
                    chars = frame[CHARS]
                    own = 0.0
                    if chars:
                        frame[TOT] += chars
                        frame[TOTLINK] += frame[LINKC]
                        if chars <= bound and frame[LINKC] * 2 <= chars:
                            title_frames.append(frame)
                        own = _own_score(frame)
                    if kind != _PARAGRAPH:
                        frame[SCORE] += own
                        own = 0.0
                    if frame[SCORE] > 0:
                        frame[END] = order
                        candidates.append(frame)
                    top = frame[UP]
                    if top is not None:
                        top[TOT] += frame[TOT]
                        top[TOTLINK] += frame[TOTLINK]
                        top[NEWRUN] = True
                        # A paragraph's score goes whole to its container, a container's half
                        # to the next one up; a wrapper with nothing but one block inside
                        # (<section><section><p>) passes its score on undiminished.
                        if top[KINDOF] == _ROOT:
                            top[SCORE] += own
                        elif frame[NBLOCK] == 1 and not chars:
                            top[SCORE] += own + frame[SCORE]
                        else:
                            top[SCORE] += own + frame[SCORE] * _DECAY
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
            top[CHARS] += n
            if links:
                top[LINKC] += n
            elif n > 10:
                # str.count beats a regex here by 2-4x; these five marks carry the signal.
                top[PUNCT] += (
                    text.count("，") + text.count("。") + text.count("、")
                    + text.count(",") + text.count(". ")
                )
            if top[NEWRUN]:
                top[RUNS] += 1
                top[NEWRUN] = False
    tree = roots[0]
    page = PageText.from_walk(tree, texts, elements, tails, roots)
    return Scan(result, page, roots, title_frames, bound)


def match_titles(scan: Scan, title: str) -> None:
    """Find the headline *title*'s element among the scan's short blocks, in walk order."""
    result = scan.walk
    result.title_node = None
    result.title_order = 0
    title_len = len(title)
    title_lo = title_len * 0.8 - 2 if title_len else 1e9
    title_hi = title_len * 1.3 + 6
    for frame in scan.title_frames:
        if title_lo <= frame[CHARS] <= title_hi:
            _match_title(result, frame, title)


def _match_title(result: Walk, frame: Frame, title: str) -> None:
    """Remember *frame* as the headline's element if its text is *title*."""
    if result.title_node is not None and result.title_node.tag == "h1":
        return
    if frame[LINKC] * 2 > frame[CHARS]:
        return  # a link to the article (breadcrumb, list), not its headline
    lead = frame[EL].text
    if lead and "&" not in lead and not title.startswith(normalize_text(lead).replace(" ", "")):
        return  # its own first text already differs: no need to read all of it
    if normalize_text(text_content(frame[EL])).replace(" ", "") != title:
        return
    if result.title_node is None or frame[EL].tag == "h1":
        result.title_node = frame[EL]
        result.title_order = frame[START]


def _own_score(frame: Frame) -> float:
    """Return the paragraph score of *frame*'s own text, or 0 for menus and labels."""
    chars = frame[CHARS]
    link = frame[LINKC]
    if chars < _MIN_BLOCK_CHARS and not frame[PUNCT]:
        return 0.0
    if link > chars * MAX_LINK_DENSITY:
        return 0.0
    runs = frame[RUNS] or 1
    return float(runs + frame[PUNCT] + min((chars - link) / 100.0, 3.0 * runs))
