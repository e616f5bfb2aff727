"""The real news spider through Scrapy's engine against every fixture site (tests/mockserver.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import pytest_twisted
from newsarchive.spiders.news import ArgumentError, NewsSpider

from newsarchive.crawlstate import job_dir_for
from newsarchive.normalize import canonicalize_url
from newsarchive.signals import page_failed
from tests.crawlkit import (
    all_expected_records,
    archived,
    article_paths,
    counter_key,
    crawl_settings,
    dropped_paths,
    expected_records,
    mismatches,
    page_requests,
    robots_parser,
    run_crawl,
    unexpected_paths,
)
from tests.mockserver import site_names

SITES = site_names()
BACKENDS = ("jsonl", "sqlite")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("site", SITES)
@pytest_twisted.ensureDeferred
async def test_crawl_archives_exactly_the_expected_articles(site, backend, mock_sites, tmp_path):
    """Every article once, each field as written by hand; counters asked once; robots obeyed."""
    expected = all_expected_records(site)
    if not expected:
        pytest.skip(f"fixture site {site} has no expected.jsonl yet")
    base = mock_sites.urls[site]
    archive = tmp_path / f"news.{backend}"
    mock_sites.reset(site)

    crawler = await run_crawl(crawl_settings(archive), start_urls=base)

    assert crawler.stats.get_value("finish_reason") == "finished"
    records = archived(archive, base)
    paths = [r["path"] for r in records]
    wrong = unexpected_paths(site, set(paths))
    assert not wrong, "\n".join(wrong)
    assert len(paths) == len(set(paths)), f"duplicates: {[p for p, n in Counter(paths).items() if n > 1]}"
    canonicals = [r["canonical_url"] for r in records]
    assert len(canonicals) == len(set(canonicals))
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], base)]
    assert not problems, "\n".join(problems)
    for record in records:
        assert record["url"] == base.rstrip("/") + record["path"]
        assert record["canonical_url"] == canonicalize_url(record["url"])

    log = mock_sites.requests(site)
    counters = Counter(k for k in map(counter_key, log) if k is not None)
    assert all(n == 1 for n in counters.values()), f"counter asked more than once: {counters}"
    robots = robots_parser(site)
    refused = [p for p in page_requests(log) if not robots.can_fetch("newsarchive", base.rstrip("/") + p)]
    assert not refused, f"robots.txt disallows these, yet they were requested: {refused}"
    pages = Counter(page_requests(log))
    twice = [p for p in article_paths(site) if pages[p] > 1]
    assert not twice, f"article pages fetched twice in one crawl: {twice}"
    # A finished crawl leaves no job directory behind.
    assert not Path(job_dir_for(str(archive))).exists()
    # Per-article state lives while the article is in flight, not for the whole crawl.
    assert crawler.spider._listing_of == {}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("site", SITES)
@pytest_twisted.ensureDeferred
async def test_second_crawl_adds_nothing_and_fetches_no_article(site, backend, mock_sites, tmp_path):
    expected = expected_records(site)
    if not expected:
        pytest.skip(f"fixture site {site} has no expected.jsonl yet")
    base = mock_sites.urls[site]
    archive = tmp_path / f"news.{backend}"
    mock_sites.reset(site)
    await run_crawl(crawl_settings(archive), start_urls=base)
    before = archived(archive, base, all_versions=True)
    mock_sites.reset(site)

    crawler = await run_crawl(crawl_settings(archive), start_urls=base)

    assert crawler.stats.get_value("finish_reason") == "finished"
    assert archived(archive, base, all_versions=True) == before
    fetched = set(page_requests(mock_sites.requests(site)))
    again = sorted(fetched & article_paths(site))
    assert not again, f"second crawl fetched known articles again: {again}"
    assert crawler.stats.get_value("newsarchive/links/known", 0) > 0


@pytest_twisted.ensureDeferred
async def test_start_url_that_is_an_article_is_extracted(mock_sites, tmp_path):
    site = "dedecms"
    base = mock_sites.urls[site]
    path, expected = next(iter(sorted(expected_records(site).items())))
    archive = tmp_path / "one.jsonl"

    await run_crawl(crawl_settings(archive), start_urls=base.rstrip("/") + path)

    records = archived(archive, base)
    assert [r["path"] for r in records] == [path]
    assert records[0]["title"] == expected["title"]
    assert records[0]["listing_url"] is None


@pytest_twisted.ensureDeferred
async def test_max_pages_limits_each_listing(mock_sites, tmp_path):
    """max_pages=1 reads only the first page of a section: its second page's articles are missed."""
    site = "dedecms"
    base = mock_sites.urls[site]
    archive = tmp_path / "news.jsonl"
    mock_sites.reset(site)

    await run_crawl(crawl_settings(archive), start_urls=base.rstrip("/") + "/a/xinwen/", max_pages="1")

    listings = {p for p in page_requests(mock_sites.requests(site)) if "/list_" in p}
    assert listings == set()
    paths = {r["path"] for r in archived(archive, base)}
    first_page = {p for p, r in expected_records(site).items() if r["listing_path"] == "/a/xinwen/"}
    assert paths == first_page


