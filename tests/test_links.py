"""newsarchive.extract.links: page kind, article links with dates, next page, sections."""

from __future__ import annotations

import json
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from newsarchive.extract.document import parse_document
from newsarchive.extract.feeds import read_feed
from newsarchive.extract.links import (
    PageKind,
    analyze_page,
    classify_page,
    find_article_links,
    find_next_page,
    find_section_links,
    is_root_url,
    site_hosts,
    url_kind,
)
from tests.mockserver import query_file_name, site_names

NOW = datetime(2021, 11, 6, 12, 0)
SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"


def doc(body: str, url: str = "http://www.example.gov.cn/news/", head: str = "") -> object:
    html = f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"
    return parse_document(html, url)


def ul(*items: str, cls: str = "list") -> str:
    return f"<ul class='{cls}'>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


LIST_ITEMS = [
    "<a href='/news/2021/1105/12.html'>桐溪县首批高标准农田建设项目通过验收</a><span>11-05</span>",
    "<a href='/news/2021/1103/9.html'>桐溪县前三季度地区生产总值同比增长</a><span>11-03</span>",
    "<a href='/news/2021/1026/6.html'>桐溪至双河公路改建工程全线通车</a><span>10-26</span>",
    "<a href='/news/2021/1015/3.html'>桐溪县召开秋冬季森林防火工作会议</a><span>10-15</span>",
]
NAV = (
    "<div class='nav'><a href='/'>首页</a><a href='/news/'>本地新闻</a><a href='/town/'>乡镇动态</a>"
    "<a href='/life/'>民生关注</a><a href='http://other.example.com/x/'>外站</a>"
    "<a href='/member/'>会员中心</a><a href='/plus/search.php'>站内搜索</a></div>"
)
FOOTER = "<div class='footer'><a href='/about/us.html'>关于我们网站的联系方式和地址</a></div>"
BODY = "<p>" + "桐溪县新开通城关至青龙、城关至南塘两条城乡公交线路，实现全县乡镇公交全覆盖。" * 3 + "</p>"


# --- url_kind / is_root_url / site_hosts -----------------------------------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://x.cn/a/123.html", PageKind.ARTICLE),
        ("http://x.cn/xwzx/202204/t20220417_2304511.html", PageKind.ARTICLE),
        ("http://x.cn/art/2021/11/5/art_12_345.html", PageKind.ARTICLE),
        ("http://x.cn/news/show-123.html", PageKind.ARTICLE),
        ("http://x.cn/index.php?m=content&c=index&a=show&catid=6&id=12", PageKind.ARTICLE),
        ("http://x.cn/a/xinwen/2021/1105/12.html", PageKind.ARTICLE),
        ("http://x.cn/a/xinwen/list_1_2.html", PageKind.LISTING),
        ("http://x.cn/news/list/", PageKind.LISTING),
        ("http://x.cn/xwzx/index_2.html", PageKind.LISTING),
        ("http://x.cn/news/?page=2", PageKind.LISTING),
        ("http://x.cn/plus/list.php?tid=3", PageKind.LISTING),
        ("http://x.cn/about/contact.aspx", None),
        # Blog permalinks: a slug below a date is a post; the date archives and their pages are lists.
        ("http://x.cn/2021/11/05/nanxi-old-street/", PageKind.ARTICLE),
        ("http://x.cn/2021/10/17/%e8%80%81%e8%a1%97/", PageKind.ARTICLE),
        ("http://x.cn/2021/11/town-news/", PageKind.ARTICLE),
        ("http://x.cn/2021/11/05/", PageKind.LISTING),
        ("http://x.cn/2021/11/", PageKind.LISTING),
        ("http://x.cn/2021/11/page/2/", PageKind.LISTING),
        ("http://x.cn/2021/11/feed/", PageKind.LISTING),
        ("http://x.cn/category/news/page/2/", PageKind.LISTING),
        ("http://x.cn/index.php?m=content&c=index&a=lists&catid=6&page=2", PageKind.LISTING),
        ("http://x.cn/list.asp?classid=3&page=2", PageKind.LISTING),
        ("http://x.cn/news.asp?id=206", PageKind.ARTICLE),
        ("http://x.cn/col/col1229/index.html", PageKind.LISTING),
        # A list script's ?id= names its column: list.asp?id=3 is a list, show.asp?id=12 an article.
        ("http://x.cn/list.asp?id=3", PageKind.LISTING),
        ("http://x.cn/news_list.asp?id=5&page=2", PageKind.LISTING),
        ("http://x.cn/NewsList.aspx?id=2", PageKind.LISTING),
        ("http://x.cn/show.asp?id=12", PageKind.ARTICLE),
        ("http://x.cn/NewsShow.asp?id=12", PageKind.ARTICLE),
        ("http://x.cn/content.jsp?urltype=news.NewsContentUrl&wbtreeid=1022&wbnewsid=3456", PageKind.ARTICLE),
        ("http://x.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&perpage=2&columnid=1229", PageKind.LISTING),
    ],
    ids=lambda v: v if isinstance(v, str) else str(v),
)
def test_url_kind(url, kind):
    assert url_kind(url) is kind


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://x.cn/", True),
        ("http://x.cn", True),
        ("http://x.cn/index.html", True),
        ("http://x.cn/default.aspx", True),
        ("http://x.cn/news/", False),
        ("http://x.cn/index.php?m=content&catid=2", False),
    ],
)
def test_is_root_url(url, root):
    assert is_root_url(url) is root


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://www.example.gov.cn/a.html", True),
        ("https://www.example.gov.cn/a.html", True),
        ("http://example.gov.cn/a.html", True),
        ("http://news.example.gov.cn/a.html", True),
        ("http://www.example.gov.cn:8080/a.html", False),
        ("http://example.com/a.html", False),
        ("ftp://www.example.gov.cn/a.html", False),
    ],
)
def test_site_hosts_keep_to_the_start_site(url, allowed):
    assert site_hosts(["http://www.example.gov.cn/news/"]).allows(url) is allowed


