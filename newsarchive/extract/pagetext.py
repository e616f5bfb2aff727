"""The text of a page as one string, each piece mapped back to its element.

Collected with one XPath call; the field extractors then look up labels with
``str.find`` and run their regexes on small windows (the lines under a
headline, the text around a label) instead of over the whole page: XPath
``contains()`` predicates and unanchored regexes over a 300 kB page each cost
more than parsing it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._native import speedups as _speedups

__all__ = ["COLLECTED_TAGS", "PageText", "build_page_text", "iter_tagged"]

# Elements whose text a reader never sees as text.
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "textarea", "option", "select", "title", "template", "button"}
)
#: Tags whose elements the compiled walk lists as it goes, so that PageText.tagged()
#: needs no walk of its own: each tree.iter(tag) costs 15-40 us on a news page.
COLLECTED_TAGS = frozenset({"title", "meta", "script", "link", "time", "h1", "h2", "h3", "h4", "h5", "h6"})
_ALL_TEXT = etree.XPath("//text()")
_ALL_TEXT_PLAIN = etree.XPath("//text()", smart_strings=False)
# The text nodes inside SKIP_TAGS, in page order (a subsequence of _ALL_TEXT_PLAIN's result).
_SKIPPED_TEXT = etree.XPath(
    " | ".join(f"//{tag}/text()" for tag in sorted(SKIP_TAGS)), smart_strings=False
)
_NTH_TEXT = etree.XPath("(//text())[$k]")
# One lookup costs about a quarter of listing every text node with its element.
_SINGLE_LOOKUPS = 4
_COUNT_BEFORE = etree.XPath("count(preceding::text())")
_COUNT_INSIDE = etree.XPath("count(.//text())")


@dataclass(frozen=True, slots=True)
class PageText:
    """Visible text pieces in page order (no scripts, styles, <title>, blank pieces).

    *texts* are the pieces as plain strings, *joined* the pieces
    separated by newlines, *starts* the offset of each piece in *joined*, and
    *positions* the index of each piece among all the tree's text nodes.
    """

    texts: list[str]
    joined: str
    starts: list[int]
    positions: list[int]
    tree: Any
    _cache: dict[Any, Any] = field(default_factory=dict)
    #: When built by a walk (see from_walk): the element whose text or tail each piece is,
    #: whether it is a tail, and the walked roots (index_of and index_after search from an
    #: element through them in page order, rather than the walk marking every element).
    elements: list[Any] | None = None
    tails: list[bool] | None = None
    roots: tuple[Any, ...] | None = None
    #: When built by the compiled walk (see from_pieces): its Pieces, which makes the
    #: element behind a piece only when asked and runs index_of / index_after in C.
    pieces: Any = None

    @classmethod
    def from_walk(
        cls,
        tree: Any,
        texts: list[str],
        elements: list[Any],
        tails: list[bool],
        roots: list[Any],
    ) -> PageText:
        """Return the PageText of pieces a walk over *roots* (*tree* first) collected (as build_page_text reads them)."""
        starts = [0] * len(texts)
        pos = 0
        for i, t in enumerate(texts):
            starts[i] = pos
            pos += len(t) + 1
        return cls(texts, "\n".join(texts), starts, [], tree, {}, elements, tails, tuple(roots))

    @classmethod
    def from_pieces(cls, tree: Any, pieces: Any, roots: list[Any]) -> PageText:
        """Return the PageText of the compiled walk's *pieces* over *roots* (*tree* first)."""
        texts = pieces.texts
        return cls(texts, "\n".join(texts), pieces.starts(), [], tree, {}, None, None, tuple(roots), pieces)

    def _piece_maps(self) -> tuple[dict[Any, int], dict[Any, int]]:
        """Return (element -> index of its text piece, element -> index of its tail piece), built on first use."""
        found = self._cache.get("pieces")
        if found is None:
            assert self.elements is not None and self.tails is not None
            own: dict[Any, int] = {}
            after: dict[Any, int] = {}
            for i, (el, is_tail) in enumerate(zip(self.elements, self.tails)):
                if is_tail:
                    after[el] = i
                else:
                    own[el] = i
            found = self._cache["pieces"] = (own, after)
        return found

    def _walked_index(self, el: Any, inside: bool) -> int:
        """Return the index of the first piece inside *el* (when *inside*) or after it, in page order.

        Searches forward from *el* through the walked roots; an element outside
        them gets len(texts), as there is no piece after it that the walk saw.
        """
        assert self.roots is not None
        own, after = self._piece_maps()
        default = len(self.texts)
        top = el
        while (up := top.getparent()) is not None:
            top = up
        roots = self.roots
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

    def tagged(self, *tags: str) -> list[Any]:
        """Return the tree's elements named one of *tags*, in document order, as
        ``tree.iter(*tags)`` does (<meta> is read by the title, date and meta extractors)."""
        key = ("tagged", tags)
        found = self._cache.get(key)
        if found is None:
            if self.pieces is not None and COLLECTED_TAGS.issuperset(tags):
                found = self.pieces.tagged(tags)
            else:
                found = list(self.tree.iter(*tags))
            self._cache[key] = found
        return found

    def index_at(self, offset: int) -> int:
        """Return the index of the piece that holds character *offset* of *joined*."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def element(self, i: int) -> Any:
        """Return the element whose text or tail piece *i* is."""
        if self.pieces is not None:
            return self.pieces.element(i)
        if self.elements is not None:
            return self.elements[i]
        return self.node(i).getparent()

    def node(self, i: int) -> Any:
        """Return piece *i* as an lxml text result, which knows its element (``getparent``)."""
        if self.pieces is not None:
            return _TextRef(self.pieces.element(i), self.pieces.is_tail(i))
        if self.elements is not None:
            assert self.tails is not None
            return _TextRef(self.elements[i], self.tails[i])
        smart = self._cache.get("smart")
        if smart is not None:
            return smart[self.positions[i]]
        asked = self._cache.get("asked", 0) + 1
        self._cache["asked"] = asked
        if asked <= _SINGLE_LOOKUPS:
            # A page usually needs the element behind only a few pieces: fetch just those.
            return _NTH_TEXT(self.tree, k=self.positions[i] + 1)[0]
        smart = self._cache["smart"] = _ALL_TEXT(self.tree)
        return smart[self.positions[i]]

    def owner(self, i: int) -> Any:
        """Return the element that holds piece *i* (for a tail, the element's parent)."""
        if self.pieces is not None:
            return self.pieces.owner(i)
        if self.elements is not None:
            assert self.tails is not None
            el = self.elements[i]
            return el.getparent() if self.tails[i] else el
        t = self.node(i)
        parent = t.getparent()
        if parent is not None and t.is_tail:
            return parent.getparent()
        return parent

    def visible(self, i: int) -> bool:
        """True when piece *i* is text a reader sees: always, scripts and styles are left out."""
        return True

    def index_of(self, el: Any) -> int:
        """Return the index of the first piece inside or after element *el*."""
        if self.pieces is not None:
            return int(self.pieces.index_of(el))
        if self.roots is not None:
            return self._walked_index(el, inside=True)
        return bisect_left(self.positions, int(_COUNT_BEFORE(el)))

    def index_after(self, el: Any) -> int:
        """Return the index of the first piece after element *el* and everything in it."""
        if self.pieces is not None:
            return int(self.pieces.index_after(el))
        if self.roots is not None:
            return self._walked_index(el, inside=False)
        return bisect_left(self.positions, int(_COUNT_BEFORE(el)) + int(_COUNT_INSIDE(el)))

    def index_past(self, start: int, text: str) -> int:
        """Return the index of the first piece after the pieces from *start* that spell *text*.

        The headline's element may hold more than the headline (``<h1>标题<br><span>
        日期</span></h1>``): what follows the headline text is its date line.
        """
        want = len("".join(text.split()))
        have = 0
        i = start
        while i < len(self.texts) and have < want:
            have += len("".join(self.texts[i].split()))
            i += 1
        return i

    def lines_after(self, start: int, *, max_pieces: int = 40, max_chars: int = 600) -> list[tuple[int, str]]:
        """Return the pieces from index *start* up to where the body's prose begins.

        The pieces under a headline are its date / source / author line; a piece
        longer than 150 characters, or one that reads as prose (two or more of
        ，。；！？), means the body has started.
        """
        key = ("lines", start, max_pieces, max_chars)
        cached = self._cache.get(key)
        if cached is not None:
            return cached  # type: ignore[no-any-return]
        out: list[tuple[int, str]] = []
        self._cache[key] = out
        chars = 0
        texts = self.texts
        for i in range(start, min(len(texts), start + max_pieces)):
            text = " ".join(texts[i][:400].split())
            if not text:
                continue
            if len(text) > 150 or (
                text.count("，") + text.count("。") + text.count("；") + text.count("！") + text.count("？") >= 2
            ):
                break
            out.append((i, text))
            chars += len(text)
            if chars > max_chars:
                break
        return out

    def context_at(self, offset: int, pieces: int = 3, chars: int = 120, sep: str = " ") -> str:
        """Return the visible text from *offset* on: the rest of its piece and the next *pieces*.

        Script text between a label and its value is skipped: "浏览次数：<script>…</script>177".
        """
        i = self.index_at(offset)
        end = min(self.starts[i] + len(self.texts[i]), offset + chars)
        parts = [self.joined[offset:end]]
        size = len(parts[0])
        j = i + 1
        stop = min(len(self.texts), i + 1 + pieces * 4)
        while pieces > 0 and j < stop and size < chars:
            if self.visible(j):
                piece = self.texts[j][:chars]
                parts.append(piece)
                size += len(piece)
                pieces -= 1
            j += 1
        return sep.join(" ".join(p.split()) for p in parts if p.strip())[:chars]

    def context_before(self, offset: int, pieces: int = 2, chars: int = 40) -> str:
        """Return the visible text before *offset*: the start of its piece and the *pieces* before."""
        i = self.index_at(offset)
        parts = [self.joined[max(self.starts[i], offset - chars) : offset]]
        size = len(parts[0])
        j = i - 1
        stop = max(-1, i - 1 - pieces * 4)
        while pieces > 0 and j > stop and size < chars:
            if self.visible(j):
                piece = self.texts[j][-chars:]
                parts.insert(0, piece)
                size += len(piece)
                pieces -= 1
            j -= 1
        text = " ".join(" ".join(parts).split())
        if parts[-1][-1:].isspace():
            text += " "
        return text[-chars:]

    def window(self, start: int, stop: int) -> str:
        """Return pieces *start* to *stop* (exclusive) joined by newlines."""
        start = max(0, start)
        stop = min(len(self.texts), stop)
        if start >= stop:
            return ""
        end = self.starts[stop] - 1 if stop < len(self.starts) else len(self.joined)
        return self.joined[self.starts[start] : end]

    def find_all(self, needles: tuple[str, ...], start: int = 0) -> list[int]:
        """Return the sorted offsets in *joined* (from *start*) where any of *needles* occurs.

        One pass of an alternation instead of one str.find pass per needle: on a
        page with 180,000 characters of text each pass costs 0.2 ms.
        """
        if len(needles) == 1:
            joined = self.joined
            needle = needles[0]
            hits: list[int] = []
            pos = joined.find(needle, start)
            while pos != -1:
                hits.append(pos)
                pos = joined.find(needle, pos + 1)
            return hits
        if _speedups is not None:
            return _speedups.find_all(self.joined, needles, start)  # type: ignore[no-any-return]
        return [m.start() for m in _alternation(needles).finditer(self.joined, start)]


class _TextRef:
    """A walked piece as node() returns it: its element (``getparent``) and ``is_tail``."""

    __slots__ = ("_el", "is_tail")

    def __init__(self, el: Any, is_tail: bool) -> None:
        self._el = el
        self.is_tail = is_tail

    def getparent(self) -> Any:
        return self._el


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


@lru_cache(maxsize=64)
def _alternation(needles: tuple[str, ...]) -> re.Pattern[str]:
    """Return a regex matching any of *needles*, longest first (the label word tuples are constants)."""
    return re.compile("|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)))


def iter_tagged(tree: Any, page: PageText | None, *tags: str) -> Iterable[Any]:
    """Return *tree*'s elements named one of *tags* in document order: the list *page*
    keeps when it is the text of *tree*, else ``tree.iter(*tags)``."""
    if page is not None and page.tree is tree:
        return page.tagged(*tags)
    return tree.iter(*tags)  # type: ignore[no-any-return]


def build_page_text(tree: Any) -> PageText:
    """Return the PageText of *tree*: its visible, non-blank text pieces."""
    texts: list[str] = []
    positions: list[int] = []
    skipped = _SKIPPED_TEXT(tree)
    n_skipped = len(skipped)
    p = 0
    for k, t in enumerate(_ALL_TEXT_PLAIN(tree)):
        if p < n_skipped and t == skipped[p]:
            p += 1
            continue
        if t.isspace():
            continue
        texts.append(t)
        positions.append(k)
    starts = [0] * len(texts)
    pos = 0
    for i, t in enumerate(texts):
        starts[i] = pos
        pos += len(t) + 1
    return PageText(texts, "\n".join(texts), starts, positions, tree)
