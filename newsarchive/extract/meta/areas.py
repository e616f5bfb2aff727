"""Tell whether an element sits outside the article: in comments, a sidebar, a list of other articles."""

from __future__ import annotations

from typing import Any

from newsarchive.extract import patterns as P

__all__ = ["in_list_item", "in_other_area"]


def _only_menu(names: str) -> bool:
    """True when the class/id *names* mark a menu or nav and nothing else of another area."""
    return bool(P.MENU_AREA.search(names)) and not P.NOT_ARTICLE_AREA.search(P.MENU_AREA.sub(" ", names))


def in_other_area(el: Any, *, menu_ok: bool = False) -> bool:
    """True when *el* sits in a comment thread, a sidebar or a list of other articles.

    With *menu_ok* (a count on the headline's own meta line) a menu or nav class
    alone does not make it another area.
    """
    depth = 0
    while el is not None and depth < 12:
        names = el.get("class") or ""
        ident = el.get("id")
        if ident:
            names = f"{names} {ident}"
        if names and P.NOT_ARTICLE_AREA.search(names) and not (menu_ok and _only_menu(names)):
            return True
        if el.tag in ("body", "html", "article", "main"):
            return False
        el = el.getparent()
        depth += 1
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
