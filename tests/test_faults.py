"""The crawl survives hostile and broken sites, and refuses to wander.

Each test serves a small site from tests/faultserver.py (a real server on
127.0.0.1 whose paths misbehave on purpose), runs the real ``news`` spider
through Scrapy's engine, and asserts on the archive file, the server's request
log and the crawl stats. Timeouts, retries and backoff are shortened in
``FAST`` so the whole file runs in well under a minute.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_twisted
from newsarchive.middlewares.report import failures_path
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.test import get_crawler

import newsarchive.settings as project_settings
from newsarchive.archive import open_archive
from tests.faultserver import (
    FaultServer,
    article_html,
    chunked_forever,
    hang,
    listing_html,
    page,
    redirect,
    reset,
    sized,
    status,
    truncated,
)

ROOT = Path(__file__).resolve().parent.parent

# Project settings, made fast: no politeness delays, 1 s timeouts, short backoff.
FAST: dict[str, Any] = {
    **{k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()},
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_TIMEOUT": 1,
    "RETRY_TIMES": 2,
    "NEWSARCHIVE_RETRY_BACKOFF": 0.1,
    "NEWSARCHIVE_RETRY_BACKOFF_MAX": 1.0,
    "NEWSARCHIVE_FETCH_COUNTERS": False,
    "LOG_LEVEL": "DEBUG",
}

PARAS = (
    "本报讯 1月5日，测试市召开全市经济工作会议，总结去年工作，部署今年任务。",
    "会议指出，要坚持稳中求进工作总基调，推动经济高质量发展，保障和改善民生。",
    "会议要求，各级各部门要狠抓落实，确保各项目标任务顺利完成，以优异成绩回报群众。",
)


# Distinct bodies, so that articles of one test are not near-duplicates of each other.
_TOPICS = (
    ("农业农村局组织技术人员深入田间地头，指导农户做好春耕备耕和病虫害防治。", "今年全市粮食播种面积稳定在三百万亩以上，优质品种覆盖率持续提高。"),
    ("市教育局发布通知，秋季学期中小学招生工作将于下月启动，实行网上报名。", "各学校须公开招生计划和划片范围，严禁以任何形式组织入学考试。"),
    ("市医保中心推出门诊费用跨省直接结算服务，异地就医群众可在定点医院刷卡。", "截至目前，全市已有八十六家医疗机构开通这项服务，惠及群众二十余万人次。"),
    ("交通运输部门对城区十二条公交线路进行优化调整，新增站点三十一个。", "调整后的线路将于本周六起运行，市民可通过公交查询软件了解详细信息。"),
    ("市文化馆举办非物质文化遗产展演，剪纸、皮影、刺绣等传统技艺集中亮相。", "活动持续三天，吸引了大批市民和游客前来观看，现场互动体验区人气火爆。"),
    ("生态环境局通报上半年空气质量，优良天数比例同比上升四点二个百分点。", "细颗粒物平均浓度持续下降，重点河流断面水质全部达到考核目标要求。"),
    ("市人社局举办春季大型招聘会，两百余家企业提供就业岗位五千多个。", "现场达成初步就业意向一千二百余人，高校毕业生占比超过四成。"),
    ("应急管理局开展安全生产大检查，重点排查危险化学品和建筑施工领域隐患。", "检查组共发现并督促整改问题隐患三百余处，对违法行为依法立案查处。"),
)


def _paragraphs(n: int) -> tuple[str, ...]:
    first, second = _TOPICS[n % len(_TOPICS)]
    return (f"本报讯（记者 王{n}）{first}", second, f"这是第{n}篇稿件的结尾段落，编号{n * 7919}。")


def _article(n: int, title: str | None = None, paragraphs: tuple[str, ...] | None = None, **kw: Any) -> str:
    return article_html(title or f"测试市召开第{n}次全市经济工作会议", paragraphs or _paragraphs(n), **kw)


@dataclass
class Crawl:
    """What one crawl left behind."""

    crawler: Any
    stats: dict[str, Any]
    archive: Path

    @property
    def records(self) -> list[dict[str, Any]]:
        """The archived records, FILLER articles left out."""
        with open_archive(self.archive, readonly=True) as archive:
            records = [a.to_record() for a in archive.iter_articles()]
        return [r for r in records if not r["url"].endswith(tuple(FILLER))]

    @property
    def titles(self) -> set[str]:
        return {r["title"] for r in self.records}

    @property
    def failures(self) -> dict[str, dict[str, Any]]:
        path = failures_path(self.archive)
        if not path.exists():
            return {}
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return {row["url"]: row for row in rows}


async def crawl(start: str | list[str], archive: Path, **settings: Any) -> Crawl:
    """Run the news spider from *start* into *archive*; return the crawl's results."""
    from newsarchive.spiders.news import NewsSpider

    crawler = get_crawler(NewsSpider, {**FAST, "NEWSARCHIVE_ARCHIVE": str(archive), **settings})
    start_urls = start if isinstance(start, str) else ",".join(start)
    # crawl_async needs an asyncio task around it; the test coroutine is driven by Twisted.
    await deferred_from_coro(crawler.crawl_async(start_urls=start_urls))
    return Crawl(crawler, dict(crawler.stats.get_stats()), archive)


