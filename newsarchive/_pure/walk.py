"""Python twin of the compiled page walk: configure() and scan_blocks(), which scores blocks and collects text pieces."""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._pure.pieces import Pieces
from newsarchive._walkspec import (
    CHARS,
    F_HIDDEN,
    K_BREAK,
    K_INLINE,
    K_LINK,
    K_PARAGRAPH,
    K_ROOT,
    K_SKIP,
    KIND,
    KIND_MASK,
    LINK,
    NBLOCK,
    NEWRUN,
    PUNCT,
    RUNS,
    SCORE,
    TOT,
    TOTLINK,
    UP,
    new_frame,
)
from newsarchive._walkspec import END as _END

__all__ = ["code_of", "configure", "scan_blocks"]

# Set by configure(): tag name -> kind | flags (newsarchive._walkspec), and the scoring constants.
_codes: dict[str, int] = {}
_scoring = [20.0, 0.5, 0.5]  # min_block_chars, max_link_density, decay


def configure(codes: dict[str, int], min_block_chars: float, max_link_density: float, decay: float) -> None:
    """Take the body extractor's tables: tag name -> code, and its scoring constants."""
    _codes.clear()
    _codes.update(codes)
    _scoring[:] = [min_block_chars, max_link_density, decay]


def code_of(tag: Any) -> int:
    """Return the walk's code (kind | flags) for an element's *tag*."""
    # Comments, processing instructions and entities have a function as their tag.
    return _codes.get(tag, K_INLINE) if isinstance(tag, str) else K_SKIP


def _hidden_pieces(el: Any, texts: list[str], elements: list[Any], tails: list[bool]) -> None:
    """Collect the visible text pieces inside *el*, a subtree the scoring walk skips."""
    tag = el.tag
    shown = isinstance(tag, str) and not _codes.get(tag, K_INLINE) & F_HIDDEN
    if shown:
        text = el.text
        if text and not text.isspace():
            texts.append(text)
            elements.append(el)
            tails.append(False)
    for child in el:
        if len(child) or not code_of(child.tag) & F_HIDDEN:
            _hidden_pieces(child, texts, elements, tails)
        if shown:
            tail = child.tail
            if tail and not tail.isspace():
                texts.append(tail)
                elements.append(child)
                tails.append(True)


def _own_score(frame: list[Any]) -> float:
    """Return the paragraph score of *frame*'s own text, or 0 for menus and labels."""
    chars = frame[CHARS]
    link = frame[LINK]
    if chars < _scoring[0] and not frame[PUNCT]:
        return 0.0
    if link > chars * _scoring[1]:
        return 0.0
    runs = frame[RUNS] or 1
    return float(runs + frame[PUNCT] + min((chars - link) / 100.0, 3.0 * runs))


def scan_blocks(roots: list[Any], bound: int) -> tuple[list[list[Any]], list[list[Any]], Pieces]:
    """Walk *roots* once, bottom-up; score blocks and collect text pieces.

    Returns (candidates, title_frames, pieces): the frames (newsarchive._walkspec's
    layout) that scored, those of blocks with at most *bound* characters (kept for
    the headline match), and the visible text pieces. Only block elements get a
    frame; inline elements (<a>, <span>, <font>) hand their text to the enclosing
    block, so nested text is counted exactly once.
    """
    if not roots:
        raise ValueError("scan_blocks needs at least one root element")
    candidates: list[list[Any]] = []
    title_frames: list[list[Any]] = []
    texts: list[str] = []
    elements: list[Any] = []
    tails: list[bool] = []
    # Bound once: each is called for every text piece of the page.
    add_text, add_element, add_tail = texts.append, elements.append, tails.append
    codes = _codes.get
    decay = _scoring[2]
    top: list[Any] | None = None  # the innermost open block; its UP chain is the stack
    links = 0
    order = 0
    for root in roots:
        # A comment or processing instruction (kept by parsers other than ours) comes
        # as one "comment" / "pi" event, handled as an end: its tail is the parent's text.
        walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
        for event, el in walker:
            tag = el.tag
            kind = (codes(tag, K_INLINE) if isinstance(tag, str) else K_SKIP) & KIND_MASK
            if event == "start":
                if kind == K_INLINE:
                    pass
                elif kind == K_LINK:
                    links += 1
                elif kind == K_SKIP:
                    walker.skip_subtree()
                    if len(el) or not code_of(tag) & F_HIDDEN:
                        _hidden_pieces(el, texts, elements, tails)
                    continue
                elif kind == K_BREAK:
                    if top is not None:
                        top[NEWRUN] = True
                    continue
                else:
                    order += 1
                    if top is not None:
                        top[NBLOCK] += 1
                    top = new_frame(el, top, kind, order)
                text = el.text
                is_tail = False
            else:
                if kind >= K_PARAGRAPH:
                    frame = top
                    assert frame is not None
                    chars = frame[CHARS]
                    own = 0.0
                    if chars:
                        frame[TOT] += chars
                        frame[TOTLINK] += frame[LINK]
                        if chars <= bound and frame[LINK] * 2 <= chars:
                            title_frames.append(frame)
                        own = _own_score(frame)
                    if kind != K_PARAGRAPH:
                        frame[SCORE] += own
                        own = 0.0
                    if frame[SCORE] > 0:
                        frame[_END] = order
                        candidates.append(frame)
                    top = frame[UP]
                    if top is not None:
                        top[TOT] += frame[TOT]
                        top[TOTLINK] += frame[TOTLINK]
                        top[NEWRUN] = True
                        # A paragraph's score goes whole to its container, a container's
                        # share to the next one up; a wrapper with nothing but one block
                        # inside (<section><section><p>) passes its score on undiminished.
                        if top[KIND] == K_ROOT:
                            top[SCORE] += own
                        elif frame[NBLOCK] == 1 and not chars:
                            top[SCORE] += own + frame[SCORE]
                        else:
                            top[SCORE] += own + frame[SCORE] * decay
                elif kind == K_LINK:
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
                top[LINK] += n
            elif n > 10:
                # str.count beats a regex here by 2-4x; these five marks carry the signal.
                top[PUNCT] += (
                    text.count("，") + text.count("。") + text.count("、")
                    + text.count(",") + text.count(". ")
                )
            if top[NEWRUN]:
                top[RUNS] += 1
                top[NEWRUN] = False
    return candidates, title_frames, Pieces(texts, elements, tails, roots)
