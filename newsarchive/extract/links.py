"""Read a page's links: listing or article, the article list, the next page, the sections.

Pure: a parsed Document in, URLs out. The spider decides what to fetch from these.
The rules are generic (they must work on a site never seen before); a site
profile may name a selector for the article links or the next page instead.
"""

from __future__ import annotations

import enum
import html
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from newsarchive.extract.dates import parse_cn_datetime
from newsarchive.extract.document import Document

__all__ = [
    "ArticleLink",
    "PageKind",
    "PageLinks",
    "SiteHosts",
    "analyze_page",
    "classify_page",
    "find_article_links",
    "find_next_page",
    "find_section_links",
    "is_root_url",
    "site_hosts",
    "url_kind",
]

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# Patterns (data): what links, containers and scripts look like.
# ---------------------------------------------------------------------------

# Article-shaped URLs: /a/123.html, /html/2021/1105/123.html, t20220417_123456.html,
# /2021/11/05/slug/ and /2021/11/slug/ (blog permalinks: a slug that is not only digits),
# /?p=123 (WordPress's plain permalinks; ?p= elsewhere is a page number),
# /art/2021/11/5/art_12_345.html, show-123.html, content_123.htm, detail/123, ?id=123, ?aid=123.
_ARTICLE_URL = re.compile(
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
        )""",
    re.IGNORECASE | re.VERBOSE,
)
# Listing-shaped URLs: list_1_2.html, /list/, index_2.html, list-12-1.html, ?page=2, /node_123.htm,
# ?catid=3 (PHPCMS), ?typeid=3 (DedeCMS), ?classid=3 (EmpireCMS), /col/col123/ (Hanweb).
_LISTING_URL = re.compile(
    r"""(?:/list[/_-]|/lists?\.(?:s?html?|php|aspx?|jsp)
        |/index_\d+\.s?html?$|/index\.(?:s?html?|php|aspx?|jsp)$|/default\.(?:s?html?|aspx?)$
        |/node_\d+(?:_\d+)?\.s?html?$|/col/col\d+/
        |[?&](?:page|paged|p|pn|pageno|pagenum|page_no|currentpage|curpage|pageindex|catid|cat|typeid|classid|tid|cid|columnid)=
        |/$
        )""",
    re.IGNORECASE | re.VERBOSE,
)
# Dynamic list scripts, whose ?id= names a column, not an article: list.asp?id=3,
# news_list.asp?id=5, NewsList.aspx?id=2, ShowClass.asp?ClassID=3.
_LIST_SCRIPT = re.compile(
    r"/(?:news|article|info|art|wz)?[_-]?(?:list|showclass|class)\.(?:asp|aspx|php|jsp|do)$", re.IGNORECASE
)
# Links that are never pages: downloads, images, mail and script pseudo-links.
_NOT_PAGE = re.compile(
    r"\.(?:jpe?g|png|gif|bmp|webp|svg|ico|pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|gz|exe|apk|mp[34]|avi|flv|swf|css|js|xml|txt)$",
    re.IGNORECASE,
)

# Anchor text of a next-page link: 下一页, 下页, 后页, next, ›, >.
_NEXT_TEXT = re.compile(
    r"^(?:下一页|下页|下一頁|后一页|后页|下一页\s*[>»›]+|next(?:\s*page)?\s*[>»›]*|[>›＞]|&gt;"
    # A blog's list of posts goes on with its older posts: 较早文章, « Older posts.
    r"|[«‹<←]?\s*(?:较早|更早|早期|以前)的?(?:文章|日志|帖子)\s*[»›>→]?|[«‹<←]?\s*older\s+(?:posts|entries)\s*[»›>→]?)$",
    re.IGNORECASE,
)
# Anchor text of a pager's links other than numbers: 下一页, 上一页, 首页 is left out (it is
# also the home link).
_PAGER_TEXT = re.compile(r"^(?:上一页|上页|下一页|下页|前一页|后一页|前页|后页|prev(?:ious)?|next|[<>‹›«»＜＞]{1,2})$", re.IGNORECASE)
# Headings of side blocks, whose lists are not the page's main list: 点击排行, 热点内容,
# 最新文章, 相关阅读, 猜你喜欢, 推荐阅读.
_SIDE_HEADING = re.compile(r"排行|排名|热门|热点|热读|推荐|最新|相关|猜你|精彩|图片|视频|专题|友情|点击榜|阅读榜|热榜")
# Class names of next-page links: class="next", "page-next", "nextpage".
_NEXT_CLASS = re.compile(r"(?:^|[\s_-])(?:next|nextpage|next-page|page-next|pagenext)(?:$|[\s_-])", re.IGNORECASE)
# Class names that mark the current page number: <span class="current">3</span>, thisclass, on.
_CURRENT_CLASS = re.compile(
    r"(?:^|[\s_-])(?:current|cur|curr|active|on|now|thisclass|selected|sel|page-cur|pagecur|hover)(?:$|[\s_-])",
    re.IGNORECASE,
)
# A page number as anchor text: 2, [2], 第2页.
_PAGE_NUMBER_TEXT = re.compile(r"^\s*(?:\[\s*(\d{1,4})\s*\]|第\s*(\d{1,4})\s*页|(\d{1,4}))\s*$")

# Numbered siblings in a URL's last path segment: index_2.html, list_1_2.html, list-12-3.html, 2.html.
_PAGED_FILE = re.compile(r"^(?P<stem>.*?)(?P<sep>[_-])(?P<n>\d{1,5})(?P<ext>\.[a-z]{2,5})$", re.IGNORECASE)
# Query parameters holding a page number: ?page=2, &p=3, ?pageNo=4.
_PAGE_PARAM = re.compile(
    r"(?:^|&)(?P<key>page|paged|p|pn|pageno|pagenum|page_no|pageindex|currentpage|curpage|pageid|start)=(?P<n>\d{1,6})(?=&|$)",
    re.IGNORECASE,
)
# A page number on a listing's directory: /bdxw_2/ (PbootCMS).
_DIR_PAGE_SUFFIX = re.compile(r"[_-]\d{1,4}/$")
# /page/2/ style pagination.
_PAGE_DIR = re.compile(r"/(?:page|p)/(?P<n>\d{1,5})/?$", re.IGNORECASE)
# File stems a listing's first page goes by: index.html, list.html, default.htm.
_FIRST_PAGE_STEMS = frozenset({"index", "list", "default", "more"})

# TRS WCM: createPageHTML(12, 0, "index", "html") (page 0 is index.html, page k index_k.html);
# also the variant with a target element first and a record count last:
# createPageHTML('page_div', 12, 1, 'index', 'shtml', 238) (pages counted from 1).
_CREATE_PAGE_HTML = re.compile(
    r"""createPageHTML\(\s*(?P<div>['"][^'"]*['"]\s*,\s*)?
        (?P<count>\w+)\s*,\s*(?P<cur>\w+)\s*,\s*
        ['"](?P<name>[\w.-]+)['"]\s*,\s*['"](?P<ext>\w+)['"]""",
    re.VERBOSE,
)
# Script variables the createPageHTML call may name: var countPage = 12; var currentPage = 0;
_JS_NUMBER_VAR = re.compile(r"\bvar\s+(?P<name>\w+)\s*=\s*(?P<value>\d+)")
# TRS pages that write their pager from variables only: var countPage = 34//共多少页
_TRS_COUNT = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_TRS_CURRENT = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
# Hanweb jpage: the first records of a column come in <script type="text/xml"><recordset>
# as CDATA HTML fragments: <record><![CDATA[<li><a href="/art/...">标题</a><span>2021-11-05</span></li>]]></record>
_HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL)
# ...the next group's address in <nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&
# webid=3&columnid=1229&unitid=28451..."></a>]]></nextgroup>, and the jpage({...}) settings
# totalRecord: 60 and perPage: 15 (also as variables: var totalRecord = 60;).
_HANWEB_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[.*?href=[\"']([^\"']+)[\"']", re.DOTALL)
_JPAGE_TOTAL = re.compile(r"\btotalRecord\b['\"]?\s*[:=]\s*['\"]?(\d+)")
_JPAGE_PER_PAGE = re.compile(r"\bperPage\b['\"]?\s*[:=]\s*['\"]?(\d+)", re.IGNORECASE)
# The record range a jpage data proxy was asked for: ?startrecord=46&endrecord=90&perpage=15.
_RECORD_RANGE = re.compile(r"(?:^|&)startrecord=(\d+)&endrecord=(\d+)(?:&perpage=(\d+))?", re.IGNORECASE)

# Containers whose links are never the main article list: navigation, footer, side
# blocks, ads, friend links, share bars. Matched against class and id tokens. Pager
# names are not here: MetInfo wraps its article list in <ul class="met-pager-ajax">.
_NOISE_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "mainmenu", "submenu", "footer", "foot", "bottom",
        "copyright", "header", "head", "topbar", "sidebar", "side", "aside", "ad", "ads",
        "advert", "adv", "banner", "friend", "friendlink", "flink", "links", "yqlj", "link",
        "hot", "hotnews", "rank", "ranking", "paihang", "tuijian", "recommend", "related",
        "xgwz", "xgxw", "share", "breadcrumb", "crumb", "crumbs", "position", "location", "weizhi", "dqwz",
        "login", "search", "tool",
        "tools", "announ", "announce", "marquee",
    }
)
_NOISE_TAGS = frozenset({"nav", "footer", "header", "aside", "form", "select", "button"})
# Elements whose <header>/<footer> belong to an entry, not to the page.
_ENTRY_TAGS = frozenset({"article", "main"})
_ENTRY_PART_TOKENS = frozenset({"header", "head", "footer", "foot"})
# Containers that hold the site's section links: <nav>, class="nav", id="menu", daohang.
_NAV_TOKENS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "mainmenu", "navmenu", "daohang", "dh", "column",
        "lanmu", "channel", "topnav", "mainnav",
    }
)
_TOKEN_SPLIT = re.compile(r"[\s_-]+")
_DIGITS = re.compile(r"\d+")
# Section anchor texts that lead home, not to a section.
_HOME_TEXT = frozenset({"首页", "网站首页", "返回首页", "主页", "home", "index", "首 页"})

