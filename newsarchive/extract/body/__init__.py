"""Find an article's body on any page and split it into normalised paragraphs.

The steps, one module each: `scan` walks the page once, scoring every block
bottom-up (readability's scheme, with Chinese punctuation) and collecting the
page's text pieces for the other extractors; `choose` picks the best-scoring
container, joined by siblings that score nearly as well; `lines` reads it into
lines in page order, skipping boilerplate subtrees; `filters` drops the lines
that are page furniture, by an ordered rule table. The tree is never modified:
other extractors share it. On a page of several posts `posts` keeps the one
whose heading is the headline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cssselect import SelectorError
from lxml import etree  # type: ignore[import-untyped]

from newsarchive.extract.body.choose import choose
from newsarchive.extract.body.filters import clean_paragraphs
from newsarchive.extract.body.lines import collect_paragraphs
from newsarchive.extract.body.posts import pick_post
from newsarchive.extract.body.scan import TITLE_BOUND, Scan, match_titles, scan_document, score_tree
from newsarchive.normalize import normalize_text
from newsarchive.sites import compile_selector

if TYPE_CHECKING:
    from newsarchive.extract.document import Document

__all__ = ["Body", "Scan", "extract_body", "scan_document"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Body:
    """The body container *node* (None when none was found) and its *paragraphs*."""

    node: Any
    paragraphs: tuple[str, ...]


def extract_body(
    doc: Document, *, selector: str | None = None, title: str | None = None, scan: Scan | None = None
) -> Body:
    """Return the article body of *doc*: its container node and normalised paragraphs.

    *selector* (a site profile's, read by newsarchive.sites.compile_selector: XPath
    when it starts with "/", "(" or "./", else CSS) wins when it matches. *title*, the headline, marks where the article starts: text
    before it and a first paragraph equal to it are dropped. Body(None, ()) when the
    page has no body text.
    """
    tree = doc.tree
    norm_title = normalize_text(title) if title else ""
    if selector:
        # Profiles are checked when they load; a selector given here directly that
        # does not compile falls back to the generic rules, as one that matches nothing.
        try:
            found = compile_selector(selector)(tree)
        except (etree.XPathError, SelectorError) as exc:
            logger.debug("body selector %r unusable: %s", selector, exc)
            found = []
        matches = [m for m in found if isinstance(getattr(m, "tag", None), str)] if isinstance(found, list) else []
        if matches:
            paragraphs = clean_paragraphs(collect_paragraphs(matches, None), norm_title)
            if paragraphs:
                return Body(matches[0], paragraphs)
            logger.debug("body selector %r matched no text; using generic rules", selector)

    squashed = norm_title.replace(" ", "")
    if scan is None or scan.page.tree is not tree or len(squashed) * 1.3 + 6 > scan.title_bound:
        scan = scan_document(doc) if len(squashed) * 1.3 + 6 <= TITLE_BOUND else None
    if scan is not None:
        match_titles(scan, squashed)
        walk = scan.walk
    else:
        # Broken pages can leave a second <html> beside the first (a CMS template that
        # includes a whole page); its content counts as well.
        walk = score_tree([tree, *(el for el in tree.itersiblings() if isinstance(el.tag, str))], squashed)
    node, roots = choose(walk.candidates, walk.title_order)
    if node is None:
        return Body(None, ())
    node, roots = pick_post(node, roots, squashed)
    title_node = walk.title_node
    if title_node is not None and not _contains(node, title_node):
        title_node = None
    paragraphs = clean_paragraphs(collect_paragraphs(roots, title_node), norm_title)
    return Body(node, paragraphs)


def _contains(ancestor: Any, node: Any) -> bool:
    el = node
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False
