"""The page's text pieces as the scoring walk collects them (scan_document), checked against XPath."""

from __future__ import annotations

from bisect import bisect_left

import pytest
from lxml import etree

from newsarchive import _native, _pure
from newsarchive.extract.body import scan_document
from newsarchive.extract.document import parse_document
from newsarchive.extract.patterns.tags import HIDDEN_TEXT_TAGS

URL = "http://www.example.cn/news/2021/1105/12.html"

PAGES = [
    (
        ("<html><head><title>标题_网站</title><script>var a='x';</script></head><body>"
        "<div class='nav'><a href='/'>首页</a> &gt; <a href='/xw/'>新闻</a></div>"
        "<h1>市政府召开常务会议</h1><div class='info'>来源：本站<span>2021-11-05</span> 浏览：<script>document.write('5')</script>12</div>"
        "<button><span>搜索</span>提交</button><select><option>一</option></select>"
        "<noscript><p>请启用脚本</p></noscript><svg><text>图表</text></svg>"
        "<div class='content'><p>会议指出，今年以来全市经济运行总体平稳。</p>尾巴</div></body></html>"),
        [
            "首页", " > ", "新闻", "市政府召开常务会议", "来源：本站", "2021-11-05", " 浏览：", "12",
            "搜索", "请启用脚本", "图表", "会议指出，今年以来全市经济运行总体平稳。", "尾巴",
        ],
    ),
    (
        # The same text shown in a <span> and hidden as a <button>'s own text: the span's stays.
        "<html><body><a><span>\ue65c</span></a><form><button>\ue65c</button></form><p>正文</p></body></html>",
        ["\ue65c", "正文"],
    ),
]


@pytest.mark.parametrize(("html", "pieces"), PAGES, ids=["widgets-and-hidden-text", "shown-equals-hidden"])
def test_scan_collects_visible_pieces(html, pieces):
    doc = parse_document(html, URL)
    page = scan_document(doc).page
    assert page.texts == pieces
    assert page.joined == "\n".join(pieces)
    assert all(page.owner(i).tag not in ("button", "option", "script", "title") for i in range(len(pieces)))


# What the walk's pieces must be, read another way: every text node of the tree in page
# order (XPath), less blank ones and the own text (text, and tails of children) of the
# elements whose text a reader never sees.
_ALL_TEXT = etree.XPath("//text()")
_COUNT_BEFORE = etree.XPath("count(preceding::text())")
_COUNT_INSIDE = etree.XPath("count(.//text())")


@pytest.fixture(params=["compiled", "pure"])
def scan_blocks(request, monkeypatch):
    from newsarchive.extract.body import scan

    if request.param == "pure":
        monkeypatch.setattr(scan, "scan_blocks", _pure.scan_blocks)
    elif _native.compiled is None:
        pytest.skip("the compiled speedups are not built")
    return request.param


def test_scan_owners_and_indexes_match_xpath(scan_blocks):
    doc = parse_document(PAGES[0][0], URL)
    page = scan_document(doc).page
    assert type(page.pieces) is (_pure.Pieces if scan_blocks == "pure" else _native.compiled.Pieces)
    shown = [
        (k, t)
        for k, t in enumerate(_ALL_TEXT(doc.tree))
        if not t.isspace() and (t.getparent().getparent() if t.is_tail else t.getparent()).tag not in HIDDEN_TEXT_TAGS
    ]
    positions = [k for k, _ in shown]
    assert page.texts == [str(t) for _, t in shown]
    for i, (_, t) in enumerate(shown):
        parent = t.getparent()
        assert page.element(i) is parent
        assert page.node(i).is_tail == t.is_tail
        assert page.owner(i) is (parent.getparent() if t.is_tail else parent)
    for el in doc.tree.iter():
        before = int(_COUNT_BEFORE(el))
        assert page.index_of(el) == bisect_left(positions, before), el.tag
        assert page.index_after(el) == bisect_left(positions, before + int(_COUNT_INSIDE(el))), el.tag
    h1 = doc.tree.find(".//h1")
    assert page.texts[page.index_of(h1)] == "市政府召开常务会议"
    assert page.texts[page.index_after(h1)] == "来源：本站"