# Navigation entries that are not news sections: members, login, search, guestbook, RSS,
# site maps (/member/, /e/member/login/, /plus/search.php, ?m=member, 会员中心, 留言).
_NOT_SECTION_URL = re.compile(
    r"/(?:member|user|login|register|reg|passport|search|plus|e/member|e/search|guestbook|gbook|rss|sitemap)"
    r"(?:[/._?]|$)|[?&]m=(?:member|search|link)\b",
    re.IGNORECASE,
)
_NOT_SECTION_TEXT = re.compile(r"会员|登录|注册|搜索|留言|投稿|网站地图|订阅|互动|信箱|RSS|English", re.IGNORECASE)
# Text beside a link that may hold its date: 2021-11-05, 11-05, 3小时前, 昨天 10:20, 刚刚.
_DATE_HINT = re.compile(r"\d{1,4}\s*[-/.年月]\s*\d{1,2}|\d+\s*(?:秒|分钟|小时|天)前|昨天|前天|今天|刚刚")
# Sentence punctuation that running text has and link lists lack.
_SENTENCE_END = re.compile(r"[。！？；]|[.!?](?=\s)")
_SPACE = re.compile(r"\s+")
# A four-digit year in a listing date: 2021-11-05, 2021年11月5日.
_YEAR = re.compile(r"(?:19|20)\d{2}\s*[-/.年]")
# A month and day with no year: 11-05, 11月05日.
_MONTH_DAY_ONLY = re.compile(r"\d{1,2}\s*[-/.月]\s*\d{1,2}")
# Dates in article URLs: /2021/1105/, /2021-11-05/, /20211105/, t20211105_123.html, /202111/.
_URL_DATE = re.compile(
    r"(?:/|\bt)(?P<y>(?:19|20)\d{2})[-/]?(?P<m>0[1-9]|1[0-2])(?:[-/]?(?P<d>0[1-9]|[12]\d|3[01]))?(?=[/_])"
)

