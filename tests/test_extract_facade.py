"""extract_article: inputs it accepts, errors it raises, profile selectors it obeys."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from newsarchive import extract_article
from newsarchive.errors import NotAnArticle, UndecodablePage
from newsarchive.extract.document import parse_document
from newsarchive.sites import SiteProfile

URL = "http://www.example.cn/a/xinwen/2021/1105/12.html?from=index"
PAGE = """<html><head><meta charset="gbk"><title>县城新增三处便民早餐点_桐溪新闻网</title>
<link rel="canonical" href="/a/xinwen/2021/1105/12.html"></head><body>
<div class="position">当前位置：<a href="/">主页</a> &gt; <a href="/a/xinwen/">本地新闻</a> &gt; </div>
<h1>县城新增三处便民早餐点</h1>
<div class="info">发布时间：2021-11-05 10:30 来源：桐溪县融媒体中心 作者：陈晓燕 浏览次数：177</div>
<div class="content"><p>国庆假期刚过，县城南门、汽车站和实验小学附近新增的三处便民早餐点陆续开门营业。</p>
<p>早餐点由县商务局统一规划设置，每处配备保温售卖车和洗手池，豆浆、包子等品种均明码标价。</p></div>
<div class="side"><span id="pubdate">2020-01-01</span></div>
</body></html>"""
NOW = datetime(2022, 6, 20, 8, 0, tzinfo=UTC)


def test_record_from_gbk_bytes():
    article = extract_article(PAGE.encode("gbk"), URL, content_type="text/html", listing_url="http://www.example.cn/a/xinwen/", now=NOW)
    assert article.title == "县城新增三处便民早餐点"
    assert article.published_at == "2021-11-05T10:30:00+08:00"
    assert article.view_count == 177
    assert article.author == "陈晓燕"
    assert article.source == "桐溪县融媒体中心"
    assert article.section == "本地新闻"
    assert article.canonical_url == "http://www.example.cn/a/xinwen/2021/1105/12.html"
    assert article.site == "www.example.cn"
    assert article.listing_url == "http://www.example.cn/a/xinwen/"
    assert article.paragraphs[0].startswith("国庆假期刚过")
    assert article.counter_url is None


def test_bytes_str_and_document_give_the_same_record():
    from_bytes = extract_article(PAGE.encode("gbk"), URL, now=NOW)
    from_str = extract_article(PAGE, URL, now=NOW)
    from_doc = extract_article(parse_document(PAGE.encode("gbk"), URL), URL, now=NOW)
    assert from_bytes == from_str == from_doc


def test_profile_selectors_outrank_generic_rules():
    profile = SiteProfile(name="tongxi", published_at="//span[@id='pubdate']", title="div.content p")
    article = extract_article(PAGE, URL, profile=profile, now=NOW)
    assert article.published_at == "2020-01-01"
    assert article.title.startswith("国庆假期刚过")
    assert article.site == "tongxi"


def test_relative_times_use_now_in_the_page_zone():
    page = PAGE.replace("2021-11-05 10:30", "3小时前")
    article = extract_article(page, URL, now=NOW)  # 08:00 UTC is 16:00 in Shanghai
    assert article.published_at == "2022-06-20T13:00:00+08:00"


@pytest.mark.parametrize(
    "html",
    ["<html><body></body></html>", "<html><head><title>首页</title></head><body><ul><li><a href='/1'>甲</a></li></ul></body></html>"],
    ids=["empty", "listing"],
)
def test_not_an_article(html):
    with pytest.raises(NotAnArticle):
        extract_article(html, URL, now=NOW)


def test_undecodable_bytes():
    with pytest.raises(UndecodablePage):
        extract_article(random.Random(3).randbytes(5000), URL, content_type="text/html", now=NOW)


def test_zero_placeholder_before_a_counter_script_is_no_count():
    page = PAGE.replace("浏览次数：177", "点击：<span id='hits'>0</span><script src='/plus/count.php?view=yes&aid=12&mid=1'></script>")
    article = extract_article(page, URL, now=NOW)
    assert article.view_count is None
    assert article.counter_url == "http://www.example.cn/plus/count.php?view=yes&aid=12&mid=1"


def test_the_url_is_optional():
    # A file on disk or a WARC record without a target URI: the fields still come out,
    # and the address is the one the page states for itself, else empty.
    for article in (extract_article(PAGE.encode("gbk"), now=NOW), extract_article(PAGE, url=None, now=NOW)):
        assert article.title == "县城新增三处便民早餐点"
        assert article.published_at == "2021-11-05T10:30:00+08:00"
        assert article.paragraphs[0].startswith("国庆假期刚过")
        assert (article.url, article.canonical_url, article.site) == ("", "", "")
    stated = PAGE.replace('href="/a/xinwen/2021/1105/12.html"', 'href="http://www.example.cn/a/xinwen/2021/1105/12.html"')
    article = extract_article(stated, now=NOW)
    assert article.url == article.canonical_url == "http://www.example.cn/a/xinwen/2021/1105/12.html"
    assert article.site == "www.example.cn"
