"""Regexes, XPaths and label words the extractors try, in order: data only, compiled once."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------

# Day of week that some pages print between date and time: 2019年09月07日 星期六 13:43
_WEEKDAY = r"(?:\s*[(（]?\s*(?:星期|周|礼拜)[一二三四五六日天七][)）]?)?"
# A clock time after a date: 13:43, 13:43:45, 13时43分, 下午 3:05, 10：30
_CLOCK = (
    r"(?:\s*(?:[T日]|&nbsp;)?\s*(?P<ampm>上午|下午|晚上|早上|中午|凌晨|傍晚)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*[:：时点]\s*(?P<M>[0-5]?\d)(?!\d)"
    r"(?:\s*[:：分]\s*(?P<S>[0-5]?\d)(?!\d))?(?:\s*(?P<pm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?)?"
)

#: A full date with optional time: 2021-11-05 10:30:00, 2021/11/05, 2021.11.05, 2021年11月5日 10:30
DATETIME_FULL = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年])\s*(?P<m>1[0-2]|0?[1-9])\s*[-/.月]\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?" + _WEEKDAY + _CLOCK
)

#: A month and day without a year, as listings print them: 11-05, 11/05 10:30, 11月5日
DATETIME_MONTH_DAY = re.compile(
    r"(?<![\d.\-/])(?P<m>1[0-2]|0?[1-9])\s*[-/月]\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.\-/])\s*日?"
    + _WEEKDAY + _CLOCK
)

_MONTHS_EN = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CLOCK_EN = (
    r"(?:,?\s*(?:at\s+)?(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
    r"\s*(?P<pm>[AaPp]\.?[Mm]\.?)?(?![A-Za-z]))?"
)
#: English dates: March 5, 2021 10:30 AM / Mar. 5th 2021 / 5 March 2021
DATETIME_EN = (
    re.compile(
        r"\b" + _MONTHS_EN + r"\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + _CLOCK_EN,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+" + _MONTHS_EN + r",?\s+(?P<y>(?:19|20)\d{2})\b"
        + _CLOCK_EN,
        re.IGNORECASE,
    ),
)
#: A US date with a clock and AM/PM, month first: 7/5/2005 9:23:57 PM (ASP.NET's default format)
DATETIME_US = re.compile(
    r"(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>(?:19|20)\d{2})\s+"
    r"(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?\s*(?P<pm>[AaPp]\.?[Mm]\.?)(?![A-Za-z])"
)
#: A clock printed before an English date: "Updated 10:30 AM EST, Sat March 5, 2022" (CNN)
CLOCK_BEFORE_EN = re.compile(
    r"(?<![\w:.])(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)\s*(?P<pm>[AaPp]\.?[Mm]\.?)?\s*(?:[A-Z]{2,4}\s*)?,?\s*"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s*)?$"
)
MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

#: ISO 8601 as metas and <time datetime> give it: 2021-11-05T10:30:00+08:00, 2021-11-05 10:30:00Z
DATETIME_ISO = re.compile(
    r"^\s*(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:(?:[T\s]+|-)(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)

#: Relative times: 3小时前, 5分钟前, 2天前, 30秒前
RELATIVE_AGO = re.compile(
    r"(?P<n>\d{1,4})\s*(?P<unit>秒钟?|分钟|分|小时|个小时|钟头|天|日|周|星期|个月|月|年)\s*(?:之)?前"
)
#: 刚刚 / 刚才: now.
RELATIVE_JUST_NOW = re.compile(r"刚刚|刚才|just now", re.IGNORECASE)
#: 今天 / 昨天 / 前天 with an optional clock: 昨天 10:20
RELATIVE_DAY = re.compile(
    r"(?P<word>今天|今日|昨天|昨日|前天)\s*(?:(?P<H>[01]?\d|2[0-3])\s*[:：]\s*(?P<M>[0-5]\d))?"
)
RELATIVE_DAY_OFFSET = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}

#: Dates in URL paths, most specific first:
#: t20220417_123.html, /2021-11-05/, art/2025/10/29/, /2021/1105/, /20211105/ (a month alone,
#: /202204/, gives no day and is not used)
URL_DATES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_/]?(?P<m>1[0-2]|0[1-9])[-_/]?(?P<d>3[01]|[12]\d|0[1-9])(?!\d)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/"),
)

#: JSON-LD / microdata keys for the publish time: "datePublished": "2021-11-05T10:30:00+08:00"
JSONLD_DATE = re.compile(r'"(?:datePublished|dateCreated|pubDate|publishDate)"\s*:\s*"([^"]{8,40})"')
#: Page-script variables naming the publish time: var publishtime = "2019-09-07 13:43:45";
SCRIPT_DATE = re.compile(
    r"""(?:publish_?(?:time|date)|pub_?(?:time|date)|article_?time|ptime|news_?time|create_?time)["']?\s*[:=]\s*["']"""
    r"""((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}[^"']{0,12})["']""",
    re.IGNORECASE,
)

