"""Python twin of the compiled similarity sketch: minhash_bits(), dedupe.simhash's 64-bit value."""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from itertools import compress

__all__ = ["minhash_bits"]

#: array("I") uses the host's byte order; the hashes are read as little-endian.
_BIG_ENDIAN = sys.byteorder == "big"

_BINS = 64
# Hashes are 24 bits (small ints sort fast); the top 6 bits pick the bin.
_BIN_BOUNDS = tuple(b << 18 for b in range(1, _BINS + 1))
_MASK64 = (1 << 64) - 1
# Each 3-gram (3 UTF-16 code units = 6 bytes) sits in its own 16-byte lane of one
# big integer, so a single multiplication hashes all of them: a 48-bit gram times a
# 64-bit multiplier needs 112 bits and never carries into the next lane.
_LANE = 16
_GRAM_BYTES = 6
# A bin's minimum lies in the lowest part of its range when the bin holds many
# grams, so long texts sort only the grams in the lowest half or quarter of each
# bin (picked by the top byte of the hash, whose two low bits are the two highest
# bits below the bin number), falling back to all grams if a bin ends up empty.
_KEEP_HALF = bytes(1 if not v & 2 else 0 for v in range(256))
_KEEP_QUARTER = bytes(1 if not v & 3 else 0 for v in range(256))


def _gram_hashes(data: bytes, mix: int) -> tuple[array[int], bytes]:
    """Return the 24-bit hash of every 3-gram of the UTF-16-LE *data* (repeats included)
    and the top byte of each hash."""
    grams = len(data) // 2 - 2
    lanes = bytearray(_LANE * grams)
    for j in range(_GRAM_BYTES):
        lanes[j::_LANE] = data[j : j + 2 * grams : 2]
    mixed = (int.from_bytes(lanes, "little") * mix).to_bytes(_LANE * grams, "little")
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


def minhash_bits(utf16: bytes, mix: int, bit: int, empty_bin: int) -> int:
    """Return dedupe.simhash's 64-bit value for the text whose UTF-16-LE bytes are *utf16*
    (at least three code units): bit b from bin b (see newsarchive/dedupe.py)."""
    hashes, top = _gram_hashes(utf16, mix)
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
            m ^= (b + 1) * empty_bin
        if (((m * bit) & _MASK64) >> 63) & 1:
            value |= 1 << b
    return value
