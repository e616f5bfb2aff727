"""The one walk over a page: score every block bottom-up and collect the page's text pieces.

Computes, bottom-up, the text and link length of every block and credits each
paragraph-like block's score to its block ancestors (readability's scheme, with
Chinese punctuation). The same walk collects the page's visible text pieces (a
PageText) that the headline, date and meta extractors read, so the page's text
is decoded once. The walk itself is scan_blocks (newsarchive._native: compiled,
or its Python twin); this module hands it the tag table and reads its frames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsarchive import _walkspec as W
from newsarchive._native import configure, scan_blocks
from newsarchive.extract.document import text_content
from newsarchive.extract.pagetext import COLLECTED_TAGS, PageText
from newsarchive.extract.patterns.tags import (
    BLOCK_TAGS,
    BREAK_TAGS,
    CELL_TAGS,
    HIDDEN_TEXT_TAGS,
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


# The scoring walk's frame per block element: a list laid out as _walkspec.FRAME_FIELDS.
Frame = list[Any]
EL, START, CHARS, LINKC, TOT, TOTLINK, SCORE, END = W.EL, W.START, W.CHARS, W.LINK, W.TOT, W.TOTLINK, W.SCORE, W.END


class Walk:
    """Result of the scoring walk: scored containers and the headline's element."""

    __slots__ = ("candidates", "title_node", "title_order")

    def __init__(self) -> None:
        self.candidates: list[Frame] = []
        self.title_node: Any = None
        self.title_order = 0


# How the walks treat each tag (one dict lookup per element): its kind (_walkspec's K_*).
_KIND: dict[Any, int] = {tag: W.K_SKIP for tag in SKIP_TAGS}
_KIND.update({tag: W.K_CONTAINER for tag in BLOCK_TAGS})
_KIND.update({tag: W.K_PARAGRAPH for tag in PARAGRAPH_TAGS})
_KIND.update({tag: W.K_BREAK for tag in BREAK_TAGS})
_KIND["a"] = W.K_LINK
# <body> and <html> take credit only for paragraphs directly inside them (a 1998 page
# with its <p>s straight in <body>), never the decayed scores of every container below.
_KIND["body"] = _KIND["html"] = W.K_ROOT


# The scan collects the page's text pieces while scoring, leaving out HIDDEN_TEXT_TAGS' own text.
# Both twins of the walks (newsarchive._native) read a tag's kind and its flags: its own
# text hidden, listed by PageText.tagged(), a block tag, a table cell (the body's line breaks).
configure(
    {
        tag: _KIND.get(tag, W.K_INLINE)
        | (W.F_HIDDEN if tag in HIDDEN_TEXT_TAGS else 0)
        | (W.F_COLLECT if tag in COLLECTED_TAGS else 0)
        | (W.F_BLOCK if tag in BLOCK_TAGS else 0)
        | (W.F_CELL if tag in CELL_TAGS else 0)
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


def _scan(roots: list[Any], bound: int) -> Scan:
    """Walk *roots* once, bottom-up; score containers and collect text pieces (see scan_blocks).

    Blocks with at most *bound* characters are kept for the headline match.
    """
    candidates, title_frames, pieces = scan_blocks(roots, bound)
    result = Walk()
    result.candidates = candidates
    return Scan(result, PageText.from_pieces(roots[0], pieces), roots, title_frames, bound)


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
