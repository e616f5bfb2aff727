"""Decoding page bytes: Scrapy's order for correct pages, repair for wrong declarations."""

from __future__ import annotations

import random

import pytest
from w3lib.encoding import html_to_unicode

from newsarchive.errors import UndecodablePage
from newsarchive.extract.document import decode_html, parse_document

TITLE = "通辽市召开经济工作会议"
PAGE = (
    "<html><head>{meta}<title>" + TITLE + "</title></head><body><h1>" + TITLE + "</h1>"
    "<p>会议指出，今年以来全市经济运行总体平稳，主要指标保持增长，为全年目标的实现打下了坚实基础。"
    "我们要认真学习贯彻会议精神，推动经济高质量发展。</p></body></html>"
)


def _page(meta: str = "") -> str:
    return PAGE.format(meta=meta)


CASES = [
    ("gbk-declared-in-meta", _page('<meta charset="gbk">').encode("gbk"), None, "gb18030"),
    ("gb2312-declared-read-as-gb18030", _page('<meta charset="gb2312">').encode("gb18030"), None, "gb18030"),
    ("gbk-in-header", _page().encode("gbk"), "text/html; charset=GBK", "gb18030"),
    ("gbk-undeclared", _page().encode("gbk"), "text/html", "gb18030"),
    ("gbk-served-as-latin1", _page().encode("gbk"), "text/html; charset=ISO-8859-1", "gb18030"),
    ("utf8-declaring-gb2312", _page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">').encode("utf-8"), None, "utf-8"),
    ("gbk-declaring-utf8", _page('<meta charset="utf-8">').encode("gbk"), None, "gb18030"),
    ("utf8-bom", b"\xef\xbb\xbf" + _page('<meta charset="gbk">').encode("utf-8"), None, "utf-8"),
    ("utf8-undeclared", _page().encode("utf-8"), None, "utf-8"),
]


@pytest.mark.parametrize(("body", "content_type", "encoding"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decode_html(body, content_type, encoding):
    text, used = decode_html(body, content_type)
    assert used == encoding
    assert f"<title>{TITLE}</title>" in text


def test_gbk_with_a_broken_character_still_decodes():
    raw = _page().encode("gbk")
    cut = raw.index("会议指出".encode("gbk"))
    body = raw[:cut] + b"\xb5" + raw[cut:]  # half a character, as truncated pages have
    text, used = decode_html(body, "text/html")
    assert used == "gb18030"
    assert TITLE in text


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (_page('<meta charset="utf-8">').encode("utf-8"), None),
        (_page('<meta charset="gbk">').encode("gbk"), None),
        (_page().encode("gbk"), "text/html; charset=gb2312"),
        ("<html><head><meta charset='iso-8859-1'></head><body><p>Le café était très animé.</p></body></html>".encode("latin-1"), None),
    ],
    ids=["utf8", "gbk-meta", "gb2312-header", "latin1-french"],
)
def test_correct_pages_decode_as_scrapy_does(body, content_type):
    # Scrapy's response.text uses w3lib's html_to_unicode: offline must equal online.
    expected = html_to_unicode(content_type, body)[1]
    assert decode_html(body, content_type)[0] == expected


def test_random_bytes_are_undecodable():
    body = random.Random(7).randbytes(4000)
    with pytest.raises(UndecodablePage, match="mojibake"):
        decode_html(body, "text/html")


def test_parse_document_accepts_xml_declaration():
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><h1>标题</h1></body></html>'
    doc = parse_document(html, "http://x/")
    assert doc.tree.findtext(".//h1") == "标题"


def test_scrapys_text_is_reused_when_it_decoded_with_the_declared_charset():
    # The spider hands over response.text (MetaRefreshMiddleware decoded it already):
    # decoding a second time cost 0.06 ms a page.
    body = _page('<meta charset="gbk">').encode("gbk")
    text, encoding = decode_html(body, None, known=("已解码的文字", "gb18030"))
    assert (text, encoding) == ("已解码的文字", "gb18030")
    # A w3lib that reads a declared gbk as gbk: the same text, still gb18030 here.
    assert decode_html(body, None, known=("已解码的文字", "gbk")) == ("已解码的文字", "gb18030")
    # ... unless gbk left a replacement mark where gb18030 reads a character.
    assert decode_html(body, None, known=("已解\ufffd", "gbk"))[0] != "已解\ufffd"
    utf8 = _page('<meta charset="utf-8">').encode("utf-8")
    assert decode_html(utf8, "text/html; charset=utf-8", known=("已解码", "utf-8")) == ("已解码", "utf-8")


@pytest.mark.parametrize(
    ("body", "content_type", "known"),
    [
        # Scrapy read another charset than the declared one: ours decides.
        (_page('<meta charset="gbk">').encode("gbk"), None, ("mojibake", "cp1252")),
        # Nothing declared: Scrapy's guess is not ours (cp1252 for GBK bytes).
        (_page().encode("gbk"), "text/html", ("mojibake", "cp1252")),
        # Declared gb2312 but the bytes are UTF-8 (a page re-saved by a browser).
        (_page('<meta charset="gb2312">').encode("utf-8"), None, ("mojibake", "gb18030")),
    ],
    ids=["other-charset", "undeclared", "utf8-declared-gb2312"],
)
def test_scrapys_text_is_not_taken_when_ours_differs(body, content_type, known):
    text, _ = decode_html(body, content_type, known=known)
    assert TITLE in text
    assert text != known[0]
