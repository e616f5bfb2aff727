"""Harvesting the same site day after day: only what is new is fetched and added.

The fixture site is served in-process (tests.mockserver.serve_sites) so that one
server, on one port, can switch from ``www/`` to the ``grown`` or ``edited``
variant between two crawls, as a real site changes overnight under the same URLs.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import pytest_twisted

from spiders.news import job_dir_for
from tests.crawlkit import (
    all_expected_records,
    archived,
    article_paths,
    crawl_settings,
    expected_records,
    mismatches,
    page_requests,
    run_crawl,
    unexpected_paths,
)
from tests.mockserver import SITES_DIR, Site, base_urls, serve_sites

SITE = "dedecms"
BACKENDS = ("jsonl", "sqlite")


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

    def reset(self) -> None:
        self.server.site.reset()  # type: ignore[attr-defined]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def live():
    site = LiveSite(SITE)
    yield site
    site.close()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest_twisted.ensureDeferred
async def test_next_day_adds_exactly_the_new_articles(live, backend, tmp_path):
    archive = tmp_path / f"news.{backend}"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    first_log = page_requests(live.requests())
    live.switch("grown")

    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)

    after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    added = set(after) - set(before)
    grown = expected_records(SITE, "expected-grown.jsonl")
    assert added == set(grown)
    assert {p: after[p] for p in before} == before, "a crawl of the grown site changed old records"
    problems = [m for p in sorted(added) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    assert crawler.stats.get_value("newsarchive/archive/new") == len(grown)

    second_log = page_requests(live.requests())
    articles = article_paths(SITE)
    again = sorted(p for p in set(second_log) & set(first_log) if p in articles)
    assert not again, f"article pages fetched again on the second day: {again}"
    twice = [p for p, n in Counter(second_log).items() if n > 1 and p in articles]
    assert not twice
    # Page 2 of 本地新闻 holds only known articles: page 3 is never read.
    assert "/a/xinwen/list_1_3.html" not in second_log


@pytest_twisted.ensureDeferred
async def test_stop_after_known_pages_zero_walks_every_page(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    live.switch("grown")

    await run_crawl(crawl_settings(archive, NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES=0), start_urls=live.base)

    assert "/a/xinwen/list_1_3.html" in page_requests(live.requests())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest_twisted.ensureDeferred
async def test_full_recrawl_records_an_edit_and_a_new_view_count(live, backend, tmp_path):
    archive = tmp_path / f"news.{backend}"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    live.switch("edited")

    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base, full="1")

    edited = all_expected_records(SITE, "expected-edited.jsonl")
    versions = Counter(r["path"] for r in archived(archive, live.base, all_versions=True))
    latest = {r["path"]: r for r in archived(archive, live.base)}
    changed_text = "/a/xinwen/2021/1103/9.html"
    changed_count = "/a/xinwen/2021/1026/6.html"
    assert versions[changed_text] == 2
    assert latest[changed_text]["paragraphs"] == edited[changed_text]["paragraphs"]
    assert latest[changed_count]["view_count"] == edited[changed_count]["view_count"] == 468
    assert versions[changed_count] == 1
    assert crawler.stats.get_value("newsarchive/archive/updated") == 1
    assert crawler.stats.get_value("newsarchive/archive/views", 0) >= 1
    # Every article page was fetched again, once.
    fetched = Counter(page_requests(live.requests()))
    kept = set(latest)
    assert all(fetched[p] == 1 for p in kept), {p: fetched[p] for p in kept if fetched[p] != 1}


@pytest_twisted.ensureDeferred
async def test_since_stops_pagination_and_skips_older_articles(live, tmp_path):
    live.switch("grown")
    archive = tmp_path / "news.jsonl"

    crawler = await run_crawl(
        crawl_settings(archive), start_urls=live.base.rstrip("/") + "/a/xinwen/", since="2021-11-09"
    )

    fetched = page_requests(live.requests())
    # Page 2 ends with 11-05, before since: page 3 is not read, nor 12.html (11-05).
    assert "/a/xinwen/list_1_2.html" in fetched
    assert "/a/xinwen/list_1_3.html" not in fetched
    assert "/a/xinwen/2021/1105/12.html" not in fetched
    paths = {r["path"] for r in archived(archive, live.base)}
    assert paths == {
        "/a/xinwen/2021/1112/19.html", "/a/xinwen/2021/1111/18.html", "/a/xinwen/2021/1111/17.html",
        "/a/xinwen/2021/1110/15.html", "/a/xinwen/2021/1109/14.html",
    }
    assert crawler.stats.get_value("newsarchive/pagination/stopped_since") == 1


@pytest_twisted.ensureDeferred
async def test_a_crawl_stopped_part_way_continues_from_its_job_directory(live, tmp_path):
    """Closed early (as by SIGINT), the JOBDIR stays; the rerun fetches only what is left."""
    archive = tmp_path / "news.sqlite"
    first = await run_crawl(crawl_settings(archive, CLOSESPIDER_ITEMCOUNT=3, CONCURRENT_REQUESTS=1), start_urls=live.base)
    assert first.stats.get_value("finish_reason") == "closespider_itemcount"
    jobdir = Path(job_dir_for(str(archive)))
    assert (jobdir / "requests.seen").is_file()
    first_log = page_requests(live.requests())
    live.reset()

    second = await run_crawl(crawl_settings(archive), start_urls=live.base)

    assert second.stats.get_value("finish_reason") == "finished"
    assert not jobdir.exists()
    records = archived(archive, live.base)
    wrong = unexpected_paths(SITE, {r["path"] for r in records})
    assert not wrong, "\n".join(wrong)
    articles = article_paths(SITE)
    again = sorted(p for p in set(page_requests(live.requests())) & set(first_log) if p in articles)
    assert not again, f"article pages fetched by both runs: {again}"
