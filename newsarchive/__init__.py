"""newsarchive: harvest regional news portals into clean JSON Lines or SQLite archives."""

from __future__ import annotations

from newsarchive.extract import extract_article
from newsarchive.items import Article

__all__ = ["Article", "__version__", "extract_article"]

__version__ = "0.1.0"
