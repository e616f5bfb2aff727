"""Python twin of _speedups.Pieces: the page's visible text pieces and where an element's are."""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]

__all__ = ["Pieces"]


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
