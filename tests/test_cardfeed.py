"""An app-style card-feed site crawled from its home page alone (fixtures/sites/cardfeed).

Its channels go on three ways: a cursor in a 加载更多 link and ``<link rel=next>``, a
加载更多 button whose ``data-url`` names a JSON endpoint counted up by page, and an empty
shell whose script names a JSON endpoint that hands back the next cursor. Article links
carry tracking parameters; two articles sit in two channels.
"""

from __future__ import annotations

from collections import Counter

import pytest_twisted

from tests.crawlkit import (
    LiveSite,
    archived,
    article_paths,
    crawl_settings,
    expected_records,
    mismatches,
    page_requests,
    run_crawl,
)

SITE = "cardfeed"


def _queries(log: list[dict[str, str]]) -> set[str]:
    return {f"{r['path']}?{r['query']}" if r["query"] else r["path"] for r in log}


@pytest_twisted.ensureDeferred
async def test_every_channel_style_is_followed_to_its_end(tmp_path):
    live = LiveSite(SITE)
    try:
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=live.base)
        asked = _queries(live.requests())
        paths = [r["path"] for r in archived(archive, live.base)]
    finally:
        live.close()
    assert sorted(paths) == sorted(expected_records(SITE))
    # Each way of going on was taken, to its last page, and no further.
    for url in (
        "/channel/bendi?cursor=5a00ada7",
        "/api/feed/list?channel=xiangzhen&page=2",
        "/api/feed/list?channel=xiangzhen&page=3",
        "/api/feed/list?channel=minsheng",
        "/api/feed/list?channel=minsheng&cursor=MTc0MTUwNjgwMA",
    ):
        assert url in asked, f"never asked {url}: {sorted(asked)}"
    assert "/api/feed/list?channel=xiangzhen&page=4" not in asked
    # Non-news sections are not listings to walk, and the tracking query makes no second copy.
    assert not {"/about/", "/contact/", "/download/"} & {p for p in paths}


@pytest_twisted.ensureDeferred
async def test_next_day_adds_exactly_the_two_new_articles(tmp_path):
    live = LiveSite(SITE)
    try:
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=live.base)
        before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
        first_log = page_requests(live.requests())
        live.switch("grown")

        crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)

        after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
        second_log = page_requests(live.requests())
    finally:
        live.close()
    grown = expected_records(SITE, "expected-grown.jsonl")
    assert len(grown) == 2
    assert set(after) - set(before) == set(grown)
    assert {p: after[p] for p in before} == before, "a crawl of the grown site changed old records"
    problems = [m for p in sorted(grown) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    assert crawler.stats.get_value("newsarchive/archive/new") == 2
    again = sorted(set(second_log) & set(first_log) & article_paths(SITE))
    assert not again, f"article pages fetched again on the second day: {again}"
    assert all(n == 1 for p, n in Counter(second_log).items() if p in article_paths(SITE))
