"""The link rules' tables: URL shapes, anchor and pager texts, class names, script calls.

Data only, compiled once; each table names what it matches and a real sample
(tests/test_patterns.py checks every sample). Read by newsarchive.extract.urlkind,
anchors, listing, pagination and links; the numbers that go with the rules
(how many links make a group, how far up a pager may sit) live beside the code.
"""

from __future__ import annotations

import re

__all__ = [
    "ARTICLE_URL", "CARD_TITLE_CLASS", "CLASS_TOKEN_SPLIT", "CREATE_PAGE_HTML", "CURRENT_CLASS", "DATELINE", "DIGITS",
    "DIR_PAGE_SUFFIX", "HANWEB_NEXTGROUP", "HANWEB_RECORD", "JPAGE_PER_PAGE", "JPAGE_TOTAL", "JS_NUMBER_VAR",
    "LINK_DATE_HINT", "LINK_DATE_YEAR", "LINK_MONTH_DAY", "LINK_URL_DATE", "LISTING_URL", "LIST_SCRIPT",
    "LOAD_MORE_CLASS", "LOAD_MORE_TEXT", "NEXT_CLASS", "NEXT_TEXT", "NOT_PAGE_URL", "NOT_SECTION_TEXT",
    "NOT_SECTION_URL", "PAGED_FILE", "PAGER_TEXT", "PAGE_DIR", "PAGE_NUMBER_TEXT", "PAGE_PARAM", "RECORD_RANGE",
    "SENTENCE_END", "SIDE_HEADING", "SPACE", "STEM_PAGE_NUMBER", "STEM_SEPARATOR", "TRS_COUNT", "TRS_CURRENT",
]


# ---------------------------------------------------------------------------
# URL shapes (urlkind)
# ---------------------------------------------------------------------------

#: Article-shaped URLs: /a/123.html, /html/2021/1105/123.html, t20220417_123456.html,
#: /2021/11/05/slug/ and /2021/11/slug/ (blog permalinks: a slug that is not only digits),
#: /?p=123 (WordPress's plain permalinks; ?p= elsewhere is a page number),
#: /?company/77.html (PbootCMS without URL rewriting: the column and id in the query),
#: ids and hashes without an extension: /article/5a00ad8b, /news/1234567, /p/8f3a2c1d9e, /5f2c9a0b3d4e1f60/,
#: /art/2021/11/5/art_12_345.html, show-123.html, content_123.htm, detail/123, ?id=123, ?aid=123.
ARTICLE_URL = re.compile(
    r"""(?:/t\d{8}_\d+\.s?html?$
        |/art/\d{4}/|/art_\d+_\d+\.html
        |/(?:a|n|c|p|news|article|content|detail|details|show|view|info|doc)[/_-]?\d+(?:[/_-]\d+)*\.(?:s?html?|php|aspx?|jsp)$
        |/(?:show|view|content|detail|article|info)[_-]\d+(?:[_-]\d+)*\.s?html?$
        |/(?:19|20)\d{2}[-/]?\d{2}[-/]?\d{2}/\w+\.s?html?$
        |/(?:19|20)\d{2}/(?:0[1-9]|1[0-2])/(?:(?:0[1-9]|[12]\d|3[01])/)?(?!(?:page|feed|amp)/?$)(?=[^/]*[^\d/])[^/?#.]+/?$
        |/(?:19|20)\d{2}[-/]?\d{2}/\d+\.s?html?$
        |/(?:19|20)\d{2}/\d{4}/\d+\.s?html?$
        |/\d{4,}\.s?html?$
        |[?&](?:id|aid|articleid|newsid|contentid|docid|infoid|itemid|wbnewsid)=\d+
        |[?&]m=content.*&id=\d+
        |^/(?:index\.php)?\?p=\d+$
        |^/(?:index\.php)?\?[a-z][\w-]*/\d+\.html?$
        |/(?:a|n|p|s|article|articles|news|content|contents|detail|details|post|posts|story|stories|doc|docs|info|show|view|item|read)
          /(?:(?=[a-z\d]*[a-z])(?=[a-z\d]*\d)[a-z\d]{8,40}|(?!(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-3]\d)?/?$)\d{5,20})/?$
        |/(?=[a-f\d]*\d)(?=[a-f\d]*[a-f])[a-f\d]{12,40}/?$
        |/(?!(?:19|20)\d{2}(?:0[1-9]|1[0-2])[0-3]\d/?$)\d{7,20}/?$
        )""",
    re.IGNORECASE | re.VERBOSE,
)
#: Listing-shaped URLs: list_1_2.html, /list/, index_2.html, list-12-1.html, ?page=2, /node_123.htm,
#: ?catid=3 (PHPCMS), ?typeid=3 (DedeCMS), ?classid=3 (EmpireCMS), /col/col123/ (Hanweb),
#: feeds that go on by cursor or offset: ?cursor=5a00ad8b, ?offset=20, ?last_id=123.
LISTING_URL = re.compile(
    r"""(?:/list[/_-]|/lists?\.(?:s?html?|php|aspx?|jsp)
        |/index_\d+\.s?html?$|/index\.(?:s?html?|php|aspx?|jsp)$|/default\.(?:s?html?|aspx?)$
        |/node_\d+(?:_\d+)?\.s?html?$|/col/col\d+/
        |[?&](?:page|paged|p|pn|pageno|pagenum|page_no|currentpage|curpage|pageindex|catid|cat|typeid|classid|tid|cid|columnid
          |cursor|offset|after|last_?id|max_?id|since_?id)=
        |/$
        )""",
    re.IGNORECASE | re.VERBOSE,
)
#: Dynamic list scripts, whose ?id= names a column, not an article: list.asp?id=3,
#: news_list.asp?id=5, NewsList.aspx?id=2, ShowClass.asp?ClassID=3.
LIST_SCRIPT = re.compile(
    r"/(?:news|article|info|art|wz)?[_-]?(?:list|showclass|class)\.(?:asp|aspx|php|jsp|do)$", re.IGNORECASE
)

