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
    from typing import TypeAlias

    #: What ``add_subparsers`` returns: each command module adds its subparser to it.
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]

__all__ = ["CliError", "existing_archive", "fail", "is_url", "wrap", "write_json"]


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


def existing_archive(path: str) -> str:
    """Return *path*, or raise CliError saying how to create it when there is no archive."""
    if not Path(path).exists():
        raise CliError(
            f"no archive at {path!r} (create one with: newsarchive crawl URL -o {path})"
        )
    return path
