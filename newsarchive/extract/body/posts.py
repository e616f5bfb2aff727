"""Keep one post of a page that shows several (a blog's month, a thread's page of posts)."""

from __future__ import annotations

import re
from typing import Any

from newsarchive.extract.document import text_content
from newsarchive.extract.patterns.tags import HEADING_TAGS
from newsarchive.normalize import normalize_text

__all__ = ["pick_post"]

_HEADING_WITHIN = 12     # a post's own heading is among its first elements
_POST_MIN_CHARS = 80     # a post has this much text besides its heading ...
_POST_MIN_SENTENCES = 3  # ... in this many sentences (a teaser's abstract has one or two)
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)")


def _own_heading(block: Any) -> str:
    """Return the squashed heading of *block* when it is a post: a heading, then text of its own.

    The heading is the first h1-h6 near the top of *block*; the text beside it
    must be a post's (_POST_MIN_CHARS, _POST_MIN_SENTENCES), not a teaser's
    abstract or an article header's date line. "" when *block* is no post.
    """
    for n, el in enumerate(block.iter()):
        if n > _HEADING_WITHIN:
            return ""
        if el.tag in HEADING_TAGS and el is not block:
            heading = normalize_text(text_content(el))
            rest = normalize_text(text_content(block))
            if len(rest) - len(heading) < _POST_MIN_CHARS or len(_SENTENCE_END.findall(rest)) < _POST_MIN_SENTENCES:
                return ""
            return heading.replace(" ", "")
    return ""


def _alike(node: Any) -> list[Any]:
    """Return *node* and its siblings of the same tag and class, in page order."""
    parent = node.getparent()
    if parent is None:
        return [node]
    return [el for el in parent if el.tag == node.tag and el.get("class") == node.get("class")]


def pick_post(node: Any, roots: list[Any], title: str) -> tuple[Any, list[Any]]:
    """Return the body *node* and *roots* narrowed to the post whose heading is the headline *title*.

    Blocks that each open with their own heading are posts, not parts of one
    article (whose parts carry subheadings, none of them the headline): when
    one post's heading is the page's headline (*title*, without spaces), it
    alone is the body, whether the others were joined to it or won instead of it.
    """
    if not title:
        return node, roots
    if len(roots) > 1:
        found = _post_of(roots, title)
    else:
        # The posts' container won on their sum, or one post won over the headline's.
        found = _post_of([el for el in node if isinstance(el.tag, str)], title)
        if found is None:
            found = _post_of(_alike(node), title)
    return (found, [found]) if found is not None else (node, roots)


def _post_of(blocks: list[Any], title: str) -> Any:
    """Return the one block of *blocks* whose own heading is *title*, when two or more have one."""
    if len(blocks) < 2:
        return None
    headings = [_own_heading(block) for block in blocks]
    if sum(1 for h in headings if h) < 2:
        return None
    matching = [block for block, h in zip(blocks, headings, strict=True) if h == title]
    return matching[0] if len(matching) == 1 else None
