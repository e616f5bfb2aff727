"""The pure-Python twins of newsarchive/_speedups.pyx: the reference each compiled function equals.

newsarchive._native exposes one set or the other (this one when the compiled
module is not built, or NEWSARCHIVE_PURE_PYTHON=1); tests/test_speedups.py runs
both on every fixture page, on edge cases and on random trees and compares every
value. The names and signatures are those of newsarchive/_speedups.pyi.

One module for each part of the compiled module: the page walk (walk.py) and the
text pieces it hands back (pieces.py), the body's lines (lines.py), text
helpers (text.py), the similarity sketch (sketch.py) and the seen sets (sets.py).
"""

from __future__ import annotations

from newsarchive._pure.lines import collect_lines
from newsarchive._pure.pieces import Pieces
from newsarchive._pure.sets import U64Set
from newsarchive._pure.sketch import minhash_bits
from newsarchive._pure.text import configure_text, find_all, normalize_chars, text_content
from newsarchive._pure.walk import configure, scan_blocks

__all__ = [
    "Pieces",
    "U64Set",
    "collect_lines",
    "configure",
    "configure_text",
    "find_all",
    "minhash_bits",
    "normalize_chars",
    "scan_blocks",
    "text_content",
]
