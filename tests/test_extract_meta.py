"""View count, counter URL, author, source, section and canonical URL on one-line pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.extract.body import scan_document
from newsarchive.extract.document import parse_document
from newsarchive.extract.meta import (
    extract_author,
    extract_canonical_url,
    extract_section,
    extract_source,
    extract_view_count,
    find_counter_url,
    parse_counter_response,
)

URL = "http://www.example.cn/news/2021/1105/12.html"
BODY = "<div class='content'><p>会议指出，今年以来全市经济运行总体平稳，主要指标保持增长。</p></div>"


def _page(html: str):
    if "class='profile'" in html:  # counts placed above the headline
        doc = parse_document(f"<html><body>{html}<h1>通辽市召开经济工作会议</h1>{BODY}</body></html>", URL)
    else:
        doc = parse_document(f"<html><body><h1>通辽市召开经济工作会议</h1>{html}</body></html>", URL)
    page = scan_document(doc).page
    anchor = page.index_after(doc.tree.find(".//h1"))
    return doc, page, anchor


def _views(html: str) -> int | None:
    doc, page, anchor = _page(html)
    return extract_view_count(doc.tree, page, anchor=anchor)


VIEW_CASES = [
    ("english-reviews-are-not-views", "<div class='meta'><span>Reviews (3)</span> <span>Interviews: 4</span></div>", None),
    ("english-views-label", "<div class='meta'><span>Page views: 1,024</span></div>", 1024),
    ("next-label-without-separator", "<div class='tipTop'><span>查看：<span>2871</span></span><span>回复：<span>26</span></span></div>", 2871),
    ("reply-count-is-not-views", "<div class='info'><span>回复：<span>26</span></span></div>", None),
    ("thread-menu-under-headline",
     "<div class='atl-menu'><span>时间：2013-06-18 21:32:05</span><span>点击：58321</span><span>回复：412</span></div>", 58321),
    ("nav-menu-far-below-headline",
     "<p>正文第一段，内容较长。</p>" * 12 + "<div class='menu'><span>点击：58321</span></div>", None),
    ("label-colon", "<div class='info'>发布时间：2021-11-05 浏览次数：177</div>", 177),
    ("label-paren-em", "<div class='a-btool'>阅读数(<em>15878</em>）</div>", 15878),
    ("wan", "<span>阅读 1.2万</span>", 12000),
    ("thousands-separator", "<span>点击：3,204</span>", 3204),
    ("suffix-ci-yuedu", "<span class='view_time'>1164次阅读</span>", 1164),
    ("main-column-named-right", "<div class='right'><div class='info'>发布日期：2021-11-05 点击数：86</div></div>", 86),
    ("english-views", "<span>1,024 views</span>", 1024),
    ("script-between", "<li>阅读 <script src='/e/public/ViewClick/?classid=38&amp;id=5&amp;addclick=1'></script>539</li>", 539),
    ("script-text-between", "<p>浏览次数: <script>_showDynClicks('wbnews', 1412614994, 1081)</script><span>2168</span></p>", 2168),
    ("eye-icon", "<h6><a class='post-date'>2019年09月11日</a> <i class='fa fa-eye'></i>1665 <i class='fa fa-comment'></i>0</h6>", 1665),
    ("forum-chakan", "<div><span>查看:</span> <span>3562</span> | <span>回复:</span> <span>48</span></div>", 3562),
    ("empty-label-after-date", "<div><span>发布日期：2016-11-22</span> <span>浏览次数： </span></div>", None),
    ("comment-count-juBao", f"{BODY}<div class='tie'><a>举报</a> <span>128</span></div>", None),
    ("comment-count-pinglun", "<div>评论(56)</div>", None),
    ("read-permission", "<td>阅读权限 10</td>", None),
    ("read-full-text", "<a href='/x'>阅读全文</a> 2021", None),
    ("hidden-input", "<input type='hidden' name='views' value='8123'>", None),
    ("ranking-list", f"{BODY}<div class='box'><ul><li><a href='/1.html'>甲</a> 点击数：3521</li><li><a href='/2.html'>乙</a> 点击数：2988</li></ul></div>", None),
    ("sidebar-class", f"{BODY}<div class='sidebar'><p>阅读：99</p></div>", None),
    ("related-reading-heading", f"{BODY}<div><h3>相关阅读</h3><p>1 某某新闻</p></div>", None),
    ("blog-sidebar-totals-far-above",
     "".join(f"<p>栏目{i}</p>" for i in range(20)).join(["<div class='profile'>人气：203,112</div>", ""]), None),
    ("script-only", "<script>var info = {vcnt: 666, views: 12};</script>", None),
    ("own-count-before-a-hundred-counted-items",
     "<div class='info'>浏览次数：177</div>" + "".join(f"<p>某某新闻{i} 点击：{1000 + i}</p>" for i in range(100)), 177),
    ("counted-items-only-far-below",
     "<p>正文第一段，内容较长。</p>" * 70 + "".join(f"<p>某某新闻{i} 点击：{1000 + i}</p>" for i in range(5)), None),
    ("one-count-after-a-long-body", "<p>正文第一段，内容较长。</p>" * 70 + "<div class='info'>阅读：55</div>", 55),
    ("visits-on-the-meta-line", "<div class='info'>发布时间：2021-11-05 访问量：1323</div>", 1323),
    ("site-total-visits-on-the-meta-line", "<div class='info'>发布时间：2021-11-05 总访问量：99123</div>", None),
    ("visits-below-the-body", BODY * 3 + "<div>访问量：1323</div>", None),
    ("semicolon-after-the-count", "<div class='desc'>posted @ 2008-01-02 10:20 (阅读:3727;评论:63)</div>", 3727),
    ("other-label-before-a-view-named-number", "<div class='author'>文章：<span class='view-num'>11</span></div>", None),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in VIEW_CASES], ids=[c[0] for c in VIEW_CASES])
def test_extract_view_count(html, expected):
    assert _views(html) == expected


COUNTER_CASES = [
    ("dedecms", "<script src='/plus/count.php?view=yes&amp;aid=12&amp;mid=1'></script>",
     "http://www.example.cn/plus/count.php?view=yes&aid=12&mid=1"),
    ("empirecms-addclick", "<script src='http://www.example.cn/e/public/ViewClick/?classid=2&amp;id=4385&amp;addclick=1'></script>",
     "http://www.example.cn/e/public/ViewClick/?classid=2&id=4385&addclick=0"),
    ("empirecms-no-addclick", "<script src='/e/public/ViewClick/?classid=2&id=7'></script>",
     "http://www.example.cn/e/public/ViewClick/?classid=2&id=7&addclick=0"),
    ("phpcms-inline", "<script>$.get(\"/api.php?op=count&id=203&modelid=1\", function(){});</script>",
     "http://www.example.cn/api.php?op=count&id=203&modelid=1"),
    ("vsb-dynclicks", "<script>_showDynClicks(\"wbnews\", 1412614994, 1081)</script>",
     "http://www.example.cn/system/resource/code/news/click/dynclicks.jsp?clickid=1081&owner=1412614994&clicktype=wbnews"),
    ("generic-same-site", "<script src='/inc/hits.asp?id=88'></script>", "http://www.example.cn/inc/hits.asp?id=88"),
    ("third-party-stats-ignored", "<script src='https://count.51yes.com/click.aspx?id=123'></script>", None),
    ("none", "<script src='/js/jquery.js'></script>", None),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in COUNTER_CASES], ids=[c[0] for c in COUNTER_CASES])
def test_find_counter_url(html, expected):
    doc, _, _ = _page(html)
    assert find_counter_url(doc.tree, URL) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("document.write('177');", 177),
        ("document.write(\"3204\");", 3204),
        ("$('#hits').html('2318');", 2318),
        ("177", 177),
        (" 12 \n", 12),
        ("", None),
        ("<html>Not Found</html>", None),
    ],
    ids=["dede", "empire-double-quotes", "phpcms", "bare", "spaces", "empty", "error-page"],
)
def test_parse_counter_response(text, expected):
    assert parse_counter_response(text) == expected


@pytest.mark.parametrize(
    ("html", "author", "source"),
    [
        ("<div class='info'>2021-11-05 10:30 来源：新华社 作者：张三</div>", "张三", "新华社"),
        ("<div>来源: <a href='http://cjn.cn'>长江网</a> 记者 李四</div>", "李四", "长江网"),
        ("<div>作者：孙立&nbsp;&nbsp;评论：<a>0</a> 点击：</div>", "孙立", None),
        ("<div>时间:2021-11-11<small>来源:</small>柳湾镇人民政府<small>作者:</small><small>点击:</small></div>", None, "柳湾镇人民政府"),
        ("<div>来源：本站原创&nbsp;&nbsp;作者：医技药剂党支部<br>时间：2019年10月31日</div>", "医技药剂党支部", "本站原创"),
        ("<div>2021-11-05 来源：本站 作者：本站</div>", None, "本站"),
    ],
    ids=["line", "link-and-reporter", "comment-label-after", "empty-author", "br-line", "this-site"],
)
def test_author_and_source(html, author, source):
    doc, page, anchor = _page(html + BODY)
    assert extract_author(doc.tree, page, anchor=anchor) == author
    assert extract_source(doc.tree, page, anchor=anchor) == source


@pytest.mark.parametrize(
    ("html", "author"),
    [
        ("<div>2019-09-07 来源：新京报</div><div>责任编辑：杨倩_NF4425</div>", "杨倩"),
        ("<div>责任编辑：史建磊_NBJ11331</div>", "史建磊"),
        ("<div>（责任编辑： HN666）</div>", None),
        ("<div>时间：2019-09-23 作者：</div><div>转载请注明：当代商报</div>", None),
        ("<div>（责任编辑：系统管理员）</div>", None),
        ("<div>时间：2019-09-25 作者：网络整理 阅读：12</div>", None),
        ("<div>作者：网络整理 责编：陈晓</div>", "陈晓"),
        ("<div>作者：余毅菁 向雪妮</div>", "余毅菁 向雪妮"),
        ("<div>(责编：汤诗瑶、丁涛)</div>", "汤诗瑶、丁涛"),
        ("<div>执笔/小刀、大刀</div><div>责编：薛明</div>", "小刀、大刀"),
        ("<div>2021-10-08</div><p>江城网10月8日讯（记者刘洋 整合）国庆假期游客很多。</p><p>【编辑：许诺】</p>", "刘洋"),
        ("<div>2021-10-08</div><p>新华社巴黎12月9日电（记者唐霁）法国再次爆发罢工。</p><p>责任编辑：尹明</p>", "唐霁"),
        ("<div>2021-10-08</div><p>澎湃新闻记者 段彦超 廖艳</p><p>责任编辑：尹明</p>", "段彦超 廖艳"),
        ("<div>2021-10-08</div><p>中新社记者 贾天勇 摄</p>", None),
        ("<div>2021-10-08</div><p>据记者了解到，全市经济运行平稳。</p>", None),
    ],
    ids=[
        "editor-code-NF", "editor-code-NBJ", "code-alone", "reprint-notice", "system-admin", "compiled-from-web",
        "placeholder-then-editor", "two-authors-space", "two-editors-comma", "writer-outranks-editor",
        "dateline-reporter-outranks-editor", "dateline-reporter-no-space", "byline-line", "photo-credit", "reporter-in-prose",
    ],
)
def test_author_is_a_name(html, author):
    doc, page, anchor = _page(html + BODY)
    assert extract_author(doc.tree, page, anchor=anchor) == author


@pytest.mark.parametrize(
    ("html", "source"),
    [
        ("<div>来源: 发布时间: 2018-05-17</div><p>只要数据来源未经用户授权，都存在法律风险。</p>", None),
        ("<div>来源: 发布时间: 2018-05-17</div><p>承办部门应当提出处置意见，进行分类办理。</p>", None),
        ("<div>来源于：东区办事处</div>", "东区办事处"),
        ("<div>2019-09-07 来源: 新京报</div><p>正文。</p><div>本文来源：新京报</div>", "新京报"),
        ("<div>来源：版权声明：转载须注明出处</div>", None),
    ],
    ids=["source-inside-a-word", "chuchu-inside-a-word", "laiyuan-yu", "benwen-laiyuan", "notice"],
)
def test_source_is_a_name(html, source):
    doc, page, anchor = _page(html + BODY)
    assert extract_source(doc.tree, page, anchor=anchor) == source


def test_source_from_meta():
    doc = parse_document(f"<head><meta name='ContentSource' content='省发改委'></head><body><h1>标题</h1>{BODY}</body>", URL)
    assert extract_source(doc.tree, scan_document(doc).page) == "省发改委"


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<head><meta name='ColumnName' content='山西要闻'></head><body><h1>标题</h1></body>", "山西要闻"),
        ("<head><meta property='article:section' content='Local'></head><body></body>", "Local"),
        ("<body><div>您现在的位置：<a href='/'>首页</a> &gt; <a href='/xw/'>新闻</a> &gt; <a href='/xw/bd/'>本地</a> &gt; 正文</div></body>", "本地"),
        ("<body><div class='crumbs'><a href='/'>首页</a><span> &gt; </span><a href='/list-6-1.html'>临江要闻</a> &gt; 正文</div></body>", "临江要闻"),
        ("<body><div class='position'>当前位置：首页 &gt; 民生关注 &gt; 正文</div></body>", "民生关注"),
        ("<body><h1>标题</h1></body>", None),
        ("<head><meta name='lanmu' content='2007年第23号'></head><body><h1>标题</h1></body>", None),
        (
            ("<head><meta name='lanmu' content='2007年第23号'></head><body><div><a>首页</a> &gt; <a>国务院公报</a> &gt; <a>2007年第23号</a></div>"
            "<span>字号：</span><span>默认</span><h1>标题</h1></body>"),
            "国务院公报",
        ),
        ("<body><div class='position'>首页 &gt; 公报 &gt; 国发〔2021〕5号</div><h1>标题</h1></body>", "公报"),
        (
            ("<body><div class='nav'><a href='/'>首页</a><span>/</span><a href='/o/'>其他</a><span>/</span><span>正文</span>"
            "</div><a>搜索</a><span>转发</span><span>微博</span><span>微信</span><h1>标题</h1></body>"),
            "其他",
        ),
        (
            ("<body><div class='menu'><a href='/'>首页</a> <a href='/n/'>资讯</a> <a href='/t/eda'>EDA/IP/IC设计</a>"
            " <a href='/t/med'>医疗电子</a></div><h1>标题</h1></body>"),
            None,
        ),
        ("<body><div class='news-position'><a href='http://www.example.cn/'>新华网</a> 正文</div><h1>标题</h1></body>", None),
        ("<head><meta name='ColumnName' content='微信'></head><body><h1>标题</h1></body>", None),
        (
            ("<body><div><a href='http://www.site.cn/'>和讯网</a><span>&gt;</span><a>股票</a><span>&gt;</span>"
            "<a>股市报道</a>&gt; 正文</div><h1>标题</h1></body>"),
            "股市报道",
        ),
        ("<body><div><a>新闻中心</a><a>国内新闻</a><span>&gt;</span><span>正文</span></div><h1>标题</h1></body>", "国内新闻"),
        ("<body><div><a>新闻中心</a><a>国内新闻</a><span>正文</span></div><h1>标题</h1></body>", None),
        (
            ("<head><style>" + ".a{position:absolute}" * 9 + "</style></head><body><div class='position'>"
             "<a href='/'>首页</a><a href='/xw/'>新闻</a><a href='/xw/bd/'>本地</a></div><h1>标题</h1></body>"),
            "本地",
        ),
    ],
    ids=[
        "columnname-meta", "article-section", "breadcrumb-label", "breadcrumb-class", "breadcrumb-text", "none",
        "document-number-meta", "document-number-crumb-step", "document-number-bracket", "share-widget-after-crumb",
        "menu-is-no-crumb", "home-link-is-no-section", "widget-word-meta",
        "site-name-crumb-to-leaf", "step-before-leaf", "leaf-without-separator", "crumb-class-after-css-with-the-word",
    ],
)
def test_extract_section(html, expected):
    doc = parse_document(f"<html>{html}</html>", URL)
    page = scan_document(doc).page
    h1 = doc.tree.find(".//h1")
    anchor = page.index_after(h1) if h1 is not None else 0
    assert extract_section(doc.tree, page, anchor=anchor, title="标题") == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/news/2021/1105/12.html", "http://www.example.cn/news/2021/1105/12.html"),
        ("http://example.cn/news/12.html?utm_source=x", "http://example.cn/news/12.html"),
        ("https://www.other-site.com/copy/12.html", "http://www.example.cn/news/2021/1105/12.html?id=3"),
        ("", "http://www.example.cn/news/2021/1105/12.html?id=3"),
    ],
    ids=["relative", "same-site-without-www", "other-site-ignored", "empty"],
)
def test_extract_canonical_url(href, expected):
    doc = parse_document(f"<html><head><link rel='canonical' href='{href}'></head><body></body></html>", URL)
    assert extract_canonical_url(doc.tree, URL + "?id=3&spm=a.b#top") == expected


_CODE = st.lists(
    st.sampled_from(['src', 'SRC', 'Src', 's', 'rc', '$.', '$.get(', '$.ajax({url:', '$.post(', '=', ' ', '"', "'",
                     '/count.php?aid=12', '/src/', 'src="/src="', 'hits', 'x', '\u017frc', '\u0130', '\n']),
    max_size=40,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_CODE)
def test_counter_calls_match_as_finditer_does(code):
    from newsarchive.extract import patterns as P
    from newsarchive.extract.meta.counters import _counter_calls

    assert [m.span() for m in _counter_calls(code)] == [m.span() for m in P.COUNTER_CALL.finditer(code)]
