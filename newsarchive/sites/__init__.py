"""Site profiles: small TOML files naming what the generic rules get wrong on one site."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from newsarchive.errors import ProfileError

__all__ = ["SiteProfile", "load_profile", "profile_names"]

_HERE = Path(__file__).parent


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """Selectors (XPath or CSS, as the key says) that outrank the generic rules.

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


def profile_names() -> list[str]:
    """Return the names of the profiles shipped in newsarchive/sites/, sorted."""
    return sorted(p.stem for p in _HERE.glob("*.toml"))


def load_profile(name_or_path: str) -> SiteProfile:
    """Return the profile named *name_or_path* (a shipped name, or a path to a .toml file).

    Raises ProfileError naming the file and the key when the file is missing,
    is not TOML, or has a key a profile does not know.
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
        values[key] = value
    return SiteProfile(**values)  # type: ignore[arg-type]
