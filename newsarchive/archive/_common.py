"""What both archive backends share: the interface, results, duplicates, fingerprint bands, record JSON."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, Self

from newsarchive.dedupe import content_hash, simhash
from newsarchive.errors import ArchiveError
from newsarchive.items import ARCHIVE_FIELDS, CAPTURE_FIELDS, utc_timestamp

if TYPE_CHECKING:
    from newsarchive.items import Article

#: add() results: a first capture, a new version, nothing new, only the view count changed.
NEW, UPDATED, UNCHANGED, VIEWS = "new", "updated", "unchanged", "views"

#: Two SimHashes this close (differing bits) on the same site mark a near-duplicate.
NEAR_DISTANCE = 3
#: The 64-bit SimHash is cut into this many bands of 16 bits; two hashes within
#: NEAR_DISTANCE (< _BANDS) bits agree on at least one whole band (pigeonhole),
#: so looking up each band finds every candidate.
_BANDS = 4
_BAND_BITS = 64 // _BANDS
_BAND_MASK = (1 << _BAND_BITS) - 1


#: Duplicate kinds (also the last part of the stats key ``newsarchive/dedupe/<kind>``).
URL, EXACT, NEAR = "url", "exact", "near"


class Duplicate(NamedTuple):
    """An archived article that a new one duplicates: its *url*, the *kind* of copy
    ("url", "exact" or "near") and, for a near copy, the SimHash *distance* in bits."""

    url: str
    kind: str
    distance: int = 0

    @property
    def reason(self) -> str:
        """Return why, in words, as shown in "duplicate of <url> (<reason>)" and stored."""
        if self.kind == NEAR:
            return f"simhash distance {self.distance}"
        if self.kind == EXACT:
            return "same content"
        return "same URL earlier in this crawl"

    @classmethod
    def from_reason(cls, url: str, reason: str) -> Duplicate:
        """Return the Duplicate an archive stored as *url* and *reason* (its reason text
        is all a stored row keeps, in files written before kinds were fields)."""
        if reason.startswith("simhash distance "):
            return cls(url, NEAR, int(reason.rsplit(" ", 1)[1]))
        if reason == "same content":
            return cls(url, EXACT)
        return cls(url, URL)


class DuplicateRow(NamedTuple):
    """A URL an archive remembers as a copy: *canonical_url* holds a copy of *duplicate*.url.

    *record* is the copy's whole record when the archive kept it as the article until
    its original was found (see Archive.replace_with_original), else None.
    """

    canonical_url: str
    duplicate: Duplicate
    fetched_at: str
    record: dict[str, Any] | None = None


def band_keys(simhash: str | int) -> tuple[int, ...]:
    """Return the band keys of a SimHash (hex or int): band number * 2**16 + the band's 16 bits."""
    value = int(simhash, 16) if isinstance(simhash, str) else simhash
    return tuple(
        (band << _BAND_BITS) | ((value >> (band * _BAND_BITS)) & _BAND_MASK)
        for band in range(_BANDS)
    )


def finish_article(article: Article, *, fetched_at: str = "") -> Article:
    """Return *article* ready to archive: content_hash and simhash filled when empty,
    and fetched_at when empty (from *fetched_at*, else the current UTC time).

    The one place these bookkeeping fields are filled, for the pipelines, the
    archives and ``newsarchive extract``. A caller that changed the title or the
    paragraphs clears the fingerprints first, so they are computed anew.
    """
    if article.content_hash and article.simhash and article.fetched_at:
        return article
    return dataclasses.replace(
        article,
        content_hash=article.content_hash or content_hash(article.title, article.paragraphs),
        simhash=article.simhash or simhash(article.title, article.paragraphs),
        fetched_at=article.fetched_at or fetched_at or utc_timestamp(),
    )


def make_parent(path: Path) -> None:
    """Create the directory that will hold the archive *path*, or raise ArchiveError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(
            f"cannot create directory {path.parent} for archive {path.name}: {exc.strerror}; "
            "choose another path with -o"
        ) from exc


def record_json(record: dict[str, Any]) -> str:
    """Return *record* as one line of JSON, Chinese kept readable."""
    return json.dumps(record, ensure_ascii=False)


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Return the archived fields whose values differ between *old* and *new* (bookkeeping excluded)."""
    skip = {"fetched_at", "content_hash", "simhash", "version", *CAPTURE_FIELDS}
    return [f for f in ARCHIVE_FIELDS if f not in skip and old.get(f) != new.get(f)]


class Archive(Protocol):
    """What every archive backend offers (newsarchive.archive.open_archive returns one)."""

    path: Path
    readonly: bool

    def add(self, article: Article) -> str: ...

    def add_reextraction(self, article: Article) -> str: ...

    def add_duplicate(self, row: DuplicateRow) -> None: ...

    def replace_with_original(self, article: Article, duplicate: Duplicate) -> bool: ...

    def has_url(self, canonical_url: str) -> bool: ...

    def find_duplicate(self, article: Article) -> Duplicate | None: ...

    def iter_articles(self, all_versions: bool = False) -> Iterator[Article]: ...

    def iter_duplicates(self) -> Iterator[DuplicateRow]: ...

    def count_views(self) -> int: ...

    def count_duplicates(self) -> int: ...

    def flush_due(self) -> bool: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...
