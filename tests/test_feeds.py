"""Sitemaps, sitemap indexes, RSS and Atom feeds, robots.txt Sitemap lines and <head> feed links."""

from __future__ import annotations

import gzip
import inspect
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

import newsarchive.extract.feeds as feeds_module
from newsarchive.extract.document import parse_document
from newsarchive.extract.feeds import (
    MAX_SITEMAP_BYTES,
    FeedEntry,
    find_feed_links,
    parse_feed_date,
    read_feed,
    sitemaps_in_robots,
)

CST = timezone(timedelta(hours=8))
SHANGHAI = ZoneInfo("Asia/Shanghai")
BASE = "https://www.lanxinews.cn/"


def test_public_names():
    defined = {
        n for n, v in vars(feeds_module).items()
        if not n.startswith("_") and (inspect.isfunction(v) or inspect.isclass(v)) and v.__module__ == feeds_module.__name__
    }
    assert defined <= set(feeds_module.__all__)
    assert all(hasattr(feeds_module, n) for n in feeds_module.__all__)


# -- robots.txt ------------------------------------------------------------------------

ROBOTS = """User-agent: *
Disallow: /wp-admin/
Allow: /wp-admin/admin-ajax.php

sitemap: https://www.lanxinews.cn/wp-sitemap.xml
Sitemap:/news-sitemap.xml   # Google News
SITEMAP: https://www.lanxinews.cn/wp-sitemap.xml
# Sitemap: https://www.lanxinews.cn/old-sitemap.xml
Sitemap: ftp://www.lanxinews.cn/sitemap.xml
Sitemap:
"""


def test_robots_sitemap_lines_in_order_once_each():
    assert sitemaps_in_robots(ROBOTS, BASE + "robots.txt") == (
        "https://www.lanxinews.cn/wp-sitemap.xml",
        "https://www.lanxinews.cn/news-sitemap.xml",
    )


def test_robots_without_sitemap_lines():
    assert sitemaps_in_robots("User-agent: *\nDisallow: /member/\n", BASE + "robots.txt") == ()


# -- sitemaps --------------------------------------------------------------------------

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<?xml-stylesheet type="text/xsl" href="https://www.lanxinews.cn/wp-sitemap-index.xsl" ?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://www.lanxinews.cn/wp-sitemap-posts-post-1.xml.gz</loc><lastmod>2025-11-03T10:30:00+08:00</lastmod></sitemap>
<sitemap><loc>https://www.lanxinews.cn/wp-sitemap-posts-post-2.xml.gz</loc></sitemap>
<sitemap><loc> /wp-sitemap-taxonomies-category-1.xml </loc></sitemap>
<sitemap><loc>https://www.lanxinews.cn/wp-sitemap-posts-post-1.xml.gz</loc></sitemap>
</sitemapindex>
"""

URLSET = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://www.lanxinews.cn/2025/11/03/tea-harvest/</loc><lastmod>2025-11-03T02:30:00Z</lastmod></url>
  <url><loc>https://www.lanxinews.cn/2025/10/28/%e8%80%81%e8%a1%97/</loc><lastmod>2025-10-28</lastmod></url>
  <url><loc>https://www.lanxinews.cn/2025/10/20/bridge/</loc></url>
  <url><loc>https://www.lanxinews.cn/2025/11/03/tea-harvest/</loc></url>
  <url><lastmod>2025-10-01</lastmod></url>
</urlset>
"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://www.lanxinews.cn/2025/11/05/night-market/</loc>
    <news:news>
      <news:publication><news:name>兰溪新闻网</news:name><news:language>zh</news:language></news:publication>
      <news:publication_date>2025-11-05T19:40:00+08:00</news:publication_date>
      <news:title>夜市开到了江边 &amp; 码头</news:title>
    </news:news>
  </url>
</urlset>
"""


def test_sitemap_index_names_its_sitemaps_once_each_resolved():
    feed = read_feed(INDEX, BASE + "wp-sitemap.xml")
    assert feed.kind == "sitemapindex"
    assert [ref.url for ref in feed.sitemaps] == [
        "https://www.lanxinews.cn/wp-sitemap-posts-post-1.xml.gz",
        "https://www.lanxinews.cn/wp-sitemap-posts-post-2.xml.gz",
        "https://www.lanxinews.cn/wp-sitemap-taxonomies-category-1.xml",
    ]
    assert feed.sitemaps[0].modified == datetime(2025, 11, 3, 10, 30, tzinfo=CST)
    assert feed.sitemaps[1].modified is None
    assert feed.entries == ()