# ---------------------------------------------------------------------------
# Anchors (anchors): links that are no pages, pager texts, card parts
# ---------------------------------------------------------------------------

#: Links that are never pages: downloads, images, mail and script pseudo-links.
NOT_PAGE_URL = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|gz|exe|apk|mp[34]|avi|flv|swf|css|js|xml|txt)$",
    re.IGNORECASE,
)
#: Anchor text of a pager's links other than numbers: 下一页, 上一页, 首页 is left out (it is
#: also the home link).
PAGER_TEXT = re.compile(r"^(?:上一页|上页|下一页|下页|前一页|后一页|前页|后页|prev(?:ious)?|next|[<>‹›«»＜＞]{1,2})$", re.IGNORECASE)
#: A page number as anchor text: 2, [2], 第2页.
PAGE_NUMBER_TEXT = re.compile(r"^\s*(?:\[\s*(\d{1,4})\s*\]|第\s*(\d{1,4})\s*页|(\d{1,4}))\s*$")
#: Class names of a card's headline part: class="title", "card-title", "news_tit", "headline".
CARD_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:title|tit|headline|biaoti|bt)(?:$|[\s_-])", re.IGNORECASE)
#: What separates the tokens of a class or id: "news_list-box" -> news, list, box.
CLASS_TOKEN_SPLIT = re.compile(r"[\s_-]+")
#: Digits in a class name, read as one template: "item3" and "item12" are both "item#".
DIGITS = re.compile(r"\d+")
#: Runs of whitespace in anchor text: "第一期\n\t 新闻" -> "第一期 新闻".
SPACE = re.compile(r"\s+")

# ---------------------------------------------------------------------------
# A listing's main list and its dates (listing)
# ---------------------------------------------------------------------------

