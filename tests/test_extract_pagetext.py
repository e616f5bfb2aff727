"""The page's text pieces as the scoring walk collects them (scan_document) and as build_page_text does."""

from __future__ import annotations

import pytest

from newsarchive.extract.body import scan_document
from newsarchive.extract.document import parse_document
from newsarchive.extract.pagetext import build_page_text

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


def test_scan_matches_build_page_text_on_owners_and_indexes():
    doc = parse_document(PAGES[0][0], URL)
    walked = scan_document(doc).page
    listed = build_page_text(doc.tree)
    assert walked.texts == listed.texts
    for i in range(len(walked.texts)):
        assert walked.owner(i) is listed.owner(i)
        assert walked.element(i) is listed.element(i)
    for el in doc.tree.iter():
        assert (walked.index_of(el), walked.index_after(el)) == (listed.index_of(el), listed.index_after(el)), el.tag
    h1 = doc.tree.find(".//h1")
    assert walked.texts[walked.index_of(h1)] == "市政府召开常务会议"
    assert walked.texts[walked.index_after(h1)] == "来源：本站"
