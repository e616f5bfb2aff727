"""The CMS family guess's table: what each family leaves in its pages and URLs.

Data only, compiled once. Each rule is (family, weight, what it is, regex, a real
sample); tests/test_cmsguess.py checks that every regex finds its sample.
newsarchive.extract.cmsguess adds up the weights of the rules a site's pages
match, one count per rule, and answers with the matches as its evidence.

Weights: 3 for what only the family writes (its name in a generator meta or a
"Powered by" line, its own script paths), 2 for its URL schemes, 1 for what
other sites share now and then (a theme folder name, an upload path).
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["CMS_RULES", "GENERATOR_META", "CmsRule"]


class CmsRule(NamedTuple):
    """One trace of a CMS family: *pattern* found in a page's source or a URL counts *weight*."""

    family: str
    weight: int
    what: str
    pattern: re.Pattern[str]
    sample: str


def _rule(family: str, weight: int, what: str, pattern: str, sample: str) -> CmsRule:
    return CmsRule(family, weight, what, re.compile(pattern, re.IGNORECASE), sample)


#: A generator meta, whatever it names: <meta name="generator" content="MetInfo V7.0.0">
#: (both attribute orders: <meta content="WordPress 6.4" name="generator">).
GENERATOR_META = re.compile(
    r"""<meta\s[^>]*?(?:name\s*=\s*["']?generator["']?[^>]*?content\s*=\s*["']([^"'>]+)
        |content\s*=\s*["']([^"'>]+)["'][^>]*?name\s*=\s*["']?generator)""",
    re.IGNORECASE | re.VERBOSE,
)

