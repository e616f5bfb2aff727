"""What every command of the command line shares: its error, output and small checks."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.errors import NewsArchiveError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable
    from datetime import date
    from typing import TypeAlias

    #: What ``add_subparsers`` returns: each command module adds its subparser to it.
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = ["CliError", "day_argument", "existing_archive", "fail", "is_url", "wrap", "write_json"]

#: How a command's help names what its day arguments take.
DAY_HELP = "YYYY-MM-DD, '3 days ago', yesterday or today"


class CliError(NewsArchiveError):
    """A failure the CLI reports as one ``error:`` line, with a hint."""


def fail(message: str) -> int:
    """Print *message* as one ``error:`` line on stderr; return the failure status, 1."""
    print(f"error: {message}", file=sys.stderr)
    return 1


def write_json(value: Any) -> None:
    """Write *value* to stdout as indented JSON, Chinese kept readable."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def is_url(text: str) -> bool:
    """Return whether *text* is an http(s) address rather than a file path."""
    return text.startswith(("http://", "https://"))


def wrap(text: str) -> str:
    """Return *text* filled to the width of a command's description."""
    return textwrap.fill(text, width=78)


def day_argument(zone: str = "Asia/Shanghai") -> Callable[[str], date]:
    """Return an argparse type that reads a day as ``--since`` of a crawl does, in *zone*.

    ``2024-01-31``, ``3 days ago``, ``yesterday``, ``昨天``; a moment
    (``2024-01-31T08:00+08:00``) gives its day.
    """

    def read(text: str) -> date:
        import argparse
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from newsarchive.daterange import EXAMPLES, DateBoundError, parse_bound

        try:
            return parse_bound(text, now=datetime.now(ZoneInfo(zone)), zone=zone).day
        except DateBoundError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a day; give {EXAMPLES}") from None

    return read


def existing_archive(path: str) -> str:
    """Return *path*, or raise CliError saying how to create it when there is no archive."""
    if not Path(path).exists():
        raise CliError(
            f"no archive at {path!r} (create one with: newsarchive crawl URL -o {path})"
        )
    return path
