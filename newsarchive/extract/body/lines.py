"""Read the chosen container's lines in page order, skipping subtrees that hold no article text."""

from __future__ import annotations

from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from newsarchive._native import speedups as _speedups
from newsarchive.extract.body.hints import attrs_of, hints
from newsarchive.extract.document import text_content
from newsarchive.extract.patterns import body as P
from newsarchive.extract.patterns.tags import BLOCK_TAGS, CELL_TAGS, SKIP_TAGS

__all__ = ["collect_paragraphs"]

_MOST_OF_BODY = 0.6            # a chrome-named element with this share of the body is kept

# What _skip_kind says about an element inside the body container.
_KEEP, _SKIP_ALWAYS, _SKIP_BY_NAME = range(3)


def _skip_kind(el: Any, tag: Any) -> int:
    """Return whether the subtree of *el* holds no article text (script, hidden, share bar).

    _SKIP_BY_NAME when only its class/id says so: the caller checks it is not most of the body.
    """
    if tag in SKIP_TAGS:
        return _SKIP_ALWAYS
    if not el.attrib:
        return _KEEP
    style = el.get("style")
    if style and P.HIDDEN_STYLE.search(style):
        return _SKIP_ALWAYS
    if el.get("hidden") is not None:
        return _SKIP_ALWAYS
    attrs = attrs_of(el)
    if attrs:
        positive, strong, weak, _ = hints(attrs)
        if strong or (weak and not positive):
            return _SKIP_BY_NAME
    return _KEEP


def _holds_most_of(el: Any, root: Any, root_chars: list[int]) -> bool:
    """Return True if *el* has most of *root*'s text (*root_chars* caches root's length)."""
    if not root_chars:
        root_chars.append(len(text_content(root)))
    return len(text_content(el)) > root_chars[0] * _MOST_OF_BODY


def collect_paragraphs(roots: list[Any], title_node: Any) -> list[tuple[str, int]]:
    """Return (text, link characters) for each line in *roots*, in page order."""
    out: list[tuple[str, int]]
    if _speedups is not None:
        out, title_at = _speedups.collect_lines(roots, title_node, _skip_kind, _holds_most_of)
    else:
        out, title_at = _collect_lines_py(roots, title_node)
    if title_at:
        # Lines above the headline are masthead (breadcrumb, section name) - unless
        # they outweigh what follows, when the "headline" was a repeat further down.
        before = sum(len(text) for text, _ in out[:title_at])
        after = sum(len(text) for text, _ in out[title_at:])
        if before < after:
            del out[:title_at]
    return out


def _collect_lines_py(roots: list[Any], title_node: Any) -> tuple[list[tuple[str, int]], int]:
    """Return the lines of *roots* and how many come before the headline *title_node* (0: not met)."""
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
                skip = _KEEP if el is root else _skip_kind(el, tag)
                if skip == _SKIP_BY_NAME and _holds_most_of(el, root, root_chars):
                    # A wrapper named like chrome (<div class="content-share-box">) around
                    # the article itself: the name is wrong, keep its text.
                    skip = _KEEP
                if skip:
                    walker.skip_subtree()
                    skipped = el
                    if tag in BLOCK_TAGS:
                        flush()
                    continue
                if tag in BLOCK_TAGS and tag not in CELL_TAGS:
                    flush()
                elif tag == "a":
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
                if tag == "a":
                    links -= 1
                elif tag in CELL_TAGS:
                    parts.append(" ")
                elif tag in BLOCK_TAGS:
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
