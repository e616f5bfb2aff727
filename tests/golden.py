"""Load golden fixtures: one-page fixtures (fixtures/pages) and fixture sites' expected records."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.mockserver import query_file_name

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: Record fields extraction fills and golden tests compare (listing_path is the crawl's).
COMPARED = ("title", "published_at", "view_count", "paragraphs", "author", "source", "section", "canonical_url", "counter_url")


@dataclass(frozen=True)
class GoldenCase:
    """One page, its inputs and its hand-written expected record."""

    id: str
    html_path: Path
    url: str
    content_type: str | None
    expected: dict[str, Any]
    json_path: Path | None = None
    counters: dict[str, int] | None = None


def _page_cases() -> list[GoldenCase]:
    cases = []
    for json_path in sorted((FIXTURES / "pages").glob("*.json")):
        data = json.loads(json_path.read_text(encoding="utf-8"))
        html_path = json_path.with_suffix(".html")
        cases.append(
            GoldenCase(
                id=f"pages/{json_path.stem}",
                html_path=html_path,
                url=data["url"],
                content_type=data.get("content_type"),
                expected=data["expected"],
                json_path=json_path,
            )
        )
    return cases


def _file_for(www: Path, path: str) -> Path:
    """Map a URL path (with query) to the served file, as tests/mockserver.py does."""
    parts = urlsplit(path)
    local = unquote(parts.path).lstrip("/")  # the server unquotes: /2021/10/17/%e8%80%81.../
    if not local or local.endswith("/"):
        local += "index.html"
    if parts.query:
        mapped = www / query_file_name(parts.path, parts.query)
        if mapped.is_file():
            return mapped
    return www / local


def _content_type(site: dict[str, Any], path: str) -> str | None:
    local = urlsplit(path).path
    if local.endswith("/"):
        local += "index.html"
    for rule in site.get("content_types", []):
        if fnmatch.fnmatch(local, rule["match"]):
            return str(rule["type"])
    return "text/html"


def _site_cases() -> list[GoldenCase]:
    cases = []
    for site_dir in sorted((FIXTURES / "sites").glob("*")):
        expected_path = site_dir / "expected.jsonl"
        toml_path = site_dir / "site.toml"
        if not expected_path.is_file() or not toml_path.is_file():
            continue
        site = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        counters = {str(k): int(v) for k, v in site.get("counter", {}).get("values", {}).items()}
        for line in expected_path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            record = json.loads(line)
            path = record["path"]
            cases.append(
                GoldenCase(
                    id=f"sites/{site_dir.name}{path}",
                    html_path=_file_for(site_dir / "www", path),
                    url=f"http://{site['host']}{path}",
                    content_type=_content_type(site, path),
                    expected=record,
                    counters=counters or None,
                )
            )
    return cases


def golden_cases() -> list[GoldenCase]:
    """Return every golden case: one-page fixtures first, then fixture sites' articles."""
    return _page_cases() + _site_cases()


_COUNTER_ID = re.compile(r"^(?:aid|id)$")


def counter_answer(counter_url: str | None, counters: dict[str, int] | None) -> int | None:
    """Return what the fixture site's counter endpoint answers first for *counter_url*."""
    if not counter_url or not counters:
        return None
    for key, value in parse_qsl(urlsplit(counter_url).query):
        if _COUNTER_ID.match(key) and value in counters:
            return counters[value]
    return None
