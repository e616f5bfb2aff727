"""The survey's pure parts: a listing's pagination (newsarchive.extract.survey) and the report (newsarchive.survey)."""

from __future__ import annotations

import re

import pytest

from newsarchive.extract import survey as page_survey
from newsarchive.extract.cmsguess import CmsGuess
from newsarchive.extract.document import parse_document
from newsarchive.extract.patterns import pager as PP
from newsarchive.extract.survey import PAGINATION_STYLES, describe_pagination, link_names
from newsarchive.items import Article
from newsarchive.survey import (
    ListingSeen,
    SampleSeen,
    SectionSeen,
    build_report,
    draft_profile,
    format_report,
)

BASE = "http://www.x.cn/news/"

# --- the pager tables -------------------------------------------------------------------

FOUND = [
    ("LAST_PAGE_TEXT", "末页", "末页"),
    ("LAST_PAGE_TEXT", "尾页", "尾页"),
    ("PAGE_TOTAL", "共3页 当前第1页", "共3页"),
    ("PAGE_TOTAL", "页次：1/12", "页次：1/12"),
    ("RECORD_TOTAL", "共 238 条记录", "共 238 条"),
    ("CURSOR_PARAM", "channel=bendi&cursor=5a00ada7", "&cursor="),
]
NOT_FOUND = [
    ("LAST_PAGE_TEXT", "下一页"),
    ("RECORD_TOTAL", "共青团"),
    ("CURSOR_PARAM", "page=2"),
]


@pytest.mark.parametrize(("name", "text", "expected"), FOUND, ids=[f"{n}:{t}" for n, t, _ in FOUND])
def test_pager_table_finds_its_sample(name, text, expected):
    m = getattr(PP, name).search(text)
    assert m is not None and m.group(0) == expected


@pytest.mark.parametrize(("name", "text"), NOT_FOUND, ids=[f"{n}:{t}" for n, t in NOT_FOUND])
def test_pager_table_leaves_what_is_not_its_kind(name, text):
    assert getattr(PP, name).search(text) is None


def test_every_pager_table_has_a_sample():
    tables = {n for n, v in vars(PP).items() if isinstance(v, re.Pattern)}
    assert tables == {n for n, _, _ in FOUND} == set(PP.__all__)


# --- pagination of one listing page -----------------------------------------------------


def _doc(body: str, url: str = BASE, head: str = ""):
    return parse_document(f"<html><head>{head}</head><body>{body}</body></html>", url)


PAGER = '<div class="pages"><span class="current">1</span><a href="{2}">2</a><a href="{3}">3</a><a href="{2}">下一页</a></div>'

STYLES = [
    # (page, next page found on it, style, via, last page)
    (_doc(PAGER.replace("{2}", "index_2.html").replace("{3}", "index_3.html")), BASE + "index_2.html",
     "numbered", ("下一页 link", "page numbers"), 3),
    (_doc(PAGER.replace("{2}", "?page=2").replace("{3}", "?page=3") + "<p>共 12 页</p>"), BASE + "?page=2",
     "page-parameter", ("下一页 link", "page numbers"), 12),
    (_doc('<a href="/news/page/2/">Older posts</a>', head='<link rel="next" href="/news/page/2/">'), BASE + "page/2/",
     "path", ("<link rel=next>", "下一页 link"), None),
    (_doc('<a href="?cursor=5a00ada7">加载更多</a>'), BASE + "?cursor=5a00ada7", "cursor", ("加载更多",), None),
    (_doc('<div id="list" data-api="/api/feed/list?channel=x&page=1"></div>'), "http://www.x.cn/api/feed/list?channel=x&page=1",
     "json", ("JSON endpoint",), None),
    (_doc('<script>createPageHTML(5, 0, "index", "html");</script>'), BASE + "index_1.html",
     "numbered", ("pager script (createPageHTML)",), 5),
    (_doc('<a href="/?news_2/">下一页</a><a href="/?news_4/">末页</a>', url="http://www.x.cn/?news/"), "http://www.x.cn/?news_2/",
     "numbered", ("下一页 link",), 4),
    (_doc("<ul><li><a href='/a/1.html'>一条新闻的标题在这里</a></li></ul>"), None, "none", (), None),
]


@pytest.mark.parametrize(("doc", "next_url", "style", "via", "last"), STYLES, ids=[s[2] + str(i) for i, s in enumerate(STYLES)])
def test_pagination_style_via_and_last_page(doc, next_url, style, via, last):
    found = describe_pagination(doc, next_url)
    assert (found.style, found.via, found.last_page) == (style, via, last)
    assert found.style in PAGINATION_STYLES


def test_records_stated_by_the_pager():
    found = describe_pagination(_doc('<a href="index_2.html">下一页</a> 共 45 条'), BASE + "index_2.html")
    assert found.records == 45


