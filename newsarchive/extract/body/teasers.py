"""Tell a column of teasers (a listing, home or search page) from an article's body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsarchive.extract.document import text_content
from newsarchive.normalize import normalize_text

__all__ = ["is_teaser_list"]

_MIN_TEASERS = 5          # sibling blocks alike (same parent, same tag), each holding a link ...
_MIN_LINK_CHARS = 6       # ... whose text is a headline's length, not "更多" or "[详细]"
_LINKED_SHARE = 0.8       # ... and nearly all of the alike siblings do
_TEXT_SHARE = 0.5         # the teasers make up at least this share of the block's text ...
_PARAGRAPH_SHARE = 0.5    # ... and of the paragraphs kept as the body


def _teaser_runs(node: Any) -> list[list[Any]]:
    """Return the runs of alike siblings under *node* that are each led by a headline link."""
    groups: dict[tuple[Any, str], list[Any]] = {}
    for el in node.iter():
        tag = el.tag
        parent = el.getparent()
        if not isinstance(tag, str) or parent is None or el is node:
            continue
        groups.setdefault((parent, tag), []).append(el)
    runs = []
    for members in groups.values():
        if len(members) < _MIN_TEASERS:
            continue
        linked = [el for el in members if any(len(text_content(a).strip()) >= _MIN_LINK_CHARS for a in el.iter("a"))]
        if len(linked) >= _MIN_TEASERS and len(linked) >= len(members) * _LINKED_SHARE:
            runs.append(linked)
    return runs


def is_teaser_list(node: Any, paragraphs: Sequence[str]) -> bool:
    """Return True if the body *node* and its kept *paragraphs* are mostly a run of linked teasers.

    A listing chosen as the body reads as teasers: twenty <li>s or cards, each a
    linked title and a sentence or two, and those sentences are what the body
    keeps. An article's own links (an attachment, a source) never make up half
    its text in alike siblings, and a "相关阅读" run inside its container may
    outweigh a short article's text but is not what its paragraphs hold.
    """
    if node is None or not paragraphs:
        return False
    total = len(text_content(node).strip())
    if total == 0:
        return False
    kept = sum(len(p) for p in paragraphs)
    for run in _teaser_runs(node):
        if sum(len(text_content(el).strip()) for el in run) < total * _TEXT_SHARE:
            continue
        texts = [normalize_text(text_content(el)) for el in run]
        from_teasers = sum(len(p) for p in paragraphs if any(p in t for t in texts))
        if from_teasers >= kept * _PARAGRAPH_SHARE:
            return True
    return False
