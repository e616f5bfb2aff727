"""Site profiles: small TOML files naming what the generic rules get wrong on one site.

Every selector in a profile follows one rule: XPath when it starts with "/", "("
or "./", else CSS (as lxml's ``el.cssselect()`` reads it). load_profile compiles
and checks each one, so a bad selector is an error naming the profile, the key
and the selector before anything is fetched; the extractors take the compiled
form from compile_selector.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from newsarchive.errors import ProfileError

__all__ = ["SELECTOR_KEYS", "SiteProfile", "compile_selector", "is_xpath", "load_profile", "profile_names"]

_HERE = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Selectors (XPath or CSS, see compile_selector) that outrank the generic rules.

    Every selector is optional; ``None`` leaves the field to the generic rules.
    """

    name: str
    start_urls: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    article_links: str | None = None
    next_page: str | None = None
    title: str | None = None
    published_at: str | None = None
    view_count: str | None = None
    body: str | None = None
    author: str | None = None
    source: str | None = None
    section: str | None = None


_KEYS = tuple(f.name for f in fields(SiteProfile))
#: The keys whose values are selectors.
SELECTOR_KEYS = tuple(k for k in _KEYS if k not in ("name", "start_urls", "allowed_hosts"))

# A selector is tried on this page when its profile loads: XPath reports unknown
# functions and variables only when it runs.
_EMPTY_PAGE = lxml.html.document_fromstring("<html><head></head><body></body></html>")


def is_xpath(selector: str) -> bool:
    """Return True when *selector* is read as XPath: it starts with "/", "(" or "./"."""
    return selector.strip().startswith(("/", "(", "./"))


@lru_cache(maxsize=256)
def compile_selector(selector: str) -> etree.XPath:
    """Return *selector* compiled: XPath when is_xpath(), else CSS as lxml's
    ``el.cssselect()`` reads it on HTML (both are called on a tree, ``found = sel(tree)``).

    Raises etree.XPathError or cssselect.SelectorError when it is neither.
    """
    stripped = selector.strip()
    if is_xpath(stripped):
        return etree.XPath(stripped)
    from lxml.cssselect import CSSSelector  # type: ignore[import-untyped]

    return CSSSelector(stripped, translator="html")


def _check_selector(path: Path, key: str, selector: str) -> None:
    """Raise ProfileError unless *selector* compiles and selects elements."""
    from cssselect import SelectorError

    kind = "XPath" if is_xpath(selector) else "CSS"
    try:
        found = compile_selector(selector)(_EMPTY_PAGE)
    except (etree.XPathError, SelectorError) as exc:
        raise ProfileError(
            f"cannot read site profile {path.name!r}: {key} selector {selector!r} is not valid {kind} ({exc})"
            + ("" if kind == "XPath" else '; an XPath starts with "/", "(" or "./"')
        ) from exc
    if not isinstance(found, list):
        raise ProfileError(
            f"cannot read site profile {path.name!r}: {key} selector {selector!r} gives a value, "
            "not elements"
        )


def profile_names() -> list[str]:
    """Return the names of the profiles shipped in newsarchive/sites/, sorted."""
    return sorted(p.stem for p in _HERE.glob("*.toml"))


def load_profile(name_or_path: str) -> SiteProfile:
    """Return the profile named *name_or_path* (a shipped name, or a path to a .toml file).

    Raises ProfileError naming the file and the key when the file is missing,
    is not TOML, has a key a profile does not know, or a selector that is not
    valid XPath or CSS (see compile_selector).
    """
    path = Path(name_or_path)
    if path.suffix != ".toml":
        path = _HERE / f"{name_or_path}.toml"
    if not path.is_file():
        known = ", ".join(profile_names()) or "none"
        raise ProfileError(
            f"cannot find site profile {name_or_path!r}: give a path to a .toml file "
            f"or one of the shipped names ({known})"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read site profile {path.name!r}: {exc}") from exc
    values: dict[str, object] = {"name": path.stem}
    for key, value in data.items():
        if key not in _KEYS:
            guess = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            raise ProfileError(f"cannot read site profile {path.name!r}: unknown key {key!r}{hint}")
        if key in ("start_urls", "allowed_hosts"):
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ProfileError(
                    f"cannot read site profile {path.name!r}: {key!r} must be a list of strings"
                )
            value = tuple(value)
        elif not isinstance(value, str):
            raise ProfileError(
                f"cannot read site profile {path.name!r}: {key!r} must be a string"
            )
        elif value.strip():
            _check_selector(path, key, value)
        values[key] = value
    return SiteProfile(**values)  # type: ignore[arg-type]
