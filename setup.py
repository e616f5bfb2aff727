"""Build the optional compiled speedups; the project itself is described in pyproject.toml.

newsarchive/_speedups.pyx is compiled with Cython against lxml's C API (both
come from pyproject's [build-system] requires). Where no C compiler is found
the build goes on without it and newsarchive runs its pure-Python twins, with
the same results, only slower.

The Scrapy adapters keep their own top-level folders in the tree (spiders/,
pipelines/, middlewares/) but install under the project's one name, as
newsarchive.spiders, newsarchive.pipelines and newsarchive.middlewares, so an
install adds no top-level package that could collide with another Scrapy
project's ``spiders``.
"""

from __future__ import annotations

import sys

from setuptools import Extension, find_packages, setup

#: Source folder -> the package it installs as.
ADAPTERS = {"spiders": "newsarchive.spiders", "pipelines": "newsarchive.pipelines", "middlewares": "newsarchive.middlewares"}


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


def _packages() -> tuple[list[str], dict[str, str]]:
    """Return the packages to install and the folders the adapter packages come from."""
    packages = find_packages(include=["newsarchive", "newsarchive.*"])
    package_dir = {}
    for folder, name in ADAPTERS.items():
        package_dir[name] = folder
        packages += [name] + [f"{name}.{sub}" for sub in find_packages(where=folder)]
    return packages, package_dir


_PACKAGES, _PACKAGE_DIR = _packages()
setup(ext_modules=_extensions(), packages=_PACKAGES, package_dir=_PACKAGE_DIR)