def test_site_hosts_on_a_local_port_need_the_port():
    hosts = site_hosts(["http://127.0.0.1:8051/"])
    assert hosts.allows("http://127.0.0.1:8051/a/1.html")
    assert not hosts.allows("http://127.0.0.1:8052/a/1.html")


def test_site_hosts_take_a_profiles_extra_hosts():
    hosts = site_hosts(["http://www.a.cn/"], ["cdn.b.cn"])
    assert hosts.allows("http://cdn.b.cn/x/1.html")


# --- classification ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "url", "kind"),
    [
        (f"{NAV}<h1>桐溪县新增两条城乡公交线路</h1><div class='content'>{BODY}{BODY}</div>{FOOTER}",
         "http://www.example.gov.cn/news/2021/1110/15.html", PageKind.ARTICLE),
        (f"{NAV}<div class='main'>{ul(*LIST_ITEMS)}</div>{FOOTER}", "http://www.example.gov.cn/news/",
         PageKind.LISTING),
        (f"{NAV}<h1>联系我们</h1><p>电话：0559-6512345</p>{FOOTER}", "http://www.example.gov.cn/about/",
         PageKind.OTHER),
        # A listing with a summary under each title is still a listing.
        (f"{NAV}" + ul(*(i + "<p>" + "十一月五日，桐溪县召开会议。" * 3 + "</p>" for i in LIST_ITEMS)),
         "http://www.example.gov.cn/news/", PageKind.LISTING),
        # An article with a "related" list under it is still an article.
        ((f"<h1>桐溪县新增两条城乡公交线路</h1><div class='content'>{BODY}{BODY}</div>"
          f"<h3>相关阅读</h3>{ul(*LIST_ITEMS, cls='xgwz')}"), "http://www.example.gov.cn/news/2021/1110/15.html",
         PageKind.ARTICLE),
    ],
    ids=["article", "listing", "other", "listing-with-summaries", "article-with-related"],
)
def test_classify_page(body, url, kind):
    assert classify_page(doc(body, url)) is kind


def test_classify_page_reads_content_left_after_the_html_end():
    """lxml hangs markup after </html> beside the root; its text still counts."""
    html = f"<html><head></head><body>{NAV}</body></html><div><h1>标题</h1>{BODY}{BODY}</div>"
    page = parse_document(html, "http://www.example.gov.cn/news/2021/1110/15.html")
    assert classify_page(page) is PageKind.ARTICLE


# --- article links ------------------------------------------------------------------------------


def urls(links):
    """Return the paths of *links* (ArticleLinks or URL strings) on www.example.gov.cn."""
    return [getattr(link, "url", link).replace("http://www.example.gov.cn", "") for link in links]


def test_article_links_come_from_the_main_list_only():
    sidebar = (
        "<div class='box'><h3>点击排行</h3>"
        + ul("<a href='/town/2021/1108/13.html'>南塘乡完成村级文化广场提质改造</a>",
             "<a href='/town/2021/1101/8.html'>青龙乡举办第三届红薯文化节活动</a>",
             "<a href='/life/2021/1104/10.html'>冬季供暖设备检修基本完成了</a>",
             "<a href='/life/2021/1029/7.html'>县医院开通夜间儿科门诊服务</a>",
             "<a href='/life/2021/1019/4.html'>城区12个老旧小区改造开工</a>", cls="c1")
        + "</div>"
    )
    ad = "<div class='ad'><a href='http://ads.example.com/x'>点击领取超值优惠大礼包活动</a></div>"
    page = doc(f"{NAV}<div class='main'>{ul(*LIST_ITEMS)}</div><div class='aside-box'>{sidebar}</div>{ad}{FOOTER}")
    assert urls(find_article_links(page, now=NOW)) == [
        "/news/2021/1105/12.html", "/news/2021/1103/9.html", "/news/2021/1026/6.html", "/news/2021/1015/3.html",
    ]


def test_the_list_beside_the_pager_wins_over_a_longer_side_list():
    main = ul(LIST_ITEMS[0], LIST_ITEMS[1])
    pager = "<div class='pages'><a href='/news/'>上一页</a><a href='/news/'>1</a><span>2</span></div>"
    side = ul(*(f"<a href='/other/{i}.html'>其他栏目里的一条很长的新闻标题{i}</a><span>11-0{i}</span>"
                for i in range(1, 7)), cls="c1")
    page = doc(f"<div class='l'>{main}{pager}</div><div class='r'>{side}</div>",
               "http://www.example.gov.cn/news/index_2.html")
    assert urls(find_article_links(page, now=NOW)) == ["/news/2021/1105/12.html", "/news/2021/1103/9.html"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("<a href='/n/1.html'>一条新闻的标题文字在这里</a><span>2021-11-05</span>", datetime(2021, 11, 5)),
        ("<span class='date'>11-05</span><a href='/n/1.html'>一条新闻的标题文字在这里</a>", datetime(2021, 11, 5)),
        ("<a href='/n/1.html'>一条新闻的标题文字在这里</a> (2021年11月05日)", datetime(2021, 11, 5)),
        ("<a href='/n/1.html'>一条新闻的标题文字在这里</a><em>3小时前</em>", datetime(2021, 11, 6, 9, 0)),
        # No year printed: the year comes from the URL's date, not from now.
        ("<a href='/n/2019/0305/1.html'>一条新闻的标题文字在这里</a><span>03-05</span>", datetime(2019, 3, 5)),
        # Nothing printed: the URL's date.
        ("<a href='/n/201903/t20190305_1.html'>一条新闻的标题文字在这里</a>", datetime(2019, 3, 5)),
        ("<a href='/n/1.html'>一条新闻的标题文字在这里</a>", None),
    ],
    ids=["iso", "month-day", "cn", "hours-ago", "year-from-url", "url-only", "none"],
)
def test_article_links_carry_the_date_beside_them(item, expected):
    others = [f"<a href='/n/{i}0.html'>另外一条新闻的标题文字{i}</a>" for i in range(2, 5)]
    links = find_article_links(doc(ul(item, *others)), now=NOW)
    assert links[0].published == expected


