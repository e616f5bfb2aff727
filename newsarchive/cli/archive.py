"""The commands that read an archive: ``export`` (its articles as JSON Lines, JSON, CSV or
Parquet) and ``stats`` (a summary as JSON, with ``--chart`` also a picture)."""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from typing import TYPE_CHECKING

from newsarchive.cli.common import DAY_HELP, CliError, day_argument, existing_archive, write_json

if TYPE_CHECKING:
    from newsarchive.cli.common import Subparsers

__all__ = ["add_export_parser", "add_stats_parser", "run_export", "run_stats"]

logger = logging.getLogger(__name__)

# newsarchive.archive.export.FORMATS, spelt here so that building the parser imports no archive code.
_FORMATS = ("jsonl", "json", "csv", "parquet")

_EXPORT_EXAMPLES = """\
formats (-f, else from OUT's suffix; stdout: jsonl):
  jsonl    .jsonl .ndjson  one JSON object per line
  json     .json           one JSON array
  csv      .csv            a header and a row per record (--excel: BOM, one line a record)
  parquet  .parquet        fixed typed schema: published_date date32, view_count int64,
                           paragraphs list<string>, fetched_at and published_at_utc
                           timestamp[us, UTC] (needs pyarrow: pip install 'newsarchive[analysis]')

examples:
  newsarchive export archive/news.sqlite -o articles.jsonl
  newsarchive export archive/news.sqlite -o articles.parquet --since 2021-11-01 --until 2021-11-30
  newsarchive export archive/news.sqlite -o excel.csv --excel --site www.tlnews.cn
  newsarchive export archive/news.sqlite -f csv --all-versions -o versions.csv
"""

_STATS_EXAMPLES = """\
examples:
  newsarchive stats archive/news.sqlite
  newsarchive stats archive/news.sqlite --chart stats.png
"""


def add_export_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``export`` subcommand to *commands*, with *verbose*'s -v."""
    export = commands.add_parser(
        "export",
        parents=[verbose],
        help="write an archive's articles as JSON Lines, JSON, CSV or Parquet",
        description="Write the articles of ARCHIVE (latest version of each) to OUT or stdout.",
        epilog=_EXPORT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    export.add_argument("archive", metavar="ARCHIVE", help="a .jsonl, .sqlite or .db archive")
    export.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    export.add_argument(
        "-f",
        "--format",
        choices=_FORMATS,
        help="output format (default: from OUT's suffix; jsonl on stdout)",
    )
    export.add_argument(
        "--since",
        type=day_argument(),
        metavar="DATE",
        help=f"only articles published on or after DATE ({DAY_HELP}; the page's local day)",
    )
    export.add_argument(
        "--until",
        type=day_argument(),
        metavar="DATE",
        help=f"only articles published on or before DATE ({DAY_HELP})",
    )
    export.add_argument(
        "--site",
        action="append",
        default=[],
        metavar="NAME",
        help="only this site's articles (repeat for several)",
    )
    export.add_argument(
        "--excel",
        action="store_true",
        help="CSV for Excel: a UTF-8 BOM, one line per record, paragraphs joined by ' ¶ '",
    )
    export.add_argument(
        "--all-versions", action="store_true", help="every captured version, not only the latest"
    )
    export.add_argument(
        "--wacz",
        metavar="OUT.wacz",
        help="write the archive's raw pages (its WARC files) as one WACZ for ReplayWeb.page or "
        "pywb instead of its records (needs the wacz package: pip install 'newsarchive[wacz]')",
    )
    export.set_defaults(handler=run_export)


def add_stats_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``stats`` subcommand to *commands*, with *verbose*'s -v."""
    stats = commands.add_parser(
        "stats",
        parents=[verbose],
        help="summarise an archive: articles per site, date range, fields filled",
        description="Print a summary of ARCHIVE as JSON.",
        epilog=_STATS_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stats.add_argument("archive", metavar="ARCHIVE", help="a .jsonl, .sqlite or .db archive")
    stats.add_argument(
        "--chart", metavar="OUT", type=_chart_path,
        help="also draw articles per day per site and fields filled into OUT (.png, .svg or .html)",
    )
    stats.set_defaults(handler=run_stats)


def _chart_path(text: str) -> str:
    from newsarchive.archive.chart import CHART_FORMATS

    if text.rsplit(".", 1)[-1].lower() not in CHART_FORMATS or "." not in text:
        raise argparse.ArgumentTypeError(f"cannot draw {text!r}: name it *.png, *.svg or *.html")
    return text


def run_export(args: argparse.Namespace) -> int:
    """Write the archive's records as *args* ask; return the exit status."""
    if args.wacz:
        from newsarchive.archive.wacz import export_wacz

        pages = export_wacz(existing_archive(args.archive), args.wacz)
        print(f"wrote {args.wacz}: the raw pages of {pages} articles", file=sys.stderr)
        return 0
    from newsarchive.archive import Selection, export_parquet, export_records, format_for
    from newsarchive.errors import ArchiveError

    archive = existing_archive(args.archive)
    try:
        fmt = format_for(args.output, args.format)
    except ArchiveError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.excel and fmt != "csv":
        print(f"error: --excel is for CSV, not {fmt}; add -f csv or write to a .csv file", file=sys.stderr)
        return 2
    selection = Selection(
        since=args.since, until=args.until, sites=tuple(args.site), all_versions=args.all_versions
    )
    to_stdout = not args.output or args.output == "-"
    if fmt == "parquet":
        count = export_parquet(archive, sys.stdout.buffer if to_stdout else args.output, selection=selection)
    elif to_stdout:
        count = export_records(archive, sys.stdout, format=fmt, selection=selection, excel=args.excel)
    else:
        newline = "" if fmt == "csv" else None
        with open(args.output, "w", encoding="utf-8", newline=newline) as out:
            count = export_records(archive, out, format=fmt, selection=selection, excel=args.excel)
    if to_stdout:
        sys.stdout.flush()
    else:
        logger.info("wrote %d records to %s", count, args.output)
    return 0


def run_stats(args: argparse.Namespace) -> int:
    """Print the summary of the archive *args* name; return the exit status."""
    from newsarchive.archive import archive_stats

    write_json(archive_stats(existing_archive(args.archive)))
    if args.chart:
        if importlib.util.find_spec("matplotlib") is None:
            raise CliError("--chart draws with matplotlib; install it: pip install 'newsarchive[chart]'")
        from newsarchive.archive.chart import write_chart

        write_chart(args.archive, args.chart)
        logger.info("wrote the chart to %s", args.chart)
    return 0
