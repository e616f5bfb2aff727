"""A WordPress news site crawled from its front page or a category (fixtures/sites/wpnews).

Its 乡村振兴 category is in no menu and its posts are older than the front page's
latest-posts block: they are found only in the sitemaps (one only in the gzip
sitemap of the index) and the feeds, which robots.txt and the pages' <head> name.
"""

from __future__ import annotations

from collections import Counter

import pytest
import pytest_twisted
from newsarchive.middlewares.report import failures_path

from newsarchive import statkeys
from newsarchive.archive import load_records
from newsarchive.extract.links import PageKind
from tests.crawlkit import (
    LiveSite,
    archived,
    article_paths,
    crawl_settings,
    expected_records,
    mismatches,
    page_requests,
    run_crawl,
)

SITE = "wpnews"
# The posts no listing of the menu links (乡村振兴).
ONLY_IN_SITEMAPS = {
    "/2024/10/08/bamboo-shoot-cooperative/",
    "/2024/10/18/tea-garden-road/",
    "/2024/10/29/village-homestay/",
}


@pytest.fixture
def live():
    site = LiveSite(SITE)
    yield site
    site.close()


@pytest_twisted.ensureDeferred
async def test_front_page_crawl_finds_every_post_once_through_listings_sitemaps_and_feeds(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)
    records = archived(archive, live.base)
    log = page_requests(live.requests())
    expected = expected_records(SITE)
    paths = [r["path"] for r in records]
    assert sorted(paths) == sorted(expected)
    problems = [m for r in records for m in mismatches(r, expected[r["path"]], live.base)]
    assert not problems, "\n".join(problems)
    assert ONLY_IN_SITEMAPS <= set(paths)
    # Each post page fetched once; the sitemaps and feeds were read, the pages',
    # categories' and users' sitemaps and the comment feeds were not.
    assert all(n == 1 for p, n in Counter(log).items() if p in article_paths(SITE)), Counter(log)
    for path in ("/robots.txt", "/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml.gz",
                 "/wp-sitemap-posts-post-2.xml", "/news-sitemap.xml", "/feed/"):
        assert path in log, f"never asked {path}"
    assert not [p for p in log if "taxonomies" in p or "users" in p or "posts-page" in p or p.endswith("/comments/feed/")]
    assert crawler.stats.get_value(statkeys.discovery_read("sitemapindex")) == 1
    assert crawler.stats.get_value(statkeys.discovery_read("rss")) == 1
    # Nothing failed: the site has every file robots.txt and the pages name.
    assert not failures_path(archive).exists() or not failures_path(archive).read_text().strip()


@pytest_twisted.ensureDeferred
async def test_a_category_start_finds_the_whole_site_through_its_sitemaps(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    await run_crawl(crawl_settings(archive), start_urls=live.base + "category/local/")
    paths = [r["path"] for r in archived(archive, live.base)]
    assert sorted(paths) == sorted(expected_records(SITE))
    # The category's own posts keep their listing page.
    local = {p: r for p, r in expected_records(SITE).items() if r["section"] == "本地新闻"}
    by_path = {r["path"]: r for r in archived(archive, live.base)}
    assert all(by_path[p]["listing_url"] == live.base.rstrip("/") + r["listing_path"] for p, r in local.items())


@pytest_twisted.ensureDeferred
async def test_without_sitemaps_only_the_listings_are_read(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    await run_crawl(crawl_settings(archive, NEWSARCHIVE_SITEMAPS=False), start_urls=live.base)
    paths = {r["path"] for r in archived(archive, live.base)}
    log = page_requests(live.requests())
    assert paths == set(expected_records(SITE)) - ONLY_IN_SITEMAPS
    assert not [p for p in log if "sitemap" in p or "feed" in p]


@pytest_twisted.ensureDeferred
async def test_rerun_adds_nothing_and_the_next_day_exactly_the_two_new_posts(live, tmp_path):
    archive = tmp_path / "news.sqlite"
    await run_crawl(crawl_settings(archive), start_urls=live.base)
    before = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    first_log = page_requests(live.requests())
    live.reset()

    rerun = await run_crawl(crawl_settings(archive), start_urls=live.base)
    assert rerun.stats.get_value(statkeys.archived("new"), 0) == 0
    assert not set(page_requests(live.requests())) & article_paths(SITE), "a rerun fetched known posts"

    live.switch("grown")
    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)
    after = {r["path"]: r for r in archived(archive, live.base, all_versions=True)}
    second_log = page_requests(live.requests())
    grown = expected_records(SITE, "expected-grown.jsonl")
    assert len(grown) == 2
    assert set(after) - set(before) == set(grown)
    assert {p: after[p] for p in before} == before, "a crawl of the grown site changed old records"
    problems = [m for p in sorted(grown) for m in mismatches(after[p], grown[p], live.base)]
    assert not problems, "\n".join(problems)
    assert crawler.stats.get_value(statkeys.archived("new")) == 2
    again = sorted(set(second_log) & set(first_log) & article_paths(SITE))
    assert not again, f"posts fetched again on the next day: {again}"
    assert len(load_records(archive)) == len(expected_records(SITE)) + 2


@pytest_twisted.ensureDeferred
async def test_since_skips_sitemap_and_feed_links_dated_before_it(live, tmp_path):
    archive = tmp_path / "news.jsonl"
    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base, since="2024-10-20")
    paths = {r["path"] for r in archived(archive, live.base)}
    log = page_requests(live.requests())
    wanted = {p for p, r in expected_records(SITE).items() if r["published_at"][:10] >= "2024-10-20"}
    assert paths == wanted
    # The older sitemap-only posts were never requested.
    assert "/2024/10/08/bamboo-shoot-cooperative/" not in log
    assert "/2024/10/18/tea-garden-road/" not in log
    assert crawler.stats.get_value(statkeys.LINKS_OLDER_THAN_SINCE) >= 2


