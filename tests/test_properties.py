"""Property tests: the pure core never raises on hostile input and returns what it documents.

Random bytes, random Unicode and random HTML trees go into the functions that
read web pages. The only exceptions allowed are the documented ones
(NotAnArticle, UndecodablePage from extract_article).
"""

from __future__ import annotations

import ipaddress
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.errors import NotAnArticle, UndecodablePage
from newsarchive.extract import extract_article
from newsarchive.extract.dates import parse_cn_datetime
from newsarchive.extract.document import Document, decode_html, parse_document
from newsarchive.items import Article
from newsarchive.normalize import canonicalize_url, normalize_text, parse_count
from newsarchive.urlpolicy import (
    UrlPolicy,
    ip_literal,
    origin_of,
    policy_for,
    refusal_reason,
    site_host,
    site_origin,
)

PROPS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NOW = datetime(2024, 3, 1, 12, 0, 0)

# Text that looks like what these functions meet: Chinese, digits, dates, counts,
# full-width forms, spaces of every width, entities, controls.
_PIECES = st.sampled_from(
    [
        "2021年11月05日", "10:30", "2021-11-05", "11-05", "3小时前", "昨天", "刚刚", "阅读", "1.2万",
        "亿", "&nbsp;", "&#12288;", "&amp;", "\u3000", "\u00a0", "\u200b", "\x00", "\ufeff", "：",
        "２０２１", "ＡＢＣ", "责任编辑", "来源", "点击", "次", "万", "k", ".", ",", "，", "/", "-", " ",
        "\n", "\r", "99999999999999999999", "0x", "年", "月", "日", "时", "分",
    ]
)
TEXTLIKE = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=30).map("".join),
)


@PROPS
@given(TEXTLIKE)
def test_normalize_text_returns_trimmed_str(text):
    out = normalize_text(text)
    assert isinstance(out, str)
    assert out == out.strip()
    assert "  " not in out
    assert "\x00" not in out
    assert normalize_text(out) == out or "&" in out  # idempotent unless an entity was formed


def test_normalize_text_none_is_empty():
    assert normalize_text(None) == ""


@PROPS
@given(TEXTLIKE)
def test_parse_count_returns_non_negative_int_or_none(text):
    out = parse_count(text)
    assert out is None or (type(out) is int and 0 <= out <= 10**12)


_URL_PARTS = st.sampled_from(
    [
        "http://", "https://", "HTTP://", "ftp://", "javascript:", "mailto:", "data:,", "file:///", "//",
        "www.Example.gov.cn", "127.0.0.1", "[::1]", "[", "]", ":80", ":8051", ":99999", ":-1", ":abc",
        "/news/", "2021/1105/", "a.html", "?", "&", "=", "utm_source=x", "id=1", "page=2",
        "PHPSESSID=abc", ";jsessionid=xyz", "#top", "%", "%zz", "%E4%B8%AD", "中文", " ", "\t", "@", "\\",
    ]
)
URLLIKE = st.one_of(st.text(max_size=80), st.lists(_URL_PARTS, max_size=14).map("".join))


@PROPS
@given(URLLIKE)
def test_canonicalize_url_returns_str_and_is_idempotent(url):
    out = canonicalize_url(url)
    assert isinstance(out, str)
    if out.startswith(("http://", "https://")) and origin_of(out) is not None:
        # Idempotence is promised for the web URLs it is used on, not for "a:////".
        assert canonicalize_url(out) == out


@PROPS
@given(URLLIKE)
def test_refusal_reason_never_raises(url):
    for policy in (UrlPolicy(), policy_for(["http://www.example.gov.cn/"])):
        out = refusal_reason(url, policy)
        assert out is None or (isinstance(out, str) and out)
        if out is None:
            assert url.strip().lower().startswith(("http://", "https://"))


@PROPS
@given(st.text(max_size=40))
def test_ip_literal_never_raises_and_reads_back(host):
    ip = ip_literal(host)
    assert ip is None or isinstance(ip, (ipaddress.IPv4Address, ipaddress.IPv6Address))
    if ip is not None:
        assert ip_literal(str(ip)) == ip


@PROPS
@given(URLLIKE)
def test_site_origin_and_host_never_raise_and_agree(url):
    origin, host = site_origin(url), site_host(url)
    assert isinstance(host, str) and host == host.lower() and not host.endswith(".")
    if origin is not None:
        assert isinstance(origin[1], int) and origin[0] == host
        assert url.strip().lower().startswith(("http://", "https://"))


