"""The pipelines: normalise -> deduplicate -> archive, called directly and in a real crawl."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import sqlite3
import time

import pytest
import pytest_twisted
import scrapy
from newsarchive.pipelines._shared import archive_for, close_archive
from newsarchive.pipelines.archive import ArchivePipeline
from newsarchive.pipelines.dedupe import DedupePipeline
from newsarchive.pipelines.normalize import NormalizePipeline
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.test import get_crawler

from newsarchive.archive import ArchiveLocked, load_records, open_archive
from newsarchive.dedupe import content_hash, simhash
from newsarchive.items import Article
from tests.archive_samples import TEXTS, make_article, refingerprint

PIPELINES = {
    "newsarchive.pipelines.normalize.NormalizePipeline": 100,
    "newsarchive.pipelines.dedupe.DedupePipeline": 200,
    "newsarchive.pipelines.archive.ArchivePipeline": 300,
}


@pytest.fixture(params=["sqlite", "jsonl"])
def archive_path(request, tmp_path):
    # A nested directory: archive_for creates it.
    return tmp_path / "data" / "archive" / f"news.{request.param}"


@pytest.fixture
def crawler(archive_path):
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(archive_path)})
    crawler.stats.open_spider()
    yield crawler
    close_archive(crawler)


@pytest.fixture
def chain(crawler):
    """Run an item through the three pipelines as Scrapy would (without the engine)."""
    normalize = NormalizePipeline.from_crawler(crawler)
    dedupe = DedupePipeline.from_crawler(crawler)
    archive = ArchivePipeline.from_crawler(crawler)
    dedupe.open_spider()
    archive.open_spider()

    def run(item):
        return archive.process_item(dedupe.process_item(normalize.process_item(item)))

    return run


def _raw(slug="renovation", **changes):
    """An article as extraction hands it over: no fingerprints, no fetched_at."""
    article = make_article(slug, fetched_at="", **changes)
    return dataclasses.replace(article, content_hash="", simhash="")


# -- NormalizePipeline ---------------------------------------------------------


def test_normalize_fills_fingerprints_and_normalises_text(crawler):
    pipeline = NormalizePipeline.from_crawler(crawler)
    raw = _raw(
        "harvest",
        title="\u3000开鲁县玉米喜获丰收&nbsp; 秋收进度已达九成 ",
        paragraphs=("", "  眼下正值秋收关键时期\u00a0", "\u200b", "２０２１年ＡＢＣ"),
        author=" 张明 ",
        source="\u3000",
        section="本地新闻\n",
    )
    item = pipeline.process_item(raw)
    assert item is not raw and isinstance(item, Article)
    assert item.title == "开鲁县玉米喜获丰收 秋收进度已达九成"
    assert item.paragraphs == ("眼下正值秋收关键时期", "2021年ABC")
    assert (item.author, item.source, item.section) == ("张明", None, "本地新闻")
    assert item.content_hash == content_hash(item.title, item.paragraphs)
    assert item.simhash == simhash(item.title, item.paragraphs)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", item.fetched_at)


def test_normalize_keeps_given_fetched_at_and_fills_canonical_url(crawler):
    pipeline = NormalizePipeline.from_crawler(crawler)
    raw = dataclasses.replace(
        _raw(), url="HTTP://WWW.Example.cn:80/a.html?utm_source=x#top", canonical_url="", site="",
        fetched_at="2021-11-05T02:00:00+00:00",
    )
    item = pipeline.process_item(raw)
    assert item.fetched_at == "2021-11-05T02:00:00+00:00"
    assert item.canonical_url == "http://www.example.cn/a.html"
    assert item.site == "www.example.cn"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": " \u3000 "}, "title"), ({"paragraphs": ("", "\u00a0", "\u200b")}, "paragraphs")],
    ids=["title", "paragraphs"],
)
def test_normalize_drops_empty_field_naming_it(crawler, changes, field):
    pipeline = NormalizePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match=f"field '{field}' is empty") as info:
        pipeline.process_item(_raw(**changes))
    assert info.value.log_level is None  # Scrapy's default: WARNING


def test_other_items_pass_through(crawler):
    item = {"title": "not an article"}
    for cls in (NormalizePipeline, DedupePipeline, ArchivePipeline):
        assert cls.from_crawler(crawler).process_item(item) is item


# -- DedupePipeline ------------------------------------------------------------


def test_same_url_twice_in_one_crawl_is_dropped(chain, crawler):
    chain(_raw("school"))
    with pytest.raises(DropItem, match=r"duplicate of http://\S+/news/school.html \(same URL") as info:
        chain(_raw("school", view_count=999))
    assert info.value.log_level == "INFO"
    assert crawler.stats.get_value("newsarchive/dedupe/url") == 1


def test_same_content_under_another_url_is_dropped(chain, crawler):
    first = chain(_raw("harvest", path="html/2021/1105/1.html"))
    # Published after the first (the earlier copy is the original, see test_originals.py).
    copy = _raw("harvest", path="e/action/ShowInfo.php?classid=2&id=1", published_at="2021-11-06T09:00:00+08:00")
    with pytest.raises(DropItem, match=rf"duplicate of {re.escape(first.canonical_url)} \(same content\)"):
        chain(copy)
    assert crawler.stats.get_value("newsarchive/dedupe/exact") == 1
    # Remembered, so the spider's has_url() spares the next crawl a fetch of the copy.
    assert archive_for(crawler).has_url(copy.canonical_url)


def test_near_copy_on_same_site_is_dropped_with_distance(chain, crawler):
    first = chain(_raw("festival", path="news/1.html"))
    title, paragraphs = TEXTS["festival"]
    repost = _raw("festival", path="news/2.html", title="【转载】" + title, paragraphs=paragraphs + ("（责任编辑：王小明）",))
    with pytest.raises(DropItem, match=rf"duplicate of {re.escape(first.canonical_url)} \(simhash distance [0-3]\)"):
        chain(repost)
    assert crawler.stats.get_value("newsarchive/dedupe/near") == 1
    # The same text on another site is that site's article.
    elsewhere = dataclasses.replace(
        repost, url="http://www.other.example.cn/2.html", canonical_url="", site=""
    )
    assert chain(elsewhere).site == "www.other.example.cn"


def test_different_articles_all_pass(chain, crawler):
    for slug in TEXTS:
        chain(_raw(slug))
    assert crawler.stats.get_value("newsarchive/archive/new") == len(TEXTS)
    assert crawler.stats.get_value("newsarchive/dedupe/near") is None


def test_known_url_from_earlier_crawl_goes_on_as_update(archive_path):
    with open_archive(archive_path) as archive:
        archive.add(make_article("renovation", view_count=10))
        archive.add(make_article("school", view_count=10))
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(archive_path)})
    crawler.stats.open_spider()
    pipes = [cls.from_crawler(crawler) for cls in (NormalizePipeline, DedupePipeline, ArchivePipeline)]
    try:
        for item in (
            _raw("renovation", title="科尔沁区老旧小区改造惠及1.3万户"),  # edited text
            _raw("school", view_count=25),  # only the count changed
            _raw("harvest"),  # new
        ):
            for pipe in pipes:
                item = pipe.process_item(item)
    finally:
        close_archive(crawler)
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/archive/updated"] == 1
    assert stats["newsarchive/archive/views"] == 1
    assert stats["newsarchive/archive/new"] == 1
    assert not any(k.startswith("newsarchive/dedupe/") for k in stats)
    records = {r["canonical_url"].rsplit("/", 1)[1]: r for r in load_records(archive_path)}
    assert records["renovation.html"]["version"] == 2
    assert records["school.html"]["view_count"] == 25


def test_archive_counts_unchanged(chain, crawler, archive_path):
    chain(_raw("harvest"))
    close_archive(crawler)
    again = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(archive_path)})
    again.stats.open_spider()
    try:
        ArchivePipeline.from_crawler(again).process_item(refingerprint(make_article("harvest")))
    finally:
        close_archive(again)
    assert again.stats.get_value("newsarchive/archive/unchanged") == 1


# -- archive_for -----------------------------------------------------------------


def test_one_writer_per_crawler_in_created_directory(crawler, archive_path):
    first = archive_for(crawler)
    assert archive_for(crawler) is first
    assert archive_path.parent.is_dir()
    other = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(archive_path)})
    with pytest.raises(ArchiveLocked, match="being written by another harvest"):
        archive_for(other)
    close_archive(crawler)
    with open_archive(archive_path) as archive:  # the lock is released
        assert archive.add(make_article("school")) == "new"


# -- a real crawl ------------------------------------------------------------------


class ItemsSpider(scrapy.Spider):
    """Yields the Articles it is given, as the news spider would after extraction."""

    name = "items"

    def __init__(self, items=(), **kwargs):
        super().__init__(**kwargs)
        self.items = items

    async def start(self):
        for item in self.items:
            yield item


def _crawler(archive_path, **settings):
    return get_crawler(
        ItemsSpider,
        {
            "ITEM_PIPELINES": PIPELINES,
            "NEWSARCHIVE_ARCHIVE": str(archive_path),
            "LOG_LEVEL": "INFO",
            **settings,
        },
    )


@pytest_twisted.ensureDeferred
async def test_crawl_archives_and_drops_duplicates(archive_path, caplog):
    title = TEXTS["school"][0]
    items = [
        _raw("renovation"),
        _raw("school", path="news/5.html"),
        _raw("school", path="news/5.html"),  # same URL again
        _raw("school", path="news/7.html"),  # same content (a later URL: the copy)
        _raw("school", path="news/6.html", title="转载：" + title),  # near copy
        _raw("harvest", title=" "),  # no title
        _raw("festival"),
    ]
    crawler = _crawler(archive_path)
    with caplog.at_level(logging.INFO):
        await deferred_from_coro(crawler.crawl_async(items=items))
    stats = crawler.stats.get_stats()
    assert stats["newsarchive/archive/new"] == 3
    assert (stats["newsarchive/dedupe/url"], stats["newsarchive/dedupe/exact"], stats["newsarchive/dedupe/near"]) == (1, 1, 1)
    assert stats["item_dropped_count"] == 4
    records = load_records(archive_path)
    assert [r["title"] for r in records] == [TEXTS[s][0] for s in ("renovation", "school", "festival")]
    assert all(r["fetched_at"] and r["simhash"] and r["version"] == 1 for r in records)
    drops = [r for r in caplog.records if "duplicate of" in r.getMessage()]
    assert len(drops) == 3 and all(r.levelno == logging.INFO for r in drops)
    assert any(r.levelno == logging.WARNING and "field 'title' is empty" in r.getMessage() for r in caplog.records)
    # Closed at the end of the crawl: the lock is free and the file is complete.
    with open_archive(archive_path) as archive:
        assert len(list(archive.iter_articles())) == 3
    if archive_path.suffix == ".sqlite":
        conn = sqlite3.connect(archive_path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()


@pytest_twisted.ensureDeferred
async def test_second_crawl_updates_and_counts_views(archive_path):
    await deferred_from_coro(_crawler(archive_path).crawl_async(items=[_raw("renovation", view_count=5), _raw("harvest")]))
    crawler = _crawler(archive_path)
    await deferred_from_coro(
        crawler.crawl_async(
            items=[_raw("renovation", view_count=9), _raw("harvest", title="开鲁县玉米丰收 秋收过九成"), _raw("school")]
        )
    )
    stats = crawler.stats.get_stats()
    assert (stats["newsarchive/archive/views"], stats["newsarchive/archive/updated"], stats["newsarchive/archive/new"]) == (1, 1, 1)
    by_slug = {r["url"].rsplit("/", 1)[1]: r for r in load_records(archive_path)}
    assert by_slug["renovation.html"]["view_count"] == 9
    assert by_slug["harvest.html"]["version"] == 2
    assert len(load_records(archive_path, all_versions=True)) == 4


@pytest_twisted.ensureDeferred
async def test_locked_archive_fails_the_crawl_at_start(archive_path):
    with open_archive(archive_path) as holder:
        holder.add(make_article("festival"))
        crawler = _crawler(archive_path)
        with pytest.raises(ArchiveLocked, match=r"is being written by another harvest \(pid \d+\)"):
            await deferred_from_coro(crawler.crawl_async(items=[_raw("harvest")]))
    assert crawler.stats.get_value("newsarchive/archive/new") is None
    assert [r["title"] for r in load_records(archive_path)] == [TEXTS["festival"][0]]


def test_records_in_jsonl_crawl_output_are_plain_json(archive_path):
    # Guard the documented one-line load for JSON Lines archives.
    if archive_path.suffix != ".jsonl":
        pytest.skip("JSON Lines only")
    with open_archive(archive_path) as archive:
        archive.add(make_article("school"))
    records = [json.loads(line) for line in archive_path.read_text(encoding="utf-8").splitlines()]
    assert records[0]["title"] == TEXTS["school"][0]


def test_waiting_batch_is_committed_when_a_response_arrives(tmp_path):
    # No item for a while (the crawl walks listings): a response still commits the batch.
    from scrapy import signals
    from scrapy.http import HtmlResponse, Request

    path = tmp_path / "news.sqlite"
    crawler = get_crawler(
        ItemsSpider,
        {"NEWSARCHIVE_ARCHIVE": str(path), "NEWSARCHIVE_BATCH_SIZE": 1000, "NEWSARCHIVE_BATCH_SECONDS": 0.05},
    )
    spider = ItemsSpider.from_crawler(crawler)
    crawler.stats.open_spider()
    try:
        ArchivePipeline.from_crawler(crawler).process_item(make_article("school"))
        assert load_records(path) == []  # still in the open batch
        time.sleep(0.06)
        request = Request("http://www.krqnews.example.cn/list_2.html")
        response = HtmlResponse(request.url, body=b"<html></html>", request=request)
        crawler.signals.send_catch_log(signals.response_received, response=response, request=request, spider=spider)
        assert [r["title"] for r in load_records(path)] == [TEXTS["school"][0]]
    finally:
        crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished")
    with open_archive(path) as archive:  # closed by spider_closed: the lock is free
        assert archive.has_url(make_article("school").canonical_url)


def test_lock_timeout_setting_makes_the_crawl_wait(archive_path):
    with open_archive(archive_path):
        crawler = get_crawler(
            settings_dict={"NEWSARCHIVE_ARCHIVE": str(archive_path), "NEWSARCHIVE_LOCK_TIMEOUT": 0.3}
        )
        started = time.monotonic()
        with pytest.raises(ArchiveLocked):
            archive_for(crawler)
        assert time.monotonic() - started >= 0.25
