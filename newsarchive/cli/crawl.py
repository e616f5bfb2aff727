"""The ``crawl`` command: harvest sites into an archive with the news spider.

Scrapy is imported only inside the functions that run the crawl, so the other
commands start without it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from newsarchive import settings as project_settings
from newsarchive.cli.common import CliError, fail, is_url, wrap
from newsarchive.crawlstate import Recovery
from newsarchive.errors import ArchiveLocked, NewsArchiveError
from newsarchive.normalize import site_of
from newsarchive.outcome import (
    FORCED,
    CrawlOutcome,
    crawl_verdict,
    outcome_from_stats,
    summary_line,
    withheld_counter_notes,
)
from newsarchive.shards import begin_crawl, end_crawl

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from newsarchive.cli.common import Subparsers

__all__ = ["add_parser", "run_crawl"]

_CRAWL_EXAMPLES = """\
examples:
  newsarchive crawl http://www.example.cn/news/ -o archive/example.sqlite
  newsarchive crawl http://a.example.cn/ http://b.example.cn/ -o archive/news.jsonl \\
      --since 2024-01-01 --max-pages 20 --log-file crawl.log
  newsarchive crawl http://www.example.cn/news/ -o archive/example.sqlite \
      --since '3 days ago' --until yesterday

Exit status: 0 when the crawl ran (even if it found nothing new), 1 when the site
was unreachable, nothing could be parsed, the crawl was interrupted or the archive
is locked by another harvest, 2 on a bad argument.
"""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, e.g. 10, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, not {text!r}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, e.g. 0.5, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected seconds of 0 or more, not {text!r}")
    return value


class _BadArgument(Exception):
    """A command-line value found wrong after parsing: one error line, exit status 2."""


def _resolve_bounds(args: argparse.Namespace) -> None:
    """Replace --since and --until by the absolute dates they name at the crawl's start, in
    NEWSARCHIVE_TIMEZONE (``yesterday`` -> ``2024-03-09``), so every worker of --processes
    reads the same day; raise _BadArgument for a value that is no date."""
    from zoneinfo import ZoneInfo

    from newsarchive.daterange import DateBoundError, parse_bound

    zone = str(dict(args.settings).get("NEWSARCHIVE_TIMEZONE", project_settings.NEWSARCHIVE_TIMEZONE))
    now = datetime.now(ZoneInfo(zone))
    days = {}
    for name in ("since", "until"):
        value = getattr(args, name)
        if not value:
            continue
        try:
            bound = parse_bound(value, now=now, zone=zone)
        except DateBoundError as exc:
            raise _BadArgument(f"--{name}: {exc}") from None
        setattr(args, name, bound.iso())
        days[name] = bound.day
    if len(days) == 2 and days["since"] > days["until"]:
        raise _BadArgument(
            f"--since {args.since} is after --until {args.until}: nothing could be kept"
        )


def add_settings_option(parser: argparse.ArgumentParser) -> None:
    """Give *parser* the repeatable ``-s NAME=VALUE`` option the crawling commands share."""
    parser.add_argument(
        "-s",
        "--set",
        dest="settings",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a Scrapy or NEWSARCHIVE_* setting (repeatable)",
    )


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE, e.g. DOWNLOAD_DELAY=1, not {text!r}"
        )
    return name.strip(), value


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``crawl`` subcommand to *commands*, with *verbose*'s -v."""
    crawl = commands.add_parser(
        "crawl",
        parents=[verbose],
        help="crawl news sites into an archive",
        description=wrap(
            "Crawl the listing pages at each URL, follow pagination and article links, and "
            "store every article in ARCHIVE. Articles already archived are not fetched "
            "again, so running the same command daily keeps the archive up to date. "
            "Prints one summary line at the end."
        ),
        epilog=_CRAWL_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    crawl.add_argument("urls", nargs="*", metavar="URL", help="start URL (a section or home page)")
    crawl.add_argument(
        "-o",
        "--output",
        "--archive",
        dest="archive",
        metavar="ARCHIVE",
        help="archive path: *.jsonl for JSON Lines, *.sqlite or *.db for SQLite (required "
        "unless --redis)",
    )
    crawl.add_argument(
        "--since",
        metavar="DATE",
        help="skip articles published before DATE and stop following listings past them; "
        "DATE is 2024-01-01, 2024-01-01T08:00+08:00, '3 days ago', yesterday or today "
        "(in the site's time zone, NEWSARCHIVE_TIMEZONE)",
    )
    crawl.add_argument(
        "--until",
        metavar="DATE",
        help="skip articles published after DATE (a day: after its end); the same forms",
    )
    crawl.add_argument(
        "--max-pages",
        type=_positive_int,
        metavar="N",
        help="listing pages to read per start URL (or per section of a home page)",
    )
    crawl.add_argument(
        "--site",
        metavar="NAME|PATH",
        help="site profile: a shipped name or a path to a .toml file (may replace URLs)",
    )
    crawl.add_argument(
        "--full",
        action="store_true",
        help="walk every listing page and fetch archived articles again (changes become "
        "new versions)",
    )
    crawl.add_argument(
        "--delay",
        type=_non_negative_float,
        metavar="S",
        help="seconds between requests to one site (DOWNLOAD_DELAY)",
    )
    crawl.add_argument(
        "--log-file",
        metavar="F",
        help="append Scrapy's log to F (default: ARCHIVE.log, e.g. news.sqlite.log beside "
        "news.sqlite, unless -v); '-' writes it to stderr",
    )
    crawl.add_argument(
        "--no-warc",
        dest="warc",
        action="store_false",
        help="keep no raw pages: write no WARC files beside the archive (NEWSARCHIVE_WARC=0)",
    )
    crawl.add_argument(
        "--from-warc",
        dest="from_warc",
        nargs="+",
        action="extend",
        metavar="FILE",
        help="read every page from these WARC files (ours or any tool's) instead of the "
        "network; without URL, the first HTML page in them is the start page",
    )
    add_settings_option(crawl)
    crawl.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="--progress: a live line (pages, new, duplicates, failed, pages/s, ETA) on "
        "stderr even when it is no terminal; --no-progress: none (default: on a terminal; "
        "the log gets a plain line a minute either way)",
    )
    crawl.add_argument(
        "--processes",
        type=_positive_int,
        default=1,
        metavar="N",
        help="split the start URLs over N worker processes (default 1)",
    )
    crawl.add_argument(
        "--redis",
        metavar="URL",
        help="be one worker of a harvest shared through the Redis at URL "
        "(redis://HOST:PORT/DB); `newsarchive archive-worker` writes the archive",
    )
    crawl.add_argument(
        "--run-id",
        metavar="ID",
        help="with --redis: the shared harvest's name (default: news)",
    )
    # Where a worker of --processes leaves its outcome for the parent (internal).
    crawl.add_argument("--stats-file", help=argparse.SUPPRESS)
    crawl.set_defaults(handler=run_crawl, usage=crawl.format_usage())


