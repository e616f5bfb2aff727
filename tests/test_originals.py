"""Which copy of a re-post is kept: the one published first, whatever the fetch order."""

from __future__ import annotations

import dataclasses
import itertools
import json
import sqlite3

import pytest
import pytest_twisted
from newsarchive.pipelines._shared import close_archive
from newsarchive.pipelines.archive import ArchivePipeline
from newsarchive.pipelines.dedupe import DedupePipeline
from newsarchive.pipelines.normalize import NormalizePipeline
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsarchive.archive import open_archive
from newsarchive.dedupe import original_key, precedes
from newsarchive.items import Article
from tests.archive_samples import TEXTS, make_article
from tests.crawlkit import (
    LiveSite,
    content_duplicates,
    crawl_settings,
    page_requests,
    path_of,
    run_crawl,
)

# -- the rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2021-11-05T10:30:00+08:00", "http://a.cn/z.html"), ("2021-11-11T09:20:00+08:00", "http://a.cn/a.html")),
        # Equal moments (the same instant in two offsets): the earlier URL.
        (("2021-11-05T10:30:00+08:00", "http://a.cn/1.html"), ("2021-11-05T02:30:00+00:00", "http://a.cn/2.html")),
        # A date alone is the start of its day in Beijing time: before any time that day.
        (("2021-11-05", "http://a.cn/z.html"), ("2021-11-05T00:01:00+08:00", "http://a.cn/a.html")),
        (("2021-11-04T23:59:00+08:00", "http://a.cn/z.html"), ("2021-11-05", "http://a.cn/a.html")),
        # A copy without a date (or with one that cannot be read) comes after every dated one.
        (("2021-11-05", "http://a.cn/z.html"), (None, "http://a.cn/a.html")),
        (("2021-11-05", "http://a.cn/z.html"), ("11月5日", "http://a.cn/a.html")),
        ((None, "http://a.cn/a.html"), ("", "http://a.cn/b.html")),
    ],
)
def test_the_original_is_published_first_then_the_earlier_url(first, second):
    assert precedes(*first, *second)
    assert not precedes(*second, *first)
    assert min(original_key(*second), original_key(*first)) == original_key(*first)


def test_a_copy_is_not_its_own_original():
    assert not precedes("2021-11-05", "http://a.cn/1.html", "2021-11-05", "http://a.cn/1.html")


# -- through the pipelines ------------------------------------------------------------

ORIGINAL = "http://www.krqnews.example.cn/news/2021/1105/12.html"
REPOST = "http://www.krqnews.example.cn/xiangzhen/2021/1111/16.html"
NEAR_COPY = "http://www.krqnews.example.cn/tupian/2021/1112/20.html"
OTHER = "http://www.krqnews.example.cn/news/2021/1106/13.html"


def _copies() -> list[Article]:
    """An article, its exact re-post six days later, a near copy (a "（组图）" title) a day
    after that, and an unrelated article."""
    title = TEXTS["renovation"][0]
    original = make_article("renovation", path="news/2021/1105/12.html", published_at="2021-11-05T10:30:00+08:00")
    repost = make_article(
        "renovation", path="xiangzhen/2021/1111/16.html",
        published_at="2021-11-11T09:20:00+08:00", view_count=39, section="乡镇动态",
    )
    near = make_article(
        "renovation", path="tupian/2021/1112/20.html", title="（组图）" + title,
        published_at="2021-11-12", view_count=7,
    )
    other = make_article("school", path="news/2021/1106/13.html", published_at="2021-11-06T08:00:00+08:00")
    assert [a.canonical_url for a in (original, repost, near, other)] == [ORIGINAL, REPOST, NEAR_COPY, OTHER]
    return [original, repost, near, other]


class Crawl:
    """The three real pipelines of one crawl into *path*, fed by hand."""

    def __init__(self, path):
        self.crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(path)})
        self.crawler.stats.open_spider()
        self.stages = [cls.from_crawler(self.crawler) for cls in (NormalizePipeline, DedupePipeline, ArchivePipeline)]
        for stage in self.stages[1:]:
            stage.open_spider()
        self.dropped: list[str] = []

    def feed(self, *articles: Article) -> Crawl:
        for article in articles:
            item = dataclasses.replace(article, content_hash="", simhash="")
            try:
                for stage in self.stages:
                    item = stage.process_item(item)
            except DropItem as exc:
                self.dropped.append(str(exc))
        return self

    def stat(self, key: str) -> int:
        return int(self.crawler.stats.get_value(key, 0))

    def close(self) -> None:
        close_archive(self.crawler)


