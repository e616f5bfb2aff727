"""Python twins of the compiled text helpers: text_content(), normalize_chars() and find_all()."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

__all__ = ["configure_text", "find_all", "normalize_chars", "text_content"]


def text_content(el: Any) -> str:
    """Return the text of every text node under element *el*, in document order."""
    return el.text_content()  # type: ignore[no-any-return]


# Set by configure_text(): the translation table, and regexes that find what it changes.
_table: dict[int, int | str | None] = {}
_text_res: list[re.Pattern[str]] = []
_WS_RUN = re.compile(r" {2,}")


def configure_text(table: dict[int, int | str | None]) -> None:
    """Take normalize.py's translation table: code point -> code point, " " or None."""
    _table.clear()
    _table.update(table)
    spaces = "".join(chr(cp) for cp, value in table.items() if value == " ")
    others = "".join(re.escape(chr(cp)) for cp, value in table.items() if value != " ")
    _text_res[:] = [re.compile("[" + re.escape(spaces) + "]"), re.compile("[" + others + "]")]


def normalize_chars(text: str) -> str:
    """Return *text* with the table applied, runs of spaces made one, white space stripped.

    str.translate looks every character up in the table (~0.2 us each for Chinese
    text), so spaces, the common case, are replaced by a regex and the table applied
    only when a character other than a space needs it (35 us -> 3 us on a
    160-character line).
    """
    space_char, other = _text_res
    text = space_char.sub(" ", text)
    if other.search(text) is not None:
        text = text.translate(_table)
    if "  " in text:
        text = _WS_RUN.sub(" ", text)
    return text.strip()


def find_all(text: str, needles: tuple[str, ...], start: int = 0) -> list[int]:
    """Return the offsets in *text*, from *start*, where one of *needles* begins
    (left to right, the longest needle that matches at an offset, then on after it)."""
    return [m.start() for m in _alternation(needles).finditer(text, max(start, 0))]


@lru_cache(maxsize=64)
def _alternation(needles: tuple[str, ...]) -> re.Pattern[str]:
    """Return a regex matching any of *needles*, longest first (the label word tuples are constants)."""
    return re.compile("|".join(re.escape(n) for n in sorted(set(needles), key=len, reverse=True)))