# Two healthy articles every test listing also links to: a list of one or two
# links does not read as a listing, and a site is never all faults.
FILLER = {
    "/a/9901.html": ("本市新建成三座城市公园正式向市民开放", (
        "记者从市园林绿化局获悉，位于城东、城南和开发区的三座城市公园日前建成开放。",
        "新建公园总面积达四十五公顷，配套建设了健身步道、儿童游乐场和公共卫生间。",
    )),
    "/a/9902.html": ("全市图书馆推行通借通还服务方便读者", (
        "自本月起，市图书馆与各区县分馆实现图书通借通还，读者可就近借阅和归还。",
        "图书馆还延长了周末开放时间，并增设自助借还设备和电子阅览座位。",
    )),
}


def site(server: FaultServer, articles: dict[str, Any], *, robots: str = "User-agent: *\nAllow: /\n",
         extra: str = "", listing: str = "/news/") -> str:
    """Serve a listing at *listing* linking to *articles* (path -> replies) and FILLER; return its URL."""
    server.route("/robots.txt", page(robots, "text/plain"))
    for path, (title, paragraphs) in FILLER.items():
        server.route(path, page(article_html(title, paragraphs)))
    links = [(path, f"测试新闻标题第{i}条内容") for i, path in enumerate([*articles, *FILLER], 1)]
    server.route(listing, page(listing_html(links, extra=extra)))
    for path, replies in articles.items():
        server.route(path, replies)
    return server.url(listing)


@pytest.fixture
def server():
    with FaultServer() as s:
        yield s


@pytest.fixture
def other_server():
    with FaultServer() as s:
        yield s


