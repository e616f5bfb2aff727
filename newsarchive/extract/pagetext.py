"""The text of a page as one string, each piece mapped back to its element.

Collected by the body's scoring walk (body.scan_document: one walk for both);
the field extractors then look up labels with ``str.find`` and run their regexes on small windows (the lines under a
headline, the text around a label) instead of over the whole page: XPath
``contains()`` predicates and unanchored regexes over a 300 kB page each cost
more than parsing it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsarchive._native import find_all as _find_all
from newsarchive.extract.patterns.tags import HEADING_TAGS

__all__ = ["COLLECTED_TAGS", "PageText", "iter_tagged"]

#: Tags whose elements the compiled walk lists as it goes, so that PageText.tagged()
#: needs no walk of its own: each tree.iter(tag) costs 15-40 us on a news page.
COLLECTED_TAGS = frozenset({"title", "meta", "script", "link", "time", *HEADING_TAGS})

_LATIN_SENTENCE_CHARS = 40          # an English line this long that ends a sentence is prose
_LATIN_SENTENCE_ENDS = (".", "!", "?", ".\"", ".”")


@dataclass(frozen=True, slots=True)
class PageText:
    """Visible text pieces in page order (no scripts, styles, <title>, blank pieces).

    *texts* are the pieces as plain strings, *joined* the pieces separated by
    newlines, *starts* the offset of each piece in *joined*. *pieces* is the walk's
    record of them (newsarchive._native.Pieces, compiled or Python): the element
    behind each piece, and index_of / index_after searching from an element
    through the walked roots in page order.
    """

    texts: list[str]
    joined: str
    starts: list[int]
    tree: Any
    pieces: Any
    _cache: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def from_pieces(cls, tree: Any, pieces: Any) -> PageText:
        """Return the PageText of the walk's *pieces* over roots that start with *tree*."""
        texts = pieces.texts
        return cls(texts, "\n".join(texts), pieces.starts(), tree, pieces)

    def tagged(self, *tags: str) -> list[Any]:
        """Return the tree's elements named one of *tags*, in document order, as
        ``tree.iter(*tags)`` does (<meta> is read by the title, date and meta extractors)."""
        key = ("tagged", tags)
        found = self._cache.get(key)
        if found is None:
            if COLLECTED_TAGS.issuperset(tags):
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
        return self.pieces.element(i)

    def node(self, i: int) -> Any:
        """Return piece *i* as a text reference that knows its element (``getparent``) and ``is_tail``."""
        return _TextRef(self.pieces.element(i), self.pieces.is_tail(i))

    def owner(self, i: int) -> Any:
        """Return the element that holds piece *i* (for a tail, the element's parent)."""
        return self.pieces.owner(i)

    def visible(self, i: int) -> bool:
        """True when piece *i* is text a reader sees: always, scripts and styles are left out."""
        return True

    def index_of(self, el: Any) -> int:
        """Return the index of the first piece inside or after element *el*."""
        return int(self.pieces.index_of(el))

    def index_after(self, el: Any) -> int:
        """Return the index of the first piece after element *el* and everything in it."""
        return int(self.pieces.index_after(el))

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
        ，。；！？, or a sentence of nine words or more ending in a full stop), means
        the body has started.
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
            if len(text) >= _LATIN_SENTENCE_CHARS and text.endswith(_LATIN_SENTENCE_ENDS) and text.count(" ") >= 8:
                break  # an English sentence: "The council voted on Tuesday night to ... in spring."
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
        return _find_all(self.joined, needles, start)


class _TextRef:
    """A walked piece as node() returns it: its element (``getparent``) and ``is_tail``."""

    __slots__ = ("_el", "is_tail")

    def __init__(self, el: Any, is_tail: bool) -> None:
        self._el = el
        self.is_tail = is_tail

    def getparent(self) -> Any:
        return self._el


def iter_tagged(tree: Any, page: PageText | None, *tags: str) -> Iterable[Any]:
    """Return *tree*'s elements named one of *tags* in document order: the list *page*
    keeps when it is the text of *tree*, else ``tree.iter(*tags)``."""
    if page is not None and page.tree is tree:
        return page.tagged(*tags)
    return tree.iter(*tags)  # type: ignore[no-any-return]
