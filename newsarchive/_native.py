"""The compiled speedups (newsarchive/_speedups.pyx), when they were built and are wanted.

They are twins of pure-Python functions and give the same results; a build
without a C compiler, or NEWSARCHIVE_PURE_PYTHON=1 in the environment, runs
the Python originals instead.
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["speedups"]


def _load() -> ModuleType | None:
    if os.environ.get("NEWSARCHIVE_PURE_PYTHON", "").strip() not in ("", "0"):
        return None
    try:
        from newsarchive import _speedups
    except ImportError:
        return None
    return _speedups


#: The compiled module, or None when the pure-Python code runs.
speedups: ModuleType | None = _load()
