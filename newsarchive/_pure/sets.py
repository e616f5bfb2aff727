"""Python twin of the compiled seen set: U64Set, a set of 64-bit keys packed as 8 bytes each."""

from __future__ import annotations

import sys
from array import array

__all__ = ["U64Set"]

#: array("Q") uses the host's byte order; the packed form is little-endian.
_BIG_ENDIAN = sys.byteorder == "big"


class U64Set:
    """A set of 64-bit unsigned integers, built from and packed as little-endian 8-byte keys."""

    __slots__ = ("_keys",)

    def __init__(self, packed: bytes = b"") -> None:
        keys = array("Q")
        keys.frombytes(packed[: len(packed) - len(packed) % 8])
        if keys.itemsize != 8:  # pragma: no cover - "Q" is 8 bytes on every platform CPython runs on
            raise RuntimeError("array('Q') is not 8 bytes here")
        if _BIG_ENDIAN:
            keys.byteswap()
        self._keys = set(keys)

    def add(self, key: int) -> bool:
        """Add *key*; return True when it was not in the set."""
        keys = self._keys
        if key in keys:
            return False
        keys.add(key)
        return True

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def to_bytes(self) -> bytes:
        """Return the keys packed as little-endian 8-byte integers."""
        packed = array("Q", sorted(self._keys))
        if _BIG_ENDIAN:
            packed.byteswap()
        return packed.tobytes()
