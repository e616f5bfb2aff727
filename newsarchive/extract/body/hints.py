"""What an element's class, id and ancestors say about it: article, chrome, or nothing."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsarchive.extract.patterns import body as P

__all__ = ["POSITIVE_FACTOR", "attrs_of", "hint_factor", "hints", "in_chrome"]

# How much a class/id hint weighs a container's score.
POSITIVE_FACTOR = 1.3
_STRONG_NEGATIVE_FACTOR = 0.3
_WEAK_NEGATIVE_FACTOR = 0.7


@lru_cache(maxsize=4096)
def hints(attrs: str) -> tuple[bool, bool, bool, bool]:
    """Return (positive, strong negative, weak negative, chrome) for a class + id string.

    Cached: a site repeats the same few class names on every page.
    """
    chrome = P.CHROME_HINT.search(attrs) is not None
    positive = P.POSITIVE_HINT.search(attrs) is not None
    if positive and chrome:
        # A positive word inside a chrome name qualifies it, it does not name the body:
        # <div class="comments-area post-comments"> is comments, "post" notwithstanding.
        positive = any(
            P.POSITIVE_HINT.search(word) and not P.CHROME_HINT.search(word)
            for word in attrs.split()
        )
    return (
        positive,
        P.STRONG_NEGATIVE_HINT.search(attrs) is not None,
        P.WEAK_NEGATIVE_HINT.search(attrs) is not None,
        chrome,
    )


def attrs_of(el: Any) -> str:
    """Return *el*'s class, id and itemprop as one string ("" when it has none).

    itemprop carries schema.org's name for the body: <div itemprop="articleBody">.
    """
    cls = el.get("class")
    ident = el.get("id")
    prop = el.get("itemprop")
    if cls is None and ident is None and prop is None:
        return ""
    return (cls or "") + " " + (ident or "") + " " + (prop or "")


def hint_factor(el: Any) -> float:
    """Return the weight that *el*'s class and id give its score (1.0 when they say nothing)."""
    attrs = attrs_of(el)
    if not attrs:
        return 1.0
    positive, strong, weak, _ = hints(attrs)
    if strong:
        # Both, as in Sina blog's <div id="sina_keyword_ad_area2" class="articalContent">:
        # the page's own naming of the body outweighs an ad-slot id, but earns no bonus.
        return 1.0 if positive else _STRONG_NEGATIVE_FACTOR
    if positive:
        return POSITIVE_FACTOR
    if weak:
        return _WEAK_NEGATIVE_FACTOR
    return 1.0


def in_chrome(el: Any, memo: dict[Any, bool]) -> bool:
    """Return True if an ancestor of *el* is <div class="footer">, <div id="comments">...

    *memo* caches the answer per ancestor: the leaders share most of their ancestors.
    """
    path = []
    found = False
    node = el.getparent()
    while node is not None:
        known = memo.get(node)
        if known is not None:
            found = known
            break
        path.append(node)
        attrs = attrs_of(node)
        if attrs and hints(attrs)[3]:
            found = True
            break
        node = node.getparent()
    for node in path:
        memo[node] = found
    return found
