"""Headline strategies on one-line pages."""

from __future__ import annotations

import pytest

from newsarchive.extract.body import scan_document
from newsarchive.extract.document import parse_document
from newsarchive.extract.title import element_text, find_headline, split_page_title
from newsarchive.extract.titletext import clean_headline, headline_part

BODY = "<p>会议指出，今年以来全市经济运行总体平稳，主要指标保持增长。会议要求，各地各部门要认真抓好落实，确保完成全年目标任务，推动经济社会高质量发展。</p>"


def _headline(html: str) -> str | None:
    doc = parse_document(html, "http://www.example.cn/a/1.html")
    found = find_headline(doc.tree, scan_document(doc).page)
    return found.text if found else None


CASES = [
    ("site-suffix-underscore",
     f"<title>通辽市召开经济工作会议_通辽新闻网</title><h1>通辽市召开经济工作会议</h1>{BODY}",
     "通辽市召开经济工作会议"),
    ("site-suffix-dash",
     f"<title>法国全国大罢工再次严重影响交通-新华网</title><div class='h-title'>法国全国大罢工再次严重影响交通</div>{BODY}",
     "法国全国大罢工再次严重影响交通"),
    ("channel-and-site-pipe",
     f"<title>60万账号外泄? 官方辟谣称消息不实|辟谣_新浪财经_新浪网</title><h1>60万账号外泄? 官方辟谣称消息不实</h1>{BODY}",
     "60万账号外泄? 官方辟谣称消息不实"),
    ("channel-after-space",
     f"<title>南区街道开展安全生产检查 南区办事处_城区新闻网</title><div class='bt'><b>南区街道开展安全生产检查</b></div>{BODY}",
     "南区街道开展安全生产检查"),
    ("headline-with-pipe-inside",
     f"<title>棱镜|数据业大整顿：爬虫与现金贷共生共荣_财经_腾讯网</title><h1>棱镜|数据业大整顿：爬虫与现金贷共生共荣</h1>{BODY}",
     "棱镜|数据业大整顿：爬虫与现金贷共生共荣"),
    ("title-is-the-headline",
     f"<title>1-10月德清县固定资产投资结构趋稳趋优</title><p class='tit'>1-10月德清县固定资产投资结构趋稳趋优</p>{BODY}",
     "1-10月德清县固定资产投资结构趋稳趋优"),
    ("logo-h1-rejected",
     (f"<title>山西品牌丝路行正式启动 - 山西省人民政府门户网站</title><meta name='ArticleTitle' content='山西品牌丝路行正式启动'>"
      f"<h1><a href='/'>山西省人民政府网站</a></h1><div class='title'>山西品牌丝路行正式启动 成功举办推介会</div>{BODY}"),
     "山西品牌丝路行正式启动"),
    ("truncated-og-title-loses",
     (f"<title>多地项目连环爆雷 狂奔的龙湖集团暗伤曝露？_网易财经</title><meta property='og:title' content='多地项目连环爆雷 狂奔的龙湖集团'>"
      f"<h1>多地项目连环爆雷 狂奔的龙湖集团暗伤曝露？</h1>{BODY}"),
     "多地项目连环爆雷 狂奔的龙湖集团暗伤曝露？"),
    ("h1-with-date-line-inside",
     f"<title>临江区召开经济工作会议 - 临江要闻 - 临江新闻网</title><h1>临江区召开经济工作会议<br><span>2021年01月12日 09:30 来源：临江日报</span></h1>{BODY}",
     "临江区召开经济工作会议"),
    ("h1-with-inline-date-span",
     f"<title>临江区召开经济工作会议_临江新闻网</title><h1>临江区召开经济工作会议<span>2021-01-12 来源：临江日报</span></h1>{BODY}",
     "临江区召开经济工作会议"),
    ("br-split-headline",
     (f"<title>关于批准财政预算调整方案及调整2008　年末债务限额的决议_公报_政府网</title>"
      f"<p><strong>关于批准财政预算调整方案及<br>\n调整2008年末债务限额的决议</strong></p>{BODY}"),
     "关于批准财政预算调整方案及调整2008年末债务限额的决议"),
    ("generic-title-heading-before-body",
     (f"<title>新闻动态--学会官网</title><div class='title'>新闻动态</div><ul><li><a href='/1'>通知公告</a></li></ul>"
      f"<div><h5>2019年人文地理学术年会在重庆成功举行！</h5>{BODY}</div>"),
     "2019年人文地理学术年会在重庆成功举行！"),
    ("site-name-first",
     f"<title>某某新闻网 - 市政府召开常务会议研究部署重点工作</title><h1>某某新闻网</h1><h1>市政府召开常务会议研究部署重点工作</h1>{BODY}",
     "市政府召开常务会议研究部署重点工作"),
    ("self-linked-h1-and-unrelated-title",
     f"<title>另一个网站标题</title><h1><a href='/news/1.html'>某县开展植树活动</a></h1>{BODY}",
     "某县开展植树活动"),
    ("title-is-only-the-site-name",
     f"<title>网站名称</title><table><tr><td class='biaoti'>关于开展2021年度安全检查的通知</td></tr><tr><td>{BODY}</td></tr></table>",
     "关于开展2021年度安全检查的通知"),
    ("discuz-long-suffix",
     f"<title>老城区停车难怎么办 - 城市建设 - 桐溪论坛 - Powered by Discuz!</title><h1><span id='thread_subject'>老城区停车难怎么办</span></h1>{BODY}",
     "老城区停车难怎么办"),
    ("h1-is-the-headline-part-of-a-section-prefixed-title",
     ("<title>Opinion | Library to extend weekend hours - The Washington Post</title>"
      "<meta property='og:title' content='Opinion | Library to extend weekend hours'>"
      "<h1>Library to extend weekend hours</h1><p>The library board voted on Tuesday night to open on Sunday "
      "afternoons, and the new hours start in April.</p>"),
     "Library to extend weekend hours"),
    ("english-pipe",
     ("<title>City council approves riverside park plan | The Harbour Gazette</title>"
      "<h1 class='headline'>City council approves riverside park plan</h1><p>The council voted on Thursday evening "
      "to approve a plan for the old ferry yard, and work is expected to begin this summer.</p>"),
     "City council approves riverside park plan"),
]


