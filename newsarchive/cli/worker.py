"""``newsarchive crawl --redis URL``: run this process as one worker of a harvest shared through Redis.

The crawl is the news spider's as ever; the settings NEWSARCHIVE_REDIS_URL and
NEWSARCHIVE_REDIS_RUN hand it to the shared-harvest add-on
(``newsarchive.middlewares.redisworker``). Scrapy is imported inside run_worker only.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from newsarchive import statkeys
from newsarchive.cli.common import CliError, fail
from newsarchive.distributed import DEFAULT_RUN, redis_url_problem, run_id_problem, worker_name

if TYPE_CHECKING:
    import argparse

__all__ = ["require_distributed", "run_worker", "worker_line"]


def require_distributed() -> None:
    """Raise CliError, in one line saying what to install, when the [distributed] extra is missing."""
    import importlib.util

    missing = [name for name in ("redis", "scrapy_redis") if importlib.util.find_spec(name) is None]
    if missing:
        raise CliError(
            f"a shared harvest needs {' and '.join(missing)}, which are not installed: "
            "pip install 'newsarchive[distributed]'"
        )


def _check(args: argparse.Namespace, settings: Any) -> tuple[str, str]:
    if args.archive:
        raise CliError(
            "a worker of a shared harvest writes no archive: drop -o and run "
            "`newsarchive archive-worker --redis URL -o ARCHIVE` once for the harvest"
        )
    if args.processes > 1:
        raise CliError("--processes and --redis do not mix: start one worker per process instead")
    url = args.redis or settings.get("NEWSARCHIVE_REDIS_URL")
    if not url:
        raise CliError("--run-id names a shared harvest: give --redis redis://HOST:PORT/DB too")
    problem = redis_url_problem(url)
    if problem:
        raise CliError(f"--redis {url!r}: give {problem}")
    run = args.run_id or settings.get("NEWSARCHIVE_REDIS_RUN") or DEFAULT_RUN
    problem = run_id_problem(run)
    if problem:
        raise CliError(f"--run-id {run!r}: give {problem}")
    return str(url), str(run)


def worker_line(run: str, stats: dict[str, Any], seconds: float) -> str:
    """Return the worker's summary, e.g. 'worker node2-4711, harvest news: 40 pages fetched, ...'."""
    failed = sum(
        value for key, value in stats.items()
        if key.startswith(statkeys.REPORT_FAILED_PREFIX) and isinstance(value, int)
    )
    return (
        f"worker {worker_name()}, harvest {run}: {stats.get('downloader/response_count', 0)} pages "
        f"fetched, {stats.get(statkeys.REDIS_ITEMS_PUSHED, 0)} articles sent to the archiver, "
        f"{failed} failed, {stats.get(statkeys.REDIS_RECLAIMED, 0)} requests of silent workers "
        f"taken over in {seconds:.1f}s"
    )


def run_worker(args: argparse.Namespace, settings: Any, spider_arguments: dict[str, str]) -> int:
    """Run the news spider with *settings* as a worker of the harvest *args* name; return the exit status."""
    from scrapy.crawler import CrawlerProcess
    from twisted.python.failure import Failure

    url, run = _check(args, settings)
    require_distributed()
    settings.setdict({"NEWSARCHIVE_REDIS_URL": url, "NEWSARCHIVE_REDIS_RUN": run}, priority="cmdline")
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    errors: list[BaseException] = []
    deferred = process.crawl(crawler, **spider_arguments)

    def remember(failure: Failure) -> None:
        errors.append(failure.value or RuntimeError(failure.getErrorMessage()))

    deferred.addErrback(remember)
    process.start()
    if errors:
        error = errors[0]
        if isinstance(error, ValueError):  # the spider's check of its arguments
            raise CliError(str(error)) from error
        raise CliError(f"the worker stopped: {error!r} (is the Redis at {url} running?)") from error
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(worker_line(run, stats, time.monotonic() - started), flush=True)
    reason = stats.get("finish_reason")
    if reason != "finished":
        return fail(f"the worker did not finish ({reason or 'stopped'}); start it again to rejoin")
    return 0
