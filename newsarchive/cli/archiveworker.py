"""The ``archive-worker`` command: move a shared harvest's articles from Redis into one archive.

The workers (``newsarchive crawl --redis URL``) push their articles to the
harvest's item list; this one process applies the crawl's duplicate rules and
writes them, each canonical URL once (newsarchive.distributed.archive_items).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from newsarchive.cli.common import CliError, fail, wrap
from newsarchive.distributed import DEFAULT_RUN, RunKeys, redis_url_problem, run_id_problem

if TYPE_CHECKING:
    from newsarchive.archive import Archive
    from newsarchive.cli.common import Subparsers

__all__ = ["add_parser", "run_archive_worker"]

_EXAMPLES = """\
examples:
  newsarchive archive-worker --redis redis://10.0.0.5:6379/0 -o archive/county.sqlite
  newsarchive archive-worker --redis redis://10.0.0.5:6379/0 --run-id county-2026-12-07 \\
      -o archive/county.sqlite --until-idle 600

It ends when the last worker of the harvest has left and every article is
archived (or, with --until-idle S, when no article came for S seconds). Start
it before the workers, so that they skip the articles the archive holds.
Exit status: 0 when the items were archived, 1 on an error or an interruption
(the items not yet archived stay in Redis for the next start), 2 on a bad argument.
"""


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, e.g. 600, not {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected seconds above 0, not {text!r}")
    return value


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``archive-worker`` subcommand to *commands*, with *verbose*'s -v."""
    worker = commands.add_parser(
        "archive-worker",
        parents=[verbose],
        help="archive the articles the workers of a shared harvest (crawl --redis) send",
        description=wrap(
            "Take the articles that the workers of a harvest shared through Redis "
            "(newsarchive crawl --redis URL) send, drop copies by the crawl's duplicate "
            "rules, and write each once into ARCHIVE. An article is removed from Redis "
            "only after the archive committed it, so an archiver that was killed loses "
            "nothing: started again, it archives what it had taken. Prints one summary line."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    worker.add_argument("--redis", required=True, metavar="URL", help="the harvest's Redis (redis://HOST:PORT/DB)")
    worker.add_argument("--run-id", default=DEFAULT_RUN, metavar="ID", help="the harvest's name (default: news)")
    worker.add_argument(
        "-o", "--output", "--archive", dest="archive", required=True, metavar="ARCHIVE",
        help="archive path: *.jsonl for JSON Lines, *.sqlite or *.db for SQLite",
    )
    worker.add_argument(
        "--until-idle", type=_seconds, metavar="S",
        help="also end when no article came for S seconds (default: wait for the harvest's end)",
    )
    worker.set_defaults(handler=run_archive_worker)


def _known_urls(archive: Archive) -> Any:
    def urls() -> Any:
        for article in archive.iter_articles():
            yield article.canonical_url
        for row in archive.iter_duplicates():
            yield row.canonical_url

    return urls


def run_archive_worker(args: argparse.Namespace) -> int:
    """Archive the harvest's items as *args* ask, print the summary line; return the exit status."""
    from newsarchive.cli.worker import require_distributed

    require_distributed()
    import redis

    from newsarchive.archive import open_archive
    from newsarchive.distributed import archive_items, publish_known
    from newsarchive.outcome import summary_line

    for problem, what in ((redis_url_problem(args.redis), "--redis"), (run_id_problem(args.run_id), "--run-id")):
        if problem:
            raise CliError(f"{what}: give {problem}")
    client = redis.Redis.from_url(args.redis)
    keys = RunKeys(args.run_id)
    started = time.monotonic()
    stop: list[int] = []

    def stopping() -> bool:
        return bool(stop)

    previous = {sig: signal.signal(sig, lambda signum, frame: stop.append(signum)) for sig in (signal.SIGINT, signal.SIGTERM)}
    counts: Counter[str] = Counter()
    try:
        with open_archive(args.archive) as archive:
            known = publish_known(client, keys, _known_urls(archive))
            print(f"harvest {args.run_id}: {known} archived URLs published to the workers", file=sys.stderr)
            counts = archive_items(client, keys, archive, until_idle=args.until_idle, stopping=stopping)
    except redis.RedisError as exc:
        raise CliError(f"cannot use the Redis at {args.redis}: {exc}") from exc
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print(summary_line(args.archive, counts, time.monotonic() - started), flush=True)
    if stop:
        return fail("interrupted: the articles not yet archived stay in Redis for the next start")
    return 0