# ---------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------

#: <meta> names / properties that carry the headline, most trusted first.
META_TITLE_NAMES = (
    "og:title", "articletitle", "twitter:title", "title", "headline", "dc.title", "sharetitle",
)

#: What separates a headline from channel and site names in <title>:
#: 标题_通辽新闻网, 标题-新华网, 标题 | 网站, 标题--当代商报, 标题 — Site
TITLE_SEPARATORS = re.compile(
    r"\s*(?:_{1,3}|\|{1,2}|｜|--+|-{1,2}\s|\s-{1,2}|——|—|–|::|»|·\s|\s·)\s*"
)
#: A trailing "-Site" without spaces: only when what follows looks like a name, not "1-10月".
TITLE_TRAILING_DASH = re.compile(r"-(?=[^-\d][^-]{1,30}$)")

#: Decoration at a headline's ends, no part of it: "- -标题- -", "★标题★", "-- 标题 --", "》标题".
TITLE_EDGE_DECORATION = re.compile(
    r"^[\s\-–—_|·•*~=>»«<》《★☆●○■□◆◇▲△▼▽►◄♦✦✧※]+(?!\d)|[\s\-–—_|·•*~=>»«<》《★☆●○■□◆◇▲△▼▽►◄♦✦✧※]+$"
)
#: Icon-font glyphs (Unicode private use area) that a template puts beside a headline: "\ue60c 标题".
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]+")
#: A forum's or CMS's label before the headline: 主题：标题 / 帖子主题: 标题 / 标题：标题
TITLE_LABEL = re.compile(r"^(?:帖子主题|文章标题|主题|标题|题目|Subject)\s*[:：]\s*", re.IGNORECASE)
#: A site name in brackets before or after the headline (【通辽新闻网】标题, 标题【某某在线】); a
#: kicker that belongs to the headline ("【聚焦两会】标题") names no site and stays.
SITE_IN_BRACKETS = re.compile(r"^[【\[]([^】\]]{2,20})[】\]]\s*|\s*[【\[]([^】\]]{2,20})[】\]]$")
#: How a site's name ends: 通辽新闻网, 某某在线, 桐溪论坛, 某某市人民政府门户网站, 溪口县人民医院
SITE_NAME_END = re.compile(
    r"(?:网|网站|官网|在线|论坛|社区|门户|博客|日报|晚报|电视台|人民政府|政府|医院|中学|小学|大学|学院|学校|协会|学会)$"
    r"|\.(?:com|cn|net|org)$|Powered by",
    re.IGNORECASE,
)

#: Whitespace that a line break put inside Chinese text: "常务委员会\n关于批准" -> joined.
CJK = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’（）《》【】]"
CJK_LINE_BREAK = re.compile(r"(?<=" + CJK + r"|\d)[ \t\u3000]*\n\s*(?=" + CJK + r")|(?<=" + CJK + r")[ \t\u3000]*\n\s*(?=\d)")

# ---------------------------------------------------------------------------
# Publish-time labels in page text
# ---------------------------------------------------------------------------

#: A label right before the publish time: 发布时间：2021-11-05 / 发布日期: / 时间： / 日期：
#: / 发表于 2014-08-24 / 发稿时间 / 更新时间 / Published: March 5, 2021 / Posted on /
#: 本贴由张三于2005年8月12日16:12:21 (a forum post's footer sentence)
DATE_LABEL = re.compile(
    r"(?:(?:发布|發布|发表|發表|发稿|出版|刊发|上传|录入|添加|更新|提交|编辑|创建|文章)\s*(?:时\s*间|時\s*間|日\s*期|于|於)"
    r"|时\s*间|日\s*期|發表於|发表于|发布于|本[贴帖]由[^\s于]{1,20}于|Published(?:\s+on)?|Posted(?:\s+on)?|Updated(?:\s+on)?|Date)"
    r"\s*(?:[:：]|&nbsp;)?[\s\u3000]*",
    re.IGNORECASE,
)
#: Words that make a date near them something else than the publish time:
#: （2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）, 截止日期：, 活动时间：
NOT_PUBLISH_CONTEXT = re.compile(
    r"通过|施行|实施|生效|印发|成文|失效|废止|截止|截至|报名|举办时间|活动时间|会议时间|开始时间|结束时间|有效期|出生|成立于|开幕|闭幕|"
    r"最后登录|注册时间|上次登录|回复于|评论于"
)
#: Elements whose attributes carry the publish time: <time datetime>, itemprop, data-*.
DATE_ATTR_XPATH = (
    "//time[@datetime] | //*[@itemprop='datePublished'] | //*[@data-publishtime] | "
    "//*[@data-pubdate] | //*[@data-time and contains(@class,'time')]"
)