# Elements whose text is not running text; anchors are counted separately.
_SKIP_TEXT = frozenset({"head", "a", "script", "style", "noscript", "option", "select", "textarea", "button", "iframe"})
# Elements that gather running text (a body's <p>s add up in their <div>).
_BLOCK_TAGS = frozenset(
    {"div", "td", "th", "article", "section", "main", "body", "li", "dd", "dt", "blockquote", "form", "center", "table", "ul", "ol"}
)

#: Title-like anchor text length (characters) of a listing's article links.
TITLE_MIN, TITLE_MAX = 6, 80
#: A link group is part of the main list when it has this many title-like links...
_GROUP_MIN = 3
#: ...and at least this share of the best group's score.
_GROUP_SHARE = 0.4
#: Running text (characters) that makes a page's biggest block an article body.
_BODY_MIN_CHARS = 80
#: Steps up from a list's link within which the pager must sit to mark the main list.
_PAGER_REACH = 6
#: Steps up from a list's link within which a heading before its box is looked for.
_HEADING_REACH = 6
#: Section links taken from a home page, at most.
MAX_SECTIONS = 40


class PageKind(enum.Enum):
    """What a page is: a listing of articles, an article, or neither."""

    LISTING = "listing"
    ARTICLE = "article"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """A link from a listing to an article: its *url*, anchor *text*, and the date printed beside it.

    *published* is the naive local datetime of that date (None when the listing
    prints none); *precision* is "day", "minute" or "second".
    """

    url: str
    text: str
    published: datetime | None = None
    precision: str | None = None


@dataclass(frozen=True, slots=True)
class PageLinks:
    """What a page offers a crawler: its *kind*, article links, next page and section links."""

    kind: PageKind
    articles: tuple[ArticleLink, ...] = ()
    next_page: str | None = None
    sections: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SiteHosts:
    """The hosts a crawl stays on: (domain without "www.", port) pairs; subdomains included."""

    origins: frozenset[tuple[str, int]]

    def allows(self, url: str) -> bool:
        """Return True when *url* is http(s) on one of these sites (or a subdomain)."""
        origin = _origin(url)
        if origin is None:
            return False
        host, port = origin
        for domain, allowed_port in self.origins:
            if port != allowed_port and not (port in (80, 443) and allowed_port in (80, 443)):
                continue
            if host == domain or host.endswith("." + domain):
                return True
        return False


def site_hosts(urls: Iterable[str], extra_hosts: Iterable[str] = ()) -> SiteHosts:
    """Return the SiteHosts of start *urls* plus *extra_hosts* (host names, optionally with a port)."""
    origins: set[tuple[str, int]] = set()
    for url in urls:
        origin = _origin(url)
        if origin is not None:
            origins.add(origin)
    for host in extra_hosts:
        origin = _origin(host if "//" in host else f"http://{host}/")
        if origin is not None:
            origins.add(origin)
    return SiteHosts(frozenset(origins))


def _origin(url: str) -> tuple[str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    if host.startswith("www.") and host.count(".") >= 2:
        host = host[4:]
    return host, port if port is not None else (443 if scheme == "https" else 80)


def url_kind(url: str) -> PageKind | None:
    """Return the kind of page *url*'s shape suggests, or None when it says nothing.

    "/a/123.html", "t20220417_123.html", "show-123.html", "?id=5" -> ARTICLE;
    "list_1_2.html", "/list/", "index_2.html", "?page=2" -> LISTING.
    """
    parts = urlsplit(url)
    tail = parts.path + ("?" + parts.query if parts.query else "")
    if _LIST_SCRIPT.search(parts.path):
        return PageKind.LISTING
    if _ARTICLE_URL.search(tail):
        return PageKind.ARTICLE
    if _LISTING_URL.search(tail) or not parts.path:
        return PageKind.LISTING
    return None


def is_root_url(url: str) -> bool:
    """Return True when *url* is a site's home page: "/", "/index.html", "/index.php"."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        return False
    return path == "/" or (path.count("/") == 1 and path[1:].split(".")[0].lower() in ("index", "default", "main", "home"))


# ---------------------------------------------------------------------------
# One pass over the anchors
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Link:
    element: etree._Element
    url: str
    text: str
    template: tuple[str, ...]
    noise: bool
    nav: bool


def _clean_text(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _base_url(doc: Document) -> str:
    for base in _iter_tags(doc.tree, "base"):
        href = str(base.get("href") or "").strip()
        if href:
            return urljoin(doc.url, href)
        break
    return doc.url


def _absolute(base: str, href: str | None) -> str | None:
    """Return the absolute http(s) URL of *href* without its fragment, or None."""
    if not href:
        return None
    href = href.strip()
    if not href or href[0] == "#" or href.lower().startswith(("javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        url = urljoin(base, href)
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def _tokens(element: etree._Element) -> set[str]:
    """Return the class and id names of *element*, each also cut at its first and last "-" or "_".

    "footer_left" gives footer, "sidebar-news-list" sidebar, but utility classes
    keep their middle words: "border-bottom-dashed" does not give "bottom".
    """
    tokens: set[str] = set()
    for attr in ("class", "id"):
        value = element.get(attr)
        if value:
            for name in value.lower().split():
                tokens.add(name)
                parts = [p for p in _TOKEN_SPLIT.split(name) if p]
                if len(parts) > 1:
                    tokens.add(parts[0])
                    tokens.add(parts[-1])
    return tokens


def _roots(tree: etree._Element) -> list[etree._Element]:
    """Return *tree* and the elements lxml left beside it.

    Markup after a page's </html> becomes siblings of the root element (a gov.cn
    bulletin page keeps its whole body there), which tree.iter() never reaches.
    """
    return [tree, *tree.itersiblings()]


def _iter_tags(tree: etree._Element, tag: str) -> Iterator[etree._Element]:
    for root in _roots(tree):
        yield from root.iter(tag)


def _entry_part(el: etree._Element, tokens: set[str]) -> bool:
    """Return True for a header or footer inside an <article> or <main>: the entry's own
    (<header class="entry-header"> holding its headline and date), not the page's chrome."""
    if el.tag not in ("header", "footer", "div", "p", "span") or not (tokens & _NOISE_TOKENS) <= _ENTRY_PART_TOKENS:
        return False
    return any(a.tag in _ENTRY_TAGS for a in el.iterancestors())