@PROPS
@given(TEXTLIKE)
def test_parse_cn_datetime_returns_documented_shape(text):
    out = parse_cn_datetime(text, now=NOW)
    if out is not None:
        dt, precision = out
        assert isinstance(dt, datetime)
        assert dt.tzinfo is None
        assert precision in ("day", "minute", "second")


# Random HTML trees: nested tags with attributes and text, some of it article-like.
_TAGS = st.sampled_from(
    ["html", "head", "body", "div", "p", "span", "a", "h1", "h2", "title", "meta", "script",
     "style", "table", "tr", "td", "ul", "li", "br", "img", "iframe", "form", "font", "center"]
)
_ATTRS = st.dictionaries(
    st.sampled_from(["class", "id", "href", "src", "content", "name", "charset", "property", "http-equiv"]),
    st.one_of(TEXTLIKE, URLLIKE, st.sampled_from(["content", "article", "gbk", "og:title", "refresh"])),
    max_size=3,
)


def _render(tag: str, attrs: dict[str, str], children: list[str]) -> str:
    attr = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<{tag}{attr}>{''.join(children)}</{tag}>"


_NODE = st.recursive(
    TEXTLIKE,
    lambda kids: st.builds(_render, _TAGS, _ATTRS, st.lists(kids, max_size=5)),
    max_leaves=40,
)
HTMLLIKE = st.one_of(
    _NODE,
    st.lists(_NODE, max_size=6).map(lambda parts: "<html><body>" + "".join(parts)),
    st.text(max_size=300),
)


def _check_article(article: Article, url: str) -> None:
    assert isinstance(article, Article)
    assert isinstance(article.title, str) and article.title
    assert isinstance(article.paragraphs, tuple) and article.paragraphs
    assert all(isinstance(p, str) and p for p in article.paragraphs)
    assert article.view_count is None or isinstance(article.view_count, int)
    assert article.published_at is None or isinstance(article.published_at, str)
    assert isinstance(article.canonical_url, str) and isinstance(article.site, str)


def _extract_or_documented_error(html: bytes | str, url: str, **kwargs: object) -> None:
    try:
        article = extract_article(html, url, now=NOW, **kwargs)
    except (NotAnArticle, UndecodablePage):
        return
    _check_article(article, url)


@PROPS
@given(HTMLLIKE)
def test_extract_article_on_random_html_trees(html):
    _extract_or_documented_error(html, "http://www.example.gov.cn/news/2024/0105/1.html")


@PROPS
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html", "text/html; charset=utf-8",
                                                  "text/html; charset=gbk", "text/html; charset=bogus"]))
def test_extract_article_on_random_bytes(body, content_type):
    _extract_or_documented_error(body, "http://www.example.gov.cn/a.html", content_type=content_type)


@PROPS
@given(HTMLLIKE, st.sampled_from(["utf-8", "gbk", "gb18030", "big5", "utf-16"]))
def test_extract_article_on_encoded_html(html, encoding):
    body = html.encode(encoding, errors="replace")
    _extract_or_documented_error(body, "http://www.example.gov.cn/a.html", content_type="text/html")


@PROPS
@given(st.binary(max_size=2000), st.sampled_from([None, "text/html; charset=gbk", "text/html; charset=\x00"]))
def test_decode_and_parse_never_raise(body, content_type):
    try:
        text, encoding = decode_html(body, content_type)
        doc = parse_document(body, "http://www.example.gov.cn/", content_type)
    except UndecodablePage:
        return
    assert isinstance(text, str) and isinstance(encoding, str)
    assert isinstance(doc, Document)
    assert "\x00" not in doc.text


@pytest.mark.parametrize(
    "html",
    [
        "", "<", "<html>", "<?xml version='1.0'?>", "<!DOCTYPE html>", "\x00" * 10,
        "<html><html><body><body><h1>标题</h1><p>" + "正文" * 50,
        "<h1>" * 500 + "标题", "<p>" * 2000,
    ],
    ids=["empty", "lt", "html", "xmldecl", "doctype", "nuls", "nested-html", "deep-h1", "many-p"],
)
def test_extract_article_on_degenerate_pages(html):
    _extract_or_documented_error(html, "http://www.example.gov.cn/a.html")
