"""SeenSet: the URLs or fingerprints a crawl has met, in 8 bytes each rather than whole strings.

A crawl remembers every article it requested and every request it scheduled;
kept as Python strings in sets that cost ~100-150 bytes an entry, ~12 MB on a
50,000-article portal. A SeenSet keeps a 64-bit BLAKE2b digest of each (two
entries collide with probability 2**-64) in the compiled speedups' table, 16
bytes an entry, or in a set of ints without them. It pickles as the packed
digests, which either implementation reads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from newsarchive._native import U64Set

__all__ = ["SeenSet", "digest64"]


def digest64(data: str | bytes) -> int:
    """Return the 64-bit BLAKE2b digest of *data* (a str is UTF-8 encoded) as an int."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


class SeenSet:
    """A set of strings (or bytes) kept as 64-bit digests: add() and ``in``, no listing back."""

    __slots__ = ("_keys",)

    def __init__(self, items: Iterable[str | bytes] = (), *, packed: bytes = b"") -> None:
        self._keys = U64Set(packed)
        for item in items:
            self.add(item)

    def add(self, item: str | bytes) -> bool:
        """Add *item*; return True when it was not in the set."""
        return self.add_digest(digest64(item))

    def add_digest(self, key: int) -> bool:
        """Add the item whose digest64() is *key*; return True when it was not in the set."""
        return self._keys.add(key)

    def __contains__(self, item: object) -> bool:
        if not isinstance(item, str | bytes):
            return False
        return digest64(item) in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def packed(self) -> bytes:
        """Return the digests as little-endian 8-byte integers (what pickling stores)."""
        return self._keys.to_bytes()

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.packed(),))

    def __repr__(self) -> str:
        return f"<SeenSet of {len(self)}>"


def _rebuild(packed: bytes) -> SeenSet:
    return SeenSet(packed=packed)