@pytest_twisted.ensureDeferred
async def test_counters_off_leaves_script_written_counts_unasked(mock_sites, tmp_path):
    site = "dedecms"
    base = mock_sites.urls[site]
    archive = tmp_path / "news.jsonl"
    mock_sites.reset(site)

    await run_crawl(
        crawl_settings(archive, NEWSARCHIVE_FETCH_COUNTERS=False),
        start_urls=base.rstrip("/") + "/a/minsheng/",
    )

    log = mock_sites.requests(site)
    assert [e for e in log if counter_key(e) is not None] == []
    assert {r["view_count"] for r in archived(archive, base)} == {None}


@pytest_twisted.ensureDeferred
async def test_a_missing_page_is_reported_as_page_failed(mock_sites, tmp_path):
    base = mock_sites.urls["dedecms"]
    failed = []

    def on_failed(url, kind, reason="", status=None, **kwargs):
        failed.append((url, kind, status))

    missing = base.rstrip("/") + "/a/xinwen/no-such-page.html"
    await run_crawl(crawl_settings(tmp_path / "news.jsonl"), handlers={page_failed: on_failed}, start_urls=missing)

    assert (missing, "http", 404) in failed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "no start URL"),
        ({"start_urls": "www.example.gov.cn/news/"}, "start_urls=https://"),
        ({"start_urls": "http://x.cn/", "since": "2021/11/05"}, "since=2021-11-05"),
        ({"start_urls": "http://x.cn/", "since": "2021-13-05"}, "not a valid date"),
        ({"start_urls": "http://x.cn/", "max_pages": "0"}, "max_pages=5"),
        ({"start_urls": "http://x.cn/", "max_pages": "ten"}, "max_pages=5"),
        ({"start_urls": "http://x.cn/", "full": "maybe"}, "full=1"),
    ],
    ids=["none", "no-scheme", "since-slashes", "since-month", "pages-zero", "pages-word", "full-word"],
)
def test_bad_arguments_say_which_and_give_an_example(args, message):
    with pytest.raises(ArgumentError, match=message):
        NewsSpider(**args)


def test_arguments_are_parsed():
    spider = NewsSpider(
        start_urls="http://www.x.cn/news/, http://www.x.cn/gov/", since="2021-11-05", max_pages="3", full="1"
    )
    assert spider.start_urls == ["http://www.x.cn/news/", "http://www.x.cn/gov/"]
    assert str(spider.since) == "2021-11-05"
    assert spider.max_pages == 3
    assert spider.full is True
    assert spider.allowed_domains == ["x.cn"]


def test_jobdir_defaults_beside_the_archive(tmp_path):
    """The project's crawl-state add-on keeps the JOBDIR beside the archive, unless one is
    given or NEWSARCHIVE_RESUME is off."""
    from scrapy.utils.test import get_crawler

    archive = tmp_path / "a.sqlite"
    crawler = get_crawler(NewsSpider, crawl_settings(archive))
    assert crawler.settings["JOBDIR"] == str(archive) + ".job"
    given = get_crawler(NewsSpider, crawl_settings(archive, JOBDIR=str(tmp_path / "j")))
    assert given.settings["JOBDIR"] == str(tmp_path / "j")
    off = get_crawler(NewsSpider, crawl_settings(archive, NEWSARCHIVE_RESUME=False))
    assert not off.settings["JOBDIR"]


@pytest_twisted.ensureDeferred
async def test_a_site_profile_gives_start_urls_and_selectors(mock_sites, tmp_path):
    site = "dedecms"
    base = mock_sites.urls[site]
    profile = tmp_path / "tongxi.toml"
    profile.write_text(
        f'start_urls = ["{base.rstrip("/")}/a/xinwen/"]\n'
        'article_links = "ul.e2 a.title"\n'
        "next_page = \"//ul[@class='pagelist']//a[text()='下一页']\"\n",
        encoding="utf-8",
    )
    archive = tmp_path / "news.jsonl"

    await run_crawl(crawl_settings(archive), site=str(profile))

    records = archived(archive, base)
    xinwen = {p for p, r in expected_records(site).items() if r["listing_path"].startswith("/a/xinwen/")}
    assert {r["path"] for r in records} == xinwen
    assert {r["site"] for r in records} == {"tongxi"}


