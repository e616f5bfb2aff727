"""Fingerprints for duplicate detection: an exact content hash and a 64-bit SimHash."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

__all__ = ["content_hash", "hamming", "simhash"]

_SHINGLE = 3
# translate() tables that map a byte to 1 when its bit j is set, else to 0.
_BIT_TABLES = tuple(bytes((v >> j) & 1 for v in range(256)) for j in range(8))


def _text_of(title: str, paragraphs: Sequence[str]) -> str:
    return title + "\n" + "\n".join(paragraphs)


def content_hash(title: str, paragraphs: Sequence[str]) -> str:
    """Return the SHA-256 hex digest of *title* and *paragraphs* (already normalised)."""
    return hashlib.sha256(_text_of(title, paragraphs).encode("utf-8")).hexdigest()


def simhash(title: str, paragraphs: Sequence[str]) -> str:
    """Return the 64-bit SimHash of the text as 16 hex digits.

    Features are the distinct character 3-grams of the text with white space
    removed (Chinese has no word boundaries, §11 of STYLE.md). Texts that differ
    in a few characters land within a small Hamming distance of each other.
    """
    text = "".join(_text_of(title, paragraphs).split())
    if not text:
        return "0" * 16
    shingles = {text[i : i + _SHINGLE] for i in range(max(1, len(text) - _SHINGLE + 1))}
    blake = hashlib.blake2b
    digests = b"".join(blake(s.encode("utf-8"), digest_size=8).digest() for s in shingles)
    half = len(shingles) / 2
    value = 0
    # Bit-sliced vote: lane k holds byte k of every digest; counting the set
    # bits per lane with translate()+count() keeps the per-shingle work in C.
    for k in range(8):
        lane = digests[k::8]
        for j in range(8):
            if lane.translate(_BIT_TABLES[j]).count(1) > half:
                value |= 1 << (8 * (7 - k) + j)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Return the number of differing bits between two hex SimHashes *a* and *b*."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
