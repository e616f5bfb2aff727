"""Table-driven tests of text, URL and count normalisation."""

from __future__ import annotations

import pytest

from newsarchive.normalize import (
    canonicalize_url,
    normalize_paragraphs,
    normalize_text,
    parse_count,
    site_of,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("　　２０２１年ＡＢＣ新闻", "2021年ABC新闻"),
        ("中国，（新闻）：完", "中国，（新闻）：完"),  # Chinese punctuation kept
        ("a\u00a0\u00a0b", "a b"),
        ("零\u200b宽\ufeff字符", "零宽字符"),
        ("x&nbsp;y &amp; z", "x y & z"),
        ("  line\n\tbreaks \r\n ", "line breaks"),
        ("", ""),
        (None, ""),
    ],
    ids=["fullwidth", "cn-punct", "nbsp", "zero-width", "entities", "whitespace", "empty", "none"],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_paragraphs_drops_empty_and_keeps_order():
    assert normalize_paragraphs(["  第一段 ", "\u3000\u3000", None, "第二段"]) == ("第一段", "第二段")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("浏览次数:177", 177),
        ("点击数：3,204", 3204),
        ("阅读 1.2万", 12000),
        ("人气：2千", 2000),
        ("1.5k views", 1500),
        ("阅读10w+", 100000),
        ("１２３次阅读", 123),
        ("1亿", 100_000_000),
        ("暂无", None),
        ("", None),
    ],
    ids=["plain", "separator", "wan", "qian", "k", "w-plus", "fullwidth", "yi", "none", "empty"],
)
def test_parse_count(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://News.Example.COM:80/a/B.html#top", "http://news.example.com/a/B.html"),
        ("https://x.cn:443/?b=2&a=1", "https://x.cn/?a=1&b=2"),
        ("http://x.cn/a.html?utm_source=wx&spm=1.2&id=7", "http://x.cn/a.html?id=7"),
        ("http://x.cn/a.jsp;jsessionid=ABC123?id=3", "http://x.cn/a.jsp?id=3"),
        ("http://x.cn/list.php?PHPSESSID=zz&page=2", "http://x.cn/list.php?page=2"),
        ("http://127.0.0.1:8051/a", "http://127.0.0.1:8051/a"),
        ("http://x.cn", "http://x.cn/"),
        ("HTTP:////0", "http:///0"),
    ],
    ids=["case-port-fragment", "https-sort", "tracking", "path-session", "phpsessid", "port", "root",
         "no-host"],
)
def test_canonicalize_url(raw, expected):
    assert canonicalize_url(raw) == expected


def test_site_of_keeps_nondefault_port():
    assert site_of("http://WWW.Example.gov.cn/a") == "www.example.gov.cn"
    assert site_of("http://127.0.0.1:8051/x") == "127.0.0.1:8051"


# canonicalize_url beside w3lib's (Scrapy's own): the same answer where both mean the
# same page, and where ours differs, the reason. w3lib keeps tracking parameters and a
# default port, percent-encodes "/" inside a query and turns a bare query into "key=".
W3LIB_TABLE = [
    # (url, ours, same as w3lib)
    ("http://x.cn/a/./b/../c.html", "http://x.cn/a/c.html", True),
    ("http://x.cn/../a.html", "http://x.cn/a.html", True),
    ("http://x.cn/a/b/.", "http://x.cn/a/b/", True),
    ("http://x.cn/a/..", "http://x.cn/", True),
    ("http://x.cn/新闻/老街.html", "http://x.cn/%E6%96%B0%E9%97%BB/%E8%80%81%E8%A1%97.html", True),
    ("http://x.cn/2021/10/17/%e8%80%81%e8%a1%97/", "http://x.cn/2021/10/17/%E8%80%81%E8%A1%97/", True),
    ("http://例子.中国/a.html", "http://xn--fsqu00a.xn--fiqs8s/a.html", True),
    ("http://x.cn/a b.html", "http://x.cn/a%20b.html", True),
    ("http://x.cn/a?q=中文", "http://x.cn/a?q=%E4%B8%AD%E6%96%87", True),
    ("http://x.cn/list.php?page=2&catid=6", "http://x.cn/list.php?catid=6&page=2", True),
    ("http://x.cn/a.html#top", "http://x.cn/a.html", True),
    # Ours keeps a bare query as written (PbootCMS); w3lib: "?company%2F77.html=".
    ("http://x.cn/?company/77.html", "http://x.cn/?company/77.html", False),
    ("http://x.cn/a?x&y=1", "http://x.cn/a?x&y=1", False),
    # Ours drops tracking parameters and the default port.
    ("http://x.cn/article/5a00ad8b?from=list&spm=a1.b2", "http://x.cn/article/5a00ad8b", False),
    ("http://X.cn:80/a?b=2&a=1&utm_source=x", "http://x.cn/a?a=1&b=2", False),
]


@pytest.mark.parametrize(("url", "ours", "same"), W3LIB_TABLE, ids=[row[0] for row in W3LIB_TABLE])
def test_canonicalize_url_beside_w3lib(url, ours, same):
    from w3lib.url import canonicalize_url as w3lib_canonicalize_url

    assert canonicalize_url(url) == ours
    assert (w3lib_canonicalize_url(url) == ours) is same
