"""--since and --until: the forms they take, which articles they keep, the summary's counts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import pytest_twisted
from newsarchive.spiders.news import ArgumentError, NewsSpider

from newsarchive.cli import main
from newsarchive.daterange import DateBoundError, newer, older, parse_bound
from newsarchive.outcome import outcome_from_stats, summary_line
from tests.clikit import SUMMARY, error_lines, run_cli
from tests.crawlkit import LiveSite, archived, crawl_settings, page_requests, run_crawl

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 00:30 on 10 March in Beijing is still 9 March in UTC: "today" is the site's day.
NOW = datetime(2024, 3, 10, 0, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "day", "moment"),
    [
        ("2024-01-01", date(2024, 1, 1), None),
        ("2024-01-01T08:00+08:00", date(2024, 1, 1), "2024-01-01T08:00:00+08:00"),
        ("2024-01-01T08:00:30Z", date(2024, 1, 1), "2024-01-01T08:00:30+00:00"),
        # No offset: the site's local time.
        ("2024-01-01 08:00", date(2024, 1, 1), "2024-01-01T08:00:00+08:00"),
        ("today", date(2024, 3, 10), None),
        ("yesterday", date(2024, 3, 9), None),
        ("3 days ago", date(2024, 3, 7), None),
        (" 3 days ago ", date(2024, 3, 7), None),
        ("2 weeks ago", date(2024, 2, 25), None),
        ("昨天", date(2024, 3, 9), None),
        ("3天前", date(2024, 3, 7), None),
    ],
)
def test_bounds_are_days_or_moments(text, day, moment):
    bound = parse_bound(text, now=NOW)
    assert bound.day == day
    assert (bound.moment.isoformat() if bound.moment else None) == moment
    # What the CLI hands the spider (and the workers of --processes) reads back the same.
    assert parse_bound(bound.iso(), now=datetime(2030, 1, 1, tzinfo=SHANGHAI)) == parse_bound(bound.iso(), now=NOW)
    assert parse_bound(bound.iso(), now=NOW).day == day


def test_relative_days_are_the_sites_days():
    assert parse_bound("today", now=NOW).day == date(2024, 3, 10)
    assert parse_bound("today", now=NOW, zone="UTC").day == date(2024, 3, 9)


@pytest.mark.parametrize("text", ["05/11/2021", "2021-13-05", "2021-11-05T25:00", "soon", "", "3"])
def test_a_value_that_is_no_date_says_what_is_accepted(text):
    with pytest.raises(DateBoundError, match="give 2024-01-01, 2024-01-01T08:00\\+08:00, '3 days ago'"):
        parse_bound(text, now=NOW)


@pytest.mark.parametrize(
    ("since", "published", "is_older"),
    [
        ("2021-11-05", "2021-11-04T23:59:00+08:00", True),
        ("2021-11-05", "2021-11-05T00:00:00+08:00", False),
        ("2021-11-05", "2021-11-04", True),
        ("2021-11-05", "2021-11-05", False),
        ("2021-11-05T10:00+08:00", "2021-11-05T09:59:00+08:00", True),
        ("2021-11-05T10:00+08:00", "2021-11-05T02:00:00+00:00", False),
        # A page that gives only the day is kept on the bound's day.
        ("2021-11-05T10:00+08:00", "2021-11-05", False),
        ("2021-11-05T10:00+08:00", "2021-11-04", True),
        ("2021-11-05", None, False),
        ("2021-11-05", "", False),
    ],
)
def test_older_than_since(since, published, is_older):
    assert older(parse_bound(since, now=NOW), published) is is_older
    assert older(None, published) is False


@pytest.mark.parametrize(
    ("until", "published", "is_newer"),
    [
        ("2021-11-09", "2021-11-09T23:59:00+08:00", False),  # the whole day counts
        ("2021-11-09", "2021-11-10T00:00:00+08:00", True),
        ("2021-11-09", "2021-11-10", True),
        ("2021-11-09T09:00+08:00", "2021-11-09T09:00:00+08:00", False),
        ("2021-11-09T09:00+08:00", "2021-11-09T09:01:00+08:00", True),
        ("2021-11-09T09:00+08:00", "2021-11-09", False),
        ("2021-11-09", None, False),
    ],
)
def test_newer_than_until(until, published, is_newer):
    assert newer(parse_bound(until, now=NOW), published) is is_newer


def test_spider_arguments_take_the_same_forms():
    spider = NewsSpider(start_urls="http://www.x.cn/", since="3 days ago", until="today")
    today = datetime.now(SHANGHAI).date()
    assert (today - spider.since).days == 3 or (datetime.now(SHANGHAI).date() - spider.since).days == 3
    spider = NewsSpider(start_urls="http://www.x.cn/", since="2021-11-01", until="2021-11-09T09:00+08:00")
    assert spider.since == date(2021, 11, 1)
    assert spider.until == date(2021, 11, 9)
    assert spider.until_bound.moment == datetime(2021, 11, 9, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(ArgumentError, match="invalid -a until='later': 'later' is not a date"):
        NewsSpider(start_urls="http://www.x.cn/", until="later")
    with pytest.raises(ArgumentError, match="since is after until"):
        NewsSpider(start_urls="http://www.x.cn/", since="2021-11-10", until="2021-11-09")


def test_summary_counts_articles_skipped_by_date():
    stats = {
        "newsarchive/archive/new": 3,
        "newsarchive/links/older_than_since": 10, "newsarchive/since/dropped": 2,
        "newsarchive/links/newer_than_until": 1,
    }
    line = summary_line("a.sqlite", outcome_from_stats(stats).counts, 1.0)
    assert line == (
        "a.sqlite: 3 new, 0 updated, 0 views, 0 unchanged, 0 duplicates, 0 failed, "
        "12 older than --since skipped, 1 newer than --until skipped in 1.0s"
    )
    assert SUMMARY.match(line)
    assert "skipped" not in summary_line("a.sqlite", outcome_from_stats({}).counts, 1.0)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "05/11/2021"], "error: --since: '05/11/2021' is not a date; give 2024-01-01"),
        (["--until", "2021-02-30"], "error: --until: '2021-02-30' is not a valid date"),
        (["--since", "2021-11-10", "--until", "2021-11-09"], "error: --since 2021-11-10 is after --until 2021-11-09"),
    ],
)
def test_a_bad_date_is_one_error_line_and_exit_2(argv, message, capsys, tmp_path):
    archive = tmp_path / "a.sqlite"
    assert main(["crawl", "http://127.0.0.1:9/", "-o", str(archive), *argv]) == 2
    err = capsys.readouterr().err
    assert err.splitlines() == [err.splitlines()[0]] and err.startswith(message)
    assert not archive.exists()


# -- a real crawl ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def live():
    site = LiveSite("dedecms")
    yield site
    site.close()


@pytest.mark.parametrize(
    ("since", "until", "kept"),
    [
        ("2021-11-01", "2021-11-09", {"1101/8", "1103/9", "1104/10", "1105/11", "1105/12", "1108/13", "1109/14"}),
        # Moments: 11.html is at 08:40 on 11-05 and 14.html at 09:00 on 11-09.
        ("2021-11-05T09:00+08:00", "2021-11-09T08:59+08:00", {"1105/12", "1108/13"}),
    ],
    ids=["days", "moments"],
)
@pytest_twisted.ensureDeferred
async def test_a_crawl_keeps_the_articles_between_since_and_until(live, since, until, kept, tmp_path):
    live.reset()
    archive = tmp_path / "news.sqlite"
    crawler = await run_crawl(crawl_settings(archive), start_urls=live.base, since=since, until=until)
    paths = {r["path"] for r in archived(archive, live.base)}
    assert {p.split("/2021/")[1].removesuffix(".html") for p in paths} == kept
    stats = crawler.stats.get_stats()
    newer_links = stats.get("newsarchive/links/newer_than_until", 0)
    newer_pages = stats.get("newsarchive/until/dropped", 0)
    # 15.html (11-10) and the re-post 16.html (11-11) are newer than either --until.
    assert newer_links + newer_pages >= 2
    fetched = page_requests(live.requests())
    if since == "2021-11-01":
        # Listing dates put them after --until: never fetched.
        assert "/a/xinwen/2021/1110/15.html" not in fetched
        assert "/a/xiangzhen/2021/1111/16.html" not in fetched
    else:
        assert stats.get("newsarchive/until/dropped", 0) >= 1  # 14.html: on the day, after the time
        assert stats.get("newsarchive/since/dropped", 0) >= 1  # 11.html: on the day, before the time


def test_the_command_line_counts_what_it_skipped(live, tmp_path):
    live.reset()
    result = run_cli(
        "crawl", live.base, "-o", str(tmp_path / "news.sqlite"), "--since", "2021-11-01",
        "--until", "2021-11-09", "--delay", "0", cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    match = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert match, result.stdout
    assert int(match["new"]) == 7
    assert int(match["older"]) > 0 and int(match["newer"]) >= 2
    assert not error_lines(result.stderr)


def test_a_relative_since_is_read_at_the_crawls_start(live, tmp_path):
    """`--since today`: every article of the 2021 site is older; skipped ones are no failure."""
    live.reset()
    result = run_cli("crawl", live.base, "-o", str(tmp_path / "news.jsonl"), "--since", "today", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    match = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert match and match["new"] == "0" and int(match["older"]) > 0, result.stdout