def test_a_flat_list_gives_each_link_its_own_date():
    """No list items: <a> and <span> side by side in one <div>; each link takes the date after it."""
    items = "".join(
        f"<a href='/n/{d}.html'>第{d}条新闻的标题文字在这里</a><span>2021-11-0{d}</span><br>" for d in (5, 4, 3)
    )
    links = find_article_links(doc(f"<div class='list'>{items}</div>"), now=NOW)
    assert [link.published for link in links] == [datetime(2021, 11, d) for d in (5, 4, 3)]


def test_image_and_title_links_to_one_article_give_one_link_with_the_title():
    items = [
        f"<a href='/n/{i}.html'><img src='/p.gif'></a><a href='/n/{i}.html'>第{i}条新闻的标题文字在这里</a>"
        for i in range(1, 4)
    ]
    links = find_article_links(doc(ul(*items)), now=NOW)
    assert [(urls([link])[0], link.text) for link in links] == [
        ("/n/1.html", "第1条新闻的标题文字在这里"),
        ("/n/2.html", "第2条新闻的标题文字在这里"),
        ("/n/3.html", "第3条新闻的标题文字在这里"),
    ]


def test_article_links_leave_other_sites_and_scripts_out():
    items = [
        "<a href='http://other.example.com/n/1.html'>别的网站上的一条新闻标题</a>",
        "<a href='javascript:void(0)'>一条脚本链接的新闻标题文字</a>",
        *LIST_ITEMS[:3],
    ]
    assert urls(find_article_links(doc(ul(*items)), now=NOW)) == [
        "/news/2021/1105/12.html", "/news/2021/1103/9.html", "/news/2021/1026/6.html",
    ]


def test_a_profile_selector_names_the_article_links():
    page = doc(ul(*LIST_ITEMS) + ul("<a href='/special/1.html'>专题页面里面的一条新闻</a>", cls="zt"))
    assert urls(find_article_links(page, now=NOW, selector="ul.zt")) == ["/special/1.html"]
    assert urls(find_article_links(page, now=NOW, selector="//ul[@class='zt']//a")) == ["/special/1.html"]


def test_hanweb_recordset_links_are_read():
    records = "".join(
        f"<record><![CDATA[<li><a href='/art/2021/11/{d}/art_12_{d}.html'>汉威栏目里的第{d}条新闻标题</a>"
        f"<span>2021-11-0{d}</span></li>]]></record>"
        for d in (5, 4, 3)
    )
    script = f"<script type='text/xml'><datastore><recordset>{records}</recordset></datastore></script>"
    links = find_article_links(doc(f"<div id='4321'>{script}</div>", "http://www.example.gov.cn/col/col12/"), now=NOW)
    assert urls(links) == ["/art/2021/11/5/art_12_5.html", "/art/2021/11/4/art_12_4.html", "/art/2021/11/3/art_12_3.html"]
    assert links[0].published == datetime(2021, 11, 5)


