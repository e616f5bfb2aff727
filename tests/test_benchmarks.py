"""The benchmark scripts stay runnable: each answers --help, and none hides a package Scrapy imports.

The scripts are not run here (they take minutes and time the machine); these
checks catch what breaks all of them at once.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
SCRIPTS = sorted(p for p in BENCH.glob("*.py"))
COMMANDS = sorted(set(re.findall(r"`python benchmarks/(\w+\.py)", (BENCH / "README.md").read_text("utf-8"))))


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_is_named_like_an_installed_module(script: Path) -> None:
    # The crawl child runs with benchmarks/ first on sys.path: a script called
    # incremental.py replaced Twisted's `incremental` and every crawl failed at import.
    spec = importlib.util.find_spec(script.stem)
    # A folder without __init__.py (the demo's archive/ in the working directory) is a
    # namespace package, which Python gives up for any module of that name: no harm.
    assert spec is None or spec.origin is None, (
        f"benchmarks/{script.name} hides the installed module {script.stem!r}: rename the script"
    )


def test_the_readme_lists_existing_commands() -> None:
    assert COMMANDS, "benchmarks/README.md names no command"
    for name in COMMANDS:
        assert (BENCH / name).is_file(), f"benchmarks/README.md names {name}, which does not exist"


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_answers_help(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / name), "--help"], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout
