"""Build the optional compiled speedups; the project itself is described in pyproject.toml.

newsarchive/_speedups.pyx is compiled with Cython against lxml's C API (both
come from pyproject's [build-system] requires). Where no C compiler is found
the build goes on without it and newsarchive runs its pure-Python twins, with
the same results, only slower.
"""

from __future__ import annotations

import sys

from setuptools import Extension, setup


def _extensions() -> list[Extension]:
    try:
        import lxml
        from Cython.Build import cythonize
    except ImportError:  # a build without the [build-system] requires: pure Python
        return []
    # -ffp-contract=off: no fused multiply-add, so scores are bit-for-bit those of Python.
    flags = [] if sys.platform == "win32" else ["-O2", "-ffp-contract=off"]
    ext = Extension(
        "newsarchive._speedups",
        ["newsarchive/_speedups.pyx"],
        include_dirs=lxml.get_include(),
        extra_compile_args=flags,
        optional=True,
    )
    return cythonize([ext], quiet=True)  # type: ignore[no-any-return]


setup(ext_modules=_extensions())