# --- next page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "url", "expected"),
    [
        ("<a href='list_1_2.html'>下一页</a>", "http://x.cn/news/", "http://x.cn/news/list_1_2.html"),
        ("<a href='?page=3'>下页</a>", "http://x.cn/news/?page=2", "http://x.cn/news/?page=3"),
        ("<a href='/news/p/2/'>&gt;</a>", "http://x.cn/news/", "http://x.cn/news/p/2/"),
        ("<a href='/news/2'>Next »</a>", "http://x.cn/news/", "http://x.cn/news/2"),
        ("<a class='next' href='/news/page/2/'>→</a>", "http://x.cn/news/", "http://x.cn/news/page/2/"),
        # The number after the current page's.
        (("<div class='pages'><a href='index.html'>1</a><span class='current'>2</span>"
          "<a href='index_2.html'>3</a></div>"), "http://x.cn/news/index_1.html", "http://x.cn/news/index_2.html"),
        # Siblings one page on, no "next" link.
        ("<a href='index_1.html'>1</a><a href='index_3.html'>3</a>", "http://x.cn/news/index_2.html",
         "http://x.cn/news/index_3.html"),
        ("<a href='list_3_1.html'>1</a><a href='list_3_2.html'>2</a>", "http://x.cn/news/",
         "http://x.cn/news/list_3_2.html"),
        ("<a href='/news/?lang=cn&page=3'>3</a><a href='/news/?lang=cn&page=1'>1</a>",
         "http://x.cn/news/?lang=cn&page=2", "http://x.cn/news/?lang=cn&page=3"),
        ("<a href='/news/?lang=cn&page=2'>2</a><a href='/news/?lang=cn&page=3'>3</a>",
         "http://x.cn/news/", "http://x.cn/news/?lang=cn&page=2"),
        # TRS: no <a> to the next page, only the pager script.
        ('<script>createPageHTML(12, 0, "index", "html");</script>', "http://x.cn/xwzx/",
         "http://x.cn/xwzx/index_1.html"),
        (('<script>var countPage = 12;var currentPage = 3;createPageHTML(countPage, currentPage, "index", "shtml");'
          "</script>"), "http://x.cn/xwzx/index_3.shtml", "http://x.cn/xwzx/index_4.shtml"),
        ("<script>createPageHTML('page_div',5, 1,'index','html',120);</script>", "http://x.cn/zwgk/",
         "http://x.cn/zwgk/index_2.html"),
        ("<script>var currentPage = 0;//所在页从0开始\nvar countPage = 34//共多少页</script>",
         "http://x.cn/xwzx/index.html", "http://x.cn/xwzx/index_1.html"),
        ("<link rel='next' href='/news/2.html'>", "http://x.cn/news/", "http://x.cn/news/2.html"),
    ],
    ids=["xiayiye", "xiaye", "gt", "next", "class-next", "current-number", "index-sibling", "dede-list",
         "query-page", "query-page-first", "trs-create", "trs-vars-call", "trs-6-args", "trs-vars", "rel-next"],
)
def test_find_next_page(body, url, expected):
    if body.startswith("<link"):
        page = doc("", url, head=body)
    else:
        page = doc(body, url)
    assert find_next_page(page) == expected


@pytest.mark.parametrize(
    ("body", "url"),
    [
        ('<script>createPageHTML(12, 11, "index", "html");</script>', "http://x.cn/xwzx/index_11.html"),
        ("<script>createPageHTML('page_div',5, 5,'index','html',120);</script>", "http://x.cn/zwgk/index_5.html"),
        ("<a href='javascript:;'>后一页</a><a href='/bdxw/'>1</a><a href='/bdxw_2/'>2</a>", "http://x.cn/bdxw_2/"),
        ("<a href='list_1_2.html'>下一页</a>", "http://x.cn/news/list_1_2.html"),
        ("<a href='http://other.cn/news/list_2.html'>下一页</a>", "http://x.cn/news/"),
        # A section link next to a home page is not page 12 of it.
        ("<a href='node_12.htm'>新闻</a><a href='node_15.htm'>旗县</a>", "http://x.cn/"),
    ],
    ids=["trs-last", "trs-6-last", "pboot-last", "self", "offsite", "node-section"],
)
def test_no_next_page(body, url):
    assert find_next_page(doc(body, url)) is None


def test_a_profile_selector_names_the_next_page():
    page = doc("<a href='p2.html'>2</a><div class='fy'><a href='more.html'>更多</a></div>", "http://x.cn/n/")
    assert find_next_page(page, selector="div.fy a") == "http://x.cn/n/more.html"


# --- sections -----------------------------------------------------------------------------------------


def test_section_links_come_from_the_navigation():
    page = doc(NAV + ul(*LIST_ITEMS) + FOOTER, "http://www.example.gov.cn/")
    assert urls(find_section_links(page)) == ["/news/", "/town/", "/life/"]


def test_section_links_without_a_nav_block_take_the_first_group_of_short_links():
    menu = "<div class='top'>" + "".join(
        f"<span><a href='/{p}/'>{t}</a></span>" for p, t in (("xw", "新闻"), ("zw", "政务"), ("ms", "民生"), ("wh", "文化"))
    ) + "</div>"
    page = doc(menu + ul(*LIST_ITEMS), "http://www.example.gov.cn/index.html")
    assert urls(find_section_links(page)) == ["/xw/", "/zw/", "/ms/", "/wh/"]


def test_analyze_page_reads_a_home_page_once_for_everything():
    page = doc(NAV + ul(*LIST_ITEMS) + FOOTER, "http://www.example.gov.cn/")
    result = analyze_page(page, now=NOW, sections=True)
    assert result.kind is PageKind.LISTING
    assert len(result.articles) == 4
    assert result.next_page is None
    assert urls(result.sections) == ["/news/", "/town/", "/life/"]


# --- the fixture sites: every listing page finds its articles ---------------------------------------


def _fixture_cases():
    cases = []
    for site in site_names():
        expected = SITES / site / "expected.jsonl"
        if not expected.is_file():
            continue
        by_listing: dict[str, set[str]] = {}
        articles = []
        for line in expected.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                articles.append(record["path"])
                by_listing.setdefault(record["listing_path"], set()).add(record["path"])
        for listing, paths in sorted(by_listing.items()):
            cases.append(pytest.param(site, listing, paths, id=f"{site}:{listing}"))
        cases.append(pytest.param(site, None, set(articles), id=f"{site}:articles"))
    return cases


def _fixture_file(site: str, path: str) -> Path:
    parts = path.split("?", 1)
    # Percent-escaped paths (/2021/10/17/%e8%80%81.../) are files named in the clear, as the server unquotes.
    rel = query_file_name(parts[0], parts[1]) if len(parts) == 2 else unquote(parts[0]).lstrip("/")
    file = SITES / site / "www" / rel
    return file / "index.html" if file.is_dir() or rel.endswith("/") or rel == "" else file


