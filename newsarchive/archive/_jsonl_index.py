"""The JSON Lines archive's file names and its in-memory index entry (newsarchive.archive.jsonl)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["Entry", "content_key", "duplicates_path_for", "simhash_int", "utc_stamp", "views_path_for"]


def views_path_for(archive: Path) -> Path:
    """Return the view-count sidecar of *archive*: ``news.jsonl`` -> ``news.views.jsonl``."""
    return archive.with_name(archive.stem + ".views.jsonl")


def duplicates_path_for(archive: Path) -> Path:
    """Return the duplicate-URL sidecar of *archive*: ``news.jsonl`` -> ``news.duplicates.jsonl``."""
    return archive.with_name(archive.stem + ".duplicates.jsonl")


@dataclasses.dataclass(slots=True)
class Entry:
    """What the index keeps per canonical URL (its latest line, not the text).

    Kept small, since there is one per article: the content hash as its first 16
    bytes, the SimHash as an int (-1 when missing), the site string interned.
    """

    offset: int
    version: int
    content_key: bytes
    view_count: int | None
    site: str
    simhash: int
    in_session: bool = False


def content_key(content_hash: str) -> bytes:
    """Return the index key of a hex content hash (its first 128 bits)."""
    try:
        return bytes.fromhex(content_hash[:32])
    except ValueError:
        return content_hash.encode("utf-8")


def simhash_int(simhash: str) -> int:
    try:
        return int(simhash, 16) if simhash else -1
    except ValueError:
        return -1


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