# <meta> names that name the publish time for sure, versus ones that may be a
# modification or build date (only used when the page text offers nothing).
META_DATE_STRONG = frozenset({
    "article:published_time", "og:article:published_time", "og:published_time", "pubdate",
    "publishdate", "publish_date", "published_time", "publication_date", "og:release_date",
    "article:published", "datepublished", "sailthru.date", "dc.date.issued", "og:time",
    "firstpublishedtime", "weibo:article:create_at", "publishtime", "pubtime", "releasedate",
    "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime", "dcterms.issued",
    "citation_publication_date", "citation_date", "baidu-site-published-time",
})
META_DATE_WEAK = frozenset({"date", "dc.date", "dcterms.created", "created", "dc.date.created"})

# ---------------------------------------------------------------------------
# View counts
# ---------------------------------------------------------------------------

_NUM = r"(?P<num>\d{1,3}(?:[,，]\d{3})+|\d+(?:\.\d+)?)\s*(?P<unit>万|千|[kKwW](?![A-Za-z]))?"
#: A label then the count: 浏览次数：177 / 阅读数(15878) / 点击：1.2万 / 人气：56 / Views: 1,024 /
#: (阅读:3727;评论:63) / 访问量：1323 (read only on the headline's meta line: see meta/views.py)
VIEW_LABELLED = re.compile(
    r"(?:浏览次数|浏览量|浏览数|浏览|点击次数|点击数|点击量|点击率|点击|阅读次数|阅读数|阅读量|阅读|"
    r"查看次数|查看|人气|围观|访问量|访问次数|views?|reads|hits|pageviews)"
    r"(?!器|全文|原文|更多|下一|上一|进入|查看|这里|此处|权限)"
    r"\s*(?:次数)?\s*[:：(（\[【]?\s*" + _NUM + r"\s*(?:次|人次|人)?\s*(?:[)）\]】]|$|\s|[|｜/,，;；]|次)",
    re.IGNORECASE,
)
#: A count then its label: 1164次阅读 / 2.3万次浏览 / 56人阅读 / 1,024 views
VIEW_SUFFIXED = re.compile(
    r"(?<![\d.\-/:：])" + _NUM
    + r"\s*(?:次阅读|次浏览|次点击|次查看|人阅读|人浏览|人看过|次围观|人围观|阅读|浏览|views?\b|reads\b)"
    r"(?!\s*(?:次数|量|数|[:：]))",
    re.IGNORECASE,
)
#: Ancestors whose class / id mark comments, sidebars and lists of other articles: counts
#: inside them belong to something else (a comment's 举报 count, a ranking list's clicks).
NOT_ARTICLE_AREA = re.compile(
    r"comment|(?:^|[\s_-])cmt|reply|pinglun|(?:^|[\s_-])tie|discuss|sidebar|(?:^|[\s_-])side|aside|(?:^|[\s_-])rank|"
    r"(?:^|[\s_-])hot|recommend|related|relate|xgwz|xiangguan|tuijian|paihang|(?:^|[\s_-])list|"
    r"widget|(?:^|[\s_-])nav(?:$|[\s_-])|(?:^|[\s_-])menu|"
    # the page footer (a whole class token: <footer class="single-footer"> in an article is its meta)
    r"(?:^|\s)(?:footer|foot|ft|bottom|copyright|copy)(?:$|\s)",
    re.IGNORECASE,
)
#: A footer class: the page's, except inside the post that holds the body, where it is the
#: post's own footer (<div class="foot">发表于 2008-01-02 | 阅读(1660) | 评论(5)</div>).
FOOTER_AREA = re.compile(r"(?:^|\s)(?:footer|foot|ft|bottom)(?:$|\s)", re.IGNORECASE)
#: A menu or nav class: chrome, except on the line right under the headline, where a
#: forum's thread menu holds its counts (<div class="atl-menu">点击：58321 回复：412</div>).
MENU_AREA = re.compile(r"(?:^|[\s_-])(?:nav|menu)(?:$|[\s_-])", re.IGNORECASE)
#: Words next to a number that make it something else than a view count.
NOT_VIEW_CONTEXT = re.compile(r"举报|评论|跟帖|回复|参与|点赞|赞|喜欢|收藏|分享|转发|顶|踩|条")
#: The next label of a meta line with no separator: "查看：2871 回复：26" (the count is the view label's).
NEXT_COUNT_LABEL = re.compile(r"(?:举报|评论|跟帖|回复|参与|点赞|赞|喜欢|收藏|分享|转发)(?:数|次数)?\s*[:：]")

