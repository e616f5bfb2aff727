"""Fingerprints for duplicate detection: an exact content hash and a 64-bit similarity hash."""

from __future__ import annotations

import hashlib
import sys
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from itertools import compress

from newsarchive._native import speedups as _speedups

__all__ = ["content_hash", "hamming", "simhash"]

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
_MASK64 = (1 << 64) - 1
_BINS = 64
# Hashes are 24 bits (small ints sort fast); the top 6 bits pick the bin.
_BIN_BOUNDS = tuple(b << 18 for b in range(1, _BINS + 1))
# Each 3-gram (3 UTF-16 code units = 6 bytes) sits in its own 16-byte lane of one
# big integer, so a single multiplication hashes all of them: a 48-bit gram times a
# 64-bit multiplier needs 112 bits and never carries into the next lane.
_LANE = 16
_GRAM_BYTES = 6
_BIG_ENDIAN = sys.byteorder == "big"
# A bin's minimum lies in the lowest part of its range when the bin holds many
# grams, so long texts sort only the grams in the lowest half or quarter of each
# bin (picked by the top byte of the hash, whose two low bits are the two highest
# bits below the bin number), falling back to all grams if a bin ends up empty.
_KEEP_HALF = bytes(1 if not v & 2 else 0 for v in range(256))
_KEEP_QUARTER = bytes(1 if not v & 3 else 0 for v in range(256))


def _text_of(title: str, paragraphs: Sequence[str]) -> str:
    return title + "\n" + "\n".join(paragraphs)


def content_hash(title: str, paragraphs: Sequence[str]) -> str:
    """Return the SHA-256 hex digest of *title* and *paragraphs* (already normalised)."""
    return hashlib.sha256(_text_of(title, paragraphs).encode("utf-8")).hexdigest()


def _gram_hashes(text: str) -> tuple[array[int], bytes]:
    """Return the 24-bit hash of every character 3-gram of *text* (repeats included)
    and the top byte of each hash."""
    data = text.encode("utf-16-le")
    grams = len(data) // 2 - 2
    lanes = bytearray(_LANE * grams)
    for j in range(_GRAM_BYTES):
        lanes[j::_LANE] = data[j : j + 2 * grams : 2]
    mixed = (int.from_bytes(lanes, "little") * _MIX).to_bytes(_LANE * grams, "little")
    # Bytes 3..5 of each lane are bits 24..47 of its product.
    out = bytearray(4 * grams)
    out[0::4] = mixed[3::_LANE]
    out[1::4] = mixed[4::_LANE]
    top = mixed[5::_LANE]
    out[2::4] = top
    hashes = array("I", out)
    if _BIG_ENDIAN:
        hashes.byteswap()
    return hashes, top


def _bin_minima(hashes: list[int]) -> list[int]:
    """Return the smallest of the sorted *hashes* in each bin, -1 for an empty bin."""
    mins = [-1] * _BINS
    lo = 0
    for b, bound in enumerate(_BIN_BOUNDS):
        hi = bisect_left(hashes, bound, lo)
        if hi > lo:
            mins[b] = hashes[lo]
        lo = hi
    return mins


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
    if _speedups is not None:
        value = _speedups.minhash_bits(text.encode("utf-16-le"), _MIX, _BIT, _EMPTY_BIN)
    else:
        value = _minhash_bits_py(text)
    return f"{value:016x}"


def _minhash_bits_py(text: str) -> int:
    """Return the sketch of *text* (at least 3 characters) as an int: bit b from bin b."""
    hashes, top = _gram_hashes(text)
    mins: list[int] = []
    if len(hashes) >= 16 * _BINS:
        keep = _KEEP_QUARTER if len(hashes) >= 32 * _BINS else _KEEP_HALF
        mins = _bin_minima(sorted(compress(hashes, top.translate(keep))))
    if not mins or -1 in mins:
        mins = _bin_minima(sorted(hashes))
    value = 0
    for b in range(_BINS):
        m = mins[b]
        if m < 0:
            # An empty bin (short texts) borrows the next filled bin's minimum, mixed
            # with its own number so borrowed bits do not simply repeat (densification).
            for step in range(1, _BINS):
                m = mins[(b + step) % _BINS]
                if m >= 0:
                    break
            m ^= (b + 1) * _EMPTY_BIN
        if (((m * _BIT) & _MASK64) >> 63) & 1:
            value |= 1 << b
    return value


def hamming(a: str, b: str) -> int:
    """Return the number of differing bits between two hex hashes *a* and *b*."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