def _state(path):
    """Return what the archive keeps: kept URL -> record, and copy URL -> (original, reason)."""
    with open_archive(path, readonly=True) as archive:
        kept = {a.canonical_url: a.to_record() for a in archive.iter_articles()}
        pairs = {r.canonical_url: (r.duplicate.url, r.duplicate.reason) for r in archive.iter_duplicates()}
        assert archive.count_duplicates() == len(pairs)
    return kept, pairs


@pytest.fixture(params=["sqlite", "jsonl"])
def backend(request):
    return request.param


def test_an_original_found_after_its_repost_takes_its_place(backend, tmp_path):
    original, repost, _, _ = _copies()
    path = tmp_path / f"news.{backend}"
    crawl = Crawl(path).feed(repost, original)
    assert crawl.dropped == [f"original of {REPOST} (same content): archived in its place"]
    assert (crawl.stat("newsarchive/archive/new"), crawl.stat("newsarchive/dedupe/exact")) == (1, 1)
    assert crawl.stat("newsarchive/dedupe/replaced") == 1
    crawl.close()
    kept, pairs = _state(path)
    assert list(kept) == [ORIGINAL]
    assert kept[ORIGINAL]["published_at"] == "2021-11-05T10:30:00+08:00"
    assert kept[ORIGINAL]["version"] == 1
    assert pairs == {REPOST: (ORIGINAL, "same content")}
    # The replaced copy is not lost: its whole record stays with its duplicate row.
    with open_archive(path, readonly=True) as archive:
        (row,) = archive.iter_duplicates()
        assert archive.has_url(REPOST) and archive.has_url(ORIGINAL)
    assert row.record is not None
    assert row.record["paragraphs"] == list(repost.paragraphs)
    assert (row.record["section"], row.record["view_count"], row.record["version"]) == ("乡镇动态", 39, 1)


def test_the_next_days_crawl_finding_the_original_replaces_yesterdays_repost(backend, tmp_path):
    original, repost, near, other = _copies()
    path = tmp_path / f"news.{backend}"
    first = Crawl(path).feed(repost, near, other)
    first.close()
    assert {url: of for url, (of, _) in _state(path)[1].items()} == {NEAR_COPY: REPOST}
    second = Crawl(path).feed(original)
    assert second.stat("newsarchive/dedupe/replaced") == 1 and second.stat("newsarchive/archive/new") == 0
    second.close()
    kept, pairs = _state(path)
    assert set(kept) == {ORIGINAL, OTHER}
    # The near copy recorded of the re-post is now a copy of the original.
    assert {url: of for url, (of, _) in pairs.items()} == {REPOST: ORIGINAL, NEAR_COPY: ORIGINAL}
    # Reopened for writing, the archive knows all of it: nothing is archived twice.
    third = Crawl(path).feed(repost, near, original, other)
    assert third.stat("newsarchive/archive/new") == 0
    third.close()
    assert _state(path) == (kept, pairs)


def _crawl_in_order(path, order, split):
    """Feed *order* in two crawls into *path* (the first *split* articles in the first)."""
    for part in (order[:split], order[split:]):
        Crawl(path).feed(*part).close()
    return _state(path)


def test_any_order_gives_the_same_archive(backend, tmp_path):
    copies = _copies()
    results = []
    for n, order in enumerate(itertools.permutations(copies)):
        for split in (len(order), 2):
            results.append(_crawl_in_order(tmp_path / f"{n}-{split}.{backend}", list(order), split))
    kept, pairs = results[0]
    assert set(kept) == {ORIGINAL, OTHER}
    assert {url: of for url, (of, _) in pairs.items()} == {REPOST: ORIGINAL, NEAR_COPY: ORIGINAL}
    assert pairs[REPOST][1] == "same content"
    different = [i for i, (k, p) in enumerate(results) if set(k) != set(kept) or {u: o for u, (o, _) in p.items()} != {u: o for u, (o, _) in pairs.items()}]
    assert not different
    # The kept records are the same too, but for when they were fetched.
    strip = {"fetched_at"}
    for k, _ in results:
        assert {u: {f: v for f, v in r.items() if f not in strip} for u, r in k.items()} == {
            u: {f: v for f, v in r.items() if f not in strip} for u, r in kept.items()
        }


