"""A channel whose last page is short beside long sidebars (fixtures/sites/shortlast).

Each listing page has a left 编辑精选 box of ten links before its list and a right
本周看点 box of ten numbered links to the channel's own articles after it, and the
pager sits below all three columns. The last pages hold three and two items: the
list must be known by its place in the channel (the template of the list on the page
before), not by its length. A short 快讯 followed by eight related-article cards is
an article, not a listing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import pytest
import pytest_twisted

from newsarchive.extract.document import parse_document
from newsarchive.extract.links import PageKind, analyze_page, classify_page
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

SITE = "shortlast"
HOST = "http://www.xikounews.cn"
NOW = datetime(2024, 6, 10)
FLASH = "/kuaixun/gaosu-yongdu-tishi.html"


def _page(path: str) -> object:
    file = path + "index.html" if path.endswith("/") else path
    raw = (SITES / SITE / "www" / file.lstrip("/")).read_bytes()
    return parse_document(raw, HOST + path, "text/html; charset=utf-8")


def _listed_on(path: str) -> list[str]:
    return sorted(p for p, r in expected_records(SITE).items() if r["listing_path"] == path)


@pytest.mark.parametrize(
    ("pages", "last"),
    [(["/xzdt/", "/xzdt/index_2.html"], "/xzdt/index_3.html"), (["/bdyw/"], "/bdyw/index_2.html")],
    ids=["three-items", "two-items"],
)
def test_a_short_last_page_gives_its_own_list_as_the_channel_walks_to_it(pages, last):
    template = None
    for path in [*pages, last]:
        links = analyze_page(_page(path), now=NOW, list_template=template)
        assert links.kind is PageKind.LISTING
        assert sorted(a.url.removeprefix(HOST) for a in links.articles) == _listed_on(path), path
        template = links.template


def test_full_pages_give_their_list_and_not_the_longer_sidebars():
    for path in ("/xzdt/", "/xzdt/index_2.html", "/bdyw/"):
        links = analyze_page(_page(path), now=NOW)
        assert sorted(a.url.removeprefix(HOST) for a in links.articles) == _listed_on(path), path


def test_a_short_article_with_related_cards_is_an_article():
    assert classify_page(_page(FLASH)) is PageKind.ARTICLE


async def _crawl(live: LiveSite, archive, start: str):
    await run_crawl(crawl_settings(archive), start_urls=live.base.rstrip("/") + start)
    return archived(archive, live.base), Counter(page_requests(live.requests()))


@pytest.mark.parametrize(
    ("start", "sections"),
    [("/", ("乡镇动态", "本地要闻")), ("/xzdt/", ("乡镇动态",)), ("/bdyw/", ("本地要闻",))],
    ids=["home", "xzdt", "bdyw"],
)
@pytest_twisted.ensureDeferred
async def test_every_article_of_every_page_once(start, sections, tmp_path):
    live = LiveSite(SITE)
    try:
        records, asked = await _crawl(live, tmp_path / "news.jsonl", start)
    finally:
        live.close()
    expected = {p: r for p, r in expected_records(SITE).items() if r["section"] in sections}
    assert sorted(r["path"] for r in records) == sorted(expected)
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], live.base)]
    assert not problems, "\n".join(problems)
    assert all(asked[p] == 1 for p in expected)


@pytest_twisted.ensureDeferred
async def test_a_short_article_as_the_start_url_is_archived(tmp_path):
    live = LiveSite(SITE)
    try:
        records, asked = await _crawl(live, tmp_path / "news.jsonl", FLASH)
    finally:
        live.close()
    assert [r["path"] for r in records] == [FLASH]
    assert records[0]["title"] == expected_records(SITE)[FLASH]["title"]
    # Its related cards are not followed as a listing's.
    assert set(asked) == {FLASH, "/robots.txt"}


@pytest_twisted.ensureDeferred
async def test_next_day_adds_exactly_the_two_new_articles(tmp_path):
    await assert_next_day_adds_exactly_the_grown(SITE, tmp_path, new=2)