def _check_archive_path(archive: str) -> None:
    from newsarchive.archive import backend_for

    backend_for(archive)  # ArchiveError naming the suffixes a path may end in
    parent = Path(archive).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the folder {str(parent)!r}: {exc.strerror or exc}") from None


def _check_settings(args: argparse.Namespace) -> None:
    """Raise SettingsError for an unknown NEWSARCHIVE_* name or a bad value among -s (and --log-file)."""
    from newsarchive.settings_check import check_settings

    log_file = args.log_file if args.log_file != "-" else None
    values: dict[str, object] = {"LOG_FILE": log_file} if log_file else {}
    values.update(dict(args.settings))
    check_settings(values)


def _lock_timeout(args: argparse.Namespace) -> float:
    """Return NEWSARCHIVE_LOCK_TIMEOUT as this crawl sets it (-s), else the project default."""
    value = dict(args.settings).get(
        "NEWSARCHIVE_LOCK_TIMEOUT", getattr(project_settings, "NEWSARCHIVE_LOCK_TIMEOUT", 0.0)
    )
    try:
        return float(value)
    except ValueError:
        raise CliError(
            f"NEWSARCHIVE_LOCK_TIMEOUT must be seconds, e.g. 60, not {value!r}"
        ) from None


def _check_not_locked(archive: str, timeout: float) -> None:
    """Raise ArchiveLocked now, before Scrapy starts, if another harvest writes *archive*
    (waiting up to *timeout* seconds for it to finish)."""
    from newsarchive.archive import open_archive

    open_archive(archive, lock_timeout=timeout).close()


def _warc_files(args: argparse.Namespace) -> list[str]:
    """Return --from-warc's files as absolute paths, or raise CliError naming one that is missing."""
    files = []
    for name in getattr(args, "from_warc", None) or ():
        path = Path(name)
        if not path.is_file():
            raise CliError(f"no WARC file {name!r}: give the path of a .warc or .warc.gz file")
        files.append(str(path.resolve()))
    return files


def _first_page(files: Sequence[str]) -> list[str]:
    """Return the URL of the first HTML page answered with 200 in the WARC *files*, as the start URL."""
    from newsarchive.warcread import iter_responses

    for name in files:
        for stored in iter_responses(name):
            if stored.status == 200 and "html" in (stored.header("Content-Type") or "").lower():
                return [stored.url]
    raise CliError(f"no HTML page in {', '.join(files)}: give the start URL to crawl from them")


