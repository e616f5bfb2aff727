"""The newsarchive command line: crawl, extract, export, stats.

Building the parser (``build_parser``) is separate from running a command
(``main``), so each can be tested alone. stdout carries data, stderr logs and
errors; exit status 0 means success, 1 failure, 2 a usage error. Scrapy is
imported only inside the ``crawl`` command, so the others start fast.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
import textwrap
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import settings as project_settings
from newsarchive.crawlstate import KILLED, Recovery
from newsarchive.errors import ArchiveLocked, NewsArchiveError, NotAnArticle, UndecodablePage
from newsarchive.items import utc_timestamp
from newsarchive.normalize import site_of
from newsarchive.outcome import CrawlOutcome, crawl_verdict, outcome_from_stats, summary_line
from newsarchive.shards import begin_crawl, end_crawl

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)

PROG = "newsarchive"

_EXTRACT_EXAMPLES = """\
examples:
  newsarchive extract saved/page.html --url http://www.example.cn/news/2021/1105/123.html
  newsarchive extract http://www.example.cn/news/2021/1105/123.html
"""

_CRAWL_EXAMPLES = """\
examples:
  newsarchive crawl http://www.example.cn/news/ -o archive/example.sqlite
  newsarchive crawl http://a.example.cn/ http://b.example.cn/ -o archive/news.jsonl \\
      --since 2024-01-01 --max-pages 20 --log-file crawl.log

Exit status: 0 when the crawl ran (even if it found nothing new), 1 when the site
was unreachable, nothing could be parsed, the crawl was interrupted or the archive
is locked by another harvest, 2 on a bad argument.
"""

_EXPORT_EXAMPLES = """\
examples:
  newsarchive export archive/news.sqlite -o articles.jsonl
  newsarchive export archive/news.sqlite --format csv --all-versions -o versions.csv
"""

_STATS_EXAMPLES = """\
examples:
  newsarchive stats archive/news.sqlite
