"""Tell whether an element sits outside the article: in comments, a sidebar, a list of other articles."""

from __future__ import annotations

from typing import Any

from newsarchive.extract import patterns as P
from newsarchive.extract.document import text_content
from newsarchive.extract.patterns import body as BP

__all__ = ["in_list_item", "in_other_area"]

_POST_FOOTER_MAX_CHARS = 200   # a post's footer is one meta line; a page footer is longer


def _only(area: Any, names: str) -> bool:
    """True when the class/id *names* mark the *area* (a pattern) and nothing else of another area."""
    return bool(area.search(names)) and not P.NOT_ARTICLE_AREA.search(area.sub(" ", names))


def in_other_area(el: Any, *, menu_ok: bool = False, post: Any = None) -> bool:
    """True when *el* sits in a comment thread, a sidebar or a list of other articles.

    With *menu_ok* (a count on the headline's own meta line) a menu or nav class
    alone does not make it another area. *post* is the block that holds the
    article's body: a footer class inside it is the post's footer, not the page's.
    """
    depth = 0
    while el is not None and depth < 12:
        names = el.get("class") or ""
        ident = el.get("id")
        if ident:
            names = f"{names} {ident}"
        if (
            names
            and P.NOT_ARTICLE_AREA.search(names)
            and not (menu_ok and _only(P.MENU_AREA, names))
            and not (post is not None and _only(P.FOOTER_AREA, names) and _is_post_footer(el, post))
        ):
            return True
        if el.tag in ("body", "html", "article", "main"):
            return False
        el = el.getparent()
        depth += 1
    return False


def _is_post_footer(el: Any, post: Any) -> bool:
    """True when the footer-named *el* is inside *post* and reads as a meta line, not legal text."""
    text = text_content(el)
    if len(text) > _POST_FOOTER_MAX_CHARS or any(word in text for word in BP.FOOTER_WORDS):
        return False
    parent = el.getparent()
    while parent is not None:
        if parent is post:
            return True
        parent = parent.getparent()
    return False


def in_list_item(el: Any) -> bool:
    """True when *el* sits in a list item that links elsewhere: "<li><a>标题</a> 点击数：3521</li>"."""
    for _ in range(3):
        if el is None:
            return False
        if el.tag == "li":
            return any(a.get("href") for a in el.iter("a"))
        el = el.getparent()
    return False
