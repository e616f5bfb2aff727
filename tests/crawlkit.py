"""Helpers shared by the crawl tests: settings, one crawl, expected records, request logs."""

from __future__ import annotations

import json
import tomllib
import urllib.robotparser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsarchive.spiders.news import NewsSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.test import get_crawler

from newsarchive import settings as project_settings
from newsarchive.archive import load_records
from tests.mockserver import SITES_DIR, Site, base_urls, serve_sites

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "fixtures" / "sites"

#: Fields of expected.jsonl compared with the archived record as they are.
COMPARED_FIELDS = ("title", "published_at", "view_count", "paragraphs", "author", "source", "section")


def crawl_settings(archive: Path, **extra: Any) -> dict[str, Any]:
    """Return the project's settings for a fast local crawl into *archive*."""
    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    values.update(
        NEWSARCHIVE_ARCHIVE=str(archive),
        DOWNLOAD_DELAY=0,
        AUTOTHROTTLE_ENABLED=False,
        CONCURRENT_REQUESTS_PER_DOMAIN=8,
        RETRY_TIMES=1,
        NEWSARCHIVE_RETRY_BACKOFF=0.0,
        LOG_LEVEL="INFO",
    )
    values.update(extra)
    return values


async def run_crawl(
    settings: dict[str, Any], *, handlers: dict[object, Any] | None = None, **spider_args: Any
) -> Any:
    """Run the news spider to the end with *settings* and *spider_args*; return the crawler.

    *handlers* maps signals to receivers connected before the crawl starts.
    """
    crawler = get_crawler(NewsSpider, settings)
    for signal, receiver in (handlers or {}).items():
        crawler.signals.connect(receiver, signal=signal)
    # crawl_async awaits asyncio futures, so it must run as an asyncio task; the
    # test coroutine itself is driven by Twisted (pytest_twisted.ensureDeferred).
    await deferred_from_coro(crawler.crawl_async(**spider_args))
    return crawler


def site_config(site: str) -> dict[str, Any]:
    return tomllib.loads((SITES / site / "site.toml").read_text(encoding="utf-8"))


def dropped_paths(site: str) -> set[str]:
    """Return the paths site.toml lists as duplicates a crawl must not keep."""
    return {d["drop"] for d in site_config(site).get("duplicates", ())}


def content_duplicates(site: str) -> list[tuple[str, str]]:
    """Return (keep, drop) path pairs of the exact and near duplicates site.toml lists."""
    return [
        (d["keep"], d["drop"])
        for d in site_config(site).get("duplicates", ())
        if d.get("kind") in ("exact", "near")
    ]


def all_expected_records(site: str, name: str = "expected.jsonl") -> dict[str, dict[str, Any]]:
    """Return path -> hand-written record of every article in *site*'s *name* file."""
    path = SITES / site / name
    if not path.is_file():
        return {}
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            records[record["path"]] = record
    return records


def expected_records(site: str, name: str = "expected.jsonl") -> dict[str, dict[str, Any]]:
    """Return path -> hand-written record of *site*'s *name* file, duplicates to drop left out."""
    drop = dropped_paths(site)
    return {p: r for p, r in all_expected_records(site, name).items() if p not in drop}


def unexpected_paths(site: str, archived_paths: set[str], name: str = "expected.jsonl") -> list[str]:
    """Return what is wrong with the set of *archived_paths* for *site*, as messages.

    Every expected article must be there; of each exact or near duplicate pair
    exactly the ``keep`` copy (the one published first, whichever the crawl met
    first), and nothing else.
    """
    records = all_expected_records(site, name)
    pairs = content_duplicates(site)
    in_pairs = {p for pair in pairs for p in pair}
    problems = []
    for keep, drop in pairs:
        if keep in records or drop in records:
            kept = [p for p in (keep, drop) if p in archived_paths]
            if kept != [keep] and keep in records:
                problems.append(f"duplicate pair {keep} / {drop}: archived {kept}, expected [{keep!r}]")
            elif len(kept) != 1:
                problems.append(f"duplicate pair {keep} / {drop}: archived {kept}, expected one of them")
    wanted = set(records) - in_pairs - dropped_paths(site)
    problems += [f"missing {p}" for p in sorted(wanted - archived_paths)]
    problems += [f"unexpected {p}" for p in sorted(archived_paths - wanted - in_pairs)]
    return problems