CMS_RULES: tuple[CmsRule, ...] = (
    # --- DedeCMS (织梦) ---
    _rule("DedeCMS", 3, "generator or Powered by", r"Powered\s+by\s+(?:<[^>]+>\s*)*DedeCMS|generator[^>]{0,40}DedeCMS",
          '<p>Powered by <a href="http://www.dedecms.com">DedeCMS</a></p>'),
    _rule("DedeCMS", 3, "its /plus/ scripts", r"/plus/(?:count|search|list|view|feedback|diy|digg|ad_js|mytag_js|flink)\.php",
          '<script src="/plus/count.php?view=yes&aid=12&mid=1"></script>'),
    _rule("DedeCMS", 2, "its /templets/ folder", r"/templets/[\w-]+/", '<link href="/templets/default/style/dedecms.css">'),
    _rule("DedeCMS", 1, "its list_<typeid>_<page>.html listings", r"/list_\d+_\d+\.html\b", "/a/xinwen/list_1_2.html"),
    # --- EmpireCMS (帝国) ---
    _rule("EmpireCMS", 3, "generator or Powered by", r"Powered\s+by\s+(?:<[^>]+>\s*)*EmpireCMS|generator[^>]{0,40}EmpireCMS",
          "Powered by <strong>EmpireCMS</strong>"),
    # Only its own folders: /e/<hash>/ paths of other sites (163.com's) are no trace.
    _rule("EmpireCMS", 3, "its /e/ scripts", r"/e/(?:member|search|public|extend|data|class|pl|tool|action|enews|DoInfo|space|showkey)/",
          '<a href="/e/member/login/">登录</a>'),
    _rule("EmpireCMS", 2, "its /skin/ecms or /d/file/ paths", r"/skin/ecms\w*/|/d/file/\w", '<img src="/d/file/2020/03/02/a.jpg">'),
    # --- PHPCMS ---
    _rule("PHPCMS", 3, "generator or Powered by", r"Powered\s+by\s+(?:<[^>]+>\s*)*PHPCMS|generator[^>]{0,40}PHPCMS",
          "Powered by PHPCMS V9"),
    _rule("PHPCMS", 3, "its index.php?m=content routes", r"index\.php\?m=content(?:&amp;|&)c=index(?:&amp;|&)a=(?:lists|show)",
          "/index.php?m=content&c=index&a=lists&catid=3"),
    _rule("PHPCMS", 2, "its view counter", r"/api\.php\?op=count(?:&amp;|&)id=", "/api.php?op=count&id=12&modelid=1"),
    _rule("PHPCMS", 1, "its /statics/ or /uploadfile/ folder", r"/statics/(?:js|css|images)/|/uploadfile/\d{4}/",
          '<link href="/statics/css/reset.css">'),
    # --- PbootCMS ---
    _rule("PbootCMS", 3, "generator, Powered by or its name", r"Powered\s+by\s+(?:<[^>]+>\s*)*PbootCMS|generator[^>]{0,40}PbootCMS|pbootcms\.com",
          '技术支持：<a href="https://www.pbootcms.com">PbootCMS</a>'),
    # The default template's stylesheet (its "aoyun" theme) and upload path.
    _rule("PbootCMS", 2, "its default template's stylesheet", r"/template/[\w-]+/css/aoyun\.css",
          '<link href="/template/default/css/aoyun.css?v=v1.3.5">'),
    _rule("PbootCMS", 1, "its upload path", r"/static/upload/(?:image|file)/\d{8}/", '<img src="/static/upload/image/20210812/logo.png">'),
    # Without URL rewriting a column and an id sit in a bare query: /?news/77.html.
    _rule("PbootCMS", 2, "its bare-query URLs", r"""href=["']?/?(?:index\.php)?\?[a-z][\w-]*/(?:\d+\.html)?["'\s>]""",
          '<a href="/?news/77.html">'),
    # --- MetInfo ---
    _rule("MetInfo", 3, "generator or Powered by", r"Powered\s+by\s+(?:<[^>]+>\s*)*MetInfo|generator[^>]{0,40}MetInfo|powered_by_metinfo",
          '<meta name="generator" content="MetInfo V7.0.0">'),
    _rule("MetInfo", 2, "its shownews.php?lang= pages", r"/shownews\.php\?lang=\w+(?:&amp;|&)id=\d+", "/news/shownews.php?lang=cn&id=36"),
    _rule("MetInfo", 2, "its /templates/<theme>/cache/ or /public/web/ assets", r"/templates/\w+/cache/|/public/web/(?:css|js)/",
          '<link href="/public/web/css/basic.css?1560000000">'),
    # --- TRS WCM (government portals) ---
    _rule("TRS WCM", 3, "generator or its name", r"generator[^>]{0,40}\bTRS\b|TRS\s+WCM", '<meta name="generator" content="TRS WCM 7.0">'),
    _rule("TRS WCM", 2, "its t<date>_<id>.html articles", r"/\d{6}/t(?:19|20)\d{6}_\d+\.s?html?\b", "/xwzx/zwyw/202204/t20220417_2304511.html"),
    _rule("TRS WCM", 2, "its createPageHTML pager", r"createPageHTML\s*\(", 'createPageHTML(3, 0, "index", "html");'),
    # --- Hanweb JCMS (大汉) ---
    _rule("Hanweb", 3, "its name", r"大汉网络|hanweb", "技术支持：大汉网络"),
    _rule("Hanweb", 2, "its /col/ and /art/ URLs", r"/col/col\d+/|/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html",
          "/art/2021/11/5/art_1229_3456.html"),
    _rule("Hanweb", 2, "its jpage module", r"/module/(?:jslib|web/jpage)/|\bjpage\b", '<script src="/module/jslib/jquery/jquery.js">'),
    # --- WordPress ---
    _rule("WordPress", 3, "generator", r"generator[^>]{0,40}WordPress", '<meta name="generator" content="WordPress 6.4.2" />'),
    _rule("WordPress", 3, "its wp- folders", r"/wp-(?:content|includes|json)/", "/wp-includes/css/dist/block-library/style.min.css?ver=5.8.2"),
    _rule("WordPress", 1, "its ?p= permalinks or wp-sitemap", r"""[?&]p=\d+["'&\s]|/wp-sitemap[\w-]*\.xml""", "/wp-sitemap.xml"),
    # --- Founder (方正) newspaper systems ---
    _rule("Founder", 2, "its content_<id>.htm articles in a dated folder",
          r"/(?:content|html)/\d{4}-\d{2}/\d{2}/content_\d+\.htm\b", "/content/2021-09/02/content_35021.htm"),
    _rule("Founder", 1, "its node_<id>.htm channels", r"/node_\d+(?:_\d+)?\.htm\b", "/node_12_2.htm"),
    # --- Z-BlogPHP ---
    _rule("Z-Blog", 3, "generator or its folders", r"generator[^>]{0,40}Z-Blog|/zb_users/", '<meta name="generator" content="Z-BlogPHP 1.5.2 Zero">'),
)
