"""The twins of the hot loops, chosen once at import: compiled when built and wanted, else Python.

newsarchive/_speedups.pyx (Cython, built by ``pip install -e .``) and
newsarchive/_pure/ give the same results; this module exposes one of them, as
msgpack picks ``_cmsgpack`` or ``fallback``, and every caller imports from here.
A build without a C compiler, or NEWSARCHIVE_PURE_PYTHON=1 in the environment,
runs the Python twins.
"""

from __future__ import annotations

import os
from types import ModuleType

from newsarchive import _pure

__all__ = [
    "Pieces",
    "U64Set",
    "collect_lines",
    "compiled",
    "configure",
    "configure_text",
    "find_all",
    "minhash_bits",
    "normalize_chars",
    "scan_blocks",
    "text_content",
]


def _load_compiled() -> ModuleType | None:
    if os.environ.get("NEWSARCHIVE_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        from newsarchive import _speedups
    except ImportError:
        return None
    return _speedups


#: The compiled module when its twins are the ones in use, else None.
compiled: ModuleType | None = _load_compiled()

if compiled is not None:
    from newsarchive._speedups import (
        Pieces,
        U64Set,
        collect_lines,
        find_all,
        minhash_bits,
        normalize_chars,
        scan_blocks,
        text_content,
    )
else:
    from newsarchive._pure import (  # type: ignore[assignment]
        Pieces,
        U64Set,
        collect_lines,
        find_all,
        minhash_bits,
        normalize_chars,
        scan_blocks,
        text_content,
    )

#: Every loaded set of twins: the tables go to each, so that tests can compare them.
_TWINS = (_pure,) if compiled is None else (compiled, _pure)


def configure(codes: dict[str, int], min_block_chars: float, max_link_density: float, decay: float) -> None:
    """Hand the walks the body extractor's tag table (tag -> newsarchive._walkspec code)
    and its scoring constants."""
    for twins in _TWINS:
        twins.configure(codes, min_block_chars, max_link_density, decay)


def configure_text(table: dict[int, int | str | None]) -> None:
    """Hand normalize_chars normalize.py's translation table (code point -> code point, " " or None)."""
    for twins in _TWINS:
        twins.configure_text(table)