def article_paths(site: str) -> set[str]:
    """Return every article page path of *site* (kept or dropped as a duplicate)."""
    paths = set(expected_records(site))
    paths |= {urlsplit(p).path for p in dropped_paths(site)}
    for variant in ("grown", "edited"):
        paths |= set(expected_records(site, f"expected-{variant}.jsonl"))
    return paths


def path_of(url: str, base: str) -> str:
    """Return *url* relative to the mock server's *base*, query included: "/a/1.html?x=1"."""
    assert url.startswith(base.rstrip("/")), f"{url} is not on {base}"
    rest = url[len(base.rstrip("/")):]
    return rest or "/"


def archived(archive: Path, base: str, *, all_versions: bool = False) -> list[dict[str, Any]]:
    """Return the archive's records, each with "path" (its url relative to *base*) added."""
    records = load_records(archive, all_versions=all_versions)
    for record in records:
        record["path"] = path_of(record["url"], base)
    return records


def mismatches(record: dict[str, Any], expected: dict[str, Any], base: str) -> list[str]:
    """Return "path: field: got X, expected Y" for each field of *record* that differs."""
    out = []
    for field in COMPARED_FIELDS:
        want = expected.get(field)
        got = record.get(field)
        if isinstance(want, list):
            got = list(got or [])
        if got != want:
            out.append(f"{expected['path']}: {field}: got {got!r}, expected {want!r}")
    want_listing = base.rstrip("/") + expected["listing_path"] if expected.get("listing_path") else None
    if record.get("listing_url") != want_listing:
        out.append(f"{expected['path']}: listing_url: got {record.get('listing_url')!r}, expected {want_listing!r}")
    return out


def robots_parser(site: str) -> urllib.robotparser.RobotFileParser:
    parser = urllib.robotparser.RobotFileParser()
    robots = SITES / site / "www" / "robots.txt"
    lines = robots.read_text(encoding="utf-8").splitlines() if robots.is_file() else []
    parser.parse(lines)
    return parser


def counter_key(entry: dict[str, str]) -> str | None:
    """Return the article id a counter request in the log asks for, or None for other requests."""
    path, query = entry["path"], entry["query"]
    params = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
    if path == "/plus/count.php":
        return params.get("aid")
    if path.startswith("/e/public/ViewClick"):
        return params.get("id")
    if path == "/api.php" and params.get("op") == "count":
        return params.get("id")
    return None


def page_requests(log: list[dict[str, str]]) -> list[str]:
    """Return the paths (with query) of the GET requests in *log* that are pages, not counters."""
    out = []
    for entry in log:
        if entry["method"] == "GET" and counter_key(entry) is None:
            out.append(entry["path"] + ("?" + entry["query"] if entry["query"] else ""))
    return out


class LiveSite:
    """One fixture site served in this process, whose variant can be switched."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.server = serve_sites([name])[name]
        self.base = base_urls({name: self.server})[name]

    def switch(self, variant: str | None) -> None:
        """Serve *variant* from now on (counters and request log start afresh)."""
        self.server.site = Site.load(SITES_DIR / self.name, variant)  # type: ignore[attr-defined]

    def requests(self) -> list[dict[str, str]]:
        site = self.server.site  # type: ignore[attr-defined]
        with site.lock:
            return list(site.log)

    def request_times(self) -> list[float]:
        """Return when each logged request arrived (time.monotonic() of this process)."""
        site = self.server.site  # type: ignore[attr-defined]
        with site.lock:
            return list(site.times)

    def reset(self) -> None:
        self.server.site.reset()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def assert_next_day_adds_exactly_the_grown(site: str, tmp_path: Path, new: int) -> None:
    """Crawl *site* from its home page, then its ``grown`` variant into the same archive:
    exactly the *new* articles of expected-grown.jsonl are added, as expected, no old record
    changes and no old article page is fetched again."""
    live = LiveSite(site)
    try:
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=live.base)
        before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
        live.switch("grown")

        crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)

        after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
        second = page_requests(live.requests())
    finally:
        live.close()
    grown = expected_records(site, "expected-grown.jsonl")
    assert set(after) - set(before) == set(grown)
    assert {p: after[p] for p in before} == before, "the grown site changed old records"
    problems = [m for p in sorted(grown) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    assert crawler.stats.get_value("newsarchive/archive/new") == new
    again = sorted(set(second) & (article_paths(site) - set(grown)))
    assert not again, f"old article pages fetched again on the second day: {again}"
