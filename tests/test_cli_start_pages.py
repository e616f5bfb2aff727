"""A start page that fails: the crawl's ``error:`` line names why and what to do.

Each test runs ``newsarchive crawl`` as a user does, in a subprocess, against a
real server of tests/faultserver.py (or a port nothing listens on), and reads
its stderr and exit status.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from newsarchive.outcome import CrawlOutcome, crawl_verdict
from tests.clikit import SUMMARY, error_lines, run_cli
from tests.faultserver import FaultServer, hang, page

ROBOTS = "User-agent: *\nDisallow: /private/\n"
# A page that is neither a listing nor an article: no headline, no body, no links.
ABOUT = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>关于我们</title></head><body><p>联系电话</p></body></html>"
FAST = ["--delay", "0", "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=2"]


@pytest.fixture
def server():
    with FaultServer() as s:
        s.route("/robots.txt", page(ROBOTS, "text/plain"))
        s.route("/about.html", page(ABOUT))
        s.route("/slow/", hang(20))
        s.route("/report.pdf", page(b"%PDF-1.4 a report", "application/pdf"))
        yield s


def crawl_error(tmp_path: Path, *urls: str) -> str:
    """Crawl *urls*; check it failed with the summary on stdout and one error line; return it."""
    result = run_cli("crawl", *urls, "-o", str(tmp_path / "news.sqlite"), *FAST, cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-3000:]
    assert SUMMARY.match(result.stdout.strip().splitlines()[-1]), result.stdout
    errors = error_lines(result.stderr)
    assert len(errors) == 1, result.stderr[-3000:]
    return errors[0]


@pytest.mark.slow
def test_a_missing_start_page_names_its_status(server, tmp_path):
    url = server.url("/no-such-section/")
    assert crawl_error(tmp_path, url) == f"error: the start page {url} returned HTTP 404; check the URL"


@pytest.mark.slow
def test_a_start_page_robots_txt_forbids_names_the_setting(server, tmp_path):
    url = server.url("/private/news/")
    assert crawl_error(tmp_path, url) == (
        f"error: the start page {url} is forbidden by the site's robots.txt; "
        "pass -s ROBOTSTXT_OBEY=False to fetch it anyway"
    )
    assert not server.hits("/private/news/")


@pytest.mark.slow
def test_a_start_page_on_a_dead_port_says_connection_refused(tmp_path):
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/news/"
    assert crawl_error(tmp_path, url).startswith(
        f"error: the start page {url} could not be reached: connection refused; "
    )


@pytest.mark.slow
def test_a_start_page_that_never_answers_says_so(server, tmp_path):
    url = server.url("/slow/")
    error = crawl_error(tmp_path, url)
    assert error.startswith(f"error: the start page {url} could not be reached: no answer in time")
    assert "DOWNLOAD_TIMEOUT" in error


@pytest.mark.slow
def test_a_start_page_that_is_no_article_and_no_listing_says_so(server, tmp_path):
    url = server.url("/about.html")
    error = crawl_error(tmp_path, url)
    assert error.startswith(
        f"error: no article could be read from the start page {url}: it is not an article page"
    )
    assert "--site" in error


@pytest.mark.slow
def test_a_start_page_that_is_a_file_names_its_type(server, tmp_path):
    url = server.url("/report.pdf")
    assert crawl_error(tmp_path, url) == (
        f"error: the start page {url} is not a web page: application/pdf; "
        "give a news listing or home page"
    )


@pytest.mark.slow
def test_several_failed_start_pages_name_the_first_and_count_the_rest(server, tmp_path):
    urls = [server.url(p) for p in ("/a/", "/private/b/", "/c/")]
    assert crawl_error(tmp_path, *urls) == (
        f"error: the start page {urls[0]} returned HTTP 404; check the URL "
        "(2 more start page(s) failed too)"
    )


@pytest.mark.slow
def test_robots_txt_as_start_url_is_refused_before_the_crawl(server, tmp_path):
    url = server.url("/robots.txt")
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.sqlite"), *FAST, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"error: {url} is the site's robots.txt, not a news page: give a section or home "
        f"page, e.g. {server.url('/')}"
    )
    assert not server.requests
    assert not (tmp_path / "news.sqlite").exists()


def test_a_failed_start_page_of_a_site_that_answered_is_no_crawl_failure():
    outcome = CrawlOutcome(sites={"a.cn"}, answered={"a.cn"}, items=4, finish_reason="finished")
    outcome.start_failures = [
        {"url": "http://a.cn/old/", "site": "a.cn", "kind": "http", "reason": "HTTP 404", "status": 404}
    ]
    assert crawl_verdict(outcome) is None
    outcome.items = 0
    assert crawl_verdict(outcome) == "the start page http://a.cn/old/ returned HTTP 404; check the URL"
