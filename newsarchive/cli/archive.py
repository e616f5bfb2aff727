"""The commands that read an archive: ``export`` (its articles as JSON Lines or CSV) and
``stats`` (a summary as JSON)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from newsarchive.cli.common import existing_archive, write_json

if TYPE_CHECKING:
    from newsarchive.cli.common import Subparsers

__all__ = ["add_export_parser", "add_stats_parser", "run_export", "run_stats"]

logger = logging.getLogger(__name__)

_EXPORT_EXAMPLES = """\
examples:
  newsarchive export archive/news.sqlite -o articles.jsonl
  newsarchive export archive/news.sqlite --format csv --all-versions -o versions.csv
"""

_STATS_EXAMPLES = """\
examples:
  newsarchive stats archive/news.sqlite
"""


def add_export_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``export`` subcommand to *commands*, with *verbose*'s -v."""
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
    stats.set_defaults(handler=run_stats)


def run_export(args: argparse.Namespace) -> int:
    """Write the archive's records as *args* ask; return the exit status."""
    from newsarchive.archive import export_records

    archive = existing_archive(args.archive)
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


def run_stats(args: argparse.Namespace) -> int:
    """Print the summary of the archive *args* name; return the exit status."""
    from newsarchive.archive import archive_stats

    write_json(archive_stats(existing_archive(args.archive)))
    return 0
