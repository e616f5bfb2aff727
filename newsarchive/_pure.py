"""The pure-Python twins of newsarchive/_speedups.pyx: the reference each compiled function equals.

newsarchive._native exposes one set or the other (this one when the compiled
module is not built, or NEWSARCHIVE_PURE_PYTHON=1); tests/test_speedups.py runs
both on every fixture page, on edge cases and on random trees and compares every
value. The names and signatures are those of newsarchive/_speedups.pyi.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Callable
from functools import lru_cache
from itertools import compress
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._walkspec import (
    CHARS,
    F_BLOCK,
    F_CELL,
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
    S_ALWAYS,
    S_BY_NAME,
    S_KEEP,
    SCORE,
    TOT,
    TOTLINK,
    UP,
    new_frame,
)
from newsarchive._walkspec import END as _END

__all__ = [
    "Pieces",
    "U64Set",
    "collect_lines",
    "configure",
    "configure_text",
    "find_all",
    "minhash_bits",
    "normalize_chars",
    "scan_blocks",
    "text_content",
]

#: array("I") and array("Q") use the host's byte order; the packed forms are little-endian.
_BIG_ENDIAN = sys.byteorder == "big"

# -- the page walk ------------------------------------------------------------------

# Set by configure(): tag name -> kind | flags (newsarchive._walkspec), and the scoring constants.
_codes: dict[str, int] = {}
_scoring = [20.0, 0.5, 0.5]  # min_block_chars, max_link_density, decay


def configure(codes: dict[str, int], min_block_chars: float, max_link_density: float, decay: float) -> None:
    """Take the body extractor's tables: tag name -> code, and its scoring constants."""
    _codes.clear()
    _codes.update(codes)
    _scoring[:] = [min_block_chars, max_link_density, decay]


def _code_of(tag: Any) -> int:
    # Comments, processing instructions and entities have a function as their tag.
    return _codes.get(tag, K_INLINE) if isinstance(tag, str) else K_SKIP


class Pieces:
    """The page's visible text pieces, each the text or the tail of one element (see _speedups.Pieces)."""

    __slots__ = ("_after", "_own", "_roots", "elements", "tails", "texts")

    def __init__(self, texts: list[str], elements: list[Any], tails: list[bool], roots: list[Any]) -> None:
        self.texts = texts
        self.elements = elements
        self.tails = tails
        self._roots = tuple(roots)
        self._own: dict[Any, int] | None = None
        self._after: dict[Any, int] = {}

    def __len__(self) -> int:
        return len(self.texts)

    def element(self, i: int) -> Any:
        """Return the element whose text or tail piece *i* is."""
        return self.elements[i]

    def is_tail(self, i: int) -> bool:
        """Return True when piece *i* is an element's tail."""
        return self.tails[i]

    def owner(self, i: int) -> Any:
        """Return the element that holds piece *i* (for a tail, the element's parent, or None)."""
        el = self.elements[i]
        return el.getparent() if self.tails[i] else el

    def starts(self) -> list[int]:
        """Return the offset of each piece in the pieces joined by newlines."""
        out = [0] * len(self.texts)
        pos = 0
        for i, t in enumerate(self.texts):
            out[i] = pos
            pos += len(t) + 1
        return out

    def tagged(self, tags: tuple[str, ...]) -> list[Any]:
        """Return the elements named one of *tags* under the first root, in document order."""
        return list(self._roots[0].iter(*tags))

    def index_of(self, el: Any) -> int:
        """Return the index of the first piece inside or after *el* (len() when none)."""
        return self._walked_index(el, inside=True)

    def index_after(self, el: Any) -> int:
        """Return the index of the first piece after *el* and everything in it (len() when none)."""
        return self._walked_index(el, inside=False)

    def _maps(self) -> tuple[dict[Any, int], dict[Any, int]]:
        """Return (element -> index of its text piece, element -> index of its tail piece), built on first use."""
        own = self._own
        after = self._after
        if own is None:
            own = self._own = {}
            for i, (el, is_tail) in enumerate(zip(self.elements, self.tails)):
                if is_tail:
                    after[el] = i
                else:
                    own[el] = i
        return own, after

    def _walked_index(self, el: Any, inside: bool) -> int:
        """Search forward from *el* through the walked roots, in page order; an element
        outside them gets len(), as there is no piece after it that the walk saw."""
        own, after = self._maps()
        default = len(self.texts)
        top = el
        while (up := top.getparent()) is not None:
            top = up
        roots = self._roots
        at = next((k for k, root in enumerate(roots) if root is top), None)
        if at is None:
            return default
        if inside:
            found = _first_piece(el, own, after, with_tail=False)
            if found is not None:
                return found
        node = el
        while node is not None:
            i = after.get(node)
            if i is not None:
                return i
            for sibling in node.itersiblings():
                found = _first_piece(sibling, own, after, with_tail=True)
                if found is not None:
                    return found
            node = node.getparent()
        for root in roots[at + 1 :]:
            found = _first_piece(root, own, after, with_tail=True)
            if found is not None:
                return found
        return default


