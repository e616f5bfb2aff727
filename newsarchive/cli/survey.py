"""The ``survey`` command: describe a site before crawling it, from its home page.

It runs the survey spider through Scrapy's engine with the project's settings
(robots.txt, politeness, User-Agent) and no item pipeline, so nothing is archived.
Scrapy is imported only inside the function that runs it.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from newsarchive.cli.common import CliError, is_url, wrap, write_json
from newsarchive.cli.crawl import _non_negative_float, _positive_int, add_settings_option

if TYPE_CHECKING:
    from newsarchive.cli.common import Subparsers
    from newsarchive.survey import SurveyReport

__all__ = ["add_parser", "run_survey"]

_SURVEY_EXAMPLES = """\
examples:
  newsarchive survey http://www.example.cn/
  newsarchive survey http://www.example.cn/ --sample 20 --json > survey.json

Exit status: 0 when the site was surveyed, 1 when its start page could not be
fetched or is no site's home page or listing, 2 on a bad argument.
"""

# What a survey leaves out of the project's settings: everything that writes
# beside an archive (the archive itself, the crawl state, the failure report, the
# WARC files of the raw pages).
_NOTHING_WRITTEN: dict[str, Any] = {
    "DOWNLOADER_MIDDLEWARES": {"newsarchive.middlewares.warc.WarcCaptureMiddleware": None},
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {
        "newsarchive.pipelines._shared.ArchiveOpener": None,
        "newsarchive.middlewares.forcedstop.ForcedStopGuard": None,
        "newsarchive.middlewares.report.CrawlReport": None,
    },
    "ADDONS": {"newsarchive.middlewares.crawlstate.CrawlState": None},
}


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``survey`` subcommand to *commands*, with *verbose*'s -v."""
    survey = commands.add_parser(
        "survey",
        parents=[verbose],
        help="describe a site before crawling it: sections, CMS, pagination, fields",
        description=wrap(
            "Read a site's home page, its sections' first listing pages (and one more page "
            "each, to see how they paginate) and a sample of articles spread over the "
            "sections, and report: the sections found, a guess of the CMS family with its "
            "evidence, each section's pagination style, estimated article counts and the "
            "dates seen, the sitemaps and feeds the site names, the fields filled on the "
            "sample, and a draft site profile with an entry for each field the generic "
            "rules left empty on most of it. Nothing is "
            "archived; robots.txt and the crawl's politeness apply."
        ),
        epilog=_SURVEY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    survey.add_argument("url", metavar="URL", help="the site's home page (or one section's listing)")
    survey.add_argument(
        "--sample",
        type=_positive_int,
        default=10,
        metavar="N",
        help="articles to read, spread over the sections (default 10)",
    )
    survey.add_argument("--json", action="store_true", help="print the report as JSON")
    survey.add_argument(
        "--delay",
        type=_non_negative_float,
        metavar="S",
        help="seconds between requests to the site (DOWNLOAD_DELAY)",
    )
    add_settings_option(survey)
    survey.set_defaults(handler=run_survey)


def run_survey(args: argparse.Namespace) -> int:
    """Survey the site *args* name and print the report; return the exit status."""
    from newsarchive.settings_check import check_settings
    from newsarchive.survey import format_report, report_to_json

    if not is_url(args.url):
        raise CliError(
            f"{args.url!r} is not a site's address: give one starting with http:// or https://, "
            "e.g. http://www.example.cn/"
        )
    check_settings(dict(args.settings))
    report = _survey(args)
    if args.json:
        write_json(report_to_json(report))
    else:
        print(format_report(report), end="")
    return 0


def _survey(args: argparse.Namespace) -> SurveyReport:
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings
    from twisted.python.failure import Failure

    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    values: dict[str, Any] = {"LOG_LEVEL": "DEBUG" if getattr(args, "verbose", False) else "WARNING"}
    if args.delay is not None:
        values["DOWNLOAD_DELAY"] = args.delay
        values["AUTOTHROTTLE_START_DELAY"] = args.delay
    values.update(dict(args.settings))
    settings.setdict(values, priority="cmdline")
    for name, components in _NOTHING_WRITTEN.items():
        settings.set(name, {**settings.getdict(name), **components} if components else {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("survey")
    errors: list[BaseException] = []
    deferred = process.crawl(crawler, start_url=args.url, sample=str(args.sample))

    def remember(failure: Failure) -> None:
        errors.append(failure.value or RuntimeError(failure.getErrorMessage()))

    deferred.addErrback(remember)
    process.start()
    if errors:
        raise CliError(f"the survey stopped: {errors[0]}") from errors[0]
    spider: Any = crawler.spider
    if spider.start_error is not None:
        raise CliError(f"cannot survey {args.url}: {spider.start_error} (check the address)")
    report: SurveyReport = spider.survey_report()
    return report