# ---------------------------------------------------------------------------
# View-counter scripts (the count is written by a script after load)
# ---------------------------------------------------------------------------

#: DedeCMS: <script src="/plus/count.php?view=yes&aid=123&mid=1"></script>
COUNTER_DEDECMS = re.compile(r"""/plus/count\.php\?[^\s"'<>]*\baid=\d+[^\s"'<>]*""", re.IGNORECASE)
#: EmpireCMS: /e/public/ViewClick/?classid=2&id=4385&addclick=1 (addclick=0 reads without counting)
COUNTER_EMPIRE = re.compile(r"""/e/public/ViewClick/?\?[^\s"'<>]*\bid=\d+[^\s"'<>]*""", re.IGNORECASE)
#: PHPCMS: $.get("/api.php?op=count&id=12&modelid=1") or a script src
COUNTER_PHPCMS = re.compile(r"""api\.php\?op=count&(?:amp;)?id=\d+[^\s"'<>]*""", re.IGNORECASE)
#: VSB (university and government sites): _showDynClicks("wbnews", 1412614994, 1081) reads
#: /system/resource/code/news/click/dynclicks.jsp?clickid=1081&owner=1412614994&clicktype=wbnews
COUNTER_VSB = re.compile(r"""_showDynClicks\(\s*["'](?P<type>\w+)["']\s*,\s*(?P<owner>\d+)\s*,\s*(?P<id>\d+)\s*\)""")
VSB_COUNTER_PATH = "/system/resource/code/news/click/dynclicks.jsp?clickid={id}&owner={owner}&clicktype={type}"
#: Other counter scripts: <script src="/count/hits.php?id=12">, $.getScript('/ajax/click?id=5')
COUNTER_CALL = re.compile(
    r"""(?:src\s*=\s*|\$\.(?:get|ajax|getScript|post)\(\s*(?:\{\s*url\s*:\s*)?)["'](?P<url>[^"'\s<>]{1,300})["']""",
    re.IGNORECASE,
)
COUNTER_WORDS = re.compile(
    r"(?:count|click|hits|views?|visit)[^?]*\?(?:.*[&?;])?(?:id|aid|articleid|newsid|contentid)=\d+", re.IGNORECASE
)
#: A counter endpoint's answer: document.write('177'); / $('#hits').html('177'); / 177
COUNTER_RESPONSE = re.compile(
    r"""(?:document\.write(?:ln)?|\.html|\.text|innerHTML\s*=|\.val)\s*\(?\s*["']?\s*(\d[\d,]*)"""
)

# ---------------------------------------------------------------------------
# Author, source, section
# ---------------------------------------------------------------------------

