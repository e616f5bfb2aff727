"""The core under newsarchive/ imports and works without Scrapy (STYLE.md §1)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import newsarchive

# Every module of the core, found by walking the package (a list written by hand missed
# modules as they were added); the adapter packages are Scrapy code and are left out, and
# newsarchive.__main__ runs the command line when imported.
_ADAPTERS = ("newsarchive.spiders", "newsarchive.pipelines", "newsarchive.middlewares")
CORE_MODULES = ["newsarchive"] + sorted(
    info.name
    for info in pkgutil.walk_packages(newsarchive.__path__, "newsarchive.")
    if not info.name.startswith(_ADAPTERS) and info.name != "newsarchive.__main__"
)


def test_the_walk_finds_the_core():
    assert {"newsarchive.cli", "newsarchive.archive.sqlite", "newsarchive.extract.body"} <= set(CORE_MODULES)
    assert not any(m.startswith(_ADAPTERS) for m in CORE_MODULES)


def test_core_imports_without_scrapy():
    code = (
        "import sys; sys.modules['scrapy'] = None; sys.modules['twisted'] = None\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_an_install_adds_one_top_level_package():
    # spiders/, pipelines/ and middlewares/ install as newsarchive.spiders ... (setup.py),
    # so a project installed beside another Scrapy project never shadows its "spiders".
    from importlib.metadata import distribution

    top_level = distribution("newsarchive").read_text("top_level.txt") or ""
    assert top_level.split() == ["newsarchive"]
    out = subprocess.run(
        [sys.executable, "-c", "import newsarchive.spiders.news as m, newsarchive.pipelines.archive as p; print(m.__file__, p.__file__)"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    spider_file, pipeline_file = out.stdout.split()
    assert spider_file.replace("\\", "/").endswith("spiders/news.py")
    assert pipeline_file.replace("\\", "/").endswith("pipelines/archive.py")