def _scan(doc: Document) -> list[_Link]:
    """Return every followable anchor of *doc* with its template path and context flags."""
    base = _base_url(doc)
    links: list[_Link] = []
    # Context of each ancestor is computed once and cached by element.
    context: dict[etree._Element, tuple[tuple[str, ...], bool, bool]] = {}

    def context_of(el: etree._Element) -> tuple[tuple[str, ...], bool, bool]:
        found = context.get(el)
        if found is not None:
            return found
        parent = el.getparent()
        if parent is None or el.tag in ("body", "html"):
            result: tuple[tuple[str, ...], bool, bool] = ((), False, False)
        else:
            path, noise, nav = context_of(parent)
            tokens = _tokens(el)
            cls = (el.get("class") or "").split()
            # Numbers in a class name are the item's own (post-301, item_7): the
            # template is the same for every item of a list.
            step = f"{el.tag}.{_DIGITS.sub('#', cls[0])}" if cls else str(el.tag)
            if not noise and (el.tag in _NOISE_TAGS or tokens & _NOISE_TOKENS):
                noise = not _entry_part(el, tokens)
            nav = nav or el.tag == "nav" or bool(tokens & _NAV_TOKENS)
            result = ((*path, step)[-6:], noise, nav)
        context[el] = result
        return result

    # Pages repeat their links (image and title, nav and footer): resolve each href once.
    resolved: dict[str | None, str | None] = {}
    for a in _iter_tags(doc.tree, "a"):
        href = a.get("href")
        if href in resolved:
            url = resolved[href]
        else:
            url = _absolute(base, href)
            if url is not None and _NOT_PAGE.search(urlsplit(url).path):
                url = None
            resolved[href] = url
        if url is None:
            continue
        text = _clean_text(a.text_content())
        if len(text) < 2:
            text = _clean_text(a.get("title") or "") or text
        parent = a.getparent()
        if parent is None:
            continue
        path, noise, nav = context_of(parent)
        links.append(_Link(a, url, text, path, noise, nav))
    return links


# ---------------------------------------------------------------------------
# Article links
# ---------------------------------------------------------------------------


def _title_like(text: str) -> bool:
    return TITLE_MIN <= len(text) <= TITLE_MAX and not _PAGE_NUMBER_TEXT.match(text)


def _plain_sibling(child: etree._Element, anchor: etree._Element) -> bool:
    """Return True for an element beside *anchor* that holds text and no link (<span>11-05</span>)."""
    return (
        child is not anchor
        and isinstance(child.tag, str)
        and child.tag not in ("script", "style", "a")
        and child.find(".//a") is None
    )


def _text_beside(container: etree._Element, anchor: etree._Element) -> str:
    """Return the text of *container* outside *anchor* and outside other links."""
    parts: list[str] = [container.text or ""]
    for child in container:
        if _plain_sibling(child, anchor):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return "".join(parts)


def _segments_beside(container: etree._Element, anchor: etree._Element) -> Iterator[str]:
    """Yield the short texts beside *anchor*: its tail, then its siblings' text, then the rest.

    In a container holding other links too (a flat list: <a>..</a><span>11-05</span><br>
    <a>..</a><span>11-04</span>), only the siblings up to the neighbouring links count.
    """
    yield anchor.tail or ""
    if len(container.findall(".//a")) > 1:
        for sibling in anchor.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag == "a" or sibling.find(".//a") is not None:
                break
            if sibling.tag not in ("script", "style"):
                yield sibling.text_content()
            yield sibling.tail or ""
        for sibling in anchor.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag == "a" or sibling.find(".//a") is not None:
                break
            if sibling.tag not in ("script", "style"):
                yield sibling.text_content()
        return
    for child in container:
        if _plain_sibling(child, anchor):
            yield child.text_content()
    yield _text_beside(container, anchor)


def _parse_listing_date(text: str, now: datetime) -> tuple[datetime, str, bool] | None:
    """Return (datetime, precision, has_year) of a date in *text*, or None."""
    if len(text) > 200 or not _DATE_HINT.search(text):
        return None
    found = parse_cn_datetime(text, now=now)
    if found is None:
        return None
    return found[0], found[1], bool(_YEAR.search(text)) or not _MONTH_DAY_ONLY.search(text)


def _date_in_url(url: str) -> tuple[datetime, bool] | None:
    """Return the date an article URL's path holds and whether it names the day, or None.

    "/2021/1105/12.html" and "t20211105_1.html" name a day; "/202111/" only a month,
    whose last day is returned (the latest the article can be from).
    """
    best: tuple[datetime, bool] | None = None
    for m in _URL_DATE.finditer(urlsplit(url).path):
        year, month = int(m.group("y")), int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else None
        try:
            if day is None:
                found = (datetime(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1), False)
            else:
                found = (datetime(year, month, day), True)
        except ValueError:
            continue
        if best is None or (found[1] and not best[1]):
            best = found
    return best


def _date_beside(anchor: etree._Element, url: str, now: datetime) -> tuple[datetime, str] | None:
    """Return the date printed next to *anchor* in its list item, or None.

    A printed date without a year ("11-05") is read against *now*; when the URL
    holds a date (/2021/1105/) that date is believed instead, since the year
    guessed from *now* is wrong for any listing older than a year.
    """
    el = anchor
    for _ in range(3):
        container = el.getparent()
        if container is None or container.tag in ("body", "html"):
            break
        for text in _segments_beside(container, el):
            found = _parse_listing_date(text, now)
            if found is not None:
                dt, precision, has_year = found
                if not has_year:
                    from_url = _date_in_url(url)
                    if from_url is not None and from_url[0].month == dt.month and (
                        not from_url[1] or from_url[0].day == dt.day
                    ):
                        dt = dt.replace(year=from_url[0].year)
                return dt, precision
        # Climb only while the container holds this one link (its list item).
        if len(container.findall(".//a")) > 1:
            break
        el = container
    from_url = _date_in_url(url)
    return (from_url[0], "day") if from_url is not None else None


def _item_weight(link: _Link) -> float:
    """Return how much a list item says about its link: 1, plus up to 2 for a summary or info line."""
    parent = link.element.getparent()
    if parent is None:
        return 1.0
    return 1.0 + min(len(_text_beside(parent, link.element).strip()), 100) / 50


