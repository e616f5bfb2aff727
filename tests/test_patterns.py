"""Every link-rule table matches the real samples its comment gives, and only what it should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsarchive.extract.patterns import links as LP

# (table, text, what the table must find in it: the match, or a group's value)
FOUND = [
    ("ARTICLE_URL", "/html/2021/1105/123.html", "/2021/1105/123.html"),
    ("ARTICLE_URL", "/xxgk/t20220417_123456.html", "/t20220417_123456.html"),
    ("ARTICLE_URL", "/2021/11/slug/", "/2021/11/slug/"),
    ("ARTICLE_URL", "/?p=123", "/?p=123"),
    ("ARTICLE_URL", "/?company/77.html", "/?company/77.html"),
    ("ARTICLE_URL", "/article/5a00ad8b", "/article/5a00ad8b"),
    ("ARTICLE_URL", "/show.php?id=123", "?id=123"),
    ("LISTING_URL", "/news/list_1_2.html", "/list_"),
    ("LISTING_URL", "/news/index_2.html", "/index_2.html"),
    ("LISTING_URL", "/index.php?m=content&c=index&a=lists&catid=3", "&catid="),
    ("LISTING_URL", "/col/col123/index.html", "/col/col123/"),
    ("LISTING_URL", "/feed?cursor=5a00ad8b", "?cursor="),
    ("LIST_SCRIPT", "/NewsList.aspx", "/NewsList.aspx"),
    ("LIST_SCRIPT", "/ShowClass.asp", "/ShowClass.asp"),
    ("NOT_PAGE_URL", "/uploads/2021/notice.pdf", ".pdf"),
    ("NOT_PAGE_URL", "/images/logo.JPG", ".JPG"),
    ("PAGER_TEXT", "下一页", "下一页"),
    ("PAGER_TEXT", "»", "»"),
    ("PAGE_NUMBER_TEXT", "[2]", "[2]"),
    ("PAGE_NUMBER_TEXT", "第3页", "第3页"),
    ("CARD_TITLE_CLASS", "news_tit", "_tit"),
    ("CARD_TITLE_CLASS", "card-title", "-title"),
    ("CLASS_TOKEN_SPLIT", "news_list-box", "_"),
    ("DIGITS", "item12", "12"),
    ("SPACE", "第一期\n\t 新闻", "\n\t "),
    ("SIDE_HEADING", "点击排行", "排行"),
    ("SIDE_HEADING", "猜你喜欢", "猜你"),
    ("DIR_PAGE_SUFFIX", "/bdxw_2/", "_2/"),
    (
        "HANWEB_RECORD",
        '<record><![CDATA[<li><a href="/art/2021/11/5/art_1_2.html">标题</a><span>2021-11-05</span></li>]]></record>',
        '<li><a href="/art/2021/11/5/art_1_2.html">标题</a><span>2021-11-05</span></li>',
    ),
    ("LINK_DATE_HINT", "[2021-11-05]", "2021-11"),
    ("LINK_DATE_HINT", "3小时前", "3小时前"),
    ("LINK_DATE_YEAR", "2021年11月5日", "2021年"),
    ("LINK_MONTH_DAY", "11月05日", "11月05"),
    ("LINK_URL_DATE", "/html/2021/1105/12.html", "/2021/1105"),
    ("LINK_URL_DATE", "/xxgk/t20211105_123.html", "t20211105"),
    ("NEXT_TEXT", "下一页", "下一页"),
    ("NEXT_TEXT", "« Older posts", "« Older posts"),
    ("NEXT_TEXT", "较早文章", "较早文章"),
    ("LOAD_MORE_TEXT", "点击加载更多", "点击加载更多"),
    ("LOAD_MORE_TEXT", "Load more stories", "Load more stories"),
    ("LOAD_MORE_CLASS", "btn btn-more", " btn-more"),
    ("NEXT_CLASS", "page-next", "page-next"),
    ("CURRENT_CLASS", "thisclass", "thisclass"),
    ("PAGED_FILE", "list_1_2.html", "list_1_2.html"),
    ("PAGE_PARAM", "q=x&pageNo=4", "&pageNo=4"),
    ("PAGE_DIR", "/category/news/page/2/", "/page/2/"),
    ("CREATE_PAGE_HTML", 'createPageHTML(12, 0, "index", "html");', 'createPageHTML(12, 0, "index", "html"'),
    (
        "CREATE_PAGE_HTML",
        "createPageHTML('page_div',50, 1,'xwzx_list','shtml',1000);",
        "createPageHTML('page_div',50, 1,'xwzx_list','shtml'",
    ),
    ("JS_NUMBER_VAR", "var countPage = 12;", "var countPage = 12"),
    ("TRS_COUNT", "var countPage = 34//共多少页", "var countPage = 34"),
    ("TRS_CURRENT", "var currentPage = 1,", "var currentPage = 1"),
    (
        "HANWEB_NEXTGROUP",
        '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&columnid=1229"></a>]]></nextgroup>',
        '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&webid=3&columnid=1229"',
    ),
    ("JPAGE_TOTAL", "totalRecord: 60,", "totalRecord: 60"),
    ("JPAGE_TOTAL", "var totalRecord = 60;", "totalRecord = 60"),
    ("JPAGE_PER_PAGE", "perPage: 15,", "perPage: 15"),
    ("RECORD_RANGE", "startrecord=46&endrecord=90&perpage=15", "startrecord=46&endrecord=90&perpage=15"),
    ("STEM_SEPARATOR", "list_1_2", "_"),
    ("STEM_PAGE_NUMBER", "index_3", "_3"),
    ("NOT_SECTION_URL", "/e/member/login/", "/e/member/"),
    ("NOT_SECTION_URL", "/plus/search.php", "/plus/"),
    ("NOT_SECTION_URL", "/index.php?m=member", "?m=member"),
    ("NOT_SECTION_URL", "/aboutus.html", "/aboutus."),
    ("NOT_SECTION_URL", "/?gsjj/", "?gsjj/"),
    ("NOT_SECTION_TEXT", "会员中心", "会员"),
    ("NOT_SECTION_TEXT", "联系我们", "联系"),
    ("NOT_SECTION_TEXT", "走进我们", "走进"),
    ("SENTENCE_END", "会议指出，今年以来全市经济运行总体平稳。", "。"),
    ("SENTENCE_END", "He said. Then", "."),
    ("DATELINE", "发布时间：2024年3月9日 10:20", "2024年3月9"),
    ("DATELINE", "2024-03-09 来源：县融媒体中心", "2024-03-09"),
]

# (table, text it must not match): the boundaries the comments name.
NOT_FOUND = [
    ("ARTICLE_URL", "/2021/11/page/"),  # a date archive's page, not a permalink
    ("ARTICLE_URL", "/news/list_1_2.html"),
    ("LIST_SCRIPT", "/show.asp"),
    ("NOT_PAGE_URL", "/a/123.html"),
    ("PAGER_TEXT", "首页"),  # also the home link
    ("PAGE_NUMBER_TEXT", "2021年工作报告"),
    ("CARD_TITLE_CLASS", "subtitle-x"),
    ("NEXT_TEXT", "下一篇"),  # the next article, not the next page
    ("LOAD_MORE_CLASS", "moreinfo"),
    ("CURRENT_CLASS", "online"),
    ("PAGE_PARAM", "type=page2"),
    ("LINK_URL_DATE", "/news/2021.html"),
    ("NOT_SECTION_URL", "/news/about-the-city-plan/"),  # a news path that only starts with "about"
    ("NOT_SECTION_TEXT", "本地新闻"),
    ("SENTENCE_END", "v1.2"),
    ("DATELINE", "第2024期 3号"),
]

_GROUPS = {"HANWEB_RECORD": 1, "HANWEB_NEXTGROUP": 0}


def _tables() -> dict[str, re.Pattern[str]]:
    return {name: value for name, value in vars(LP).items() if isinstance(value, re.Pattern)}


@pytest.mark.parametrize(("name", "text", "expected"), FOUND, ids=[f"{n}:{t[:30]}" for n, t, _ in FOUND])
def test_table_finds_its_sample(name, text, expected):
    m = _tables()[name].search(text)
    assert m is not None
    assert m.group(_GROUPS.get(name, 0)) == expected


@pytest.mark.parametrize(("name", "text"), NOT_FOUND, ids=[f"{n}:{t}" for n, t in NOT_FOUND])
def test_table_leaves_what_is_not_its_kind(name, text):
    assert _tables()[name].search(text) is None


def test_every_table_has_a_sample_and_is_exported():
    tables = _tables()
    assert tables, "no compiled tables found"
    assert set(tables) - {name for name, _, _ in FOUND} == set()
    assert sorted(LP.__all__) == sorted(tables)


def test_tag_sets_are_written_once():
    """Outside patterns/tags.py no module spells the six headings or the hidden tags as a set of its own."""
    import ast

    root = Path(__file__).resolve().parents[1] / "newsarchive" / "extract"
    headings = {f"h{n}" for n in range(1, 7)}
    copies = []
    for path in root.rglob("*.py"):
        if path.name == "tags.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
                names = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if headings <= names or {"script", "style", "noscript"} <= names:
                    copies.append(f"{path.relative_to(root)}:{node.lineno}")
    assert copies == []