@pytest.mark.parametrize(("site", "listing", "paths"), _fixture_cases())
def test_fixture_listings_list_their_articles(site, listing, paths):
    """Each listing page finds the articles expected.jsonl says were found there; articles read as articles.

    A sitemap named as an article's listing (wpnews) lists it.
    """
    # A site whose pages link absolutely (site.toml `origin`) is read on that origin.
    base = tomllib.loads((SITES / site / "site.toml").read_text(encoding="utf-8")).get("origin", "http://www.example.cn")
    if listing is not None and listing.endswith((".xml", ".xml.gz")):
        feed = read_feed(_fixture_file(site, listing).read_bytes(), base + listing)
        assert paths <= {entry.url[len(base):] for entry in feed.entries}
        return
    if listing is None:
        for path in sorted(paths):
            page = parse_document(_fixture_file(site, path).read_bytes(), base + path)
            assert classify_page(page) is PageKind.ARTICLE, path
        return
    # As a crawl reads it: a later page with the list template of the page before it,
    # whose next page it is (a short last page is known by its place in the channel).
    listings = {
        c.values[1]
        for c in _fixture_cases()
        if c.values[0] == site and c.values[1] is not None and not c.values[1].endswith((".xml", ".xml.gz"))
    }
    before = {}
    for other in sorted(listings):
        other_page = parse_document(_fixture_file(site, other).read_bytes(), base + other)
        following = analyze_page(other_page, now=NOW).next_page
        if following is not None and following.startswith(base):
            before[following[len(base):]] = other
    chain = [listing]
    while chain[-1] in before and before[chain[-1]] not in chain:
        chain.append(before[chain[-1]])
    template = None
    for path in reversed(chain):
        page = parse_document(_fixture_file(site, path).read_bytes(), base + path)
        result = analyze_page(page, now=NOW, sections=False, list_template=template)
        template = result.template
    assert result.kind is PageKind.LISTING
    found = {link.url[len(base):] for link in result.articles}
    assert paths <= found, f"not found on {listing}: {sorted(paths - found)}"


_JPAGE_COLUMN = """<div id="28451"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=3&path=/&columnid=1229&unitid=28451&webname=梧桐县人民政府&permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2021/11/5/art_1229_123461.html" title="t">梧桐县召开第四季度安全生产工作会议</a><span>2021-11-05</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2021/11/2/art_1229_123455.html" title="t">县政府常务会议研究冬季供暖保障工作</a><span>2021-11-02</span></li>]]></record>
</recordset></datastore></script></div>
<script>$(document).ready(function(){{ $('#28451').jpage({{ dataStore: dataStore, perPage: 2, totalRecord: {total}, groupSize: 1 }}); }});</script>"""
_PROXY_QUERY = (
    "perpage=2&appid=1&webid=3&path=%2F&columnid=1229&unitid=28451"
    "&webname=%E6%A2%A7%E6%A1%90%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"
)


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (6, "http://www.wutong.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&" + _PROXY_QUERY),
        (2, None),
    ],
    ids=["more-records", "all-in-page"],
)
def test_hanweb_column_page_next_group_comes_from_its_data_proxy(total, expected):
    page = doc(_JPAGE_COLUMN.format(total=total), url="http://www.wutong.gov.cn/col/col1229/index.html")
    links = analyze_page(page, now=NOW)
    assert [a.url.rsplit("/", 1)[1] for a in links.articles] == ["art_1229_123461.html", "art_1229_123455.html"]
    assert links.articles[0].published == datetime(2021, 11, 5)
    assert links.next_page == expected


@pytest.mark.parametrize(("records", "expected_start"), [(2, "5"), (1, None)], ids=["full", "short"])
def test_hanweb_data_proxy_answer_asks_the_next_range_only_when_full(records, expected_start):
    items = "".join(
        f'<record><![CDATA[<li><a href="/art/2021/10/{20 - i}/art_1229_1234{i}.html">县水利局完成小型水库汛后检查{i}</a>'
        f"<span>2021-10-{20 - i}</span></li>]]></record>"
        for i in range(records)
    )
    url = "http://www.wutong.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=3&endrecord=4&" + _PROXY_QUERY
    text = f'<?xml version="1.0" encoding="UTF-8"?><datastore><nextgroup><![CDATA[]]></nextgroup><recordset>{items}</recordset></datastore>'
    links = analyze_page(parse_document(text.encode(), url, "text/html;charset=UTF-8"), now=NOW)
    assert len(links.articles) == records
    assert links.kind is PageKind.LISTING
    if expected_start is None:
        assert links.next_page is None
    else:
        assert links.next_page == url.replace("startrecord=3&endrecord=4", "startrecord=5&endrecord=6")


def test_numbered_item_classes_do_not_split_a_list():
    """<article class="post-301 post"> per item: the items are one list, not one-link groups."""
    items = "".join(
        f'<article id="post-{n}" class="post-{n} post type-post"><header class="entry-header">'
        f'<h2 class="entry-title"><a href="/2021/11/0{n % 9 + 1}/slug-{n}/">南溪县第{n}号民生工程顺利完工</a></h2>'
        f'</header><div class="entry-summary"><p>工程于本月完工。</p></div></article>'
        for n in (301, 298, 295)
    )
    side = ('<aside class="widget-area"><section class="widget"><h2 class="widget-title">近期文章</h2><ul>'
            '<li><a href="/2021/10/01/other-one/">另一篇较早发布的近期文章</a></li></ul></section></aside>')
    page = doc(f'<main class="site-main">{items}</main>{side}', url="http://www.x.cn/category/news/")
    links = find_article_links(page, now=NOW)
    assert [a.url for a in links] == [
        "http://www.x.cn/2021/11/05/slug-301/", "http://www.x.cn/2021/11/02/slug-298/", "http://www.x.cn/2021/11/08/slug-295/",
    ]