def test_gzip_sitemap_is_read_by_its_magic_bytes():
    body = gzip.compress(URLSET.encode("utf-8"))
    # The name says .xml, the bytes say gzip: the bytes win.
    feed = read_feed(body, BASE + "wp-sitemap-posts-post-1.xml")
    assert feed.kind == "urlset"
    assert [e.url for e in feed.entries] == [
        "https://www.lanxinews.cn/2025/11/03/tea-harvest/",
        "https://www.lanxinews.cn/2025/10/28/%e8%80%81%e8%a1%97/",
        "https://www.lanxinews.cn/2025/10/20/bridge/",
    ]
    assert feed.entries[0].modified == datetime(2025, 11, 3, 2, 30, tzinfo=UTC)
    assert feed.entries[0].published is None


def test_date_only_lastmod_is_read_in_the_given_zone():
    feed = read_feed(URLSET, BASE + "sitemap.xml", tz=SHANGHAI)
    assert feed.entries[1].modified == datetime(2025, 10, 28, tzinfo=SHANGHAI)
    assert feed.entries[2].modified is None


def test_news_sitemap_gives_publication_date_and_title():
    feed = read_feed(NEWS.encode("utf-8"), BASE + "news-sitemap.xml")
    assert feed.entries == (
        FeedEntry(
            "https://www.lanxinews.cn/2025/11/05/night-market/",
            "夜市开到了江边 & 码头",
            datetime(2025, 11, 5, 19, 40, tzinfo=CST),
            None,
        ),
    )
    assert feed.entries[0].latest == datetime(2025, 11, 5, 19, 40, tzinfo=CST)


@pytest.mark.parametrize(
    "xml",
    [
        # No namespace at all (hand-written sitemaps of small CMSs).
        "<urlset><url><loc>https://www.lanxinews.cn/a/1.html</loc><lastmod>2025-11-01</lastmod></url></urlset>",
        # The old Google namespace.
        ('<urlset xmlns="http://www.google.com/schemas/sitemap/0.84"><url><loc>https://www.lanxinews.cn/a/1.html</loc>'
        "<lastmod>2025-11-01</lastmod></url></urlset>"),
        # A prefix instead of a default namespace.
        ('<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>https://www.lanxinews.cn/a/1.html'
        "</sm:loc><sm:lastmod>2025-11-01</sm:lastmod></sm:url></sm:urlset>"),
        # A blank line and a BOM before the declaration (a plugin's stray output).
        ("\ufeff\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
        "<url><loc>https://www.lanxinews.cn/a/1.html</loc><lastmod>2025-11-01</lastmod></url></urlset>"),
    ],
    ids=["no-namespace", "old-namespace", "prefixed", "blank-line-before-declaration"],
)
def test_sitemap_namespaces_with_and_without_prefix(xml):
    feed = read_feed(xml.encode("utf-8"), BASE + "sitemap.xml")
    assert feed.kind == "urlset"
    assert [(e.url, e.modified) for e in feed.entries] == [
        ("https://www.lanxinews.cn/a/1.html", datetime(2025, 11, 1, tzinfo=UTC))
    ]


def test_gbk_sitemap_is_decoded_by_its_declaration():
    xml = '<?xml version="1.0" encoding="GBK"?><rss version="2.0"><channel><item><title>白沙镇秋茶开采</title>' \
          "<link>https://www.lanxinews.cn/a/12.html</link></item></channel></rss>"
    feed = read_feed(xml.encode("gbk"), BASE + "rss.xml")
    assert [(e.url, e.title) for e in feed.entries] == [("https://www.lanxinews.cn/a/12.html", "白沙镇秋茶开采")]


# -- broken and foreign bodies ---------------------------------------------------------


def test_unescaped_ampersand_and_a_cut_off_end_are_read_as_far_as_they_go():
    xml = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://www.lanxinews.cn/show.php?id=1&from=map</loc></url>"
        b"<url><loc>https://www.lanxinews.cn/show.php?id=2</loc></url>"
        b"<url><loc>https://www.lanxinews.cn/show.ph"
    )
    feed = read_feed(xml, BASE + "sitemap.xml")
    assert feed.kind == "urlset"
    assert [e.url for e in feed.entries][:2] == [
        "https://www.lanxinews.cn/show.php?id=1&from=map",
        "https://www.lanxinews.cn/show.php?id=2",
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>\xe9\xa1\xb5\xe9\x9d\xa2\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</h1></body></html>",
        b"User-agent: *\nDisallow: /\n",
        b'{"items": []}',
        b"\x1f\x8b\x08\x00not gzip at all",
        b'<?xml version="1.0"?><opml version="1.0"><body/></opml>',
    ],
    ids=["empty", "blank", "html-error-page", "text", "json", "broken-gzip", "other-xml"],
)
def test_a_body_that_is_no_sitemap_or_feed_lists_nothing(body):
    feed = read_feed(body, BASE + "sitemap.xml")
    assert feed.kind == "none"
    assert feed.entries == () and feed.sitemaps == ()


