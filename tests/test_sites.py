"""Site profiles: one selector rule, checked when the profile loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.errors import ProfileError
from newsarchive.extract import extract_article
from newsarchive.extract.anchors import _select_by
from newsarchive.extract.document import parse_document
from newsarchive.sites import SELECTOR_KEYS, compile_selector, is_xpath, load_profile

PAGE = """<html><head><title>站点首页 - 某县新闻网</title></head><body>
<div class="top"><h2>某县新闻网</h2></div>
<div class="article"><h1>县城新建三座公园</h1>
<div class="meta">发布时间：2024-03-05 10:20</div>
<div class="content"><p>今年春天，县城新建的三座公园陆续向市民开放，园内种植了大量本地树种。</p>
<p>公园管理处表示，今后还将增加健身步道和儿童游乐设施，方便周边居民休闲锻炼。</p></div>
<div class="side"><p>本页另一段不属于正文、只用来检验正文选择器的文字内容，长度足够长。</p></div>
</div></body></html>"""


@pytest.mark.parametrize(
    ("selector", "xpath"),
    [("//h1", True), ("(//h1)[1]", True), (".//h1", True), ("./div", True), (" //h1", True),
     ("h1", False), ("div.content p", False), ("#main > .title", False), (".title", False)],
)
def test_one_rule_says_which_selectors_are_xpath(selector, xpath):
    assert is_xpath(selector) is xpath


def _profile(tmp_path: Path, text: str, name: str = "county") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_relative_xpath_title_and_body_are_used(tmp_path):
    profile = load_profile(str(_profile(tmp_path, 'title = ".//h1"\nbody = ".//div[@class=\'side\']"\n')))
    article = extract_article(PAGE, "http://www.example.cn/a/1.html", profile=profile)
    assert article.title == "县城新建三座公园"
    assert article.paragraphs == ("本页另一段不属于正文、只用来检验正文选择器的文字内容，长度足够长。",)


def test_the_same_string_means_the_same_elements_for_every_key(tmp_path):
    doc = parse_document(PAGE, "http://www.example.cn/a/1.html")
    for selector in (".//h1", "//h1", "h1", "div.article h1"):
        assert [e.text for e in compile_selector(selector)(doc.tree)] == ["县城新建三座公园"]
        assert [e.text for e in _select_by(doc.tree, selector)] == ["县城新建三座公园"]
    profile = load_profile(str(_profile(tmp_path, 'body = "div.side"\ntitle = "div.article h1"\n')))
    article = extract_article(PAGE, "http://www.example.cn/a/1.html", profile=profile)
    assert article.title == "县城新建三座公园"
    assert len(article.paragraphs) == 1


@pytest.mark.parametrize("key", SELECTOR_KEYS)
@pytest.mark.parametrize(
    ("selector", "says"),
    [("div[[", "is not valid CSS"), ("//div[@id=", "is not valid XPath"),
     ("(count(//p))", "gives a value, not elements")],
    ids=["bad-css", "bad-xpath", "xpath-value"],
)
def test_a_bad_selector_is_refused_when_the_profile_loads(tmp_path, key, selector, says):
    path = _profile(tmp_path, f"{key} = '{selector}'\n")
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert "'county.toml'" in message
    assert key in message
    assert repr(selector) in message
    assert says in message
    assert "\n" not in message


def test_crawl_with_a_bad_selector_is_one_error_line_before_any_request(tmp_path):
    path = _profile(tmp_path, 'title = "div[["\n')
    archive = tmp_path / "a.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "http://127.0.0.1:9/", "--site", str(path),
         "-o", str(archive)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: cannot read site profile 'county.toml': title selector 'div[['")
    assert not archive.exists()


def test_scrapy_crawl_with_a_bad_selector_stops_before_any_request(tmp_path):
    path = _profile(tmp_path, 'body = "//div[@id="\n')
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "news", "-a", "start_urls=http://127.0.0.1:9/",
         "-a", f"site={path}", "-s", f"NEWSARCHIVE_ARCHIVE={tmp_path / 'b.sqlite'}"],
        capture_output=True, text=True, timeout=120, check=False, cwd=root,
    )
    assert "ProfileError: cannot read site profile 'county.toml': body selector '//div[@id='" in result.stderr
    assert "downloader/request_count" not in result.stderr
    assert not (tmp_path / "b.sqlite").exists()