def test_table_listing_reads_the_date_in_its_own_cell():
    rows = "".join(
        f'<tr><td><img src="dot.gif"></td><td><a href="news.asp?id={n}">双河镇第{n}期农民技能培训开班</a></td>'
        f'<td align="right">2021-11-{n - 200}</td></tr>'
        for n in (205, 203, 201)
    )
    page = doc(f'<table>{rows}</table>', url="http://www.x.cn/list.asp?classid=3")
    links = find_article_links(page, now=NOW)
    assert [(a.url.rsplit("/", 1)[1], a.published) for a in links] == [
        ("news.asp?id=205", datetime(2021, 11, 5)),
        ("news.asp?id=203", datetime(2021, 11, 3)),
        ("news.asp?id=201", datetime(2021, 11, 1)),
    ]


def test_sections_of_a_dynamic_site_whose_list_script_takes_an_id():
    nav = ('<table><tr><td><a href="index.asp">网站首页</a> | <a href="list.asp?id=3">双河新闻</a> | '
           '<a href="list.asp?id=4">农业农村</a> | <a href="list.asp?id=5">政策法规</a> | '
           '<a href="about.asp">关于我们</a> | <a href="guestbook.asp">在线留言</a></td></tr></table>')
    page = doc(nav, url="http://www.x.cn/")
    sections = find_section_links(page)
    assert sections[:3] == (
        "http://www.x.cn/list.asp?id=3", "http://www.x.cn/list.asp?id=4", "http://www.x.cn/list.asp?id=5",
    )
    assert "http://www.x.cn/guestbook.asp" not in sections


def test_wordpress_plain_permalinks_list_posts_and_page_on_with_older_posts():
    """Plain permalinks: posts /?p=123, categories /?cat=3, later pages &paged=2 behind 较早文章."""
    items = "".join(
        f'<article id="post-{n}" class="post-{n} post hentry"><header class="entry-header">'
        f'<h2 class="entry-title"><a href="http://www.x.cn/?p={n}" rel="bookmark">南溪县第{n}号民生工程顺利完工</a></h2>'
        f'<div class="entry-meta"><time class="entry-date" datetime="2021-11-0{n % 5 + 1}T10:00:00+08:00">'
        f'2021年11月{n % 5 + 1}日</time></div></header></article>'
        for n in (301, 298, 295)
    )
    pager = ('<nav class="navigation posts-navigation"><div class="nav-links"><div class="nav-previous">'
             '<a href="http://www.x.cn/?cat=3&#038;paged=2">较早文章</a></div></div></nav>')
    page = doc(f'<main id="main" class="site-main">{items}{pager}</main>', url="http://www.x.cn/?cat=3")
    links = analyze_page(page, now=NOW)
    assert links.kind is PageKind.LISTING
    assert [a.url for a in links.articles] == ["http://www.x.cn/?p=301", "http://www.x.cn/?p=298", "http://www.x.cn/?p=295"]
    assert links.next_page == "http://www.x.cn/?cat=3&paged=2"
    assert url_kind("http://www.x.cn/list.php?p=2") is PageKind.LISTING  # ?p= off the root is a page number


_LINK_ORDER_SCRIPT = """
import glob, hashlib
from datetime import datetime
from newsarchive.extract.document import parse_document
from newsarchive.extract.links import find_article_links
digest = hashlib.sha1()
for path in sorted(glob.glob("fixtures/sites/*/www/**/*.htm*", recursive=True)):
    url = "http://127.0.0.1:1/" + path.split("/www/", 1)[1]
    doc = parse_document(open(path, "rb").read(), url)
    for link in find_article_links(doc, now=datetime(2026, 11, 25)):
        digest.update(repr(link).encode())
print(digest.hexdigest())
"""


def test_article_links_do_not_depend_on_the_hash_seed():
    # Equal-scoring lists once came out in set order, which changes per process.
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    digests = set()
    for seed in ("0", "7", "11"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", _LINK_ORDER_SCRIPT], capture_output=True, text=True,
            check=True, cwd=root, env=env,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


# --- 2025-style sites: cards, extensionless URLs, company home pages ---------------------------


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://x.cn/article/5a00ad8b?from=list&spm=a2.b7.0", PageKind.ARTICLE),
        ("http://x.cn/news/1234567", PageKind.ARTICLE),
        ("http://x.cn/p/8f3a2c1d9e/", PageKind.ARTICLE),
        ("http://x.cn/5f2c9a0b3d4e1f60", PageKind.ARTICLE),
        ("http://x.cn/?company/77.html", PageKind.ARTICLE),
        ("http://x.cn/?news/", PageKind.LISTING),
        ("http://x.cn/channel/local?cursor=5a00ad8b", PageKind.LISTING),
        ("http://x.cn/feed/list?offset=20", PageKind.LISTING),
        # Month and day folders are not ids; neither is a word with a number.
        ("http://x.cn/news/202204/", PageKind.LISTING),
        ("http://x.cn/20211105/", PageKind.LISTING),
        ("http://x.cn/channel/local", None),
        ("http://x.cn/news/list12/", PageKind.LISTING),
    ],
    ids=lambda v: v if isinstance(v, str) else str(v),
)
def test_url_kind_of_current_sites(url, kind):
    assert url_kind(url) is kind


