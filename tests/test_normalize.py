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