def _pager_ancestors(links: list[_Link]) -> set[etree._Element]:
    """Return the ancestors of the pager's links (page numbers, 下一页, 上一页)."""
    found: set[etree._Element] = set()
    for link in links:
        if link.nav or not (_PAGER_TEXT.match(link.text) or _PAGE_NUMBER_TEXT.match(link.text)):
            continue
        found.update(link.element.iterancestors())
    return found


def _distance_to(element: etree._Element, ancestors: set[etree._Element]) -> int | None:
    """Return how many steps up from *element* the first of *ancestors* is, or None."""
    if not ancestors:
        return None
    for steps, parent in enumerate(element.iterancestors(), start=1):
        if parent in ancestors:
            return steps if parent.tag not in ("body", "html") else None
    return None


def _side_heading(element: etree._Element) -> bool:
    """Return True when the box holding *element* is headed like a side block ("点击排行", "最新文章").

    Looks at the short, link-free elements just before each ancestor of the
    link's list, up to _HEADING_REACH levels up.
    """
    el = element.getparent()
    for _ in range(_HEADING_REACH):
        if el is None or el.tag in ("body", "html"):
            return False
        previous = el.getprevious()
        for sibling in (previous, previous.getprevious() if previous is not None else None):
            if sibling is None or not isinstance(sibling.tag, str) or sibling.tag == "li":
                continue
            if sibling.find(".//a") is None:
                text = _clean_text(sibling.text_content())
                if text and len(text) <= 12 and _SIDE_HEADING.search(text):
                    return True
        el = el.getparent()
    return False


def _listing_directory(url: str) -> str:
    """Return the directory a listing's own articles live under: "/bdxw_2/" -> "/bdxw/".

    The page number some CMSs put on the directory (PbootCMS /bdxw_2/) is dropped.
    """
    path = urlsplit(url).path
    directory = path[: path.rfind("/") + 1]
    return _DIR_PAGE_SUFFIX.sub("/", directory)


def _select_main_groups(
    links: list[_Link], current: str, hosts: SiteHosts, *, several: bool
) -> list[_Link]:
    """Return the links of the page's main article list (*several*: every strong list, for home pages).

    Links are grouped by their template path (tag and first class of five
    ancestors); a group scores its distinct title-like links, weighted by how
    much each list item says (summaries, info lines) and, below the site root,
    by the share of links under the listing's own directory, since a sidebar of
    "latest articles" links to every section.
    """
    groups: dict[tuple[str, ...], list[_Link]] = {}
    for link in links:
        if link.noise or link.nav or link.url == current or not hosts.allows(link.url):
            continue
        if url_kind(link.url) is PageKind.LISTING:
            continue
        groups.setdefault(link.template, []).append(link)
    directory = _listing_directory(current)
    pager = _pager_ancestors(links)
    distances = {
        t: _distance_to(members[0].element, pager)
        for t, members in groups.items()
        if any(_title_like(m.text) for m in members)
    }
    nearest = min((d for d in distances.values() if d is not None), default=None)
    scored: list[tuple[float, tuple[str, ...]]] = []
    for template, members in groups.items():
        weights: dict[str, float] = {}
        for m in members:
            if _title_like(m.text):
                weights[m.url] = max(weights.get(m.url, 0.0), _item_weight(m))
        if not weights:
            continue
        shaped = sum(1 for url in weights if _ARTICLE_URL.search(url))
        score = sum(weights.values()) + 0.25 * shaped
        if directory != "/":
            inside = sum(1 for url in weights if urlsplit(url).path.startswith(directory))
            score *= 0.25 + 0.75 * inside / len(weights)
        near_pager = nearest is not None and distances.get(template) == nearest and nearest <= _PAGER_REACH
        if near_pager:
            # The list the pager belongs to: its page numbers sit right below it.
            score *= 3
        elif len(weights) < 2 and not several:
            # A lone link is rarely a listing's main list (an announcement bar),
            # but a listing's last page may hold a single article.
            score *= 0.5
        if _side_heading(members[0].element):
            score *= 0.3
        scored.append((score, template))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    chosen = {
        t
        for s, t in scored
        if s == best or (several and s >= _GROUP_MIN and s >= best * _GROUP_SHARE)
    }
    return [m for t in chosen for m in groups[t] if _title_like(m.text) or _ARTICLE_URL.search(m.url)]


def _select_by(tree: etree._Element, selector: str) -> list[etree._Element]:
    """Return the elements *selector* (XPath when it starts with "/" or "(", else CSS) picks."""
    if selector.startswith(("/", "(", "./")):
        found = tree.xpath(selector)
    else:
        found = tree.cssselect(selector)
    return [e for e in found if isinstance(e, etree._Element)]