def _first_piece(el: Any, own: dict[Any, int], after: dict[Any, int], *, with_tail: bool) -> int | None:
    """Return the index of the first piece in *el*'s subtree (and its tail when *with_tail*), or None."""
    if not isinstance(el.tag, str):
        # A comment or processing instruction (kept by parsers other than ours): its tail.
        return after.get(el) if with_tail else None
    # A comment's or processing instruction's one event stands for its end: its tail.
    for event, node in etree.iterwalk(el, events=("start", "end", "comment", "pi")):
        i = own.get(node) if event == "start" else after.get(node)
        if i is not None and (with_tail or event == "start" or node is not el):
            return i
    return None


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
        if len(child) or not _code_of(child.tag) & F_HIDDEN:
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
                    if len(el) or not _code_of(tag) & F_HIDDEN:
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


def collect_lines(
    roots: list[Any],
    title_node: Any,
    skip_kind: Callable[[Any, Any], int],
    holds_most_of: Callable[[Any, Any, list[int]], bool],
) -> tuple[list[tuple[str, int]], int]:
    """Return (lines, title_at): (text, link characters) for each line of *roots* in page
    order, and how many lines come before the headline *title_node* (0: not met).

    *skip_kind(el, tag)* says whether an element with attributes holds no article
    text (a newsarchive._walkspec S_* answer); *holds_most_of(el, root, cache)* keeps
    an S_BY_NAME element that holds most of *root*'s text.
    """
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
                code = _code_of(tag)
                if el is root:
                    skip = S_KEEP
                elif code & KIND_MASK == K_SKIP:
                    skip = S_ALWAYS
                elif el.attrib:
                    skip = skip_kind(el, tag)
                    if skip == S_BY_NAME and holds_most_of(el, root, root_chars):
                        # A wrapper named like chrome (<div class="content-share-box">)
                        # around the article itself: the name is wrong, keep its text.
                        skip = S_KEEP
                else:
                    skip = S_KEEP
                if skip:
                    walker.skip_subtree()
                    skipped = el
                    if code & F_BLOCK:
                        flush()
                    continue
                if code & F_BLOCK and not code & F_CELL:
                    flush()
                elif code & KIND_MASK == K_LINK:
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
                code = _code_of(tag)
                if code & KIND_MASK == K_LINK:
                    links -= 1
                elif code & F_CELL:
                    parts.append(" ")
                elif code & F_BLOCK:
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


# -- text ---------------------------------------------------------------------------

def text_content(el: Any) -> str:
    """Return the text of every text node under element *el*, in document order."""
    return el.text_content()  # type: ignore[no-any-return]


# Set by configure_text(): the translation table, and regexes that find what it changes.
_table: dict[int, int | str | None] = {}
_text_res: list[re.Pattern[str]] = []
_WS_RUN = re.compile(r" {2,}")


def configure_text(table: dict[int, int | str | None]) -> None:
    """Take normalize.py's translation table: code point -> code point, " " or None."""
    _table.clear()
    _table.update(table)
    spaces = "".join(chr(cp) for cp, value in table.items() if value == " ")
    others = "".join(re.escape(chr(cp)) for cp, value in table.items() if value != " ")
    _text_res[:] = [re.compile("[" + re.escape(spaces) + "]"), re.compile("[" + others + "]")]


def normalize_chars(text: str) -> str:
    """Return *text* with the table applied, runs of spaces made one, white space stripped.

    str.translate looks every character up in the table (~0.2 us each for Chinese
    text), so spaces, the common case, are replaced by a regex and the table applied
    only when a character other than a space needs it (35 us -> 3 us on a
    160-character line).
    """
    space_char, other = _text_res
    text = space_char.sub(" ", text)
    if other.search(text) is not None:
        text = text.translate(_table)
    if "  " in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip()


def find_all(text: str, needles: tuple[str, ...], start: int = 0) -> list[int]:
    """Return the offsets in *text*, from *start*, where one of *needles* begins
    (left to right, the longest needle that matches at an offset, then on after it)."""
    return [m.start() for m in _alternation(needles).finditer(text, max(start, 0))]