CARD = (
    "<a class='feed-card' href='/article/{id}?from=list&amp;spm=c1.{n}'>"
    "<div class='cover'><img src='/img/{id}.jpg'></div>"
    "<div class='card-body'><h3>{title}</h3>"
    "<div class='card-meta'><span>融媒体中心</span><span>{when}</span><span>阅读 1.2万</span></div></div></a>"
)


def test_card_feed_links_take_their_headline_and_time():
    cards = [
        CARD.format(id="5a00ad8b", n=1, title="青峪新区首批人才公寓交付使用", when="3小时前"),
        CARD.format(id="5a00ad91", n=2, title="城东快速路今日起全线通车运行", when="2021-11-04"),
        CARD.format(id="5a00ad9c", n=3, title="全市中小学秋季运动会闭幕", when="11-03 09:30"),
    ]
    page = doc(f"{NAV}<main><section class='feed'>{''.join(cards)}</section></main>", "http://www.example.gov.cn/channel/local")
    links = find_article_links(page, now=NOW)
    assert [(link.url.split("?")[0][-8:], link.text) for link in links] == [
        ("5a00ad8b", "青峪新区首批人才公寓交付使用"),
        ("5a00ad91", "城东快速路今日起全线通车运行"),
        ("5a00ad9c", "全市中小学秋季运动会闭幕"),
    ]
    assert [link.published for link in links] == [
        datetime(2021, 11, 6, 9, 0), datetime(2021, 11, 4), datetime(2021, 11, 3, 9, 30),
    ]


def test_a_card_without_a_heading_gives_its_longest_part():
    card = ("<a href='/news/{}'><div class='pic'></div><div>{}</div><div>来源：青峪发布</div></a>")
    items = [card.format(100001 + i, t) for i, t in enumerate(["青峪新区首批人才公寓交付", "城东快速路今日起全线通车", "全市秋季运动会闭幕了"])]
    page = doc(f"<div class='list'>{''.join(items)}</div>", "http://www.example.gov.cn/channel/")
    assert [link.text for link in find_article_links(page, now=NOW)] == [
        "青峪新区首批人才公寓交付", "城东快速路今日起全线通车", "全市秋季运动会闭幕了",
    ]


COMPANY_HOME = (
    "<div class='nav'><a href='/'>网站首页</a><a href='/?aboutus/'>公司简介</a><a href='/?news/'>新闻中心</a>"
    "<a href='/?product/'>产品中心</a><a href='/?case/'>服务案例</a><a href='/?notice/'>通知公告</a>"
    "<a href='/?contact/'>联系我们</a></div>"
    "<div class='about'><h2>公司简介</h2><p>"
    + "青峪科技有限公司成立于2008年，是一家专注于智慧农业设备研发、生产和销售的高新技术企业。" * 8
    + "</p><a href='/?aboutus/'>查看更多</a></div>"
    "<div class='news'><h2>新闻动态</h2><ul>"
    "<li><a href='/?news/77.html'>公司参加第十届农业机械博览会</a></li>"
    "<li><a href='/?news/76.html'>我公司通过高新技术企业复审</a></li>"
    "<li><a href='/?notice/75.html'>关于春节放假安排的通知公告</a></li>"
    "</ul></div>"
)


def test_a_company_home_page_with_a_long_blurb_is_a_listing_with_its_news_sections():
    page = doc(COMPANY_HOME, "http://www.example.gov.cn/")
    assert classify_page(page) is PageKind.ARTICLE  # its text alone reads like an article
    links = analyze_page(page, now=NOW, sections=True)
    assert links.kind is PageKind.LISTING
    # 公司简介, 产品中心, 服务案例 and 联系我们 are not news.
    assert urls(links.sections) == ["/?news/", "/?notice/"]
    assert urls(links.articles) == ["/?news/77.html", "/?news/76.html", "/?notice/75.html"]


def test_the_same_page_below_the_root_stays_an_article():
    page = doc(COMPANY_HOME, "http://www.example.gov.cn/news/2021/1105/12.html")
    assert analyze_page(page, now=NOW, sections=True).kind is PageKind.ARTICLE


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("关于我们", "/about/"), ("联系我们", "/lianxi/"), ("资料下载", "/ziliao/"), ("领导信箱", "/xx/"),
        ("人才招聘", "/rc/"), ("本地", "/aboutus.html"), ("本地", "/?contact/"), ("本地", "/download/"),
        ("走进澜海", "/?company/"), ("本地", "/gsjj/"),
    ],
)
def test_sections_that_are_not_news_are_left_out(text, href):
    nav = ("<div class='nav'><a href='/news/'>本地新闻</a><a href='/town/'>乡镇动态</a>"
           f"<a href='{href}'>{text}</a></div>")
    assert urls(find_section_links(doc(nav, "http://www.example.gov.cn/"))) == ["/news/", "/town/"]


@pytest.mark.parametrize(
    ("body", "url", "expected"),
    [
        # A 加载更多 link to the same channel with a cursor.
        ("<a class='more' href='/channel/local?cursor=5a00ad9c'>加载更多</a>", "http://www.example.gov.cn/channel/local",
         "/channel/local?cursor=5a00ad9c"),
        # A button holding the address in a data- attribute.
        ("<button class='btn load-more' data-url='/channel/local?offset=20'>点击加载更多</button>",
         "http://www.example.gov.cn/channel/local", "/channel/local?offset=20"),
        # A page that loads its items from an API named in a script.
        ("<div id='feed'></div><script>var api = '/api/channel/list?cid=3&page=1'; load(api);</script>",
         "http://www.example.gov.cn/channel/local", "/api/channel/list?cid=3&page=1"),
        ("<div class='feed' data-api='/api/v2/news/list?channel=town&page=2'></div>",
         "http://www.example.gov.cn/channel/town", "/api/v2/news/list?channel=town&page=2"),
    ],
    ids=["more-link-cursor", "button-data-url", "script-api", "data-api"],
)
def test_next_page_of_a_card_feed(body, url, expected):
    assert urls([find_next_page(doc(body, url))]) == [expected]


