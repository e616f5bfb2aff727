"""newsarchive survey URL: the real command in a subprocess against the fixture sites' home pages."""

from __future__ import annotations

import json
import socket
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from newsarchive.cli import main
from newsarchive.sites import load_profile
from newsarchive.survey import FIELDS
from tests.clikit import error_lines, expected_records, run_cli

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"

# Each site's news sections (path: pagination style, estimated articles, how sure), checked by
# eye against its home page's menu and the listing files in www/; the menu's other entries
# (about us, contact, downloads, a column index page with no list) are no news sections.
EXPECTED = {
    "dedecms": (
        "DedeCMS",
        {
            "/a/xinwen/": ("numbered", 6, "exact"),  # list_1_1.html, list_1_2.html: 3 + 3
            "/a/xiangzhen/": ("numbered", 6, "exact"),
            "/a/minsheng/": ("numbered", 4, "exact"),  # 3 + 1
        },
    ),
    "gov": (
        "TRS WCM",
        {
            "/xwzx/zwyw/": ("numbered", 9, "about"),  # createPageHTML(3, …): 3 pages of 3 (the last holds 1)
            "/xwzx/bmdt/": ("numbered", 4, "exact"),  # index.html, index_1.html: 3 + 1
            "/zwgk/tzgg/": ("none", 3, "exact"),
        },
    ),
    "cardfeed": (
        None,
        {
            "/channel/bendi": ("cursor", 7, "exact"),  # 4 cards, then ?cursor=5a00ada7 with 3
            "/channel/xiangzhen": ("json", 5, "at least"),  # 3 cards, then api/feed/list?…&page=2 with 2
            "/channel/minsheng": ("json", 3, "at least"),  # no card: the JSON endpoint's first answer has 3
        },
    ),
    "company": (
        "PbootCMS",
        {
            "/?news/": ("numbered", 8, "about"),  # /?news_2/, /?news_3/; the pager says 共8条
            "/?list_12/": ("page-parameter", 4, "exact"),  # /?list_12/&page=2
        },
    ),
    "wpnews": (
        "WordPress",
        {
            "/category/local/": ("path", 5, "exact"),  # /page/2/
            "/category/minsheng/": ("path", 4, "exact"),
        },
    ),
}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="module")
def surveys(mock_sites, tmp_path_factory):
    """Each site surveyed once from its home page: (report as JSON, the folder it ran in)."""
    found = {}
    for site in EXPECTED:
        cwd = tmp_path_factory.mktemp(f"survey-{site}")
        result = run_cli("survey", mock_sites.url(site, "/"), "--json", "-s", "DOWNLOAD_DELAY=0", cwd=cwd)
        assert result.returncode == 0, result.stderr
        found[site] = (json.loads(result.stdout), cwd)
    return found


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_sections_found_are_the_sites_news_sections(surveys, site):
    report, _ = surveys[site]
    assert sorted(_path(s["url"]) for s in report["sections"]) == sorted(EXPECTED[site][1])


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_pagination_style_and_estimated_counts(surveys, site):
    report, _ = surveys[site]
    found = {_path(s["url"]): (s["pagination"], s["articles"], s["articles_estimate"]) for s in report["sections"]}
    assert found == EXPECTED[site][1]


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_cms_family_and_its_evidence(surveys, site):
    report, _ = surveys[site]
    assert report["cms"]["family"] == EXPECTED[site][0]
    if EXPECTED[site][0] is not None:
        assert report["cms"]["evidence"]


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_sample_fill_rates_match_the_expected_records(surveys, site):
    report, _ = surveys[site]
    expected = expected_records(SITES / site)
    sample = report["sample"]
    assert len(sample) == 10 or site == "wpnews"  # wpnews's menu lists 9 posts; its other three only its sitemaps
    assert len({_path(s["url"]) for s in sample}) == len(sample)
    # Spread over the sections: every section gave some of the sample.
    assert {s["section"] for s in sample} == {s["url"] for s in report["sections"]}
    for entry in sample:
        record = expected[_path(entry["url"])]
        filled = [name for name in FIELDS if record.get(name) not in (None, "", [])]
        assert entry["failed"] is None
        assert entry["filled"] == filled, entry["url"]
    for name in FIELDS:
        count = sum(1 for s in sample if expected[_path(s["url"])].get(name) not in (None, "", []))
        assert report["fields_filled"][name] == round(100 * count / len(sample)), name


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_date_range_is_the_listed_articles(surveys, site):
    report, _ = surveys[site]
    expected = expected_records(SITES / site)
    sampled = sorted(expected[_path(s["url"])]["published_at"][:10] for s in report["sample"])
    assert report["dates"]["first"] <= sampled[0] and sampled[-1] <= report["dates"]["last"]


