"""Serve the fixture sites on 127.0.0.1, crawl them into archive/demo.sqlite, check the result.

Run by ``make demo``. Steps: start ``tests/mockserver.py`` (one HTTP server per site in
fixtures/sites/, on 127.0.0.1 only), run ``newsarchive crawl`` on every site's start pages
into a fresh ``archive/demo.sqlite`` (its log goes to ``archive/demo.sqlite.log``), stop the server,
print a short summary, and compare the archive with the sites' hand-written
``expected.jsonl``. Exit status 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive.archive import archive_stats, load_records
from newsarchive.cli import main as newsarchive_main
from tests.mockserver import SITES_DIR, MockServer, site_names

ARCHIVE = ROOT / "archive" / "demo.sqlite"
LOG = ARCHIVE.with_name(ARCHIVE.name + ".log")  # where every crawl logs: ARCHIVE.log
#: Fields compared with the expected records (besides the page's path).
COMPARED = ("title", "published_at", "view_count", "paragraphs", "author", "source", "section")
#: Differences printed before the rest are counted only.
MAX_SHOWN = 20


def _remove_archive(path: Path) -> None:
    """Delete *path* and the files beside it, so every demo starts from nothing."""
    for suffix in ("", "-wal", "-shm", "-journal", ".lock", ".failures.jsonl", ".incomplete"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    # An interrupted demo's resume state points at the old server's ports.
    for suffix in (".job", ".parts"):
        shutil.rmtree(path.with_name(path.name + suffix), ignore_errors=True)


def _site_config(name: str) -> dict[str, Any]:
    return tomllib.loads((SITES_DIR / name / "site.toml").read_text(encoding="utf-8"))


def _start_urls(name: str, base: str) -> list[str]:
    paths = _site_config(name).get("start_paths") or ["/"]
    return [urljoin(base, path) for path in paths]


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _expected(name: str) -> list[dict[str, Any]]:
    path = SITES_DIR / name / "expected.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _duplicate_pairs(name: str) -> list[tuple[str, str]]:
    """Return the site's (keep, drop) page pairs from site.toml ``[[duplicates]]``."""
    return [(str(d["keep"]), str(d["drop"])) for d in _site_config(name).get("duplicates", ())]


def compare(
    urls: dict[str, str], records: list[dict[str, Any]]
) -> tuple[list[str], int]:
    """Return (differences in words, articles checked) between *records* and the sites'
    expected.jsonl; *urls* maps site name -> base URL on the running server.

    Of each duplicate pair exactly the ``keep`` copy must be archived: the one published
    first, whatever order the concurrent requests finish in (fixtures/README.md).
    """
    by_netloc = {urlsplit(base).netloc: name for name, base in urls.items()}
    archived: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        name = by_netloc.get(urlsplit(record["url"]).netloc, "?")
        archived[(name, _path_of(record["url"]))] = record
    problems: list[str] = []
    checked = 0
    for name in sorted(urls):
        expected = {r["path"]: r for r in _expected(name)}
        optional: set[str] = set()
        for keep, drop in _duplicate_pairs(name):
            copies = [p for p in (keep, drop) if (name, p) in archived]
            if copies != [keep]:
                problems.append(
                    f"{name} {keep} / {drop}: archived {copies or 'neither'}, expected {keep} only"
                )
            optional |= {keep, drop}
        for path, want in sorted(expected.items()):
            got = archived.pop((name, path), None)
            if got is None:
                if path not in optional:
                    problems.append(f"{name} {path}: missing from the archive")
                continue
            checked += 1
            problems += _field_differences(name, path, got, want, urls[name])
    for name, path in sorted(archived):
        problems.append(f"{name} {path}: archived, but not an expected article")
    return problems, checked


def _field_differences(
    name: str, path: str, got: dict[str, Any], want: dict[str, Any], base: str
) -> list[str]:
    problems = [
        f"{name} {path}: {field} is {got.get(field)!r}, expected {want[field]!r}"
        for field in COMPARED
        if field in want and got.get(field) != want[field]
    ]
    listing = want.get("listing_path")
    if listing is not None and got.get("listing_url") != urljoin(base, listing):
        problems.append(
            f"{name} {path}: listing_url is {got.get('listing_url')!r}, "
            f"expected {urljoin(base, listing)!r}"
        )
    return problems


def _summary(urls: dict[str, str], records: list[dict[str, Any]]) -> list[str]:
    by_netloc = {urlsplit(base).netloc: name for name, base in urls.items()}
    per_site: dict[str, list[str]] = defaultdict(list)
    for record in records:
        name = by_netloc.get(urlsplit(record["url"]).netloc, record["site"])
        per_site[name].append((record.get("published_at") or "")[:10])
    lines = [f"{'site':<12} {'articles':>8}  published"]
    for name in sorted(urls):
        dates = sorted(d for d in per_site.get(name, []) if d)
        span = f"{dates[0]} .. {dates[-1]}" if dates else "-"
        lines.append(f"{name:<12} {len(per_site.get(name, [])):>8}  {span}")
    stats = archive_stats(ARCHIVE)
    shown = ("title", "published_at", "view_count", "paragraphs", "author", "source", "section")
    filled = ", ".join(f"{f} {stats['fields_filled'][f]:.0f}%" for f in shown)
    lines.append(f"{'total':<12} {stats['articles']:>8}  "
                 f"{stats['published']['first']} .. {stats['published']['last']}")
    lines.append(f"fields filled: {filled}")
    return lines


def main() -> int:
    names = site_names()
    if not names:
        print("error: no fixture sites in fixtures/sites/ (run from a full checkout)",
              file=sys.stderr)
        return 1
    ARCHIVE.parent.mkdir(exist_ok=True)
    _remove_archive(ARCHIVE)
    LOG.unlink(missing_ok=True)
    with MockServer() as server:  # stopped on leaving the block, also on an error or Ctrl-C
        urls = server.urls
        print(f"serving {len(urls)} demo sites on 127.0.0.1: {', '.join(sorted(urls))}")
        start_urls = [u for name in sorted(urls) for u in _start_urls(name, urls[name])]
        print(f"crawling {len(start_urls)} start pages into {ARCHIVE.relative_to(ROOT)} "
              f"(log: {LOG.relative_to(ROOT)})")
        sys.stdout.flush()
        status = newsarchive_main([
            "crawl", *start_urls, "-o", os.path.relpath(ARCHIVE), "--delay", "0",
        ])
    if status != 0 or not ARCHIVE.exists():
        print(f"error: the crawl failed (exit {status}); see {LOG}", file=sys.stderr)
        return 1
    records = load_records(ARCHIVE)
    print()
    print("\n".join(_summary(urls, records)))
    failures = ARCHIVE.with_name(ARCHIVE.name + ".failures.jsonl")
    if failures.exists():
        lines = failures.read_text(encoding="utf-8").splitlines()
        kinds = Counter(json.loads(line)["kind"] for line in lines if line.strip())
        listed = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common())
        print(f"failed pages: {listed} (listed in {os.path.relpath(failures)})")
    problems, checked = compare(urls, records)
    if not problems:
        print(f"matches expected records: yes ({checked} articles on {len(urls)} sites)")
        return 0
    print(f"matches expected records: no ({len(problems)} differences)")
    for line in problems[:MAX_SHOWN]:
        print(f"  {line}")
    if len(problems) > MAX_SHOWN:
        print(f"  ... and {len(problems) - MAX_SHOWN} more")
    return 1


if __name__ == "__main__":
    sys.exit(main())