@pytest.mark.parametrize("href", ["/news/", "/?news/"], ids=["path", "bare-query"])
def test_a_more_link_to_another_address_is_not_a_next_page(href):
    # PbootCMS without URL rewriting: its home page / links 更多>> to the column /?news/.
    body = f"<div class='box'><h2>本地新闻</h2>{ul(*LIST_ITEMS)}<a class='more' href='{href}'>更多&gt;&gt;</a></div>"
    assert find_next_page(doc(body, "http://www.example.gov.cn/")) is None


def test_a_bare_query_column_goes_on_by_a_page_parameter():
    body = f"{ul(*LIST_ITEMS)}<a href='/?list_12/&amp;page=2'>加载更多</a>"
    assert urls([find_next_page(doc(body, "http://www.example.gov.cn/?list_12/"))]) == ["/?list_12/&page=2"]


def test_a_date_standing_alone_wins_over_one_in_the_teaser():
    """<dd><h4><a>title</a></h4><p>teaser with 3月22日</p><span>2021-03-28</span></dd>."""
    items = "".join(
        f"<dl><dd><h4><a href='/?news/{n}.html'>集团举办节水宣传进社区活动{n}</a></h4>"
        f"<p>3月22日是世界水日，集团在滨海社区举办节水宣传活动…</p><span>2021-03-{n}</span></dd></dl>"
        for n in (28, 27, 26)
    )
    links = find_article_links(doc(f"<div class='ny-news'>{items}</div>", "http://www.example.cn/?news/"), now=NOW)
    assert [link.published for link in links] == [datetime(2021, 3, n) for n in (28, 27, 26)]


def json_doc(data: object, url: str) -> object:
    return parse_document(json.dumps(data, ensure_ascii=False).encode(), url, "application/json")


def test_a_json_listing_gives_its_items_and_counts_pages_up():
    items = [
        {"id": 9, "title": "青峪新区首批人才公寓交付使用", "url": "/article/5a00ad8b?from=api", "publish_time": 1636164000},
        {"id": 8, "title": "城东快速路今日起全线通车运行", "share_url": "http://www.example.gov.cn/article/5a00ad91",
         "pubDate": "2021-11-04"},
    ]
    page = analyze_page(json_doc({"code": 0, "data": {"list": items, "total": 30}},
                                 "http://www.example.gov.cn/api/channel/list?cid=3&page=2"), now=NOW)
    assert page.kind is PageKind.LISTING
    assert [(link.url, link.text) for link in page.articles] == [
        ("http://www.example.gov.cn/article/5a00ad8b", "青峪新区首批人才公寓交付使用"),  # tracking dropped
        ("http://www.example.gov.cn/article/5a00ad91", "城东快速路今日起全线通车运行"),
    ]
    assert page.articles[0].published == datetime(2021, 11, 6, 10, 0)  # epoch seconds, read in Asia/Shanghai
    assert urls([page.next_page]) == ["/api/channel/list?cid=3&page=3"]


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"has_more": True, "next_cursor": "5a00ad91"}, "/api/feed?channel=local&cursor=5a00ad91"),
        ({"has_more": False, "next_cursor": "5a00ad91"}, None),
        ({"next": "/api/feed?channel=local&cursor=x2"}, "/api/feed?channel=local&cursor=x2"),
        ({}, None),  # no page number to count up, no cursor: the end
    ],
    ids=["cursor", "no-more", "next-url", "nothing"],
)
def test_a_json_listing_goes_on_as_its_answer_says(meta, expected):
    data = {"items": [{"title": "青峪新区首批人才公寓交付使用", "link": "/article/5a00ad8b"}], **meta}
    page = analyze_page(json_doc(data, "http://www.example.gov.cn/api/feed?channel=local"), now=NOW)
    assert urls([page.next_page] if page.next_page else []) == ([expected] if expected else [])


def test_an_empty_json_answer_ends_the_listing():
    page = analyze_page(json_doc({"data": {"list": []}}, "http://www.example.gov.cn/api/channel/list?page=9"), now=NOW)
    assert page.kind is PageKind.LISTING and page.articles == () and page.next_page is None


def test_a_cards_headline_is_not_its_longer_info_line():
    card = ("<a class='news-item' href='/article/{}'><div class='news-item__pic'><img src='/p.jpg'></div>"
            "<div class='news-item__info'><p class='news-item__name'>{}</p><div class='news-item__foot'>"
            "<span>青峪融媒体中心记者站</span><span>3小时前</span><span>1.2万阅读</span></div></div></a>")
    items = [card.format(f"5a00ad{i:02d}", t) for i, t in enumerate(["秋粮入库", "城东快速路通车", "运动会闭幕"], start=10)]
    page = doc(f"<div class='feed-list'>{''.join(items)}</div>", "http://www.example.gov.cn/channel/local")
    links = find_article_links(page, now=NOW)
    assert [link.text for link in links] == ["秋粮入库", "城东快速路通车", "运动会闭幕"]
    assert {link.published for link in links} == {datetime(2021, 11, 6, 9, 0)}