AUTHOR_LABELLED = re.compile(
    r"(?<![\u4e00-\u9fff])(?P<label>作\s*者|记\s*者|記者|撰稿人|撰稿|撰文|执笔|通讯员|责任编辑|責任編輯|责编|编\s*辑|本报记者|文\s*/|执笔\s*/|文\s*[:：])"
    r"(?:\s*(?:[:：]|&nbsp;|\|)\s*|\s+|(?<=/))(?:\|\s*)?(?P<value>[^\s:：|｜/,，;；()（）\[\]【】<>]{2,20}(?:\s+[^\s:：|｜/,，;；()（）\[\]【】<>0-9]{2,4}){0,2})"
)
#: Labels that name an editor: their name is the author only when no writer or reporter is named.
EDITOR_LABEL = re.compile(r"编|編")
#: A reporter named in the dateline: 新华社巴黎12月9日电（记者唐霁）, 长江网10月4日讯（记者陈智 整合）
DATELINE_REPORTER = re.compile(
    r"[（(]\s*(?:本报|本台|本网)?记者\s*(?P<value>[\u4e00-\u9fff]{2,4}(?:[ 、，,](?!整合|报道|综合)[\u4e00-\u9fff]{2,4}){0,3})"
    r"\s*(?:整合|报道|综合)?\s*[）)]"
)
#: A byline line of its own at the top of the body: 澎湃新闻记者 段彦超 廖艳 (not a photo credit: …摄)
BYLINE_REPORTER = re.compile(
    r"[\u4e00-\u9fff]{0,8}记者[\s:：]+(?P<value>[\u4e00-\u9fff]{2,4}(?:[ 、，,][\u4e00-\u9fff]{2,4}){0,3})"
)
#: 来源：新华社 / 稿源： / 文章来源： / 出处：
SOURCE_LABELLED = re.compile(
    r"(?:文章来源|新闻来源|信息来源|稿件来源|本文来源|(?<![\u4e00-\u9fff])(?:来\s*源于?|稿\s*源|出处|來源))\s*(?:[:：]|&nbsp;)?\s*(?:\|\s*)?"
    r"(?P<value>[^\s:：|｜,，;；()（）\[\]【】<>]{2,30}(?:\s(?!作者|编辑|记者|时间|日期|发布|浏览|点击|阅读|责任)[^\s:：|｜,，;；()（）\[\]【】<>0-9]{2,10})?)"
)
#: Values that are labels or placeholders, not names (本站 is one for an author only: as a
#: source, 来源：本站 states that the site wrote it).
SOURCE_OWN_SITE = "本站"
EMPTY_VALUES = re.compile(
    r"^(?:未知|暂无|无|佚名|匿名|admin|administrator|null|none|undefined|本站|网络|互联网|网友|小编|不详|"
    r"(?:系统|网站)?管理员|(?:网络|网上|综合|编辑)?整理|网络(?:转载|来源|整理)|来自网络|未知来源)$",
    re.IGNORECASE,
)
#: Words of a copyright or reprint notice, an opinion or a sentence: never a name.
NOTICE_WORDS = re.compile(r"转载|授权|注明|版权|声明|意见|禁止|不得|未经|请勿|免责|观点|立场|侵权|联系我们|。|！|？")
#: A staff code after an editor's name (杨倩_NF4425, 史建磊_NBJ11331), or standing alone (HN666).
EDITOR_CODE = re.compile(r"(?:^|[_\s]+)[A-Za-z]{1,5}\d{3,}$")
#: A document number that a CMS puts in its column meta: 2007年第23号, 国发〔2021〕5号
DOCUMENT_NUMBER = re.compile(r"^\d{4}年?第?\d+[号期]$|[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号|^第\d+[号期]$")
#: Words of share, print and account widgets that sit next to breadcrumbs.
WIDGET_WORDS = re.compile(
    r"^(?:微信|微博|新浪微博|腾讯微博|QQ|QQ空间|QQ好友|Qzone|朋友圈|微信好友|分享|分享到|转发|收藏|打印|搜索|"
    r"返回|登录|注册|关闭|更多|评论|举报|字号|字体|放大|缩小|默认|大|中|小|\d+)$",
    re.IGNORECASE,
)
#: Words that end a value: "来源：长江网 作者：张三" -> "长江网".
VALUE_STOP = re.compile(
    r"(?:作者|编辑|责编|记者|执笔|时间|日期|发布|浏览|点击|阅读|责任|来源|字号|字体|分享|打印|收藏|评论|回复|关注|通讯员|摄影|\d{4}[-/.年])"
)

META_SOURCE_NAMES = ("contentsource", "source", "og:source", "article:source", "cxenseparse:source")
META_AUTHOR_NAMES = ("article:author", "author", "og:author", "byline", "dc.creator", "sailthru.author")
META_SECTION_NAMES = ("columnname", "article:section", "og:category", "section", "category", "lanmu", "channel")

#: Breadcrumb containers, looked for only when the page source names one:
#: <div class="crumb">, <div class="position">, <div id="location">, <div class="dqwz">
BREADCRUMB_CLASS_HINTS = ("crumb", "weizhi", "dqwz", "mianbao", "position", "location")
BREADCRUMB_HOME = re.compile(r"^(?:首页|主页|网站首页|home|index|返回首页)$", re.IGNORECASE)
#: The breadcrumb's last step when it names the page, not a section: 首页 > 新闻 > 正文
BREADCRUMB_LEAF = re.compile(r"^(?:正文|内容|详情|详细内容|正文内容|文章内容|浏览文章|查看内容|阅读文章|article|detail)$", re.IGNORECASE)
BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:>>|>|»|›|→|/|－|-{1,2}|＞|》)\s*")
