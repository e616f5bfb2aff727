"""Fingerprints for duplicate detection: an exact content hash and a 64-bit similarity hash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from newsarchive._native import minhash_bits

__all__ = ["content_hash", "hamming", "original_key", "precedes", "simhash"]

# The similarity hash is a one-permutation, one-bit MinHash sketch (Li and König's
# b-bit MinHash with Li, Owen and Zhang's one-permutation hashing): the character
# 3-grams are hashed once, split by hash into 64 bins, and each bin gives one bit of
# its smallest hash. Two texts differ in a bin's bit with probability (1 - J) / 2,
# J being the Jaccard similarity of their 3-gram sets, so the expected Hamming
# distance is 32 * (1 - J). Charikar's SimHash, used before, flips about
# 64 * sqrt(1 - J) / pi bits instead: on real articles of 400-9,000 characters an
# added sentence moved it by more than 3 bits half of the time (now 1 time in 15),
# while unrelated articles stay about 32 bits apart under either.

# Odd 64-bit multipliers (from splitmix64 / murmur3): a 3-gram's hash is bits
# 24..47 of gram * _MIX mod 2**48; a bin's bit is the top bit of min * _BIT mod 2**64.
_MIX = 0x9E3779B97F4A7C15
_BIT = 0xD6E8FEB86659FD93
_EMPTY_BIN = 0xC2B2AE3D27D4EB4F
# The sketch itself is minhash_bits (newsarchive._native): the 3-gram hashing, the
# bins and the densification of empty bins.


def _text_of(title: str, paragraphs: Sequence[str]) -> str:
    return title + "\n" + "\n".join(paragraphs)


def content_hash(title: str, paragraphs: Sequence[str]) -> str:
    """Return the SHA-256 hex digest of *title* and *paragraphs* (already normalised)."""
    return hashlib.sha256(_text_of(title, paragraphs).encode("utf-8")).hexdigest()


def simhash(title: str, paragraphs: Sequence[str]) -> str:
    """Return the 64-bit similarity hash of the text as 16 hex digits.

    Features are the character 3-grams of *title* and *paragraphs* with white
    space removed (Chinese has no word boundaries, STYLE.md §11). Compare two
    hashes with hamming(): a re-post with a new title or an added sentence stays
    within about 3 bits; different articles land about 32 bits apart. An empty
    text gives "0000000000000000".
    """
    text = "".join(_text_of(title, paragraphs).split())
    if not text:
        return "0" * 16
    if len(text) < 3:
        text += "\x00" * (3 - len(text))
    return f"{minhash_bits(text.encode('utf-16-le'), _MIX, _BIT, _EMPTY_BIN):016x}"


def hamming(a: str, b: str) -> int:
    """Return the number of differing bits between two hex hashes *a* and *b*."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


#: The zone of a date given without a time (DESIGN.md: the page's local time), for ordering.
_LOCAL = ZoneInfo("Asia/Shanghai")
#: Sorts after every real date: a copy without one comes after every dated copy.
_UNDATED = datetime.max.replace(tzinfo=UTC)


def _moment(published_at: str | None) -> datetime | None:
    """Return *published_at* as an aware datetime, or None when missing or unreadable.

    A date without a time is the start of that day in the site's local time, so it
    comes before any time on the same day; a time without an offset is local time.
    """
    if not published_at:
        return None
    try:
        if len(published_at) == 10:
            return datetime.combine(datetime.fromisoformat(published_at).date(), time(), _LOCAL)
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=_LOCAL)


def original_key(published_at: str | None, canonical_url: str) -> tuple[datetime, str]:
    """Return the key by which the original of several copies of an article is chosen:
    the copy with the smallest key is the original, the others are its duplicates.

    Published first wins; equal moments go to the earlier canonical URL (plain string
    order); a copy with no (readable) date comes after every dated one, and of
    undated copies the earlier URL wins. The key is a total order, so the original
    does not depend on which copy a crawl met first.
    """
    return (_moment(published_at) or _UNDATED, canonical_url)


def precedes(
    published_at: str | None, canonical_url: str, other_published_at: str | None, other_url: str
) -> bool:
    """Return True when the copy (*published_at*, *canonical_url*) is the original of the two."""
    return original_key(published_at, canonical_url) < original_key(other_published_at, other_url)
