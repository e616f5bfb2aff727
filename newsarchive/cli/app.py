"""The command line put together: the parser of every subcommand, and running one."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from newsarchive.cli import (
    archive,
    archiveworker,
    crawl,
    datasette,
    extract,
    reextract,
    search,
    survey,
)
from newsarchive.cli.common import fail
from newsarchive.errors import NewsArchiveError

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["PROG", "build_parser", "main"]

PROG = "newsarchive"


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
    # In the order `newsarchive --help` lists them; each sets its own handler.
    crawl.add_parser(commands, verbose)
    survey.add_parser(commands, verbose)
    extract.add_parser(commands, verbose)
    archive.add_export_parser(commands, verbose)
    archive.add_stats_parser(commands, verbose)
    search.add_parser(commands, verbose)
    datasette.add_parser(commands, verbose)
    archiveworker.add_parser(commands, verbose)
    reextract.add_parser(commands, verbose)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: sys.argv[1:]); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler: Callable[[argparse.Namespace], int] = args.handler
    if args.command not in ("crawl", "survey"):  # Scrapy configures its own logging
        _configure_logging(args.verbose)
    try:
        return handler(args)
    except NewsArchiveError as exc:  # ArchiveLocked, ProfileError, CliError ...
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
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