def _start_urls(args: argparse.Namespace) -> list[str]:
    urls = list(args.urls)
    for url in urls:
        if not is_url(url):
            raise CliError(
                f"{url!r} is not a start URL: give an address starting with http:// or "
                "https://, e.g. http://www.example.cn/news/"
            )
    if args.site:
        from newsarchive.sites import load_profile

        # Read now, so a bad profile is one error line before Scrapy starts.
        profile = load_profile(args.site)
        urls = urls or list(profile.start_urls)
    for url in urls:
        if urlsplit(url).path.endswith("/robots.txt"):
            raise CliError(
                f"{url} is the site's robots.txt, not a news page: give a section or home "
                f"page, e.g. {urljoin(url, '/')}"
            )
    if not urls and getattr(args, "from_warc", None):
        urls = _first_page(_warc_files(args))
    if not urls:
        raise CliError(
            "nothing to crawl: give a start URL or --site with a profile that names "
            "start_urls (e.g. newsarchive crawl http://www.example.cn/news/ -o news.sqlite)"
        )
    return urls


def _log_file(args: argparse.Namespace) -> str | None:
    """Return the file this crawl logs to, or None for stderr (``--log-file -``, or -v alone).

    The terminal shows the summary and errors only: Scrapy's log goes to ARCHIVE.log
    (``news.sqlite`` -> ``news.sqlite.log``) unless the command says where (-v,
    --log-file, -s LOG_FILE=...).
    """
    if args.log_file == "-":
        return None
    if args.log_file:
        return str(args.log_file)
    if "LOG_FILE" in dict(args.settings):
        return str(dict(args.settings)["LOG_FILE"])
    if getattr(args, "verbose", False):
        return None
    return f"{args.archive}.log"


def _check_log_file(path: str) -> None:
    """Raise CliError now, before the crawl changes anything, when the log cannot be written to *path*."""
    log = Path(path)
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.open("a", encoding="utf-8").close()
    except OSError as exc:
        raise CliError(
            f"cannot write the crawl's log to {path!r}: {exc.strerror or exc} "
            "(give --log-file another file, or --log-file - for stderr)"
        ) from None


def run_crawl(args: argparse.Namespace) -> int:
    """Crawl as *args* ask, print the summary line; return the exit status."""
    _check_settings(args)
    try:
        _resolve_bounds(args)
    except _BadArgument as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.redis or args.run_id:  # one worker of a shared harvest: newsarchive.cli.worker
        from newsarchive.cli.worker import run_worker

        if args.log_file and args.log_file != "-":
            _check_log_file(args.log_file)
        return run_worker(args, _crawl_settings(args, None), _spider_arguments(args, _start_urls(args)))
    archive = args.archive
    if not archive:  # a usage error in argparse's words: -o is required unless --redis
        print(f"{args.usage}newsarchive crawl: error: the following arguments are required: "
              "-o/--output/--archive (or --redis URL, to be one worker of a shared harvest)", file=sys.stderr)
        return 2
    _warc_files(args)
    _check_archive_path(archive)
    args.log_file = _log_file(args) or "-"  # workers of --processes log where this crawl does
    if args.log_file != "-":
        _check_log_file(args.log_file)
    urls = _start_urls(args)
    started = time.monotonic()
    if args.processes > 1 and len(urls) > 1:
        from newsarchive.shards import crawl_in_workers

        outcome = crawl_in_workers(
            args, urls, archive, lock_timeout=_lock_timeout(args), on_begin=_tell_recovery(archive)
        )
    else:
        _check_not_locked(archive, _lock_timeout(args))
        _tell_recovery(archive)(begin_crawl(args, archive))
        outcome = _crawl_here(args, urls, archive)
    end_crawl(archive, outcome)
    if args.stats_file:
        Path(args.stats_file).write_text(json.dumps(outcome.to_json()), encoding="utf-8")
    print(summary_line(archive, outcome.counts, time.monotonic() - started), flush=True)
    if not args.stats_file:  # a worker of --processes leaves its notes to the parent
        for note in withheld_counter_notes(outcome):
            print(note, file=sys.stderr)
    reason = crawl_verdict(outcome)
    if reason:
        return fail(reason)
    return 0


def _tell_recovery(archive: str) -> Callable[[Recovery], None]:
    """Return what prints a note when the last crawl into *archive* did not finish."""

    def tell(recovery: Recovery) -> None:
        message = recovery.describe(archive)
        if message is not None:
            print(f"note: {message}", file=sys.stderr)

    return tell