#: Headings of side blocks, whose lists are not the page's main list: 点击排行, 热点内容,
#: 最新文章, 相关阅读, 猜你喜欢, 推荐阅读.
SIDE_HEADING = re.compile(r"排行|排名|热门|热点|热读|推荐|最新|相关|猜你|精彩|图片|视频|专题|友情|点击榜|阅读榜|热榜")
#: A page number on a listing's directory: /bdxw_2/ (PbootCMS).
DIR_PAGE_SUFFIX = re.compile(r"[_-]\d{1,4}/$")
#: Hanweb jpage: the first records of a column come in <script type="text/xml"><recordset>
#: as CDATA HTML fragments: <record><![CDATA[<li><a href="/art/...">标题</a><span>2021-11-05</span></li>]]></record>
HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
#: Text beside a link that may hold its date: 2021-11-05, 11-05, 3小时前, 昨天 10:20, 刚刚.
LINK_DATE_HINT = re.compile(r"\d{1,4}\s*[-/.年月]\s*\d{1,2}|\d+\s*(?:秒|分钟|小时|天)前|昨天|前天|今天|刚刚")
#: A four-digit year in a listing date: 2021-11-05, 2021年11月5日.
LINK_DATE_YEAR = re.compile(r"(?:19|20)\d{2}\s*[-/.年]")
#: A month and day with no year: 11-05, 11月05日.
LINK_MONTH_DAY = re.compile(r"\d{1,2}\s*[-/.月]\s*\d{1,2}")
#: Dates in article URLs: /2021/1105/, /2021-11-05/, /20211105/, t20211105_123.html, /202111/.
LINK_URL_DATE = re.compile(
    r"(?:/|\bt)(?P<y>(?:19|20)\d{2})[-/]?(?P<m>0[1-9]|1[0-2])(?:[-/]?(?P<d>0[1-9]|[12]\d|3[01]))?(?=[/_])"
)

# ---------------------------------------------------------------------------
# The next page (pagination)
# ---------------------------------------------------------------------------

