"""Read the chosen container's lines in page order, skipping subtrees that hold no article text."""

from __future__ import annotations

from typing import Any

from newsarchive import _walkspec as W
from newsarchive._native import collect_lines
from newsarchive.extract.body.hints import attrs_of, hints
from newsarchive.extract.document import text_content
from newsarchive.extract.patterns import body as P
from newsarchive.extract.patterns.tags import SKIP_TAGS

__all__ = ["collect_paragraphs"]

_MOST_OF_BODY = 0.6            # a chrome-named element with this share of the body is kept

# What _skip_kind says about an element inside the body container.
_KEEP, _SKIP_ALWAYS, _SKIP_BY_NAME = W.S_KEEP, W.S_ALWAYS, W.S_BY_NAME


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
        if weak and tag == "a":
            # Every anchor is a link: <a class="external-link"> inside a sentence is text,
            # <a class="more-link"> (继续阅读) is not.
            weak = P.WEAK_NEGATIVE_ANCHOR_HINT.search(attrs) is not None
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
    out, title_at = collect_lines(roots, title_node, _skip_kind, _holds_most_of)
    if title_at:
        # Lines above the headline are masthead (breadcrumb, section name) - unless
        # they outweigh what follows, when the "headline" was a repeat further down.
        before = sum(len(text) for text, _ in out[:title_at])
        after = sum(len(text) for text, _ in out[title_at:])
        if before < after:
            del out[:title_at]
    return out