def test_a_dated_copy_replaces_an_undated_one_kept_first(backend, tmp_path):
    original, repost, _, _ = _copies()
    undated = dataclasses.replace(original, published_at=None)  # the earlier URL, but no date
    path = tmp_path / f"news.{backend}"
    Crawl(path).feed(undated, repost).close()
    kept, pairs = _state(path)
    assert list(kept) == [REPOST]
    assert pairs == {ORIGINAL: (REPOST, "same content")}


def test_a_replaced_copy_archived_again_goes_on_with_its_versions(backend, tmp_path):
    original, repost, _, _ = _copies()
    path = tmp_path / f"news.{backend}"
    Crawl(path).feed(repost, original).close()
    # The re-post's page is rewritten into another article: it is an article of its own again.
    title, paragraphs = TEXTS["harvest"]
    rewritten = dataclasses.replace(repost, title=title, paragraphs=paragraphs)
    Crawl(path).feed(rewritten).close()
    kept, pairs = _state(path)
    assert set(kept) == {ORIGINAL, REPOST} and pairs == {}
    assert kept[REPOST]["title"] == title and kept[REPOST]["version"] == 2
    with open_archive(path, readonly=True) as archive:
        versions = [a for a in archive.iter_articles(all_versions=True) if a.canonical_url == REPOST]
    assert [(a.version, a.title) for a in versions][-1] == (2, title)
    if backend == "sqlite":
        assert [(a.version, a.paragraphs) for a in versions] == [(1, repost.paragraphs), (2, paragraphs)]
        conn = sqlite3.connect(path)
        try:
            changed = conn.execute("SELECT changed FROM versions WHERE canonical_url = ?", (REPOST,)).fetchone()[0]
        finally:
            conn.close()
        assert "title" in json.loads(changed)


# -- the real spider, several fetch orders ------------------------------------------

#: Fetch orders: start pages (the re-post's section first, or the original's, or the home
#: page) and Scrapy's scheduling (one request at a time or many; depth first or breadth first).
ORDERS = [
    ("repost-section-first", "drop", {"CONCURRENT_REQUESTS": 1, "DEPTH_PRIORITY": 1}),
    ("original-section-first", "keep", {"CONCURRENT_REQUESTS": 1, "DEPTH_PRIORITY": 1}),
    ("home-depth-first", "", {"CONCURRENT_REQUESTS": 1, "DEPTH_PRIORITY": -1}),
    ("home-concurrent", "", {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}),
]
SECTIONS = {"dedecms": {"keep": "/a/xinwen/", "drop": "/a/xiangzhen/"},
            "empirecms": {"keep": "/culture/", "drop": "/news/society/"}}


@pytest.mark.parametrize("site", sorted(SECTIONS))
@pytest_twisted.ensureDeferred
async def test_every_fetch_order_archives_the_same_originals(site, tmp_path):
    (keep, drop), = content_duplicates(site)
    live = LiveSite(site)
    results = {}
    met_repost_first = []
    try:
        for name, first, settings in ORDERS:
            for backend in ("sqlite", "jsonl") if name == "repost-section-first" else ("sqlite",):
                live.reset()
                path = tmp_path / f"{name}.{backend}"
                starts = [live.base + SECTIONS[site][first].lstrip("/")] if first else []
                crawler = await run_crawl(
                    crawl_settings(path, **settings), start_urls=",".join([*starts, live.base])
                )
                fetched = [p for p in page_requests(live.requests()) if p in (keep, drop)]
                # With many requests at once the server's order of arrival is not the order
                # the pipeline meets the items in: the replacement is checked one at a time.
                if fetched and fetched[0] == drop and settings["CONCURRENT_REQUESTS"] == 1:
                    met_repost_first.append(name)
                    assert crawler.stats.get_value("newsarchive/dedupe/replaced") == 1, name
                kept, pairs = _state(path)
                results[f"{name}.{backend}"] = (
                    sorted(path_of(u, live.base) for u in kept),
                    sorted((path_of(u, live.base), path_of(of, live.base)) for u, (of, _) in pairs.items()),
                )
    finally:
        live.close()
    assert "repost-section-first" in met_repost_first, "no crawl met the re-post first"
    first = next(iter(results.values()))
    assert keep in first[0] and drop not in first[0]
    assert (drop, keep) in first[1]
    assert all(r == first for r in results.values()), results