"""


class CliError(NewsArchiveError):
    """A failure the CLI reports as one ``error:`` line, with a hint."""


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------
def _verbose_parent() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log debugging detail to stderr",
    )
    return parent


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


def _date(text: str) -> str:
    try:
        datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date as YYYY-MM-DD, e.g. 2024-01-31, not {text!r}"
        ) from None
    return text


def _setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE, e.g. DOWNLOAD_DELAY=1, not {text!r}"
        )
    return name.strip(), value


def _wrap(text: str) -> str:
    return textwrap.fill(text, width=78)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    verbose = _verbose_parent()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Harvest regional news portals into clean JSON Lines or SQLite archives.",
        epilog="Run 'newsarchive COMMAND --help' for a command's options and examples.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debugging detail")
    from newsarchive import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    crawl = commands.add_parser(
        "crawl",
        parents=[verbose],
        help="crawl news sites into an archive",
        description=_wrap(
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
        required=True,
        metavar="ARCHIVE",
        help="archive path: *.jsonl for JSON Lines, *.sqlite or *.db for SQLite",
    )
    crawl.add_argument(
        "--since",
        type=_date,
        metavar="DATE",
        help="skip articles published before DATE (YYYY-MM-DD) and stop following "
        "listings past them",
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
    crawl.add_argument("--log-file", metavar="F", help="write the log to F instead of stderr")
    crawl.add_argument(
        "-s",
        "--set",
        dest="settings",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a Scrapy or NEWSARCHIVE_* setting (repeatable)",
    )
    crawl.add_argument(
        "--processes",
        type=_positive_int,
        default=1,
        metavar="N",
        help="split the start URLs over N worker processes (default 1)",
    )
    # Where a worker of --processes leaves its outcome for the parent (internal).
    crawl.add_argument("--stats-file", help=argparse.SUPPRESS)
    crawl.set_defaults(handler=_run_crawl)

    extract = commands.add_parser(
        "extract",
        parents=[verbose],
        help="print one page's article record as JSON",
        description=_wrap(
            "Extract the article record from one page and print it as JSON. A FILE is read "
            "offline, as bytes (give --url so links, the site and relative dates resolve); "
            "a URL is fetched, and its view-counter endpoint asked when the page has one."
        ),
        epilog=_EXTRACT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("source", metavar="FILE|URL", help="a saved page, or an http(s) URL")
    extract.add_argument("--url", metavar="U", help="the address the FILE was fetched from")
    extract.add_argument(
        "--content-type",
        metavar="T",
        help="the page's Content-Type header, e.g. 'text/html; charset=gbk'",
    )
    extract.set_defaults(handler=_run_extract)

    export = commands.add_parser(
        "export",
        parents=[verbose],
        help="write an archive's articles as JSON Lines or CSV",
        description="Write the articles of ARCHIVE (latest version of each) to OUT or stdout.",
        epilog=_EXPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("archive", metavar="ARCHIVE", help="a .jsonl, .sqlite or .db archive")
    export.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    export.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        help="output format (default: from OUT's suffix, else jsonl)",
    )
    export.add_argument(
        "--all-versions", action="store_true", help="every captured version, not only the latest"
    )
    export.set_defaults(handler=_run_export)

    stats = commands.add_parser(
        "stats",
        parents=[verbose],
        help="summarise an archive: articles per site, date range, fields filled",
        description="Print a summary of ARCHIVE as JSON.",
        epilog=_STATS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("archive", metavar="ARCHIVE", help="a .jsonl, .sqlite or .db archive")
    stats.set_defaults(handler=_run_stats)
    return parser


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: sys.argv[1:]); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    if args.command != "crawl":
        _configure_logging(args.verbose)
    try:
        return handler(args)
    except NewsArchiveError as exc:  # ArchiveLocked, ProfileError, CliError ...
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("interrupted")
    except BrokenPipeError:
        # `newsarchive export … | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return 0


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def _write_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


# ---------------------------------------------------------------------------
# extract
# ---------------------------------------------------------------------------
def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def _fetch(url: str) -> tuple[bytes, str, str | None]:
    """Return (body, final URL, Content-Type) of *url*, fetched as the crawler would."""
    request = urllib.request.Request(url, headers={"User-Agent": project_settings.USER_AGENT})
    timeout = float(project_settings.DOWNLOAD_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.geturl(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise CliError(
            f"cannot fetch {url}: HTTP {exc.code} {exc.reason} "
            "(check the address; save the page and pass the file instead)"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CliError(
            f"cannot fetch {url}: {reason} (check the address and the network, "
            "or save the page and pass the file)"
        ) from exc


def _fetch_count(counter_url: str) -> int | None:
    """Return the view count *counter_url* answers (the crawl asks the same), or None."""
    from newsarchive.extract.document import decode_html
    from newsarchive.extract.meta import parse_counter_response

    if not getattr(project_settings, "NEWSARCHIVE_FETCH_COUNTERS", True):
        return None
    try:
        body, _, content_type = _fetch(counter_url)
    except CliError as exc:
        logger.warning("view count unknown: %s", exc)
        return None
    text, _ = decode_html(body, content_type)
    return parse_counter_response(text)


def _run_extract(args: argparse.Namespace) -> int:
    from newsarchive.archive import finish_article
    from newsarchive.extract import extract_article
    from newsarchive.extract.document import parse_document
    from newsarchive.extract.links import PageKind, classify_page

    fetched = datetime.now(UTC).replace(microsecond=0)
    content_type = args.content_type
    if _is_url(args.source):
        body, url, header = _fetch(args.source)
        content_type = content_type or header
        url = args.url or url
    else:
        path = Path(args.source)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise CliError(
                f"cannot read {args.source!r}: no such file "
                "(check the path, or give a URL starting with http://)"
            ) from None
        except OSError as exc:
            raise CliError(f"cannot read {args.source!r}: {exc.strerror or exc}") from None
        url = args.url or path.resolve().as_uri()
    document = parse_document(body, url, content_type)
    if classify_page(document) is PageKind.LISTING:
        raise CliError(
            f"{url} is not an article page: it is a listing of article links "
            "(give one article's address, or crawl the listing with: newsarchive crawl)"
        )
    try:
        article = extract_article(document, url, content_type=content_type, now=fetched)
    except NotAnArticle as exc:
        raise CliError(
            f"{url} is not an article page: {exc} (give an article's address, not a listing)"
        ) from None
    except UndecodablePage as exc:
        raise CliError(
            f"cannot decode {url}: {exc} (pass --content-type 'text/html; charset=gbk' "
            "or the charset the page uses)"
        ) from None
    if _is_url(args.source) and article.view_count is None and article.counter_url:
        article = dataclasses.replace(article, view_count=_fetch_count(article.counter_url))
    article = finish_article(dataclasses.replace(
        article, fetched_at=utc_timestamp(fetched), content_hash="", simhash=""
    ))
    _write_json(article.to_record())
    return 0


# ---------------------------------------------------------------------------
# export, stats
# ---------------------------------------------------------------------------
def _existing_archive(path: str) -> str:
    if not Path(path).exists():
        raise CliError(
            f"no archive at {path!r} (create one with: newsarchive crawl URL -o {path})"
        )
    return path


def _run_export(args: argparse.Namespace) -> int:
    from newsarchive.archive import export_records

    archive = _existing_archive(args.archive)
    fmt = args.format
    if fmt is None:
        fmt = "csv" if args.output and args.output.lower().endswith(".csv") else "jsonl"
    if args.output:
        newline = "" if fmt == "csv" else None
        with open(args.output, "w", encoding="utf-8", newline=newline) as out:
            count = export_records(archive, out, format=fmt, all_versions=args.all_versions)
        logger.info("wrote %d records to %s", count, args.output)
    else:
        export_records(archive, sys.stdout, format=fmt, all_versions=args.all_versions)
        sys.stdout.flush()
    return 0


def _run_stats(args: argparse.Namespace) -> int:
    from newsarchive.archive import archive_stats

    _write_json(archive_stats(_existing_archive(args.archive)))
    return 0


# ---------------------------------------------------------------------------
# crawl
# ---------------------------------------------------------------------------
def _check_archive_path(archive: str) -> None:
    from newsarchive.archive import backend_for

    backend_for(archive)  # ArchiveError naming the suffixes a path may end in
    parent = Path(archive).parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create the folder {str(parent)!r}: {exc.strerror or exc}") from None


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


def _start_urls(args: argparse.Namespace) -> list[str]:
    urls = list(args.urls)
    for url in urls:
        if not _is_url(url):
            raise CliError(
                f"{url!r} is not a start URL: give an address starting with http:// or "
                "https://, e.g. http://www.example.cn/news/"
            )
    if args.site:
        from newsarchive.sites import load_profile

        # Read now, so a bad profile is one error line before Scrapy starts.
        profile = load_profile(args.site)
        urls = urls or list(profile.start_urls)
    if not urls:
        raise CliError(
            "nothing to crawl: give a start URL or --site with a profile that names "
            "start_urls (e.g. newsarchive crawl http://www.example.cn/news/ -o news.sqlite)"
        )
    return urls


def _run_crawl(args: argparse.Namespace) -> int:
    archive = args.archive
    _check_archive_path(archive)
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
    reason = crawl_verdict(outcome)
    if reason:
        return _fail(reason)
    return 0


def _tell_recovery(archive: str) -> Callable[[Recovery], None]:
    """Return what prints a note when the last crawl into *archive* did not finish."""

    def tell(recovery: Recovery) -> None:
        if recovery.how is not None:
            how = "was killed" if recovery.how == KILLED else "was stopped"
            print(
                f"note: the last crawl into {archive} {how} before it finished; "
                "this one reads every listing page",
                file=sys.stderr,
            )
        elif recovery.discarded is not None:
            print(
                f"note: the saved crawl state beside {archive} was discarded ({recovery.discarded}); "
                "this crawl reads every listing page",
                file=sys.stderr,
            )

    return tell


def _crawl_settings(args: argparse.Namespace, archive: str) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    # The project's settings by module name, so a crawl works from any folder.
    settings.setmodule("newsarchive.settings", priority="project")
    values: dict[str, Any] = {"NEWSARCHIVE_ARCHIVE": archive}
    if args.delay is not None:
        values["DOWNLOAD_DELAY"] = args.delay
        values["AUTOTHROTTLE_START_DELAY"] = args.delay
    if args.full:
        values["NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES"] = 0
    if args.log_file:
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

    crawler.signals.connect(count_response, signal=signals.response_received)
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
        where = f"in {args.log_file}" if args.log_file else "above"
        raise CliError(f"the crawl stopped: {error!r} (see the log {where})") from error
    outcome = outcome_from_stats(crawler.stats.get_stats() if crawler.stats else {})
    outcome.sites = {site_of(url) for url in urls}
    outcome.answered = answered
    return outcome
