"""Python twin of the compiled body-lines walk: collect_lines(), the page's text as lines in page order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._pure.walk import code_of
from newsarchive._walkspec import (
    F_BLOCK,
    F_CELL,
    K_LINK,
    K_SKIP,
    KIND_MASK,
    S_ALWAYS,
    S_BY_NAME,
    S_KEEP,
)

__all__ = ["collect_lines"]


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
                code = code_of(tag)
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
                code = code_of(tag)
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