@pytest.mark.parametrize("site", sorted(EXPECTED))
def test_draft_profile_names_the_fields_mostly_empty_and_loads(surveys, site, tmp_path):
    report, cwd = surveys[site]
    profile = report["profile"]
    path = tmp_path / f"{site}.toml"
    path.write_text(profile, encoding="utf-8")
    loaded = load_profile(str(path))
    assert loaded.start_urls == (report["url"],)
    assert list(tomllib.loads(profile)) == ["start_urls"]
    for name in FIELDS:
        key = "body" if name == "paragraphs" else name
        assert (f"# {key} = " in profile) == (report["fields_filled"][name] < 50), name
    # Nothing was written where the survey ran: no archive, no crawl state, no failure list.
    assert list(cwd.iterdir()) == []


def test_text_report_names_sections_cms_and_fields(mock_sites, tmp_path):
    result = run_cli("survey", mock_sites.url("gov", "/"), "--sample", "3", "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "CMS family: TRS WCM" in out
    assert "政务要闻" in out and "skipped 政务公开" in out
    assert "sample: 3 articles read" in out
    assert "fields filled: title 100%" in out
    assert "# view_count = " in out  # the gov site prints no view counts


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("dead", "cannot survey http://127.0.0.1:"),
        ("/no/such/page/", "HTTP 404"),
        ("/a/xinwen/2021/1015/3.html", "reads as one article"),
        ("www.example.cn", "is not a site's address"),
    ],
    ids=["dead-url", "404", "an-article", "not-a-url"],
)
def test_bad_input_is_one_error_line_and_exit_1(mock_sites, tmp_path, target, message):
    if target == "dead":
        url = f"http://127.0.0.1:{_free_port()}/"
    elif target.startswith("/"):
        url = mock_sites.url("dedecms", target)
    else:
        url = target
    result = run_cli("survey", url, "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and message in errors[0], result.stderr


def test_help_has_an_example_and_a_bad_sample_is_a_usage_error(capsys):
    assert main(["survey", "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: newsarchive survey" in out and "newsarchive survey http" in out.split("examples:")[1]
    assert main(["survey", "http://www.example.cn/", "--sample", "0"]) == 2


def test_sitemaps_and_feeds_the_site_names(surveys, mock_sites):
    wpnews, _ = surveys["wpnews"]
    origin = mock_sites.url("wpnews", "/")
    # robots.txt's two Sitemap lines, and the <head>'s post feed (its comment feed left out).
    assert wpnews["sitemaps"] == [origin + "wp-sitemap.xml", origin + "news-sitemap.xml"]
    assert wpnews["feeds"] == [origin + "feed/"]
    # DedeCMS's robots.txt names a sitemap on its real host only: none on this site.
    dedecms, _ = surveys["dedecms"]
    assert (dedecms["sitemaps"], dedecms["feeds"]) == ([], [])


def test_a_blogs_own_next_page_is_no_section(mock_sites, tmp_path):
    # The WordPress blog's home page lists posts with a /page/2/ link beside its menu.
    result = run_cli("survey", mock_sites.url("wpblog", "/"), "--json", "--sample", "1", "-s", "DOWNLOAD_DELAY=0",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [_path(s["url"]) for s in report["sections"]] == ["/category/news/", "/category/essay/"]
    assert report["cms"]["family"] == "WordPress"