def _crawl_settings(args: argparse.Namespace, archive: str | None) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    # The project's settings by module name, so a crawl works from any folder.
    settings.setmodule("newsarchive.settings", priority="project")
    values: dict[str, Any] = {"NEWSARCHIVE_ARCHIVE": archive} if archive else {}
    if not archive:
        # A worker of a shared harvest (--redis) has no archive beside it to keep raw pages in.
        values["NEWSARCHIVE_WARC"] = False
    if args.delay is not None:
        values["DOWNLOAD_DELAY"] = args.delay
        values["AUTOTHROTTLE_START_DELAY"] = args.delay
    if args.full:
        values["NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES"] = 0
    if args.progress is not None:
        values["NEWSARCHIVE_PROGRESS"] = "live" if args.progress else "log"
    if not getattr(args, "warc", True):
        values["NEWSARCHIVE_WARC"] = False
    files = _warc_files(args)
    if files:
        # No network and no site to spare: no delay between the stored pages.
        values.update(
            NEWSARCHIVE_FROM_WARC=files, DOWNLOAD_DELAY=0, AUTOTHROTTLE_ENABLED=False,
            CONCURRENT_REQUESTS_PER_DOMAIN=8,
        )
    if args.log_file and args.log_file != "-":
        values["LOG_FILE"] = args.log_file
    if getattr(args, "verbose", False):
        values["LOG_LEVEL"] = "DEBUG"
    values.update(dict(args.settings))
    settings.setdict(values, priority="cmdline")
    return settings


def _spider_arguments(args: argparse.Namespace, urls: Sequence[str]) -> dict[str, str]:
    kwargs = {"start_urls": ",".join(urls)}
    if args.site:
        kwargs["site"] = args.site
    if args.since:
        kwargs["since"] = args.since
    if args.until:
        kwargs["until"] = args.until
    if args.max_pages:
        kwargs["max_pages"] = str(args.max_pages)
    if args.full:
        kwargs["full"] = "1"
    return kwargs


def _crawl_here(args: argparse.Namespace, urls: Sequence[str], archive: str) -> CrawlOutcome:
    """Run the news spider in this process with Scrapy's CrawlerProcess; return its outcome."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.defer import deferred_from_coro
    from twisted.python.failure import Failure

    from newsarchive.signals import page_failed

    process = CrawlerProcess(_crawl_settings(args, archive))
    crawler = process.create_crawler("news")
    answered: set[str] = set()

    def count_response(response: Any, request: Any) -> None:
        if response.status < 400 and not response.url.endswith("/robots.txt"):
            answered.add(site_of(response.url))
            # A start URL that redirected (http -> https, example.cn -> www.) was answered too.
            answered.update(site_of(url) for url in request.meta.get("redirect_urls", ()))

    errors: list[BaseException] = []

    def stop_if_locked(failure: Any) -> None:
        # The archive is opened on first use; if another harvest took its lock
        # since our check, stop at once instead of failing on every page.
        if failure.check(ArchiveLocked) and not errors:
            errors.append(failure.value or RuntimeError(failure.getErrorMessage()))
            deferred_from_coro(crawler.engine.close_spider_async(reason="archive_locked"))

    start_failures: dict[int, dict[str, Any]] = {}

    def start_failed(url: str, kind: str, reason: str = "", status: int | None = None,
                     request: Any = None, **_: Any) -> None:
        # A start page that failed for good: its first failure names the reason in the verdict.
        index = getattr(request, "cb_kwargs", {}).get("start")
        if isinstance(index, int) and index not in start_failures:
            chain = request.meta.get("redirect_urls") or ()
            first = str(chain[0]) if chain else url
            start_failures[index] = {
                "url": first, "site": site_of(first), "kind": kind, "reason": reason, "status": status,
            }

    crawler.signals.connect(count_response, signal=signals.response_received)
    crawler.signals.connect(start_failed, signal=page_failed)
    crawler.signals.connect(stop_if_locked, signal=signals.spider_error)
    crawler.signals.connect(stop_if_locked, signal=signals.item_error)
    def remember(failure: Failure) -> None:
        errors.append(failure.value or RuntimeError(failure.getErrorMessage()))

    deferred = process.crawl(crawler, **_spider_arguments(args, urls))
    deferred.addErrback(remember)
    process.start()
    if errors:
        error = errors[0]
        if isinstance(error, NewsArchiveError):
            raise error
        if isinstance(error, ValueError):  # the spider's check of its arguments
            raise CliError(str(error)) from error
        where = f"in {args.log_file}" if args.log_file and args.log_file != "-" else "above"
        raise CliError(f"the crawl stopped: {error!r} (see the log {where})") from error
    outcome = outcome_from_stats(crawler.stats.get_stats() if crawler.stats else {})
    if outcome.finish_reason is None:
        # The spider never closed: the reactor was stopped under it (a forced stop).
        outcome.finish_reason = FORCED
    outcome.sites = {site_of(url) for url in urls}
    outcome.answered = answered
    outcome.start_urls = list(urls)
    outcome.start_failures = [start_failures[index] for index in sorted(start_failures)]
    return outcome