def test_a_page_that_is_not_an_article_is_counted_and_reported(tmp_path):
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    # No crawl runs here, so no extension would be closed: leave the report extension out.
    settings = crawl_settings(tmp_path / "news.jsonl", EXTENSIONS={"newsarchive.middlewares.report.CrawlReport": None})
    crawler = get_crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, start_urls="http://www.x.cn/")
    crawler.spider = spider
    failed = []
    crawler.signals.connect(lambda **kw: failed.append((kw["url"], kw["kind"])), signal=page_failed, weak=False)
    url = "http://www.x.cn/a/1.html"
    response = HtmlResponse(url, body="<html><body><p>页面不存在</p></body></html>".encode(), encoding="utf-8",
                            request=Request(url))

    assert list(spider.parse_article(response, listing_url="http://www.x.cn/")) == []
    assert crawler.stats.get_value("newsarchive/extract/not_article") == 1
    assert failed == [(url, "not_article")]


_COUNTED_PAGE = """<html><head><title>城东片区改造工程启动</title></head><body>
<h1>城东片区改造工程启动</h1>
<div class="info">时间：2021-11-05 10:30 来源：本站 点击：{printed}
<script src="/e/public/ViewClick/?classid=2&id=7&addclick=1"></script></div>
<div class="content"><p>本报讯　城东片区改造工程昨日正式启动，涉及居民一千二百余户，工期预计两年。</p>
<p>据介绍，改造将同步完善道路、供水、燃气和停车设施，并新建一处社区公园。</p></div>
</body></html>"""


@pytest.mark.parametrize(
    ("printed", "asked", "view_count"),
    [("356", False, 356), ("0", True, None)],
    ids=["printed-count", "zero-placeholder"],
)
def test_counter_is_asked_only_when_the_page_prints_no_count(printed, asked, view_count, tmp_path):
    """A printed count is the count; a 0 the script overwrites is none, so the counter is asked."""
    from scrapy import Request
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from newsarchive.items import Article

    settings = crawl_settings(tmp_path / "news.jsonl", EXTENSIONS={"newsarchive.middlewares.report.CrawlReport": None})
    crawler = get_crawler(NewsSpider, settings)
    spider = NewsSpider.from_crawler(crawler, start_urls="http://www.x.cn/")
    crawler.spider = spider
    url = "http://www.x.cn/news/2021-11-05/7.html"
    body = _COUNTED_PAGE.format(printed=printed).encode()
    response = HtmlResponse(url, body=body, encoding="utf-8", request=Request(url))

    out = list(spider.parse_article(response, listing_url="http://www.x.cn/news/"))

    assert len(out) == 1
    if asked:
        assert isinstance(out[0], Request)
        assert "/e/public/ViewClick/" in out[0].url and "addclick=0" in out[0].url
        assert crawler.stats.get_value("newsarchive/counter/requested") == 1
    else:
        assert isinstance(out[0], Article)
        assert out[0].view_count == view_count
        assert crawler.stats.get_value("newsarchive/counter/requested") is None


def _first_section(site: str) -> tuple[str, set[str], set[str]]:
    """Return the first listing page of *site*'s first section (by its records' listing pages),
    the articles its listing pages link, and every article of that section."""
    records = all_expected_records(site)
    first = min(records.values(), key=lambda r: (len(r["listing_path"]), r["listing_path"]))
    section = first["section"]
    pages = {r["listing_path"] for r in records.values() if r["section"] == section}
    listed = {p for p, r in records.items() if r["listing_path"] in pages}
    of_section = {p for p, r in records.items() if r["section"] == section}
    return first["listing_path"], listed, of_section


@pytest.mark.parametrize("site", SITES)
@pytest_twisted.ensureDeferred
async def test_crawl_from_a_section_listing_archives_that_section(site, mock_sites, tmp_path):
    """Started at a section's first page, the listing walk follows its pagination and stays in the section.

    Sitemaps and feeds are off: they add the rest of the site (tests/test_wpnews.py).
    """
    if not all_expected_records(site):
        pytest.skip(f"fixture site {site} has no expected.jsonl yet")
    base = mock_sites.urls[site]
    start, listed, of_section = _first_section(site)
    archive = tmp_path / "news.jsonl"
    mock_sites.reset(site)

    crawler = await run_crawl(crawl_settings(archive, NEWSARCHIVE_SITEMAPS=False), start_urls=base.rstrip("/") + start)

    assert crawler.stats.get_value("finish_reason") == "finished"
    paths = {r["path"] for r in archived(archive, base)}
    dropped = dropped_paths(site)
    missing = sorted(listed - paths - dropped)
    assert not missing, f"started at {start}, missed {missing}"
    strays = sorted(paths - of_section - listed - dropped)
    assert not strays, f"started at {start}, archived other sections' articles {strays}"
