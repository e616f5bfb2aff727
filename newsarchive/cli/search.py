"""The ``search`` command: an archive's articles that contain the query words, best first."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from newsarchive.cli.common import DAY_HELP, CliError, day_argument, existing_archive

if TYPE_CHECKING:
    from newsarchive.archive import SearchHit
    from newsarchive.cli.common import Subparsers

__all__ = ["add_parser", "run"]

_EXAMPLES = """\
examples:
  newsarchive search archive/news.sqlite 公交
  newsarchive search archive/news.sqlite "公交 线路" --site www.example.gov.cn --since 2024-01-01
  newsarchive search archive/news.sqlite typhoon --limit 5 --json

Every word must occur (AND); a word is matched as written, Chinese characters
in sequence (公交 finds 公交车 but not 公共交通), Latin words whole and in any case.
A SQLite archive keeps its index up to date as articles are archived; a JSON
Lines archive is indexed in memory for each search (slower: use SQLite to search
often).
"""

# Bold yellow around a hit on a terminal; brackets in a pipe or file.
_TERMINAL_MARKERS = ("\033[1;33m", "\033[0m")
_PLAIN_MARKERS = ("[", "]")


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``search`` subcommand to *commands*, with *verbose*'s -v."""
    search = commands.add_parser(
        "search",
        parents=[verbose],
        help="full-text search of an archive (Chinese and English, ranked)",
        description="Print the articles of ARCHIVE that contain every word of QUERY, best first "
        "(bm25), each with a snippet around its first hit.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("archive", metavar="ARCHIVE", help="a .sqlite or .db archive (or .jsonl)")
    search.add_argument("query", metavar="QUERY", help="words separated by spaces, all required")
    search.add_argument("--site", metavar="S", help="only articles of site S (as in the site field)")
    search.add_argument(
        "--since", metavar="D", type=day_argument(),
        help=f"only articles published on day D or later ({DAY_HELP})",
    )
    search.add_argument(
        "--limit", metavar="N", type=_positive, default=20, help="at most N articles (default 20)"
    )
    search.add_argument("--json", action="store_true", help="one JSON object per article (JSON Lines)")
    search.set_defaults(handler=run)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r} (example: 20)")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Search the archive *args* name and print the hits; return the exit status."""
    from newsarchive.archive import JsonlArchive, backend_for, search_archive

    path = existing_archive(args.archive)
    if not args.query.split():
        raise CliError("the query is empty; give one or more words, e.g. 公交")
    if backend_for(path) is JsonlArchive:
        print(
            f"note: {path} is JSON Lines, which has no search index: it is indexed in memory "
            "for this search; a SQLite archive (-o NAME.sqlite) keeps one",
            file=sys.stderr,
        )
    tty = not args.json and sys.stdout.isatty()
    hits = search_archive(
        path, args.query, site=args.site, since=args.since.isoformat() if args.since else None, limit=args.limit,
        markers=_TERMINAL_MARKERS if tty else _PLAIN_MARKERS,
    )
    for number, hit in enumerate(hits, 1):
        sys.stdout.write(_as_json(hit) if args.json else _as_text(number, hit))
    if not hits:
        print(f"no article contains {args.query!r}", file=sys.stderr)
    sys.stdout.flush()
    return 0


def _as_json(hit: SearchHit) -> str:
    record = {
        "canonical_url": hit.canonical_url,
        "site": hit.site,
        "title": hit.title,
        "published_at": hit.published_at,
        "score": hit.score,
        "snippet": hit.snippet,
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _as_text(number: int, hit: SearchHit) -> str:
    when = f", {hit.published_at[:10]}" if hit.published_at else ""
    return f"{number}. {hit.title}  ({hit.site}{when})\n   {hit.canonical_url}\n   {hit.snippet}\n"