def test_link_names_are_the_first_anchor_text_without_tracking_parameters():
    doc = _doc('<a href="/news/?utm_source=x">本地新闻</a><a href="/news/">新闻</a><a href="/town/">乡镇</a>')
    assert link_names(doc) == {"http://www.x.cn/news/": "本地新闻", "http://www.x.cn/town/": "乡镇"}


def test_extract_survey_all_lists_its_public_names():
    defined = {n for n, v in vars(page_survey).items() if not n.startswith("_") and getattr(v, "__module__", "") == page_survey.__name__}
    assert set(page_survey.__all__) == defined | {"PAGINATION_STYLES"}


# --- the report -------------------------------------------------------------------------


def _pages(*counts: int, next_last: bool = False, last_page: int | None = None, style: str = "numbered"):
    pages = []
    for i, count in enumerate(counts, start=1):
        more = i < len(counts) or next_last
        pagination = page_survey.Pagination(style, f"{BASE}index_{i + 1}.html" if more else None, (), last_page)
        links = tuple((f"{BASE}{i}-{n}.html", f"2024-0{i}-1{n}") for n in range(count))
        pages.append(ListingSeen(f"{BASE}index_{i}.html", i, "listing", links, pagination))
    return tuple(pages)


def _article(url: str, *, author: str | None = None) -> Article:
    return Article(url=url, canonical_url=url, site="www.x.cn", title="标题", published_at="2024-01-15",
                   view_count=None, paragraphs=("正文。",), author=author, source="县融媒体中心", section="新闻")


@pytest.mark.parametrize(
    ("pages", "estimate", "kind", "last"),
    [
        (_pages(3, 1), 4, "exact", 2),  # both pages read, the second the last
        (_pages(3, 3, next_last=True, last_page=5), 15, "about", 5),  # 5 pages of 3
        (_pages(4, 3, next_last=True, style="cursor"), 7, "at least", None),  # a cursor feed shows no last page
        (_pages(3), 3, "exact", 1),
    ],
    ids=["all-read", "pager-shows-last", "cursor", "one-page"],
)
def test_estimated_articles_per_section(pages, estimate, kind, last):
    report = build_report(BASE, CmsGuess(None, 0, ()), [SectionSeen(BASE, "新闻", pages)], [])
    (section,) = report.sections
    assert (section.estimate, section.estimate_kind, section.last_page) == (estimate, kind, last)


def test_sections_that_are_no_listings_are_skipped_with_the_reason():
    about = ListingSeen("http://www.x.cn/about/", 1, "article", (), None)
    report = build_report(BASE, CmsGuess(None, 0, ()), [
        SectionSeen(BASE, "新闻", _pages(2)),
        SectionSeen("http://www.x.cn/about/", "关于我们", (about,)),
        SectionSeen("http://www.x.cn/gone/", "旧栏目", failed="HTTP 404"),
    ], [])
    assert [s.name for s in report.sections] == ["新闻"]
    assert report.skipped == (
        ("http://www.x.cn/about/", "关于我们", "not a listing: reads as article"),
        ("http://www.x.cn/gone/", "旧栏目", "HTTP 404"),
    )


def test_fill_counts_and_a_draft_entry_for_each_field_empty_on_most_of_the_sample():
    sample = [SampleSeen(f"{BASE}{n}.html", BASE, _article(f"{BASE}{n}.html", author="张三" if n == 0 else None))
              for n in range(3)]
    sample.append(SampleSeen(f"{BASE}9.html", BASE, failed="HTTP 500"))
    report = build_report(BASE, CmsGuess(None, 0, ()), [SectionSeen(BASE, "新闻", _pages(3))], sample)
    assert report.fill == {"title": 3, "published_at": 3, "view_count": 0, "paragraphs": 3, "author": 1,
                           "source": 3, "section": 3}
    profile = draft_profile(report)
    assert "# view_count: empty on 3 of 3 sampled articles" in profile
    assert "# author: empty on 2 of 3 sampled articles, e.g. http://www.x.cn/news/1.html" in profile
    assert '# author = ""' in profile and "# title" not in profile
    text = format_report(report)
    assert "sample: 3 articles read, 1 failed" in text
    assert "failed http://www.x.cn/news/9.html: HTTP 500" in text
    assert report.first_date == "2024-01-10" and report.last_date == "2024-01-15"
    assert "sitemaps: none named by robots.txt" in text and "feeds: none named by the start page" in text


def test_sitemaps_and_feeds_are_reported_as_given():
    report = build_report(BASE, CmsGuess(None, 0, ()), [SectionSeen(BASE, "新闻", _pages(1))], [],
                          sitemaps=("http://www.x.cn/wp-sitemap.xml",), feeds=("http://www.x.cn/feed/",))
    text = format_report(report)
    assert "sitemaps: http://www.x.cn/wp-sitemap.xml" in text and "feeds: http://www.x.cn/feed/" in text
