"""The core under newsarchive/ imports and works without Scrapy (STYLE.md §1)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "newsarchive",
    "newsarchive.items",
    "newsarchive.errors",
    "newsarchive.normalize",
    "newsarchive.dedupe",
    "newsarchive.extract",
    "newsarchive.sites",
    "newsarchive.archive",
    "newsarchive.cli",
    "newsarchive.outcome",
    "newsarchive.shards",
]


def test_core_imports_without_scrapy():
    code = (
        "import sys; sys.modules['scrapy'] = None; sys.modules['twisted'] = None\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