# ---------------------------------------------------------------------------
# HTTP errors
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_server_errors_are_retried_with_backoff(server, tmp_path):
    start = site(server, {
        "/a/1001.html": [status(503), status(502), page(_article(1))],
        "/a/1002.html": [status(500), page(_article(2))],
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议", "测试市召开第2次全市经济工作会议"}
    hits = [h["time"] for h in server.hits("/a/1001.html")]
    assert len(hits) == 3
    # Backoff 0.1 s then 0.2 s: never retried at once.
    assert hits[1] - hits[0] >= 0.09 and hits[2] - hits[1] >= 0.19
    assert len(server.hits("/a/1002.html")) == 2
    assert result.stats["retry/count"] == 3
    assert result.stats["newsarchive/retry/backoff_seconds"] == pytest.approx(0.4)
    assert result.failures == {}


@pytest_twisted.ensureDeferred
async def test_404_and_410_are_not_retried_and_are_reported(server, tmp_path):
    start = site(server, {
        "/a/1001.html": page(_article(1)),
        "/a/1404.html": status(404),
        "/a/1410.html": status(410),
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert len(server.hits("/a/1404.html")) == 1
    assert len(server.hits("/a/1410.html")) == 1
    failures = result.failures
    assert failures[server.url("/a/1404.html")]["status"] == 404
    assert failures[server.url("/a/1410.html")]["status"] == 410
    assert failures[server.url("/a/1404.html")]["kind"] == "http"
    assert failures[server.url("/a/1404.html")]["listing"] == start
    assert result.stats["newsarchive/report/failed/http"] == 2
    assert "http 404: 1" in result.stats["newsarchive/report/summary"]


@pytest_twisted.ensureDeferred
async def test_an_article_that_disappears_stays_in_the_archive(server, tmp_path):
    archive = tmp_path / "a.sqlite"
    start = site(server, {"/a/1001.html": [page(_article(1)), status(410)]})
    first = await crawl(start, archive)
    assert first.titles == {"测试市召开第1次全市经济工作会议"}

    server.route("/a/1001.html", status(404))
    second = await crawl(start, archive)
    assert second.titles == {"测试市召开第1次全市经济工作会议"}
    assert second.records[0]["paragraphs"] == list(_paragraphs(1))


# ---------------------------------------------------------------------------
# Broken connections
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_hanging_response_times_out_and_is_retried(server, tmp_path):
    start = site(server, {
        "/a/1001.html": [hang(10), page(_article(1))],
        "/a/1002.html": hang(10),
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert len(server.hits("/a/1001.html")) == 2
    assert len(server.hits("/a/1002.html")) == 3  # first try + RETRY_TIMES
    assert result.failures[server.url("/a/1002.html")]["kind"] == "timeout"
    assert result.stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 3


@pytest_twisted.ensureDeferred
async def test_connection_reset_is_retried(server, tmp_path):
    start = site(server, {
        "/a/1001.html": [reset(), reset(b"HTTP/1.1 200 OK\r\nContent-Le"), page(_article(1))],
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert len(server.hits("/a/1001.html")) == 3
    assert result.stats["retry/count"] == 2


@pytest_twisted.ensureDeferred
async def test_body_cut_short_is_retried_and_never_archived_half(server, tmp_path):
    full = _article(1).encode("utf-8")
    half = full[: len(full) // 2 + 40]
    start = site(server, {
        "/a/1001.html": [truncated(half, len(full)), page(full)],
        "/a/1002.html": truncated(_article(2).encode("utf-8")[:600], len(_article(2).encode("utf-8"))),
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    records = {r["url"]: r for r in result.records}
    assert set(records) == {server.url("/a/1001.html")}
    assert records[server.url("/a/1001.html")]["paragraphs"] == list(_paragraphs(1))
    assert len(server.hits("/a/1002.html")) == 3
    assert result.failures[server.url("/a/1002.html")]["kind"] == "dataloss"


# ---------------------------------------------------------------------------
# Size limits
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_huge_and_endless_pages_are_cut_off(server, tmp_path, caplog):
    endless = chunked_forever()
    undeclared = sized(20 * 1024 * 1024, declare=False)
    start = site(server, {
        "/a/1001.html": page(_article(1)),
        "/a/2001.html": sized(20 * 1024 * 1024, declare=True),
        "/a/2002.html": undeclared,
        "/a/2003.html": endless,
        # 20 MB of zeros gzipped to a few KB: the limit applies to the decompressed body.
        "/a/2004.html": page(gzip.compress(b"\0" * (20 * 1024 * 1024)),
                             headers=[("Content-Encoding", "gzip")]),
    })
    with caplog.at_level(logging.WARNING):
        # The project's DOWNLOAD_MAXSIZE (8 MiB); a timeout long enough that a busy machine
        # cuts the 20 MB pages by size, never by the 1 s timeout (which would retry them).
        result = await crawl(start, tmp_path / "a.jsonl", DOWNLOAD_TIMEOUT=20)

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    failures = result.failures
    for path in ("/a/2001.html", "/a/2002.html", "/a/2003.html", "/a/2004.html"):
        assert failures[server.url(path)]["kind"] == "too_large", path
        assert len(server.hits(path)) == 1, path  # a cut-off page is not fetched again
    # The client hung up near the limit: the server could not push the whole 20 MB,
    # nor stream forever (socket buffers allow a few MB beyond the limit).
    assert undeclared.sent < 16 * 1024 * 1024
    assert endless.sent < 16 * 1024 * 1024
    assert "larger than download max size" in caplog.text


def test_default_page_size_limit_is_a_few_megabytes():
    assert 2 * 1024 * 1024 <= project_settings.DOWNLOAD_MAXSIZE <= 16 * 1024 * 1024
    assert project_settings.DOWNLOAD_WARNSIZE < project_settings.DOWNLOAD_MAXSIZE


# ---------------------------------------------------------------------------
# Redirects
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_redirect_loops_and_long_chains_end(server, tmp_path):
    chain = {f"/r/{i}.html": redirect(f"/r/{i + 1}.html") for i in range(30)}
    for path, reply in chain.items():
        server.route(path, reply)
    start = site(server, {
        "/a/1001.html": redirect("/a/1002.html", 301),
        "/a/1002.html": page(_article(2)),
        "/a/1003.html": redirect("/loop/b.html"),
        "/a/1004.html": redirect("/r/0.html"),
    })
    server.route("/loop/b.html", redirect("/a/1003.html"))
    result = await crawl(start, tmp_path / "a.jsonl", REDIRECT_MAX_TIMES=5)

    assert result.titles == {"测试市召开第2次全市经济工作会议"}
    failures = result.failures
    assert failures[server.url("/a/1003.html")]["kind"] == "redirect"
    assert "loop" in failures[server.url("/a/1003.html")]["reason"]
    assert failures[server.url("/a/1004.html")]["kind"] == "redirect"
    assert len([h for h in server.requests if str(h["path"]).startswith("/r/")]) <= 6
    assert len(server.hits("/a/1003.html")) <= 6


@pytest_twisted.ensureDeferred
async def test_redirect_to_another_host_is_not_followed(server, other_server, tmp_path):
    other_server.route("/a/9001.html", page(_article(9001)))
    elsewhere = f"http://localhost:{other_server.port}/a/9001.html"
    start = site(server, {"/a/1001.html": redirect(elsewhere), "/a/1002.html": page(_article(2))},
                 extra=f'<a href="http://localhost:{other_server.port}/a/9002.html">测试新闻标题外站链接</a>')
    # The start URL itself redirects away too: Scrapy's offsite filter never
    # looks at it (start requests are dont_filter), the URL policy does.
    server.route("/go/", redirect(f"http://localhost:{other_server.port}/news/"))
    result = await crawl([start, server.url("/go/")], tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第2次全市经济工作会议"}
    assert other_server.requests == []
    assert result.failures[server.url("/a/1001.html")]["kind"] == "refused"
    assert result.failures[server.url("/go/")]["kind"] == "refused"


# ---------------------------------------------------------------------------
# Security: schemes, private addresses, external entities, SQL
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_only_http_and_https_links_are_followed(server, tmp_path):
    local = tmp_path / "secret" / "a" / "1001.html"
    local.parent.mkdir(parents=True)
    local.write_text(_article(1, "本地文件里的机密标题"), encoding="utf-8")
    links = "".join(
        f'<a href="{href}">测试新闻标题其他协议链接</a>'
        for href in (
            local.as_uri(), "ftp://127.0.0.1/a/1.html", "javascript:openArticle(1001)",
            "data:text/html;charset=utf-8,<h1>数据链接标题</h1>", "mailto:editor@example.com",
        )
    )
    start = site(server, {"/a/1002.html": page(_article(2))}, extra=f"<ul>{links}</ul>")
    # A redirect to file: is never followed either.
    server.route("/a/1003.html", redirect(local.as_uri()))
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第2次全市经济工作会议"}
    assert not any("机密" in json.dumps(r, ensure_ascii=False) for r in result.records)


@pytest.mark.parametrize(
    "url",
    # (mailto: and javascript: never become requests: scrapy.Request refuses URLs without "://".)
    ["file:///etc/passwd", "ftp://127.0.0.1/a/1.html", "data:text/html,<h1>x</h1>", "http://localhost:1/a/1.html", "http://169.254.169.254/latest/meta-data/",
     "http://127.0.0.1:1/a/1.html", "http://2130706433:8/a/1.html"],
)
@pytest_twisted.ensureDeferred
async def test_url_policy_middleware_refuses_every_request_it_forbids(url, tmp_path):
    # Whatever the spider or a redirect produces, the downloader never sees it.
    from newsarchive.middlewares.urlpolicy import RefusedRequest, UrlPolicyMiddleware
    from newsarchive.spiders.news import NewsSpider
    from scrapy import Request

    # The archive in tmp_path: the spider keeps its resume marker beside it.
    crawler = get_crawler(NewsSpider, {**FAST, "NEWSARCHIVE_ARCHIVE": str(tmp_path / "news.sqlite")})
    crawler.spider = crawler._create_spider(start_urls="http://127.0.0.1:8051/news/")
    middleware = UrlPolicyMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    await deferred_from_coro(middleware.process_request(Request("http://127.0.0.1:8051/a/1.html")))
    with pytest.raises(RefusedRequest):
        await deferred_from_coro(middleware.process_request(Request(url)))


@pytest_twisted.ensureDeferred
async def test_url_policy_checks_the_address_a_host_name_resolves_to(tmp_path):
    # allow_offsite lifts the host rule, leaving the address rule to decide:
    # "localhost" is a name, resolved before the request is let through.
    from newsarchive.middlewares.urlpolicy import RefusedRequest, UrlPolicyMiddleware
    from newsarchive.spiders.news import NewsSpider
    from scrapy import Request

    # The archive in tmp_path: the spider keeps its resume marker beside it.
    crawler = get_crawler(NewsSpider, {**FAST, "NEWSARCHIVE_ARCHIVE": str(tmp_path / "news.sqlite")})
    crawler.spider = crawler._create_spider(start_urls="http://127.0.0.1:8051/news/")
    middleware = UrlPolicyMiddleware.from_crawler(crawler)
    middleware.spider_opened(crawler.spider)
    request = Request("http://localhost:8051/a/1.html", meta={"allow_offsite": True})
    with pytest.raises(RefusedRequest, match=r"address localhost \(127\.0\.0\.1\) is not public"):
        await deferred_from_coro(middleware.process_request(request))


@pytest_twisted.ensureDeferred
async def test_private_addresses_other_than_the_start_are_refused(server, other_server, tmp_path):
    # Same host name (127.0.0.1), another port: Scrapy's offsite filter lets it
    # through; it is a different service on a private address.
    other_server.route("/a/9001.html", page(_article(9001)))
    other_server.route("/robots.txt", page("User-agent: *\nAllow: /\n", "text/plain"))
    inside = other_server.url("/a/9001.html")
    start = site(server, {"/a/1001.html": page(_article(1)), "/a/1002.html": redirect(inside)},
                 extra=f'<a href="{inside}">测试新闻标题内网链接</a>'
                       f'<a href="http://169.254.169.254/latest/meta-data/1.html">测试新闻标题元数据</a>')
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert other_server.requests == []
    assert result.failures[server.url("/a/1002.html")]["kind"] == "refused"
    assert result.stats["newsarchive/urlpolicy/refused"] >= 1


def test_external_entities_and_dtds_are_never_fetched(server):
    from newsarchive.extract import extract_article
    from newsarchive.extract.document import parse_document

    server.route("/evil.dtd", page('<!ENTITY % x SYSTEM "/probe-dtd">', "application/xml-dtd"))
    server.route("/probe", page("泄露的内容", "text/plain"))
    payload = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html SYSTEM "{server.url("/evil.dtd")}" '
        f'[<!ENTITY xxe SYSTEM "{server.url("/probe")}"><!ENTITY file SYSTEM "file:///etc/passwd">]>'
        f'<html xmlns:xi="http://www.w3.org/2001/XInclude"><head><title>外部实体测试_测试新闻网</title>'
        f'<link rel="stylesheet" href="{server.url("/style.css")}"></head><body>'
        f'<h1>外部实体测试</h1><p>&xxe;&file;{PARAS[0]}</p><p>{PARAS[1]}</p>'
        f'<xi:include href="{server.url("/probe")}" parse="text"/>'
        f'<img src="{server.url("/img.png")}"></body></html>'
    )
    doc = parse_document(payload.encode("utf-8"), server.url("/a/1.html"))
    assert "root:" not in doc.text
    try:
        article = extract_article(payload.encode("utf-8"), server.url("/a/1.html"))
    except ValueError:
        article = None
    if article is not None:
        text = "".join(article.paragraphs)
        assert "泄露" not in text and "root:" not in text
    assert server.requests == []


def test_no_xml_parser_in_the_code_resolves_entities():
    # lxml's XML parsers resolve entities unless told not to; HTML parsing goes
    # through document.py's parser, built with no_network=True.
    offenders = []
    for path in [*ROOT.joinpath("newsarchive").rglob("*.py"), *ROOT.joinpath("spiders").rglob("*.py"),
                 *ROOT.joinpath("pipelines").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"etree\.XMLParser\((?P<args>[^)]*)\)", text):
            if "resolve_entities=False" not in m["args"] or "no_network=True" not in m["args"]:
                offenders.append(f"{path.name}: {m[0]}")
        if re.search(r"etree\.(?:parse|fromstring|XML)\(", text) and "XMLParser" not in text:
            offenders.append(f"{path.name}: XML parsed with lxml's default parser")
    assert offenders == []


_FSTRING_FIELD = re.compile(r"\{([^{}]*)\}")
_CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")


def test_sql_is_built_with_bound_parameters_only():
    # An execute() whose SQL is %-formatted, .format()ed, concatenated, or an
    # f-string interpolating anything but a module constant (a fixed SQL
    # fragment) could carry a page's text into the statement.
    offenders = []
    for path in [*ROOT.joinpath("newsarchive").rglob("*.py"), *ROOT.joinpath("pipelines").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\.execute(?:many|script)?\(\s*(?P<first>[^,)]*)", text):
            first = m["first"].strip()
            if first.startswith(("f\"", "f'")):
                fields = _FSTRING_FIELD.findall(first)
                if all(_CONSTANT.match(f.strip()) for f in fields):
                    continue
                offenders.append(f"{path.name}: {m[0][:80]}")
            elif " % " in first or ".format(" in first or " + " in first:
                offenders.append(f"{path.name}: {m[0][:80]}")
    assert offenders == []


@pytest_twisted.ensureDeferred
async def test_hostile_title_is_stored_as_text(server, tmp_path):
    title = "'); DROP TABLE articles;-- 测试\"标题\" OR 1=1"
    start = site(server, {"/a/1001.html": page(_article(1, title))})
    archive = tmp_path / "a.sqlite"
    result = await crawl(start, archive)

    assert result.titles == {title}
    with sqlite3.connect(archive) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "articles" in tables
        assert conn.execute("SELECT count(*) FROM articles WHERE title = ?", (title,)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1 + len(FILLER)


# ---------------------------------------------------------------------------
# robots.txt and rate limits
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_robots_txt_disallowed_section_is_not_fetched(server, tmp_path):
    start = site(server, {"/a/1001.html": page(_article(1)), "/private/a/2001.html": page(_article(2))},
                 robots="User-agent: *\nDisallow: /private/\n")
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert server.hits("/private/a/2001.html") == []
    assert result.stats["robotstxt/forbidden"] == 1
    assert result.failures[server.url("/private/a/2001.html")]["kind"] == "robots"


@pytest.mark.parametrize("robots", [status(404), status(500), hang(10)], ids=["404", "500", "hang"])
@pytest_twisted.ensureDeferred
async def test_missing_or_broken_robots_txt_is_not_a_failure(server, tmp_path, robots):
    start = site(server, {"/a/1001.html": page(_article(1))})
    server.route("/robots.txt", robots)
    result = await crawl(start, tmp_path / "a.jsonl")

    assert result.titles == {"测试市召开第1次全市经济工作会议"}
    assert result.failures == {}
    assert "0 failed" in result.stats["newsarchive/report/summary"]


@pytest_twisted.ensureDeferred
async def test_429_retry_after_is_honoured_and_bounded(server, tmp_path):
    start = site(server, {
        "/a/1001.html": [status(429, headers=[("Retry-After", "1")]), page(_article(1))],
        "/a/1002.html": [status(429, headers=[("Retry-After", "3600")]), page(_article(2))],
    })
    result = await crawl(start, tmp_path / "a.jsonl", NEWSARCHIVE_RETRY_BACKOFF_MAX=1.5)

    assert len(result.titles) == 2
    first = [h["time"] for h in server.hits("/a/1001.html")]
    assert first[1] - first[0] >= 0.95  # asked for 1 s, not the 0.1 s backoff
    second = [h["time"] for h in server.hits("/a/1002.html")]
    assert 1.4 <= second[1] - second[0] < 8.0  # asked for an hour, bounded to 1.5 s
    assert result.stats["newsarchive/retry/retry_after"] == 2


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_report_summary_line_and_failures_file(server, tmp_path, caplog):
    start = site(server, {"/a/1001.html": page(_article(1)), "/a/1404.html": status(404)})
    archive = tmp_path / "a.jsonl"
    with caplog.at_level(logging.INFO, logger="newsarchive.middlewares.report"):
        result = await crawl(start, archive)

    summary = result.stats["newsarchive/report/summary"]
    assert re.match(r"crawl report: \d+ pages fetched; articles 3 new, 0 updated, 0 duplicate; "
                    r"1 failed \(http 404: 1\)", summary), summary
    lines = [r.getMessage() for r in caplog.records if r.name == "newsarchive.middlewares.report"]
    assert len(lines) == 1 and lines[0].startswith(summary)
    row = result.failures[server.url("/a/1404.html")]
    assert set(row) == {"url", "kind", "reason", "status", "listing", "time"}

    # A later crawl without failures removes the stale file.
    server.route("/a/1404.html", page(_article(4)))
    await crawl(start, archive)
    assert not failures_path(archive).exists()


# ---------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------

GBK_TITLE = "内蒙古通辽市举行春季植树造林活动"


def _gbk_article(meta: str | None) -> bytes:
    html = article_html(GBK_TITLE, _paragraphs(5), charset=meta)
    return html.encode("gbk")


@pytest_twisted.ensureDeferred
async def test_wrong_and_missing_charsets_are_decoded_right_or_reported(server, tmp_path):
    utf8_with_bom = b"\xef\xbb\xbf" + article_html(GBK_TITLE + "（二）", _paragraphs(6), charset="gbk").encode()
    garbage = bytes(range(128, 256)) * 40 + bytes((7 * i + 3) % 256 for i in range(4000))
    start = site(server, {
        # Header says UTF-8, bytes and <meta> are GBK.
        "/a/5001.html": page(_gbk_article("gbk"), "text/html; charset=utf-8"),
        # Header says UTF-8, bytes are GBK, no <meta>.
        "/a/5002.html": page(article_html(GBK_TITLE + "（三）", _paragraphs(7), charset=None).encode("gbk"),
                             "text/html; charset=utf-8"),
        # No charset anywhere.
        "/a/5003.html": page(article_html(GBK_TITLE + "（四）", _paragraphs(8), charset=None).encode("gbk"),
                             "text/html"),
        # UTF-8 BOM, <meta> says GBK: the BOM wins.
        "/a/5004.html": page(utf8_with_bom, "text/html"),
        # Bytes no charset reads.
        "/a/5005.html": page(garbage, "text/html"),
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    by_url = {r["url"]: r for r in result.records}
    expected = {
        "/a/5001.html": (GBK_TITLE, _paragraphs(5)),
        "/a/5002.html": (GBK_TITLE + "（三）", _paragraphs(7)),
        "/a/5003.html": (GBK_TITLE + "（四）", _paragraphs(8)),
        "/a/5004.html": (GBK_TITLE + "（二）", _paragraphs(6)),
    }
    for path, (title, paragraphs) in expected.items():
        record = by_url[server.url(path)]
        assert record["title"] == title, path
        assert record["paragraphs"] == list(paragraphs), path
    # Bytes that no charset reads are reported, never archived as mojibake.
    assert server.url("/a/5005.html") not in by_url
    assert result.failures[server.url("/a/5005.html")]["kind"] == "undecodable"


# ---------------------------------------------------------------------------
# Malformed HTML and pages that are not HTML
# ---------------------------------------------------------------------------


@pytest_twisted.ensureDeferred
async def test_malformed_html_is_read_and_non_html_is_skipped_with_a_reason(server, tmp_path):
    p = _paragraphs(11)
    unclosed = (
        '<html><head><meta charset="utf-8"><title>标签未闭合的稿件_测试新闻网</title><body>'
        '<div class="article"><h1>标签未闭合的稿件</h1><div class="info">发布时间：2024-01-05 10:30'
        f'<div class="content"><p>{p[0]}<p>{p[1]}<p>{p[2]}<div class="footer">版权所有 测试新闻网'
    )
    nested = _article(12).replace("<body>", "<body><html><head><title>x</title></head><body>", 1)
    one_line = _article(13).replace("</head>", "<script>var d='" + "a" * (2 * 1024 * 1024) + "';</script></head>")
    with_nuls = _article(14, title="空字\x00符\x00稿件").replace("<p>", "<p>\x00", 1).encode("utf-8") + b"\x00\x00"
    start = site(server, {
        "/a/6001.html": page(unclosed),
        "/a/6002.html": page(nested),
        "/a/6003.html": page(one_line),
        "/a/6004.html": page(with_nuls),
        "/a/6005.html": page(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 50, "application/pdf"),
        "/a/6006.html": page(b"\x89PNG\r\n\x1a\n" + bytes(2000), "image/png"),
    })
    result = await crawl(start, tmp_path / "a.jsonl")

    by_path = {r["url"].replace(server.base, ""): r for r in result.records}
    assert by_path["/a/6001.html"]["title"] == "标签未闭合的稿件"
    assert by_path["/a/6001.html"]["paragraphs"] == list(p)
    assert by_path["/a/6002.html"]["title"] == "测试市召开第12次全市经济工作会议"
    assert by_path["/a/6002.html"]["paragraphs"] == list(_paragraphs(12))
    assert by_path["/a/6003.html"]["title"] == "测试市召开第13次全市经济工作会议"
    assert by_path["/a/6003.html"]["paragraphs"] == list(_paragraphs(13))
    assert by_path["/a/6004.html"]["title"] == "空字符稿件"
    assert by_path["/a/6004.html"]["paragraphs"] == list(_paragraphs(14))
    assert "/a/6005.html" not in by_path and "/a/6006.html" not in by_path
    failures = result.failures
    assert failures[server.url("/a/6005.html")]["kind"] == "not_html"
    assert "application/pdf" in failures[server.url("/a/6005.html")]["reason"]
    assert failures[server.url("/a/6006.html")]["kind"] == "not_html"


# ---------------------------------------------------------------------------
# Crawler traps
# ---------------------------------------------------------------------------


def _paged_listing(server: FaultServer, make_next: Any, pages: int = 200) -> None:
    """Serve /news/ and every page make_next(n) points to, each with fresh articles."""
    for n in range(1, pages + 1):
        links = [(f"/a/{n * 10 + k}.html", f"测试新闻标题第{n}页第{k}条") for k in range(2)]
        nav = f'<div class="page"><a href="{make_next(n + 1)}">下一页</a><a href="/news/?page=99999">尾页</a></div>'
        server.route("/news/" if n == 1 else make_next(n), page(listing_html(links, extra=nav)))
        for path, _ in links:
            server.route(path, page(_article(n * 10 + int(path[-6]))))


@pytest.mark.parametrize(
    "make_next",
    [
        pytest.param(lambda n: f"/news/?page={n}", id="endless-page"),
        pytest.param(lambda n: f"/news/?date=2024-01-{n:02d}" if n < 32 else f"/news/?date=2024-02-{n - 31:02d}",
                     id="calendar-date"),
    ],
)
@pytest_twisted.ensureDeferred
async def test_endless_pagination_stops_at_the_listing_page_limit(server, tmp_path, make_next):
    server.route("/robots.txt", page("User-agent: *\nAllow: /\n", "text/plain"))
    _paged_listing(server, make_next, pages=40)
    result = await crawl(server.url("/news/"), tmp_path / "a.jsonl", NEWSARCHIVE_MAX_LISTING_PAGES=4)

    listing_hits = [r for r in server.requests if r["path"] == "/news/"]
    assert len(listing_hits) == 4
    assert server.hits("/news/?page=99999") == []
    assert result.stats["newsarchive/traps/listing_pages_limit"] == 1
    assert len(result.records) == 8  # the articles of the pages read are all archived


def _calendar(year: int, month: int) -> str:
    """Return a CMS archive calendar: a link per day and to the months either side."""
    prev_y, prev_m = (year, month - 1) if month > 1 else (year - 1, 12)
    next_y, next_m = (year, month + 1) if month < 12 else (year + 1, 1)
    days = "".join(f'<td><a href="/news/?date={year}-{month:02d}-{d:02d}">{d}</a></td>' for d in range(1, 29))
    return (
        f'<table class="calendar"><caption><a href="/news/?date={prev_y}-{prev_m:02d}-01">上月</a>'
        f"{year}年{month}月<a href=\"/news/?date={next_y}-{next_m:02d}-01\">下月</a></caption><tr>{days}</tr></table>"
    )


@pytest_twisted.ensureDeferred
async def test_calendar_widget_does_not_trap_the_crawl(server, tmp_path):
    site(server, {"/a/8001.html": page(_article(81))})
    served: list[str] = []

    def calendar_page(sock: Any, stop: Any) -> None:
        n = len(served)
        served.append("x")
        year, month = 2024 + n // 12, 1 + n % 12
        links = [("/a/8001.html", "测试新闻标题日历"), *((p, "测试新闻标题填充") for p in FILLER)]
        page(listing_html(links, extra=_calendar(year, month)))(sock, stop)

    server.route("/news/", calendar_page)
    result = await crawl(server.url("/news/"), tmp_path / "a.jsonl", NEWSARCHIVE_MAX_LISTING_PAGES=6)

    assert result.stats["finish_reason"] == "finished"
    assert len(served) <= 6  # at most the listing page limit, however the calendar is read
    assert result.titles == {"测试市召开第81次全市经济工作会议"}


@pytest_twisted.ensureDeferred
async def test_listing_linking_to_itself_with_new_session_ids_is_read_once(server, tmp_path):
    site(server, {"/a/7001.html": page(_article(71))})
    served = iter(range(10**6))

    def fresh_session(sock: Any, stop: Any) -> None:
        n = next(served)
        links = [("/a/7001.html", "测试新闻标题会话参数"), *((p, "测试新闻标题填充") for p in FILLER)]
        nav = (f'<div class="page"><a href="/news/list_1.html?PHPSESSID=s{n}x&utm_source=r{n}">下一页</a>'
               f'<a href="/news/list_1.html?jsessionid=j{n}">2</a></div>')
        page(listing_html(links, extra=nav))(sock, stop)

    server.route("/news/", fresh_session)
    server.route("/news/list_1.html", fresh_session)
    result = await crawl(server.url("/news/"), tmp_path / "a.jsonl", NEWSARCHIVE_MAX_LISTING_PAGES=50)

    assert len(server.hits("/news/list_1.html")) == 1
    assert result.titles == {"测试市召开第71次全市经济工作会议"}