@lru_cache(maxsize=64)
def _alternation(needles: tuple[str, ...]) -> re.Pattern[str]:
    """Return a regex matching any of *needles*, longest first (the label word tuples are constants)."""
    return re.compile("|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)))


# -- similarity sketch --------------------------------------------------------------

_BINS = 64
# Hashes are 24 bits (small ints sort fast); the top 6 bits pick the bin.
_BIN_BOUNDS = tuple(b << 18 for b in range(1, _BINS + 1))
_MASK64 = (1 << 64) - 1
# Each 3-gram (3 UTF-16 code units = 6 bytes) sits in its own 16-byte lane of one
# big integer, so a single multiplication hashes all of them: a 48-bit gram times a
# 64-bit multiplier needs 112 bits and never carries into the next lane.
_LANE = 16
_GRAM_BYTES = 6
# A bin's minimum lies in the lowest part of its range when the bin holds many
# grams, so long texts sort only the grams in the lowest half or quarter of each
# bin (picked by the top byte of the hash, whose two low bits are the two highest
# bits below the bin number), falling back to all grams if a bin ends up empty.
_KEEP_HALF = bytes(1 if not v & 2 else 0 for v in range(256))
_KEEP_QUARTER = bytes(1 if not v & 3 else 0 for v in range(256))


def _gram_hashes(data: bytes, mix: int) -> tuple[array[int], bytes]:
    """Return the 24-bit hash of every 3-gram of the UTF-16-LE *data* (repeats included)
    and the top byte of each hash."""
    grams = len(data) // 2 - 2
    lanes = bytearray(_LANE * grams)
    for j in range(_GRAM_BYTES):
        lanes[j::_LANE] = data[j : j + 2 * grams : 2]
    mixed = (int.from_bytes(lanes, "little") * mix).to_bytes(_LANE * grams, "little")
    # Bytes 3..5 of each lane are bits 24..47 of its product.
    out = bytearray(4 * grams)
    out[0::4] = mixed[3::_LANE]
    out[1::4] = mixed[4::_LANE]
    top = mixed[5::_LANE]
    out[2::4] = top
    hashes = array("I", out)
    if _BIG_ENDIAN:
        hashes.byteswap()
    return hashes, top


def _bin_minima(hashes: list[int]) -> list[int]:
    """Return the smallest of the sorted *hashes* in each bin, -1 for an empty bin."""
    mins = [-1] * _BINS
    lo = 0
    for b, bound in enumerate(_BIN_BOUNDS):
        hi = bisect_left(hashes, bound, lo)
        if hi > lo:
            mins[b] = hashes[lo]
        lo = hi
    return mins


def minhash_bits(utf16: bytes, mix: int, bit: int, empty_bin: int) -> int:
    """Return dedupe.simhash's 64-bit value for the text whose UTF-16-LE bytes are *utf16*
    (at least three code units): bit b from bin b (see newsarchive/dedupe.py)."""
    hashes, top = _gram_hashes(utf16, mix)
    mins: list[int] = []
    if len(hashes) >= 16 * _BINS:
        keep = _KEEP_QUARTER if len(hashes) >= 32 * _BINS else _KEEP_HALF
        mins = _bin_minima(sorted(compress(hashes, top.translate(keep))))
    if not mins or -1 in mins:
        mins = _bin_minima(sorted(hashes))
    value = 0
    for b in range(_BINS):
        m = mins[b]
        if m < 0:
            # An empty bin (short texts) borrows the next filled bin's minimum, mixed
            # with its own number so borrowed bits do not simply repeat (densification).
            for step in range(1, _BINS):
                m = mins[(b + step) % _BINS]
                if m >= 0:
                    break
            m ^= (b + 1) * empty_bin
        if (((m * bit) & _MASK64) >> 63) & 1:
            value |= 1 << b
    return value


# -- seen sets ----------------------------------------------------------------------

class U64Set:
    """A set of 64-bit unsigned integers, built from and packed as little-endian 8-byte keys."""

    __slots__ = ("_keys",)

    def __init__(self, packed: bytes = b"") -> None:
        keys = array("Q")
        keys.frombytes(packed[: len(packed) - len(packed) % 8])
        if keys.itemsize != 8:  # pragma: no cover - "Q" is 8 bytes on every platform CPython runs on
            raise RuntimeError("array('Q') is not 8 bytes here")
        if _BIG_ENDIAN:
            keys.byteswap()
        self._keys = set(keys)

    def add(self, key: int) -> bool:
        """Add *key*; return True when it was not in the set."""
        keys = self._keys
        if key in keys:
            return False
        keys.add(key)
        return True

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def to_bytes(self) -> bytes:
        """Return the keys packed as little-endian 8-byte integers."""
        packed = array("Q", sorted(self._keys))
        if _BIG_ENDIAN:
            packed.byteswap()
        return packed.tobytes()