def find_article_links(
    doc: Document,
    *,
    now: datetime,
    hosts: SiteHosts | None = None,
    selector: str | None = None,
    _links: list[_Link] | None = None,
) -> tuple[ArticleLink, ...]:
    """Return the article links of the listing *doc*, in page order, each with its listing date.

    Links in navigation, footers, side blocks and pagers are left out, as are
    other sites' links (*hosts* defaults to *doc*'s own site). A profile
    *selector* (XPath or CSS) naming the anchors, or their containers, wins
    over the generic rules. Dates like "11-05" are read relative to *now*.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    chosen: list[_Link]
    if selector:
        anchors: list[etree._Element] = []
        for el in _select_by(doc.tree, selector):
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
        wanted = set(anchors)
        chosen = [
            link
            for link in (_links if _links is not None else _scan(doc))
            if link.element in wanted and hosts.allows(link.url)
        ]
    else:
        links = _links if _links is not None else _scan(doc)
        chosen = _select_main_groups(links, current, hosts, several=is_root_url(current))
        chosen.extend(_hanweb_records(doc, hosts))
    order = {id(link.element): i for i, link in enumerate(_links or [])}
    chosen.sort(key=lambda link: order.get(id(link.element), len(order)))
    # One entry per URL: an image link and a title link often lead to the same
    # article; keep the first position, the longest text and the first date found.
    merged: dict[str, ArticleLink] = {}
    for link in chosen:
        if link.url == current:
            continue
        before = merged.get(link.url)
        if before is not None and before.published is not None and len(before.text) >= len(link.text):
            continue
        found = _date_beside(link.element, link.url, now)
        text = link.text if before is None or len(link.text) > len(before.text) else before.text
        if found is None and before is not None:
            merged[link.url] = ArticleLink(link.url, text, before.published, before.precision)
        elif found is None:
            merged[link.url] = ArticleLink(link.url, text)
        else:
            merged[link.url] = ArticleLink(link.url, text, found[0], found[1])
    return tuple(merged.values())


def _recordset_texts(doc: Document) -> list[str]:
    """Return the texts holding a Hanweb jpage <recordset>: text/xml scripts, or the whole
    answer of its data proxy (an XML <datastore> the HTML parser cannot read)."""
    texts = [
        script.text or ""
        for script in _iter_tags(doc.tree, "script")
        if (script.get("type") or "").lower() == "text/xml"
    ]
    if not texts and "<recordset" in doc.text[:4096]:
        texts = [doc.text]
    return texts


def _hanweb_records(doc: Document, hosts: SiteHosts) -> list[_Link]:
    """Return the links in a Hanweb jpage <recordset> (CDATA HTML inside a text/xml script)."""
    records: list[str] = []
    for text in _recordset_texts(doc):
        records.extend(_HANWEB_RECORD.findall(text))
    if not records:
        return []
    fragment = lxml.html.document_fromstring("<html><body>" + "".join(records) + "</body></html>")
    sub = Document(url=doc.url, text="", encoding=doc.encoding, tree=fragment)
    return [link for link in _scan(sub) if hosts.allows(link.url) and link.text]


# ---------------------------------------------------------------------------
# Pagination
# ---------------------------------------------------------------------------


def _page_key(url: str) -> tuple[tuple[str, ...], int | None] | None:
    """Return (what stays the same across pages, page number) for *url*, or None.

    "/news/list_1_2.html" -> (("/news/list_1", ".html"), 2); "/news/index.html" ->
    (("/news/index", ".html"), None); "/search?page=3&q=x" -> (("/search", "q=x", "page"), 3).
    """
    parts = urlsplit(url)
    if parts.query:
        m = _PAGE_PARAM.search(parts.query)
        if m is not None:
            rest = (parts.query[: m.start()] + parts.query[m.end():]).strip("&")
            return (parts.netloc, parts.path, rest, m.group("key").lower()), int(m.group("n"))
    m = _PAGE_DIR.search(parts.path)
    if m is not None:
        return (parts.netloc, parts.path[: m.start()], parts.query, "dir"), int(m.group("n"))
    directory, _, name = parts.path.rpartition("/")
    m = _PAGED_FILE.match(name)
    if m is not None:
        return (parts.netloc, directory, m.group("stem"), m.group("ext").lower(), parts.query), int(m.group("n"))
    return None


def _first_page_keys(url: str) -> list[tuple[str, ...]]:
    """Return the page keys that the later pages of first page *url* may have."""
    parts = urlsplit(url)
    directory, _, name = parts.path.rpartition("/")
    keys: list[tuple[str, ...]] = []
    if name:
        stem, dot, ext = name.partition(".")
        if dot:
            keys.append((parts.netloc, directory, stem, "." + ext.lower(), parts.query))
    else:
        for stem in _FIRST_PAGE_STEMS:
            for ext in (".html", ".htm", ".shtml", ".php", ".aspx", ".asp", ".jsp"):
                keys.append((parts.netloc, directory, stem, ext, parts.query))
    # ?page=2 on the bare address, /page/2/ below it.
    for key in ("page", "paged", "p", "pn", "pageno", "pagenum", "page_no", "pageindex", "currentpage", "curpage", "pageid", "start"):
        keys.append((parts.netloc, parts.path, parts.query, key))
    keys.append((parts.netloc, parts.path.rstrip("/"), parts.query, "dir"))
    return keys


def _first_page_sibling(key: tuple[str, ...], wanted: set[tuple[str, ...]]) -> bool:
    """Return True when *key* names a numbered page beside a first page.

    list_3_2.html beside /news/ (DedeCMS), and /news/?lang=cn&page=2 beside /news/
    (MetInfo: later pages add parameters the first page's address leaves out).
    """
    if len(key) == 4:
        netloc, path, rest, name = key
        extra = set(rest.split("&")) if rest else set()
        return any(
            len(w) == 4
            and (w[0], w[1], w[3]) == (netloc, path, name)
            and (set(w[2].split("&")) if w[2] else set()) <= extra
            for w in wanted
        )
    if len(key) != 5:
        return False
    netloc, directory, stem, ext, query = key
    head = re.split(r"[_-]", stem, maxsplit=1)[0].lower()
    return head in _FIRST_PAGE_STEMS and (netloc, directory, head, ext, query) in wanted


def _next_by_text(links: list[_Link], current: str) -> str | None:
    for link in links:
        if link.url == current:
            continue
        if _NEXT_TEXT.match(link.text) or _NEXT_CLASS.search(link.element.get("class") or ""):
            return link.url
    return None


def _next_by_number(links: list[_Link], current: str) -> str | None:
    """Return the link numbered one past the page marked current (<span class="current">3</span>)."""
    numbered: dict[int, str] = {}
    containers: set[etree._Element] = set()
    for link in links:
        m = _PAGE_NUMBER_TEXT.match(link.text)
        if m is None:
            continue
        n = int(next(g for g in m.groups() if g))
        numbered.setdefault(n, link.url)
        parent = link.element.getparent()
        if parent is not None:
            grand = parent.getparent()
            containers.add(parent if len(parent) > 1 or grand is None else grand)
    if not numbered:
        return None
    for container in containers:
        for el in container.iter():
            if el.tag == "a" and not _CURRENT_CLASS.search(el.get("class") or ""):
                continue
            if el.tag != "a" and el.getparent() is not None and el.getparent().tag == "a":
                continue
            text = _clean_text(el.text or "") if len(el) == 0 else ""
            m = _PAGE_NUMBER_TEXT.match(text)
            if m is None:
                continue
            if el.tag != "a" or _CURRENT_CLASS.search(el.get("class") or ""):
                n = int(next(g for g in m.groups() if g))
                url = numbered.get(n + 1)
                if url is not None and url != current:
                    return url
    return None


def _next_by_url(links: list[_Link], current: str) -> str | None:
    """Return the sibling URL one page past *current* (index_2.html after index.html / index_1.html)."""
    key = _page_key(current)
    candidates: dict[int, str] = {}
    if key is not None:
        wanted_keys: list[tuple[str, ...]] = [key[0]]
        now_n: int | None = key[1]
    else:
        wanted_keys = _first_page_keys(current)
        now_n = None
    wanted = set(wanted_keys)
    for link in links:
        other = _page_key(link.url)
        if other is None or link.url == current:
            continue
        if other[0] not in wanted and not (now_n is None and _first_page_sibling(other[0], wanted)):
            continue
        # From a first page, only a link that reads like a pager's is believed:
        # node_12.htm beside index.htm is a section, not page 12.
        if now_n is None and not (_PAGE_NUMBER_TEXT.match(link.text) or _PAGER_TEXT.match(link.text)):
            continue
        candidates.setdefault(other[1] or 0, link.url)
    if not candidates:
        return None
    if now_n is not None:
        return candidates.get(now_n + 1)
    # On a first page: the smallest later page, skipping a "_1" alias of this page
    # when a "_2" is also linked (DedeCMS list_1_1.html is page 1; TRS index_1.html is page 2).
    numbers = sorted(candidates)
    if numbers[0] <= 1 and 2 in candidates and len(numbers) > 1:
        for link in links:
            if link.url == candidates[numbers[0]] and _PAGE_NUMBER_TEXT.match(link.text):
                m = _PAGE_NUMBER_TEXT.match(link.text)
                assert m is not None
                if int(next(g for g in m.groups() if g)) == 1:
                    return candidates[2]
    return candidates[numbers[0]]


def _next_by_script(doc: Document) -> str | None:
    """Return the next page a TRS createPageHTML(...) call or countPage/currentPage variables name."""
    for script in _iter_tags(doc.tree, "script"):
        code = script.text or ""
        if "Page" not in code and "page" not in code:
            continue
        variables = {m.group("name"): int(m.group("value")) for m in _JS_NUMBER_VAR.finditer(code)}
        m = _CREATE_PAGE_HTML.search(code)
        if m is not None:
            count = _js_int(m.group("count"), variables)
            cur = _js_int(m.group("cur"), variables)
            if count is None or cur is None:
                continue
            # Pages counted from 0 in the 4-argument form, from 1 in the 6-argument one;
            # either way page k is name_k.ext, and the next page is cur + 1.
            last = count - 1 if m.group("div") is None else count
            if cur + 1 > last:
                return None
            return urljoin(doc.url, f"{m.group('name')}_{cur + 1}.{m.group('ext')}")
        count_m, cur_m = _TRS_COUNT.search(code), _TRS_CURRENT.search(code)
        if count_m is not None and cur_m is not None:
            count, cur = int(count_m.group(1)), int(cur_m.group(1))
            if cur + 1 >= count:
                return None
            name = urlsplit(doc.url).path.rpartition("/")[2]
            stem, dot, ext = name.partition(".")
            stem = re.sub(r"_\d+$", "", stem) if dot else "index"
            return urljoin(doc.url, f"{stem}_{cur + 1}.{ext or 'html'}")
    return None


def _next_by_data_proxy(doc: Document) -> str | None:
    """Return the next record group of a Hanweb jpage list, asked of its data proxy by GET.

    A column page holds the first records in a <recordset> and names the proxy in
    <nextgroup>; jpage asks it for ``startrecord=N&endrecord=M&perpage=P`` plus the
    <nextgroup> parameters (columnid, unitid, webid...), which the servlet reads
    from the query as from a POST form. On the column page the next group starts
    after the records it holds (when jpage's totalRecord says there are more); on
    a proxy answer, after the range it was asked for, if that range came back full.
    """
    texts = _recordset_texts(doc)
    if not texts:
        return None
    held = sum(len(_HANWEB_RECORD.findall(text)) for text in texts)
    parts = urlsplit(doc.url)
    asked = _RECORD_RANGE.search(parts.query)
    if asked is not None:
        start, end = int(asked.group(1)), int(asked.group(2))
        size = end - start + 1
        if held < size or size < 1:
            return None
        params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                  if k.lower() not in ("startrecord", "endrecord")]
        query = urlencode([("startrecord", str(end + 1)), ("endrecord", str(end + size)), *params])
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    proxy = next((m.group(1) for text in texts if (m := _HANWEB_NEXTGROUP.search(text))), None)
    if proxy is None or held == 0:
        return None
    code = " ".join(script.text or "" for script in _iter_tags(doc.tree, "script") if "jpage" in (script.text or ""))
    total_m, per_m = _JPAGE_TOTAL.search(code), _JPAGE_PER_PAGE.search(code)
    if total_m is None or int(total_m.group(1)) <= held:
        return None
    per_page = per_m.group(1) if per_m is not None else str(held)
    target = urlsplit(urljoin(doc.url, html.unescape(proxy)))
    params = [(k, v) for k, v in parse_qsl(target.query, keep_blank_values=True) if k.lower() != "page"]
    query = urlencode([("startrecord", str(held + 1)), ("endrecord", str(2 * held)), ("perpage", per_page), *params])
    return urlunsplit((target.scheme, target.netloc, target.path, query, ""))


def _js_int(token: str, variables: dict[str, int]) -> int | None:
    if token.isdigit():
        return int(token)
    return variables.get(token)


def find_next_page(
    doc: Document,
    *,
    selector: str | None = None,
    hosts: SiteHosts | None = None,
    _links: list[_Link] | None = None,
) -> str | None:
    """Return the URL of the listing page after *doc*, or None on the last page.

    Tried in order: a profile *selector*, <link rel="next">, a "下一页" / "next" / ">"
    link, the number after the current page's, a sibling URL one page on
    (index_2.html, list_1_2.html, ?page=2), then pager scripts (TRS
    createPageHTML(12, 0, "index", "html") -> index_1.html). Off-site URLs are refused.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    links = _links if _links is not None else _scan(doc)
    found: str | None = None
    if selector:
        for el in _select_by(doc.tree, selector):
            href = el.get("href") if el.tag == "a" else next((a.get("href") for a in el.iter("a")), None)
            found = _absolute(_base_url(doc), href)
            if found:
                break
        return found if found and found != current and hosts.allows(found) else None
    for link_el in _iter_tags(doc.tree, "link"):
        if (link_el.get("rel") or "").lower() == "next":
            found = _absolute(_base_url(doc), link_el.get("href"))
            if found and found != current and hosts.allows(found):
                return found
    for strategy in (_next_by_text, _next_by_number, _next_by_url):
        found = strategy(links, current)
        if found and hosts.allows(found):
            return found
    for script_strategy in (_next_by_script, _next_by_data_proxy):
        found = script_strategy(doc)
        if found and found != current and hosts.allows(found):
            return found
    return None


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def find_section_links(
    doc: Document, *, hosts: SiteHosts | None = None, _links: list[_Link] | None = None
) -> tuple[str, ...]:
    """Return the section (channel) links of home page *doc*'s navigation, at most MAX_SECTIONS.

    Short anchor texts (2-10 characters) in <nav> or a nav/menu block; when there is
    none, the first group of at least four short links. Home links, article-shaped
    URLs and other sites are left out.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    links = _links if _links is not None else _scan(doc)

    def usable(link: _Link) -> bool:
        return (
            2 <= len(link.text) <= 10
            and link.text.lower() not in _HOME_TEXT
            and link.url != current
            and not is_root_url(link.url)
            and hosts.allows(link.url)
            and url_kind(link.url) is not PageKind.ARTICLE
            and not _NOT_SECTION_URL.search(link.url)
            and not _NOT_SECTION_TEXT.search(link.text)
        )

    chosen = [link for link in links if link.nav and usable(link)]
    if not chosen:
        groups: dict[tuple[str, ...], list[_Link]] = {}
        for link in links:
            if usable(link):
                groups.setdefault(link.template, []).append(link)
        for members in groups.values():
            if len(members) >= 4:
                chosen = members
                break
    out: list[str] = []
    for link in chosen:
        if link.url not in out:
            out.append(link.url)
    return tuple(out[:MAX_SECTIONS])


# ---------------------------------------------------------------------------
# Classification
# ---------------------------------------------------------------------------


def _biggest_block(tree: etree._Element) -> tuple[int, int]:
    """Return (characters, sentence ends) of the block holding the most running text.

    Text inside anchors, scripts and forms is not running text; a <p>'s text is
    added to the nearest block ancestor, so an article body's paragraphs add up.
    """
    sizes: dict[etree._Element, list[int]] = {}
    # From the root, not <body>: broken pages leave content after </body> and
    # lxml then hangs it on <html> (a gov.cn bulletin page does).
    stack: list[tuple[etree._Element, etree._Element]] = [(r, r) for r in _roots(tree)]
    while stack:
        el, block = stack.pop()
        if el.tag in _BLOCK_TAGS:
            block = el
        if el.text:
            _add_text(sizes, block, el.text)
        for child in el:
            if not isinstance(child.tag, str):
                if child.tail:
                    _add_text(sizes, block, child.tail)
                continue
            if child.tag not in _SKIP_TEXT:
                stack.append((child, block))
            if child.tail:
                _add_text(sizes, block, child.tail)
    if not sizes:
        return 0, 0
    chars, sentences = max(sizes.values(), key=lambda v: (v[0], v[1]))
    return chars, sentences


def _add_text(sizes: dict[etree._Element, list[int]], block: etree._Element, text: str) -> None:
    stripped = text.strip()
    if not stripped:
        return
    entry = sizes.setdefault(block, [0, 0])
    entry[0] += len(stripped)
    entry[1] += len(_SENTENCE_END.findall(stripped))


def _classify(doc: Document, main_links: int) -> PageKind:
    chars, sentences = _biggest_block(doc.tree)
    article_text = (chars >= _BODY_MIN_CHARS and sentences >= 2) or chars >= 4 * _BODY_MIN_CHARS
    hint = url_kind(doc.url)
    if article_text and (main_links < 8 or chars >= 60 * main_links or hint is PageKind.ARTICLE):
        return PageKind.ARTICLE
    if main_links >= 2 or (main_links >= 1 and hint is PageKind.LISTING):
        return PageKind.LISTING
    if article_text or (hint is PageKind.ARTICLE and chars >= 40 and sentences >= 1):
        return PageKind.ARTICLE
    return PageKind.OTHER


def classify_page(doc: Document, *, hosts: SiteHosts | None = None) -> PageKind:
    """Return whether *doc* is a listing, an article or neither.

    An article has one block of running text with sentence punctuation; a listing
    has a group of same-template links with title-like text and little running text.
    The URL's shape breaks ties ("/a/123.html" vs "list_1_2.html").
    """
    hosts = hosts or site_hosts([doc.url])
    links = _scan(doc)
    main = _select_main_groups(links, _absolute(doc.url, doc.url) or doc.url, hosts, several=is_root_url(doc.url))
    return _classify(doc, len({link.url for link in main}))


def analyze_page(
    doc: Document,
    *,
    now: datetime,
    hosts: SiteHosts | None = None,
    article_selector: str | None = None,
    next_selector: str | None = None,
    sections: bool = False,
) -> PageLinks:
    """Return *doc*'s kind and, unless it is an article, its article links and next page.

    Anchors are read once for all three questions. *sections* also collects the
    navigation's section links (wanted on a home page only).
    """
    hosts = hosts or site_hosts([doc.url])
    links = _scan(doc)
    articles = find_article_links(doc, now=now, hosts=hosts, selector=article_selector, _links=links)
    kind = _classify(doc, len(articles))
    if kind is PageKind.ARTICLE:
        return PageLinks(kind)
    next_page = find_next_page(doc, selector=next_selector, hosts=hosts, _links=links)
    section_links = find_section_links(doc, hosts=hosts, _links=links) if sections else ()
    if kind is PageKind.OTHER and (next_page or section_links):
        kind = PageKind.LISTING
    return PageLinks(kind, articles, next_page, section_links)
