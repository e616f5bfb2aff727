"""A company site on PbootCMS without URL rewriting, crawled from its home page (fixtures/sites/company).

Its home page opens with a long company blurb and lists only seven article links, so
by its text it reads like an article; its menu is a plain list with no nav or menu
class. Every URL is a query on the site root (/?news/77.html, /?news_2/,
/?list_12/&page=2). The crawl must read the home page as the way into its sections,
walk both news columns to their last page and leave the single pages alone.
"""

from __future__ import annotations

from collections import Counter

import pytest_twisted

from newsarchive.extract.document import parse_document
from newsarchive.extract.links import PageKind, analyze_page, classify_page, find_section_links
from tests.crawlkit import (
    SITES,
    LiveSite,
    archived,
    assert_next_day_adds_exactly_the_grown,
    crawl_settings,
    expected_records,
    mismatches,
    page_requests,
    run_crawl,
)

SITE = "company"
HOST = "http://www.lanhaiwater.com.cn"
NOW = __import__("datetime").datetime(2024, 6, 10)


def _page(path: str, file: str) -> object:
    raw = (SITES / SITE / "www" / file).read_bytes()
    return parse_document(raw, HOST + path, "text/html; charset=utf-8")


def test_home_page_is_the_way_into_the_sections_not_an_article():
    doc = _page("/", "index.html")
    links = analyze_page(doc, now=NOW, sections=True)
    assert links.kind is PageKind.LISTING
    # The menu's news columns; 走进澜海 (/?company/), 工程案例, 企业文化 (/?about/) and
    # 联系方式 are not news, by their names and URLs.
    sections = [s.removeprefix(HOST) for s in find_section_links(doc)]
    assert sections == ["/?news/", "/?list_12/"]


def test_a_single_page_reached_from_the_menu_is_not_a_listing():
    doc = _page("/?company/", "index__company/.html")
    assert classify_page(doc) is not PageKind.LISTING


@pytest_twisted.ensureDeferred
async def test_from_the_home_page_every_news_article_once_and_no_single_page(tmp_path):
    live = LiveSite(SITE)
    try:
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=live.base)
        asked = Counter(page_requests(live.requests()))
        records = archived(archive, live.base)
    finally:
        live.close()
    expected = expected_records(SITE)
    paths = [r["path"] for r in records]
    assert sorted(paths) == sorted(expected)
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], live.base)]
    assert not problems, "\n".join(problems)
    assert all(asked[p] == 1 for p in expected), {p: asked[p] for p in expected}
    # Both columns to their last page, by /?news_3/ and by &page=2.
    assert {"/?news/", "/?news_2/", "/?news_3/", "/?list_12/", "/?list_12/&page=2"} <= set(asked)
    assert not {"/?about/", "/?contact/", "/?cases/", "/?company/"} & set(asked)


@pytest_twisted.ensureDeferred
async def test_from_a_column_page_its_articles_once(tmp_path):
    live = LiveSite(SITE)
    try:
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=live.base.rstrip("/") + "/?news/")
        records = archived(archive, live.base)
        asked = Counter(page_requests(live.requests()))
    finally:
        live.close()
    expected = {p: r for p, r in expected_records(SITE).items() if r["section"] == "新闻动态"}
    assert sorted(r["path"] for r in records) == sorted(expected)
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], live.base)]
    assert not problems, "\n".join(problems)
    assert all(asked[p] == 1 for p in expected)


@pytest_twisted.ensureDeferred
async def test_next_day_adds_exactly_the_two_new_articles(tmp_path):
    await assert_next_day_adds_exactly_the_grown(SITE, tmp_path, new=2)
