"""newsarchive: harvest regional news portals into clean JSON Lines or SQLite archives."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsarchive.extract import extract_article
from newsarchive.items import Article

if TYPE_CHECKING:
    from newsarchive.analysis import load

__all__ = ["Article", "__version__", "extract_article", "load"]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # newsarchive.load() on first use: `import newsarchive` stays free of the archive code.
    if name == "load":
        from newsarchive.analysis import load

        return load
    raise AttributeError(f"module 'newsarchive' has no attribute {name!r}")
