"""Publish-time parsing and each date strategy on one-line snippets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsarchive.extract.dates import format_published_at, parse_cn_datetime

NOW = datetime(2022, 4, 20, 12, 0)

PARSE_CASES = [
    ("2021/11/05", datetime(2021, 11, 5), "day"),
    ("2021-11-05 10:30:00", datetime(2021, 11, 5, 10, 30), "second"),
    ("2021年11月05日 10:30", datetime(2021, 11, 5, 10, 30), "minute"),
    ("2021年11月5日10:30", datetime(2021, 11, 5, 10, 30), "minute"),
    ("2021.11.05", datetime(2021, 11, 5), "day"),
    ("2019年09月07日 星期六 13:43", datetime(2019, 9, 7, 13, 43), "minute"),
    ("发布时间：2019-09-23 14:34:05 点击：", datetime(2019, 9, 23, 14, 34, 5), "second"),
    ("2020年10月04日 20时30分", datetime(2020, 10, 4, 20, 30), "minute"),
    ("11-05", datetime(2021, 11, 5), "day"),
    ("04-19 08:15", datetime(2022, 4, 19, 8, 15), "minute"),
    ("3小时前", datetime(2022, 4, 20, 9, 0), "minute"),
    ("25分钟前", datetime(2022, 4, 20, 11, 35), "minute"),
    ("2天前", datetime(2022, 4, 18), "day"),
    ("昨天 10:20", datetime(2022, 4, 19, 10, 20), "minute"),
    ("前天", datetime(2022, 4, 18), "day"),
    ("刚刚", datetime(2022, 4, 20, 12, 0), "minute"),
    ("March 5, 2021", datetime(2021, 3, 5), "day"),
    ("Mar. 5, 2021 10:30 PM", datetime(2021, 3, 5, 22, 30), "minute"),
    ("5 March 2021", datetime(2021, 3, 5), "day"),
    ("Fri 5 Mar 2021 10.30 GMT", datetime(2021, 3, 5, 10, 30), "minute"),
    ("March 5, 2021, 3:05 p.m. ET", datetime(2021, 3, 5, 15, 5), "minute"),
    ("Updated 10:30 AM EST, Sat March 5, 2022", datetime(2022, 3, 5, 10, 30), "minute"),
    ("Published 2:12 PM UTC March 29, 2022", datetime(2022, 3, 29, 14, 12), "minute"),
    ("v1.10 March 5, 2022", datetime(2022, 3, 5), "day"),
    ("7/5/2005 9:23:57 PM", datetime(2005, 7, 5, 21, 23, 57), "second"),
    ("12/31/2019 8:05 AM", datetime(2019, 12, 31, 8, 5), "minute"),
]


@pytest.mark.parametrize(("text", "expected", "precision"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_parse_cn_datetime(text, expected, precision):
    assert parse_cn_datetime(text, now=NOW) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    ["", "没有日期", "1985-06-01", "2023-01-01", "第3期", "v1.2.3"],
    ids=["empty", "no-date", "before-1990", "future", "issue-number", "version"],
)
def test_parse_cn_datetime_rejects(text):
    assert parse_cn_datetime(text, now=NOW) is None


FORMAT_CASES = [
    (datetime(2021, 11, 5, 10, 30, 59), "minute", "2021-11-05T10:30:00+08:00"),
    (datetime(2021, 11, 5, 10, 30, 5), "second", "2021-11-05T10:30:05+08:00"),
    (datetime(2021, 11, 5), "day", "2021-11-05"),
    (datetime(2021, 11, 5, 2, 30, tzinfo=UTC), "minute", "2021-11-05T10:30:00+08:00"),
]


@pytest.mark.parametrize(("dt", "precision", "expected"), FORMAT_CASES, ids=["minute", "second", "day", "utc"])
def test_format_published_at(dt, precision, expected):
    assert format_published_at(dt, precision, "Asia/Shanghai") == expected


def test_format_published_at_keeps_utc_when_not_stored_time():
    # An English wire story printed in UTC: UTC is the page's own zone, not a stored time.
    dt = datetime(2022, 3, 29, 14, 12, tzinfo=UTC)
    assert format_published_at(dt, "minute", "Asia/Shanghai", utc_is_stored=False) == "2022-03-29T14:12:00+00:00"


def test_format_published_at_other_zone():
    assert format_published_at(datetime(2021, 3, 5, 9, 0), "minute", "Europe/London") == (
        "2021-03-05T09:00:00+00:00"
    )


# ---------------------------------------------------------------------------
# Strategies over a page: each on a one-line snippet.
# ---------------------------------------------------------------------------

from newsarchive.extract.body import scan_document
from newsarchive.extract.dates import date_from_url, extract_published_at
from newsarchive.extract.document import parse_document

PARA = "<p>会议指出，今年以来全市经济运行总体平稳，主要指标保持增长。会议要求，各地要认真抓好落实。</p>"


def _published(head: str, body: str, url: str = "http://www.example.cn/a/1.html"):
    doc = parse_document(f"<html><head>{head}</head><body>{body}</body></html>", url)
    page = scan_document(doc).page
    h1 = doc.tree.find(".//h1")
    found = extract_published_at(doc.tree, doc.text, url, page, now=NOW, headline=h1)
    return format_published_at(*found) if found else None


PAGE_CASES = [
    ("meta-published-time", "<meta property='article:published_time' content='2019-09-07T13:43:45+08:00'>",
     "<h1>标题</h1>" + PARA, "2019-09-07T13:43:45+08:00"),
    ("meta-pubdate-hanweb", "<meta name='PubDate' content='2016-11-22 09:53'>", "<h1>标题</h1>" + PARA, "2016-11-22T09:53:00+08:00"),
    ("meta-name-with-space", "<meta name='weibo: article:create_at' content='2018-12-28 19:55:10'>", "<h1>标题</h1>" + PARA,
     "2018-12-28T19:55:10+08:00"),
    ("meta-day-completed-by-page-minute", "<meta name='publishdate' content='2019-06-15'>",
     "<h1>标题</h1><div class='box01'>2019年06月15日08:18&nbsp;&nbsp;来源：人民网</div>" + PARA, "2019-06-15T08:18:00+08:00"),
    ("meta-placeholder-235959-ignored", "<meta name='firstpublishedtime' content='2007-08-20-23:59:59'>",
     "<h1>标题</h1>" + PARA, None),
    ("meta-other-offset-kept", "<meta property='article:published_time' content='2021-03-05T10:30:00-05:00'>",
     "<h1>Title</h1>" + PARA, "2021-03-05T10:30:00-05:00"),
    ("meta-utc-converted", "<meta property='article:published_time' content='2021-03-05T02:30:00Z'>",
     "<h1>Title</h1>" + PARA, "2021-03-05T10:30:00+08:00"),
    ("meta-utc-page-prints-local-minute", "<meta property='article:published_time' content='2022-03-14T09:12:00+00:00'>",
     "<h1>Title</h1><div class='byline'>Published 14 March 2022 17:12</div>" + PARA, "2022-03-14T17:12:00+08:00"),
    ("meta-seconds-kept-over-printed-minute", "<meta property='article:published_time' content='2019-09-07T13:43:45+08:00'>",
     "<h1>标题</h1><div>2019-09-07 13:43 来源：网易</div>" + PARA, "2019-09-07T13:43:45+08:00"),
    ("json-ld", "<script type='application/ld+json'>{\"@type\":\"NewsArticle\",\"datePublished\":\"2020-01-03T18:13:00+08:00\"}</script>",
     "<h1>标题</h1>" + PARA, "2020-01-03T18:13:00+08:00"),
    ("time-element", "", "<h1>标题</h1><time datetime='2020-06-05T20:35:00+08:00'>6月5日</time>" + PARA, "2020-06-05T20:35:00+08:00"),
    ("line-under-headline", "", "<h1>标题</h1><div class='post_time_source'>2019-09-07 13:43:45 来源: 网易</div>" + PARA,
     "2019-09-07T13:43:45+08:00"),
    ("labelled-chinese-date", "", "<h1>标题</h1><div>时间：2019年10月31日 23:00&nbsp;&nbsp;浏览：33</div>" + PARA,
     "2019-10-31T23:00:00+08:00"),
    ("labelled-not-first-date", "", "<div class='top'>今天是2022年4月20日</div><h1>标题</h1><div>来源：本站 发布日期：2019-09-23</div>" + PARA,
     "2019-09-23"),
    ("english-published-line", "", "<h1>Title</h1><div class='byline'>By Jane Miller · Published March 5, 2021 10:30 AM</div>" + PARA,
     "2021-03-05T10:30:00+08:00"),
    ("passage-date-is-not-publish", "", "<h1>决议</h1><p>（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）</p>" + PARA, None),
    ("event-date-in-body-then-label", "",
     "<h1>标题</h1><p>2019年2月27日下午，街道党工委委员带队，对辖区内的商场、餐饮店开展检查，重点查看消防通道。</p><p>发布日期：2019-03-06</p>",
     "2019-03-06"),
    ("date-line-above-headline", "",
     "<div class='top'>2022年4月20日 星期三</div><div class='nav'><a href='/'>首页</a></div><div class='date'>2021-11-05 10:30</div><h1>标题</h1>" + PARA,
     "2021-11-05T10:30:00+08:00"),
    ("document-date-is-not-publish", "",
     "<h1>关于做好安全生产工作的通知</h1><table><tr><td>成文日期：2021年10月20日</td><td>发布日期：2021年11月05日</td></tr></table>" + PARA,
     "2021-11-05"),
    ("future-date-rejected", "", "<h1>标题</h1><div>发布时间：2023-01-01 10:00</div>" + PARA, None),
    ("script-variable", "<script>var publishdate = '2019-09-26 12:11:01';</script>", "<h1>标题</h1>" + PARA,
     "2019-09-26T12:11:01+08:00"),
    ("forum-tooltip-full-time", "", "<h1>标题</h1><div class='authi'>发表于 <span title='2022-4-18 10:20:31'>前天&nbsp;10:20</span></div>" + PARA,
     "2022-04-18T10:20:31+08:00"),
    ("forum-tooltip-day-only-line", "", "<div class='tipTop'><span title='2011-09-26 21:47:08'>发表于: 2011-09-26</span></div><h1>标题</h1>" + PARA,
     "2011-09-26T21:47:08+08:00"),
    ("tooltip-of-another-day-ignored", "", "<h1>标题</h1><div>发布时间：<span title='2011-09-27 08:00'>2011-09-26</span></div>" + PARA,
     "2011-09-26"),
    ("midnight-script-is-a-day", "<script>var __$pubtime='2012-06-24 00:00:00';</script>", "<h1>标题</h1>" + PARA, "2012-06-24"),
]


@pytest.mark.parametrize(("head", "body", "expected"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES])
def test_extract_published_at(head, body, expected):
    assert _published(head, body) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.gov.cn/xinwen/2022-04/17/t20220417_123.html", datetime(2022, 4, 17)),
        ("http://www.example.cn/a/xinwen/2021/1105/12.html", datetime(2021, 11, 5)),
        ("http://www.zj.gov.cn/art/2021/10/29/art_1_2.html", datetime(2021, 10, 29)),
        ("http://www.example.cn/news/20211105/12.html", datetime(2021, 11, 5)),
        ("http://www.example.cn/news/12.html", None),
        ("http://www.example.cn/news/2030/0101/1.html", None),
    ],
    ids=["t-prefix", "year-slash-mmdd", "art-y-m-d", "compact", "none", "future"],
)
def test_date_from_url(url, expected):
    found = date_from_url(url, NOW)
    assert (found[0] if found else None) == expected


def test_url_date_is_the_last_resort():
    assert _published("", "<h1>标题</h1>" + PARA, "http://www.example.cn/a/2021/1105/12.html") == "2021-11-05"


FALLBACK_CASES = [
    ("Published: 2 hours ago", "2022-04-20T10:00:00+08:00"),
    ("Updated: yesterday", "2022-04-19"),
    ("发布时间：2 hours ago | 责任编辑", "2022-04-20T10:00:00+08:00"),
]


@pytest.mark.parametrize(("line", "expected"), FALLBACK_CASES, ids=[c[0] for c in FALLBACK_CASES])
def test_labelled_value_no_fast_pattern_knows_goes_to_dateparser(line, expected):
    from newsarchive import extract_article

    body = "<p>The fire started early on Tuesday, and crews fought it for hours, officials said.</p>" * 4
    html = f"<html><body><h1>Fire on Main Street</h1><p>{line}</p><div>{body}</div></body></html>"
    article = extract_article(html, "http://news.example.com/a/fire", now=NOW)
    assert article.published_at == expected


def test_fast_patterns_never_call_dateparser(monkeypatch):
    import dateparser

    def refuse(*args, **kwargs):
        raise AssertionError("dateparser called on a date the fast patterns know")

    monkeypatch.setattr(dateparser, "parse", refuse)
    from newsarchive import extract_article

    body = "<p>今天上午，全市经济工作会议召开，会议总结了今年的工作，部署了明年的任务。</p>" * 4
    for line in ("发布时间：2021-11-05 10:30", "时间：2021年11月05日", "Published: March 5, 2021"):
        html = f"<html><body><h1>全市经济工作会议召开</h1><p>{line}</p><div>{body}</div></body></html>"
        assert extract_article(html, "http://x.cn/a/1.html", now=NOW).published_at is not None


def test_meta_offset_kept_when_printed_zone_unknown():
    # An English page: "16.45 BST" is printed in a zone other than the crawl's, so the
    # meta's exact UTC time stands rather than the printed wall-clock time.
    doc = parse_document(
        "<html><head><meta property='article:published_time' content='2022-04-09T15:45:12.000Z'></head>"
        "<body><h1>Thames falls</h1><div>Sat 9 Apr 2022 16.45 BST</div>" + PARA + "</body></html>",
        "https://www.example.com/a",
    )
    page = scan_document(doc).page
    found = extract_published_at(
        doc.tree, doc.text, doc.url, page, now=NOW, headline=doc.tree.find(".//h1"), local_zone_known=False
    )
    assert found is not None
    assert format_published_at(*found, "Asia/Shanghai", utc_is_stored=False) == "2022-04-09T15:45:12+00:00"