def test_entities_are_not_expanded():
    xml = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "https://evil.example/">]>'
        b"<urlset><url><loc>https://www.lanxinews.cn/a/1.html</loc></url><url><loc>&y;a</loc></url><url><loc>&x;</loc></url></urlset>"
    )
    feed = read_feed(xml, BASE + "sitemap.xml")
    urls = [e.url for e in feed.entries]
    assert urls[0] == "https://www.lanxinews.cn/a/1.html"
    assert not any("evil" in u or "root:" in u for u in urls)


def test_gzip_bomb_is_cut_at_the_limit():
    head = b'<urlset><url><loc>https://www.lanxinews.cn/a/1.html</loc></url>'
    body = gzip.compress(head + b" " * (MAX_SITEMAP_BYTES + 1000) + b"<url><loc>https://www.lanxinews.cn/a/2.html</loc></url></urlset>")
    feed = read_feed(body, BASE + "sitemap.xml.gz")
    assert [e.url for e in feed.entries] == ["https://www.lanxinews.cn/a/1.html"]


# -- RSS and Atom ----------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
	<title>兰溪新闻网</title>
	<atom:link href="https://www.lanxinews.cn/feed/" rel="self" type="application/rss+xml" />
	<link>https://www.lanxinews.cn</link>
	<lastBuildDate>Wed, 05 Nov 2025 11:40:00 +0000</lastBuildDate>
	<item>
		<title><![CDATA[夜市开到了江边]]></title>
		<link>https://www.lanxinews.cn/2025/11/05/night-market/</link>
		<dc:creator><![CDATA[林小溪]]></dc:creator>
		<pubDate>Wed, 05 Nov 2025 11:40:00 +0000</pubDate>
		<guid isPermaLink="false">https://www.lanxinews.cn/?p=412</guid>
		<description><![CDATA[江边码头……]]></description>
	</item>
	<item>
		<title>只有 guid 的条目</title>
		<guid>https://www.lanxinews.cn/2025/11/04/guid-only/</guid>
		<pubDate>2025-11-04 09:00:00</pubDate>
	</item>
	<item>
		<title>guid 不是链接</title>
		<guid isPermaLink="false">412-draft</guid>
	</item>
	<item>
		<title>相对链接</title>
		<link>/2025/11/03/relative/</link>
		<pubDate>not a date</pubDate>
	</item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN" xml:base="https://www.lanxinews.cn/wp-atom.php">
	<title type="text">兰溪新闻网</title>
	<updated>2025-11-05T11:40:00Z</updated>
	<link rel="alternate" type="text/html" href="https://www.lanxinews.cn/" />
	<entry>
		<author><name>林小溪</name></author>
		<title type="html"><![CDATA[夜市开到了<b>江边</b>]]></title>
		<link rel="replies" type="text/html" href="https://www.lanxinews.cn/2025/11/05/night-market/#comments" />
		<link rel="alternate" type="text/html" href="https://www.lanxinews.cn/2025/11/05/night-market/" />
		<id>https://www.lanxinews.cn/?p=412</id>
		<updated>2025-11-06T01:00:00Z</updated>
		<published>2025-11-05T11:40:00Z</published>
	</entry>
	<entry>
		<title>没有 rel 的链接</title>
		<link href="/2025/11/04/no-rel/" />
		<updated>2025-11-04T09:00:00+08:00</updated>
	</entry>
	<entry><title>没有链接</title><id>tag:lanxinews.cn,2025:1</id></entry>
</feed>
"""

ATOM_PREFIXED = """<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:title>前缀</a:title>
<a:link rel="alternate" href="https://www.lanxinews.cn/a/9.html"/><a:published>2025-11-01T08:00:00+08:00</a:published></a:entry></a:feed>"""

RDF = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://www.lanxinews.cn/"><title>兰溪</title></channel>
<item rdf:about="https://www.lanxinews.cn/a/7.html"><title>RSS 1.0 条目</title><link>https://www.lanxinews.cn/a/7.html</link>
<dc:date>2025-11-02T08:00:00+08:00</dc:date></item></rdf:RDF>"""


