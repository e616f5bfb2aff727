"""Tell a column of teasers (a listing, home or search page) from an article's body."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsarchive.extract.document import text_content
from newsarchive.normalize import normalize_text

__all__ = ["is_one_of_teasers", "is_teaser_list", "is_unheaded_fragment"]

_MIN_TEASERS = 5          # sibling blocks alike (same parent, same tag), each holding a link ...
_MIN_LINK_CHARS = 6       # ... whose text is a headline's length, not "更多" or "[详细]"
_LINKED_SHARE = 0.8       # ... and nearly all of the alike siblings do
_TEXT_SHARE = 0.5         # the teasers make up at least this share of the block's text ...
_PARAGRAPH_SHARE = 0.5    # ... and of the paragraphs kept as the body
_FRAGMENT_CHARS = 300     # a body this short, under a headline no element shows, ...
_FRAGMENT_SHARE = 0.1     # ... is a fragment when it is this small a share of the page's text
_TEASERS_OUTWEIGH = 2.0   # ... or the page's teaser runs hold this many times its text
_TEASER_TITLE_CHARS = 8   # a teaser's link is another article's headline, longer than a user name
_TEASER_UP = 3            # how far above the body node a teaser item may start


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


def is_unheaded_fragment(root: Any, node: Any, paragraphs: Sequence[str]) -> bool:
    """Return True if a body under a headline that no element shows is a home or column page's blurb.

    The page's headline came from <title> or a meta only, and the body kept is a
    short block (an intro box, a contact box, a breadcrumb) that is a small part of
    the page's text or is outweighed by the runs of linked teasers around it (news
    and notice lists, each item its own link and date). An article with no
    heading element still has its text as the page's main part.
    """
    kept = sum(len(p) for p in paragraphs)
    if node is None or kept >= _FRAGMENT_CHARS:
        return False
    if kept < len(text_content(root).strip()) * _FRAGMENT_SHARE:
        return True
    inside = set(node.iter())
    teasers = sum(
        len(text_content(el).strip()) for run in _teaser_runs(root) for el in run if el not in inside
    )
    return teasers >= kept * _TEASERS_OUTWEIGH


def is_one_of_teasers(node: Any, paragraphs: Sequence[str]) -> bool:
    """Return True if the short body *node* is one item of a run of teasers: a listing's abstract.

    A column page whose items each carry a one-paragraph abstract under a linked
    headline gives the longest abstract as the "body": the block it sits in is one
    of _MIN_TEASERS or more alike siblings, nearly all led by a link to another
    page whose text is a headline (not a user name or "[全文]").
    """
    if node is None or sum(len(p) for p in paragraphs) >= _FRAGMENT_CHARS:
        return False
    item = node
    for _ in range(_TEASER_UP):
        parent = item.getparent()
        if parent is None or parent.tag in ("body", "html"):
            return False
        alike = [el for el in parent if el.tag == item.tag and el.get("class") == item.get("class")]
        if len(alike) >= _MIN_TEASERS:
            titled = [el for el in alike if _leading_title_link(el)]
            if len(titled) >= len(alike) * _LINKED_SHARE and len({_leading_title_link(el) for el in titled}) == len(titled):
                return True
        item = parent
    return False


def _leading_title_link(item: Any) -> str:
    """Return the href of *item*'s first link when its text is a headline's length, else ""."""
    for a in item.iter("a"):
        href = (a.get("href") or "").strip()
        if len(text_content(a).strip()) >= _TEASER_TITLE_CHARS and href and not href.startswith(("#", "javascript:")):
            return href
        return ""
    return ""