@pytest_twisted.ensureDeferred
async def test_a_site_without_sitemap_or_feed_counts_no_failure(tmp_path):
    # dedecms: robots.txt names no sitemap, so /sitemap.xml is asked for, and is missing.
    live = LiveSite("dedecms")
    try:
        archive = tmp_path / "news.jsonl"
        crawler = await run_crawl(crawl_settings(archive), start_urls=live.base)
        log = page_requests(live.requests())
    finally:
        live.close()
    assert "/sitemap.xml" in log
    assert crawler.stats.get_value(statkeys.DISCOVERY_MISSING) == 1
    assert crawler.stats.get_value(statkeys.report_failed("http")) is None
    assert not failures_path(archive).exists() or not failures_path(archive).read_text().strip()
    assert "0 failed" in crawler.stats.get_value(statkeys.REPORT_SUMMARY)


# A front page printing one whole post and no category menu (a blog theme's home
# template with full posts), which reads as an article.
_FRONT_AS_ARTICLE = """<!doctype html><html lang="zh-Hans"><head><meta charset="UTF-8">
<title>溪口新闻 – 溪口县新闻资讯</title>
<link rel="alternate" type="application/rss+xml" title="溪口新闻 &raquo; Feed" href="https://www.xikounews.cn/feed/" />
</head><body class="home blog"><header class="wp-block-template-part"><p class="wp-block-site-title">
<a href="https://www.xikounews.cn" rel="home">溪口新闻</a></p><nav><a href="https://www.xikounews.cn/about/">关于我们</a></nav></header>
<main class="wp-block-group"><h1 class="wp-block-heading">溪口县新闻资讯</h1>
<p>溪口新闻由溪口县融媒体中心主办，每天报道全县的时政、民生和乡村新闻，欢迎读者来信提供新闻线索。</p>
<p>本站的新闻按日期归档，读者也可以通过订阅源及时收到最新的报道，或者在站点地图里找到过去的文章。</p>
<p>如需转载本站原创稿件，请注明出处，并与溪口县融媒体中心联系取得授权，谢谢大家的支持。</p>
</main></body></html>
"""


@pytest_twisted.ensureDeferred
async def test_a_front_page_that_reads_as_an_article_still_has_the_sites_sitemaps(tmp_path):
    import shutil

    from newsarchive.extract.document import parse_document
    from newsarchive.extract.links import classify_page
    from tests.crawlkit import SITES
    from tests.mockserver import base_urls, serve_sites

    sites = tmp_path / "sites"
    shutil.copytree(SITES / SITE, sites / SITE)
    (sites / SITE / "www" / "index.html").write_text(_FRONT_AS_ARTICLE, encoding="utf-8")
    page = parse_document(_FRONT_AS_ARTICLE.encode("utf-8"), "https://www.xikounews.cn/")
    assert classify_page(page) is PageKind.ARTICLE
    server = serve_sites([SITE], sites_dir=sites)[SITE]
    try:
        base = base_urls({SITE: server})[SITE]
        archive = tmp_path / "news.jsonl"
        await run_crawl(crawl_settings(archive), start_urls=base)
        paths = {r["path"] for r in archived(archive, base)}
    finally:
        server.shutdown()
        server.server_close()
    assert set(expected_records(SITE)) <= paths