def test_rss_items_links_titles_and_dates():
    feed = read_feed(RSS.encode("utf-8"), BASE + "feed/", tz=SHANGHAI)
    assert feed.kind == "rss"
    assert [(e.url, e.title, e.published) for e in feed.entries] == [
        ("https://www.lanxinews.cn/2025/11/05/night-market/", "夜市开到了江边", datetime(2025, 11, 5, 11, 40, tzinfo=UTC)),
        ("https://www.lanxinews.cn/2025/11/04/guid-only/", "只有 guid 的条目", datetime(2025, 11, 4, 9, 0, tzinfo=SHANGHAI)),
        ("https://www.lanxinews.cn/2025/11/03/relative/", "相对链接", None),
    ]


def test_atom_entries_take_the_alternate_link():
    feed = read_feed(ATOM.encode("utf-8"), BASE + "feed/atom/")
    assert feed.kind == "atom"
    first, second = feed.entries
    assert first == FeedEntry(
        "https://www.lanxinews.cn/2025/11/05/night-market/",
        "夜市开到了江边",
        datetime(2025, 11, 5, 11, 40, tzinfo=UTC),
        datetime(2025, 11, 6, 1, 0, tzinfo=UTC),
    )
    assert first.latest == first.modified
    assert (second.url, second.published, second.modified) == (
        "https://www.lanxinews.cn/2025/11/04/no-rel/", None, datetime(2025, 11, 4, 9, 0, tzinfo=CST)
    )


def test_prefixed_atom_and_rss_1_0():
    atom = read_feed(ATOM_PREFIXED, BASE + "atom.xml")
    assert (atom.kind, [(e.url, e.title) for e in atom.entries]) == ("atom", [("https://www.lanxinews.cn/a/9.html", "前缀")])
    rdf = read_feed(RDF, BASE + "rss.rdf")
    assert rdf.kind == "rss"
    assert [(e.url, e.published) for e in rdf.entries] == [
        ("https://www.lanxinews.cn/a/7.html", datetime(2025, 11, 2, 8, 0, tzinfo=CST))
    ]


def test_text_with_a_declared_encoding_is_read():
    # Scrapy's response.text of an XML answer still carries its declaration.
    feed = read_feed(RSS, BASE + "feed/")
    assert len(feed.entries) == 3


# -- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-03", datetime(2025, 11, 3, tzinfo=UTC)),
        ("2025-11", datetime(2025, 11, 1, tzinfo=UTC)),
        ("2025-11-03T10:30+08:00", datetime(2025, 11, 3, 10, 30, tzinfo=CST)),
        ("2025-11-03T02:30:00.5Z", datetime(2025, 11, 3, 2, 30, 0, 500000, tzinfo=UTC)),
        ("Mon, 03 Nov 2025 10:30:00 +0800", datetime(2025, 11, 3, 10, 30, tzinfo=CST)),
        ("Mon, 03 Nov 2025 02:30:00 GMT", datetime(2025, 11, 3, 2, 30, tzinfo=UTC)),
        ("2025-11-03 10:30:00", datetime(2025, 11, 3, 10, 30, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("昨天", None),
    ],
)
def test_feed_dates(text, expected):
    assert parse_feed_date(text) == expected


# -- <head> feed links -----------------------------------------------------------------


def test_feed_links_in_head_without_comment_feeds():
    html = """<!doctype html><html><head><meta charset="UTF-8"><title>兰溪新闻网</title>
<link rel="alternate" type="application/rss+xml" title="兰溪新闻网 &raquo; Feed" href="https://www.lanxinews.cn/feed/" />
<link rel="alternate" type="application/rss+xml" title="兰溪新闻网 &raquo; 评论 Feed" href="https://www.lanxinews.cn/comments/feed/" />
<link rel="alternate" type="application/atom+xml" title="Atom" href="/feed/atom/" />
<link rel="alternate" type="application/rss+xml" title="Post Comments Feed" href="/2025/11/05/night-market/feed/" />
<link rel="alternate" hreflang="en" href="/en/" />
<link rel="alternate" type="application/json+oembed" href="/wp-json/oembed/1.0/embed?url=x" />
<link rel="stylesheet" type="text/css" href="/style.css" />
<link rel="Alternate" type="application/RSS+xml" href="/feed/" />
</head><body><p>x</p></body></html>"""
    doc = parse_document(html.encode("utf-8"), "https://www.lanxinews.cn/2025/11/05/night-market/")
    assert find_feed_links(doc) == ("https://www.lanxinews.cn/feed/", "https://www.lanxinews.cn/feed/atom/")


def test_page_without_feed_links():
    doc = parse_document(b"<html><head><title>t</title></head><body><a href='/rss.xml'>RSS</a></body></html>", BASE)
    assert find_feed_links(doc) == ()
