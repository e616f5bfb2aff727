"""Tests for newsarchive.extract.body: one small page per rule, then the body fixtures."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import lxml.html
import pytest

from newsarchive.extract.body import Body, extract_body
from newsarchive.extract.document import parse_document

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"

# Three paragraphs of a city-paper article, used as the body in most pages below.
P1 = "本报讯（记者 张三）11月5日上午，通辽市召开全市冬季供暖工作会议，安排部署今冬明春供暖保障工作。"
P2 = "会议要求，各供热企业要在11月10日前完成管网检修，确保居民室温不低于18摄氏度，对困难群众落实供暖补贴。"
P4 = "供暖期间，市供热服务热线24小时受理市民投诉，对反映的问题做到当日受理、限时办结。"
P3 = "市住建局负责人表示，今年全市新增集中供热面积120万平方米，新建换热站16座，供暖能力进一步提升。"
BODY = f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
TITLE = "通辽市召开冬季供暖工作会议"

# Chrome that surrounds every test page: a menu, a sidebar of headlines, a footer.
NAV = (
    '<div class="nav"><a href="/">首页</a> <a href="/news/">新闻</a> <a href="/zw/">政务</a>'
    ' <a href="/ms/">民生</a> <a href="/ty/">体育</a> <a href="/wh/">文化</a></div>'
)
SIDEBAR = (
    '<div class="right"><h3>热点新闻</h3><ul>'
    '<li><a href="/n/1.html">科尔沁区举办农民丰收节，展示特色农产品三十余种</a></li>'
    '<li><a href="/n/2.html">市区三条道路今起封闭施工，请市民提前规划出行路线</a></li>'
    '<li><a href="/n/3.html">全市秋季动物防疫工作全面启动，免疫密度达到百分之百</a></li>'
    "</ul></div>"
)
FOOTER = (
    '<div class="footer"><p>版权所有：通辽日报社 未经授权禁止转载</p>'
    "<p>蒙ICP备05001234号 蒙公网安备15050202000123号</p></div>"
)


def page(main: str, *, title: str = TITLE, head: str = "") -> str:
    """Return a whole page with *main* between the usual menu, sidebar and footer."""
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_通辽新闻网</title>{head}</head><body>"
        f"{NAV}<div class='wrap'><div class='left'>{main}</div>{SIDEBAR}</div>{FOOTER}"
        "</body></html>"
    )


def body_of(html: str | bytes, *, title: str | None = TITLE, selector: str | None = None) -> Body:
    doc = parse_document(html, "http://www.tlnews.example.cn/news/2021/1105/123.html")
    return extract_body(doc, selector=selector, title=title)


def test_body_is_frozen_with_node_and_paragraphs():
    body = body_of(page(f"<h1>{TITLE}</h1><div class='content'>{BODY}</div>"))
    assert body.paragraphs == (P1, P2, P3)
    assert body.node is not None and body.node.get("class") == "content"
    with pytest.raises(dataclasses.FrozenInstanceError):
        body.paragraphs = ()  # type: ignore[misc]


@pytest.mark.parametrize(
    "noise",
    [
        '<div class="bdsharebuttonbox">分享到：<a href="#">微信</a><a href="#">微博</a></div>',
        "<p>分享到：微信 微博 QQ空间</p>",
        "<p>（责任编辑：李娜）</p>",
        "<p>责任编辑：王五 审核：赵六</p>",
        "<p>【打印】【关闭】</p>",
        "<p>【打印本页】 【关闭窗口】</p>",
        "<p>【字体：大 中 小】</p>",
        "<p>上一篇：<a href='/n/1.html'>全市召开秋季防火工作会议</a></p>",
        "<p>下一篇：没有了</p>",
        "<p>版权所有 © 2021 通辽日报社</p>",
        "<p>蒙ICP备05001234号</p>",
        "<p>发布时间：2021-11-05 10:30 来源：通辽日报 浏览次数：268</p>",
        "<p>扫一扫在手机打开当前页</p>",
        "<script>var P2 = '禁止出现的脚本文字，包含很多标点，。，。';</script>",
        "<style>.content p {font-size: 14px;}</style>",
        '<div style="display:none">隐藏的文字：这是一段不该出现的隐藏说明，，，。</div>',
        "<p>图片来源：视觉中国</p>",
        "<p>（图源：新华社）</p>",
        "<p>展开全文</p>",
        "<p>【免责声明】本文仅代表作者本人观点，与本网无关。</p>",
        "<i class='pstatus'>本帖最后由 阳光妈妈 于 2015-5-10 21:40 编辑</i>",
        "<div class='zan-wap'><a class='zan'></a><div class='zan-i'>+1</div></div>",
        "<p>Photograph: Jane Doe/Reuters</p>",
        "<p>索引号：11330521002608286F/2021-00123 发布机构：德清县发改局</p>",
        "<p>来源：通辽日报</p>",
        "<p>Updated 3:45 PM ET, Mon March 14, 2022</p>",
        "<p>Story continues below advertisement</p>",
    ],
    ids=[
        "share-class", "share-line", "editor-paren", "editor-line", "print-close",
        "print-close-page", "font-size", "prev", "next", "copyright", "icp", "meta-line",
        "qr-code", "script", "style", "hidden", "image-credit", "image-credit-paren",
        "expand", "disclaimer", "discuz-edit-note", "like-button", "photograph-credit",
        "gov-index-line", "source-line", "english-updated", "english-continues",
    ],
)
def test_boilerplate_inside_container_is_dropped(noise):
    html = page(f"<h1>{TITLE}</h1><div class='content'><p>{P1}</p>{noise}<p>{P2}</p><p>{P3}</p></div>")
    assert body_of(html).paragraphs == (P1, P2, P3)


@pytest.mark.parametrize(
    "after",
    [
        "<h3>相关新闻</h3><p>全市召开秋季防火工作会议，部署秋冬季防火任务。</p>",
        "<p>【相关阅读】</p><ul><li><a href='/n/9.html'>供暖季来临，这些安全知识要牢记</a></li></ul>",
        "<div class='related'><p>供暖季来临，专家提醒市民注意用电安全，防止发生火灾。</p></div>",
        "<div id='comment'><p>网友：希望今年暖气热一点，去年家里只有十六度，太冷了。</p></div>",
        (
            "<ul><li><a href='/n/7.html'>市区新增三条公交线路，方便市民出行</a></li>"
            "<li><a href='/n/8.html'>高考期间考点周边交通管制，请提前规划路线</a></li></ul>"
        ),
    ],
    ids=["related-heading", "related-list", "related-class", "comments", "link-list"],
)
def test_related_and_comments_after_the_article_are_dropped(after):
    html = page(f"<h1>{TITLE}</h1><div class='content'>{BODY}{after}</div>")
    assert body_of(html).paragraphs == (P1, P2, P3)


@pytest.mark.parametrize(
    "line",
    ["时间：11月20日上午9时 地点：市民广场", "阅读：请各单位组织学习。", "来源不明的消息，请市民不要轻信。"],
    ids=["event-time-place", "weak-label", "word-source-in-prose"],
)
def test_article_lines_that_look_like_labels_are_kept(line):
    html = page(f"<h1>{TITLE}</h1><div class='content'><p>{P1}</p><p>{line}</p><p>{P2}</p></div>")
    assert body_of(html).paragraphs == (P1, line, P2)


def test_chrome_named_wrapper_holding_the_article_is_kept():
    html = page(f"<h1>{TITLE}</h1><div class='content'><div class='share-wrap'>{BODY}</div></div>")
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_commentary_is_not_a_comment_box():
    html = page(
        f"<h1>{TITLE}</h1><div class='commentary-body'>{BODY}</div>"
        "<div class='comments'><p>网友：说得好，支持，希望落到实处。</p></div>"
    )
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_dateline_is_kept():
    body = body_of(page(f"<div class='content'>{BODY}</div>"))
    assert body.paragraphs[0].startswith("本报讯（记者 张三）")


def test_br_separated_body_in_one_div():
    html = page(f"<h1>{TITLE}</h1><div id='zoom'>　　{P1}<br><br>　　{P2}<br>　　{P3}<br></div>")
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_br_lines_inside_one_paragraph_are_split():
    html = page(f"<h1>{TITLE}</h1><div class='content'><p>{P1}<br/>{P2}<br/>{P3}</p></div>")
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_font_and_span_soup():
    html = page(
        f"<h1>{TITLE}</h1><div class='content'><font size='3'><span style='font-size:14pt'>"
        f"<p><font>本报讯（记者 张三）</font><span>11月5日上午，通辽市召开全市冬季供暖工作会议，</span>"
        f"<b>安排部署今冬明春供暖保障工作。</b></p><p><span>{P2}</span></p>"
        f"<p><font color='#333'><span>{P3}</span></font></p></span></font></div>"
    )
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_nested_layout_tables():
    main = (
        "<table width='100%'><tr><td class='title'>" + TITLE + "</td></tr>"
        "<tr><td><table width='100%'><tr><td class='text'>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        "</td></tr></table></td></tr></table>"
    )
    assert body_of(page(main)).paragraphs == (P1, P2, P3)


def test_old_page_with_headline_meta_and_body_in_one_cell():
    nav = "".join(f"<a href='/l/{i}.html'>政务公开第{i}栏目</a><br>" for i in range(15))
    cell = (
        f"<td><div align=center><b>{TITLE}</b></div>"
        "<div align=center>来源：市政府办公室　发布时间：2008-11-05　点击数：1234</div><hr>"
        f"　　{P1}<br>　　{P2}<br>　　{P3}<br><br>"
        "<div align=right>【<a href='#'>打印本页</a>】【<a href='#'>关闭窗口</a>】</div></td>"
    )
    html = (
        f"<html><body><table><tr><td width=200>{nav}</td>{cell}</tr></table>"
        "<div align=center>版权所有：某市人民政府 地址：人民路1号 电话：0475-8888888</div></body></html>"
    )
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_data_table_in_article_keeps_rows():
    table = (
        "<table><tr><td>项目</td><td>面积</td></tr>"
        "<tr><td>新增供热面积</td><td>120万平方米</td></tr></table>"
    )
    html = page(f"<h1>{TITLE}</h1><div class='content'><p>{P1}</p>{table}<p>{P2}</p><p>{P3}</p></div>")
    assert body_of(html).paragraphs == (P1, "项目 面积", "新增供热面积 120万平方米", P2, P3)


def test_paragraphs_without_container_are_joined():
    main = (
        f"<h1>{TITLE}</h1><div class='info'>2021-11-05 来源：通辽日报</div>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p class='editor'>责任编辑：孙丽</p>"
    )
    assert body_of(page(main)).paragraphs == (P1, P2, P3)


def test_article_split_across_sibling_containers():
    main = (
        f"<h1>{TITLE}</h1><div class='article'>"
        f"<div class='part'><p>{P1}</p><p>{P2}</p></div>"
        "<div class='pic'><img src='/a.jpg'></div>"
        f"<div class='part'><p>{P3}</p><p>{P4}</p></div></div>"
    )
    assert body_of(page(main)).paragraphs == (P1, P2, P3, P4)


def test_each_paragraph_in_its_own_deep_wrapper():
    # Editors that wrap every paragraph in several <section>s (WeChat-style exports).
    wrapped = "".join(
        f"<section><section style='margin:0'><section><p><span>{p}</span></p></section></section></section>"
        for p in (P1, P2, P3, P4)
    )
    html = page(f"<h1>{TITLE}</h1><div id='js_content'>{wrapped}</div>")
    assert body_of(html).paragraphs == (P1, P2, P3, P4)


def test_paragraphs_straight_in_body():
    html = (
        f"<html><body><a href='/'>首页</a> | <a href='/news/'>新闻</a><h2>{TITLE}</h2>"
        f"<p>{P1}</p><p>{P2}</p><p>{P3}</p><hr><a href='/'>返回首页</a></body></html>"
    )
    assert body_of(html).paragraphs == (P1, P2, P3)


def test_short_punctuated_lines_beat_a_site_blurb():
    lines = tuple(f"第{i}条 各单位要按时上报统计数据。" for i in range(1, 9))
    blurb = (
        "<div class='about'><p>通辽新闻网是经批准的重点新闻网站，以权威、及时、全面的新闻报道服务广大网民，"
        "是了解通辽、宣传通辽的重要窗口，欢迎广大网友投稿，投稿邮箱：news@example.cn。</p></div>"
    )
    main = "".join(f"<p>{line}</p>" for line in lines)
    html = f"<html><body>{NAV}<h1>{TITLE}</h1><div class='article'>{main}</div>{blurb}</body></html>"
    assert body_of(html).paragraphs == lines


def test_unmarked_comment_box_beside_the_article_is_not_merged():
    comments = "".join(
        f"<div class='item'><div class='user'>网友{i}</div><div class='txt'>我觉得今年的供暖一定会比去年好，"
        "政府的工作做得很到位，希望继续保持，大家都能过个暖冬。</div></div>"
        for i in range(8)
    )
    html = (
        f"<html><body>{NAV}<h1>{TITLE}</h1><div class='content'>{BODY}</div>"
        f"<div class='box'>{comments}</div></body></html>"
    )
    body = body_of(html)
    assert body.paragraphs == (P1, P2, P3)
    assert body.node.get("class") == "content"


def test_headline_inside_container_and_text_before_it_are_dropped():
    main = (
        f"<div class='article'><div class='crumb'>当前位置：首页 &gt; 新闻</div><h1>{TITLE}</h1>"
        f"<p>{TITLE}</p>{BODY}</div>"
    )
    assert body_of(page(main)).paragraphs == (P1, P2, P3)


def test_headline_repeated_at_the_end_does_not_cut_the_article():
    main = f"<div class='bt'>标题：{TITLE}（图）</div><div class='content'>{BODY}<p>{TITLE}</p></div>"
    assert body_of(page(main)).paragraphs == (P1, P2, P3, TITLE)


def test_container_before_the_headline_loses():
    teaser = "".join(
        f"<p>编者按：今冬供暖，关系千家万户。本报推出系列报道，第{i}篇，敬请关注，欢迎来信。</p>" for i in range(3)
    )
    main = f"<div class='intro'>{teaser}</div><h1>{TITLE}</h1><div class='text'>{BODY}</div>"
    assert body_of(page(main)).paragraphs == (P1, P2, P3)


def test_short_article_beats_long_footer():
    footer = (
        "<div class='footer'><div class='txt'><p>违法和不良信息举报电话：010-12345678，客服电话：010-12345679，"
        "邮箱：service@example.com。</p><p>本站所有内容，未经许可，不得转载，不得建立镜像；转载须注明来源，"
        "违者依法追究法律责任。本站只提供信息参考，不构成投资建议，据此操作，风险自担。</p></div></div>"
    )
    html = (
        f"<html><body>{NAV}<h1>{TITLE}</h1><div class='box'><p>{P1}</p></div>{footer}</body></html>"
    )
    assert body_of(html).paragraphs == (P1,)


def test_first_post_of_forum_thread():
    post = "<td class='t_f' id='postmessage_{n}'>{text}</td>"
    html = (
        f"<html><body>{NAV}<h1><span id='thread_subject'>{TITLE}</span></h1>"
        f"<table><tr><td>{post.format(n=1, text=f'{P1}<br/>{P2}<br/>{P3}')}</td></tr></table>"
        f"<table><tr><td>{post.format(n=2, text='谢谢分享，请问今年供暖费涨价了吗？')}</td></tr></table>"
        "</body></html>"
    )
    assert body_of(html).paragraphs == (P1, P2, P3)


ENGLISH = [
    (
        "The city council voted on Monday night to build protected cycle lanes along Harbour Road, "
        "ending a debate that has run for almost three years."
    ),
    (
        "Councillors approved the plan by nine votes to four, after a meeting in which residents, "
        "shop owners and cycling groups spoke for and against it."
    ),
    "Work is expected to start in June and to take about eight months, the council said.",
]


def test_english_article_element():
    html = (
        "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<article><h1>Council approves cycle lanes</h1><p class='byline'>By Maria Lopez</p>"
        "<div class='share'>Share this article <a href='#'>Facebook</a></div>"
        "<figure><img src='a.jpg'><figcaption>Photo: Getty Images</figcaption></figure>"
        + "".join(f"<p>{p}</p>" for p in ENGLISH)
        + "<p>Sign up for our newsletter</p></article>"
        "<footer><p>© 2022 The Gazette. All rights reserved.</p></footer></body></html>"
    )
    body = body_of(html, title="Council approves cycle lanes")
    assert body.paragraphs[-3:] == tuple(ENGLISH)
    assert not any("Share" in p or "Photo" in p or "Sign up" in p or "©" in p for p in body.paragraphs)


def test_english_itemprop_article_body_wins():
    teaser = "".join(
        f"<div class='card'><p>{p[:70]}, with pictures and video.</p></div>" for p in ENGLISH
    )
    html = (
        "<html><body><h1>Council approves cycle lanes</h1>"
        "<div itemprop='articleBody'>" + "".join(f"<p>{p}</p>" for p in ENGLISH) + "</div>"
        f"<div class='cards'>{teaser}</div></body></html>"
    )
    body = body_of(html, title="Council approves cycle lanes")
    assert body.paragraphs == tuple(ENGLISH)
    assert body.node.get("itemprop") == "articleBody"


def test_english_paragraphs_in_divs():
    html = (
        "<html><body><div id='menu'><a href='/'>Home</a> <a href='/world'>World</a></div>"
        "<div class='main'><div class='story-body'>"
        + "".join(f"<div class='para'>{p}</div>" for p in ENGLISH)
        + "</div><div class='sidebar'><p>Most read: Flood warning issued, residents told to prepare.</p>"
        "</div></div></body></html>"
    )
    assert body_of(html, title=None).paragraphs == tuple(ENGLISH)


@pytest.mark.parametrize(
    "selector",
    ["//div[@id='real']", "(//div[@class='box'])[2]", "div#real", "div.box + div.box"],
    ids=["xpath", "xpath-paren", "css-id", "css-sibling"],
)
def test_selector_wins_when_it_matches(selector):
    decoy = "".join(f"<p>{p}</p>" for p in (P1, P2, P3, P1, P2))
    html = page(f"<div class='box'>{decoy}</div><div class='box' id='real'><p>{P3}</p></div>")
    body = body_of(html, selector=selector)
    assert body.paragraphs == (P3,)
    assert body.node.get("id") == "real"


@pytest.mark.parametrize(
    "selector", ["//div[@id='missing']", "div.missing", "//div[", "div[[", "div::before", "  "]
)
def test_selector_that_does_not_match_falls_back_to_generic_rules(selector):
    html = page(f"<h1>{TITLE}</h1><div class='content'>{BODY}</div>")
    assert body_of(html, selector=selector).paragraphs == (P1, P2, P3)


def test_page_without_text_has_no_body():
    html = f"<html><body>{NAV}</body></html>"
    assert body_of(html) == Body(None, ())
    assert body_of("") == Body(None, ())


def test_tree_is_not_modified():
    html = page(f"<h1>{TITLE}</h1><div class='content'>{BODY}<p>责任编辑：李娜</p></div>")
    doc = parse_document(html, "http://www.tlnews.example.cn/a.html")
    before = lxml.html.tostring(doc.tree)
    extract_body(doc, title=TITLE)
    assert lxml.html.tostring(doc.tree) == before


def _fixture_ids() -> list[str]:
    return sorted(p.stem for p in PAGES.glob("body-*.json"))


@pytest.mark.parametrize("name", _fixture_ids())
def test_body_fixture(name):
    meta = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    raw = (PAGES / f"{name}.html").read_bytes()
    doc = parse_document(raw, meta["url"], meta.get("content_type"))
    expected = meta["expected"]
    body = extract_body(doc, title=expected.get("title"))
    if "paragraphs" in expected:
        assert list(body.paragraphs) == expected["paragraphs"]
    for text in expected.get("paragraphs_include", ()):
        assert text in body.paragraphs
    joined = "\n".join(body.paragraphs)
    for text in expected.get("paragraphs_exclude", ()):
        assert text not in joined


def test_fixtures_cover_each_failure_class():
    assert len(_fixture_ids()) >= 8


def test_comments_named_post_comments_stay_out_of_the_body():
    # "post" in "post-comments" qualifies the comments; it does not name the body.
    comment = "这篇报道写得很好，希望政府继续关心困难群众的冬季取暖问题，把好事办实办好，支持。"
    body = body_of(
        page(
            f"<h1>{TITLE}</h1><div class='content'><p>{P1}</p><p>{P2}</p></div>"
            f"<div class='comments-area post-comments'><p>{comment}</p><p>{comment}</p>"
            f"<p>{comment}</p></div>"
        )
    )
    assert body.paragraphs == (P1, P2)


def test_inline_external_link_text_is_kept():
    # <a class="external-link"> is a link in a sentence, not a block of links.
    body = body_of(
        page(
            f"<h1>{TITLE}</h1><div class='content'><p>{P1}</p>"
            f"<p>据<a class='external-link' href='http://x.example/'>市住建局网站</a>消息，{P2}</p>"
            f"<p>{P3}</p></div>"
        )
    )
    assert body.paragraphs == (P1, f"据市住建局网站消息，{P2}", P3)


def test_sections_with_subheadings_stay_one_article():
    # Parts of one article each under its own subheading: none is the headline, so none is a post.
    sections = "".join(
        f"<div class='sec'><h3>{head}</h3><p>{P1}</p><p>{P2}</p></div>"
        for head in ("一、总体要求", "二、主要任务", "三、保障措施")
    )
    body = body_of(page(f"<h1>{TITLE}</h1><div class='content'>{sections}</div>"))
    assert body.paragraphs.count(P1) == 3


def test_the_post_under_the_headline_is_the_body_of_a_page_of_posts():
    other = "".join(f"<p>{p}</p>" for p in (P4, P3, P2))
    posts = (
        f"<div class='post'><h3><a href='/1.html'>市区新增十处公共停车场</a></h3>{other}</div>"
        f"<div class='post'><h3><a href='/2.html'>{TITLE}</a></h3>{BODY}</div>"
        f"<div class='post'><h3><a href='/3.html'>市图书馆延长开放时间</a></h3>{other}</div>"
    )
    body = body_of(page(f"<div class='posts'>{posts}</div>"))
    assert body.paragraphs == (P1, P2, P3)
