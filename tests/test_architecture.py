"""ARCHITECTURE.md's "may not import" table, enforced on every module's imports (ast, any depth)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Source folder -> the package it installs as (setup.py maps the adapter folders).
PACKAGES = {
    "newsarchive": "newsarchive",
    "spiders": "newsarchive.spiders",
    "pipelines": "newsarchive.pipelines",
    "middlewares": "newsarchive.middlewares",
}


def rules() -> dict[str, list[str]]:
    """Return ARCHITECTURE.md's table: module prefix -> prefixes it may not import."""
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    section = text.split("## What each part may not import", 1)[1]
    table: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not cells[0].startswith("`"):
            continue
        table[cells[0].strip("`")] = re.findall(r"`([\w.]+)`", cells[1])
    return table


def under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


def imports(module: str, path: Path) -> set[str]:
    """Every module *module* imports, anywhere in it; ``from a import b`` counts a and a.b."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def violations(module: str, imported: set[str], table: dict[str, list[str]]) -> list[str]:
    bad = []
    for prefix, forbidden in table.items():
        if not under(module, prefix):
            continue
        for name in sorted(imported):
            for banned in forbidden:
                if under(name, banned) and not under(module, banned):
                    bad.append(f"{module} imports {name} ({prefix} may not import {banned})")
    return bad


def test_the_table_is_read_and_names_real_modules():
    table = rules()
    assert len(table) >= 15
    known = modules()
    for prefix in table:
        assert any(under(m, prefix) for m in known), f"ARCHITECTURE.md names {prefix}, which does not exist"


def test_no_module_imports_what_architecture_md_forbids():
    table = rules()
    bad = []
    for module, path in modules().items():
        bad.extend(violations(module, imports(module, path), table))
    assert not bad, "\n".join(bad)


def test_a_forbidden_import_is_caught(tmp_path):
    # The check itself: an extraction module that reached into the archive would fail.
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from newsarchive.archive import open_archive\n", encoding="utf-8")
    found = imports("newsarchive.extract.x", source)
    assert "newsarchive.archive.open_archive" in found
    assert violations("newsarchive.extract.x", found, rules())
    relative = tmp_path / "y.py"
    relative.write_text("from ..pipelines import _shared\n", encoding="utf-8")
    assert violations("newsarchive.spiders.y", imports("newsarchive.spiders.y", relative), rules())


def test_test_modules_share_helpers_through_kits_not_each_other():
    """A test module imports helpers from tests/*kit.py, conftest or the servers, never from another test module."""
    tests = Path(__file__).resolve().parent
    offenders = []
    for path in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.test_"):
                offenders.append(f"{path.name}:{node.lineno} imports {node.module}")
    assert offenders == []