@pytest.mark.parametrize(("html", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_headline(html, expected):
    assert _headline(html) == expected


def test_no_headline_on_an_empty_page():
    assert _headline("<html><body><div></div></body></html>") is None


def test_profile_selector_wins():
    from lxml import etree

    doc = parse_document(f"<title>甲_网站</title><h1>甲</h1><div id='t'>乙标题</div>{BODY}", "http://x/")
    found = find_headline(doc.tree, scan_document(doc).page, selector=etree.XPath("//div[@id='t']"))
    assert found is not None and found.text == "乙标题"


@pytest.mark.parametrize(
    ("title", "parts"),
    [
        ("标题_频道_网站", ["标题", "频道", "网站"]),
        ("标题--当代商报", ["标题", "当代商报"]),
        ("标题 - 山西省人民政府门户网站", ["标题", "山西省人民政府门户网站"]),
        ("1-10月投资趋稳", ["1-10月投资趋稳"]),
        ("中华人民共和国监察法-纪检", ["中华人民共和国监察法", "纪检"]),
    ],
    ids=["underscore", "double-dash", "spaced-dash", "dash-in-headline", "trailing-dash"],
)
def test_split_page_title(title, parts):
    assert split_page_title(title) == parts


def test_element_text_joins_chinese_lines():
    doc = parse_document("<p><strong>常务委员会<br>\n关于批准</strong> and <b>Hello<br>world</b></p>", "http://x/")
    el = doc.tree.find(".//strong")
    assert element_text(el) == "常务委员会关于批准"
    assert element_text(doc.tree.find(".//b")) == "Hello world"


@pytest.mark.parametrize(
    ("text", "sites", "expected"),
    [
        ("- -双河镇召开春季防火工作会议- -", set(), "双河镇召开春季防火工作会议"),
        ("\ue60c 县残联开展助残日活动", set(), "县残联开展助残日活动"),
        ("主题：老城区的早市该不该搬", set(), "老城区的早市该不该搬"),
        ("【溪口新闻网】城区新增两条公交线路", set(), "城区新增两条公交线路"),
        ("城区新增两条公交线路【溪口在线】", set(), "城区新增两条公交线路"),
        ("【溪口播报】城区新增两条公交线路", {"溪口播报"}, "城区新增两条公交线路"),
        ("【城区新增两条公交线路】", set(), "城区新增两条公交线路"),
        ("★城区新增两条公交线路★", set(), "城区新增两条公交线路"),
        # the headline's own words stay: a kicker, a leading minus, brackets inside
        ("【聚焦两会】代表委员热议乡村振兴", set(), "【聚焦两会】代表委员热议乡村振兴"),
        ("[本地快讯]七旬老人接到来电被骗", set(), "[本地快讯]七旬老人接到来电被骗"),
        ("-5℃！寒潮明日抵达我市", set(), "-5℃！寒潮明日抵达我市"),
        ("学习C++的十个建议", set(), "学习C++的十个建议"),
        ("【通知】关于【2021】年度考核的安排", set(), "【通知】关于【2021】年度考核的安排"),
    ],
)
def test_clean_headline(text, sites, expected):
    assert clean_headline(text, sites) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("我校举行春季田径运动会 - 学校新闻 - 溪口县第一高级中学官方网站", "我校举行春季田径运动会"),
        ("溪口新闻网 - 本地要闻 - 城区新增两条公交线路", "城区新增两条公交线路"),
        ("市政府召开常务会议研究部署重点工作_要闻_新闻网", "市政府召开常务会议研究部署重点工作"),
        ("关于开展安全检查的通知_通知公告", "关于开展安全检查的通知"),
    ],
)
def test_headline_part(title, expected):
    assert headline_part(split_page_title(title)) == expected