#: Anchor text of a next-page link: 下一页, 下页, 后页, next, ›, >.
NEXT_TEXT = re.compile(
    r"^(?:下一页|下页|下一頁|后一页|后页|下一页\s*[>»›]+|next(?:\s*page)?\s*[>»›]*|[>›＞]|&gt;"
    # A blog's list of posts goes on with its older posts: 较早文章, « Older posts.
    r"|[«‹<←]?\s*(?:较早|更早|早期|以前)的?(?:文章|日志|帖子)\s*[»›>→]?|[«‹<←]?\s*older\s+(?:posts|entries)\s*[»›>→]?)$",
    re.IGNORECASE,
)
#: A feed's "more" control: 加载更多, 点击加载更多, 查看更多, 更多新闻, load more, show more.
LOAD_MORE_TEXT = re.compile(
    r"^(?:点击|上拉|下拉)?(?:加载|查看|显示|浏览|阅读)?更多(?:内容|新闻|文章|资讯|动态)?\s*[>»›]*$"
    r"|^(?:load|show|view)\s*more(?:\s+(?:posts|stories|news|articles))?\s*[>»›]*$",
    re.IGNORECASE,
)
#: Class names of a "more" control: class="load-more", "btn-more", "more", "loadmore".
LOAD_MORE_CLASS = re.compile(r"(?:^|[\s_-])(?:load-?more|more|loadmore|btn-more|more-btn|js-more)(?:$|[\s_-])", re.IGNORECASE)
#: Class names of next-page links: class="next", "page-next", "nextpage".
NEXT_CLASS = re.compile(r"(?:^|[\s_-])(?:next|nextpage|next-page|page-next|pagenext)(?:$|[\s_-])", re.IGNORECASE)
#: Class names that mark the current page number: <span class="current">3</span>, thisclass, on.
CURRENT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:current|cur|curr|active|on|now|thisclass|selected|sel|page-cur|pagecur|hover)(?:$|[\s_-])",
    re.IGNORECASE,
)
#: Numbered siblings in a URL's last path segment: index_2.html, list_1_2.html, list-12-3.html, 2.html.
PAGED_FILE = re.compile(r"^(?P<stem>.*?)(?P<sep>[_-])(?P<n>\d{1,5})(?P<ext>\.[a-z]{2,5})$", re.IGNORECASE)
#: Query parameters holding a page number: ?page=2, &p=3, ?pageNo=4.
PAGE_PARAM = re.compile(
    r"(?:^|&)(?P<key>page|paged|p|pn|pageno|pagenum|page_no|pageindex|currentpage|curpage|pageid|start)=(?P<n>\d{1,6})(?=&|$)",
    re.IGNORECASE,
)
#: Pagination as a path: /page/2/ (WordPress), /p/3.
PAGE_DIR = re.compile(r"/(?:page|p)/(?P<n>\d{1,5})/?$", re.IGNORECASE)
#: TRS WCM: createPageHTML(12, 0, "index", "html") (page 0 is index.html, page k index_k.html);
#: also the variant with a target element first and a record count last:
#: createPageHTML('page_div', 12, 1, 'index', 'shtml', 238) (pages counted from 1).
CREATE_PAGE_HTML = re.compile(
    r"""createPageHTML\(\s*(?P<div>['"][^'"]*['"]\s*,\s*)?
        (?P<count>\w+)\s*,\s*(?P<cur>\w+)\s*,\s*
        ['"](?P<name>[\w.-]+)['"]\s*,\s*['"](?P<ext>\w+)['"]""",
    re.VERBOSE,
)
#: Script variables the createPageHTML call may name: var countPage = 12; var currentPage = 0;
JS_NUMBER_VAR = re.compile(r"\bvar\s+(?P<name>\w+)\s*=\s*(?P<value>\d+)")
#: TRS pages that write their pager from variables only: var countPage = 34//共多少页
TRS_COUNT = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
#: ... and the page shown, counted from 0: var currentPage = 1,
TRS_CURRENT = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
#: Hanweb jpage (its records: HANWEB_RECORD): the next group's address in
#: <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&
#: webid=3&columnid=1229&unitid=28451..."></a>]]></nextgroup>, and the jpage({...}) settings
#: totalRecord: 60 and perPage: 15 (also as variables: var totalRecord = 60;).
HANWEB_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.DOTALL)
#: The jpage settings: totalRecord: 60 / var totalRecord = 60; ...
JPAGE_TOTAL = re.compile(r"\btotalRecord\b['\"]?\s*[:=]\s*['\"]?(\d+)")
#: ... and perPage: 15.
JPAGE_PER_PAGE = re.compile(r"\bperPage\b['\"]?\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
#: The record range a jpage data proxy was asked for: ?startrecord=46&endrecord=90&perpage=15.
RECORD_RANGE = re.compile(r"(?:^|&)startrecord=(\d+)&endrecord=(\d+)(?:&perpage=(\d+))?", re.IGNORECASE)

#: A file stem's first word, before its page number: "list_1_2" -> "list", "index-3" -> "index".
STEM_SEPARATOR = re.compile(r"[_-]")
#: A page number at the end of a file stem: "index_3" -> "index".
STEM_PAGE_NUMBER = re.compile(r"_\d+$")

# ---------------------------------------------------------------------------
# Sections (links)
# ---------------------------------------------------------------------------

#: Navigation entries that are not news sections: members, login, search, guestbook, RSS,
#: site maps (/member/, /e/member/login/, /plus/search.php, ?m=member, 会员中心, 留言).
#: Sections that are not news either: about us, contact, downloads, jobs, products,
#: messages, company profiles (/about/, /aboutus.html, /?contact/, /download/, /job/, /product/,
#: /message/, /gsjj/; 走进我们 is an about-us page).
NOT_SECTION_URL = re.compile(
    r"/(?:member|user|login|register|reg|passport|search|plus|e/member|e/search|guestbook|gbook|rss|sitemap)"
    r"(?:[/._?]|$)|[?&]m=(?:member|search|link)\b"
    r"|[/?](?:about|about-?us|aboutus|contact|contact-?us|contactus|download|downloads|xiazai|job|jobs|joinus|join-?us"
    r"|careers?|zhaopin|product|products|message|feedback|gywm|lxwm|jianjie|gsjj|honou?rs?)(?:[/._?]|$)",
    re.IGNORECASE,
)
#: Navigation texts that are no news section either: 会员中心, 用户登录, 网站地图, 关于我们, 走进我们, 联系我们, 人才招聘.
NOT_SECTION_TEXT = re.compile(
    r"会员|登录|注册|搜索|留言|投稿|网站地图|订阅|互动|信箱|RSS|English"
    r"|关于|简介|概况|走进|联系|下载|招聘|人才|加入我们|产品|案例|荣誉|资质|隐私|声明|帮助",
    re.IGNORECASE,
)
#: Sentence punctuation that running text has and link lists lack: "会议指出，……保持增长。", "He said. Then".
SENTENCE_END = re.compile(r"[。！？；]|[.!?](?=\s)")
#: An article's dateline date between its headline and its body: "2024-03-09", "2024年3月9日", "2024.3.9".
DATELINE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
