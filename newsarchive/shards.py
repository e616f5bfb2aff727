"""Split one crawl over worker processes that write shard archives, then merge them.

``newsarchive crawl --processes N`` runs here. The archive lock admits one
writer, so workers never write the target: the parent takes the target's lock
for the whole run, each worker crawls its share of the start URLs into its own
SQLite shard in ``<archive>.parts/``, and the parent then adds every shard's
records to the target through ``Archive.add`` (which numbers versions and
detects duplicates across shards). A shard is deleted only after its records
are committed to the target; shards left by a killed run are merged first by
the next run, so a kill at any point loses no archived article.

This module starts processes but never imports Scrapy: the workers are
``python -m newsarchive crawl`` subprocesses.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.errors import ArchiveLocked, NewsArchiveError
from newsarchive.normalize import site_of

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from newsarchive.archive._common import Archive
    from newsarchive.outcome import CrawlOutcome

__all__ = ["crawl_in_workers", "merge_shard", "parts_dir_for", "split_urls"]

logger = logging.getLogger(__name__)

#: How long the parent waits for workers after forwarding SIGTERM (seconds).
_STOP_GRACE = 60.0


def split_urls(urls: Sequence[str], processes: int) -> list[list[str]]:
    """Return *urls* cut into at most *processes* groups: by site first, then by start URL.

    Start URLs of one site stay together (one worker keeps the per-site
    politeness delay) unless there are fewer sites than processes; then the
    largest site's URLs are halved until every process has work. Groups are
    balanced by their number of start URLs; the order of URLs is kept within a group.
    """
    by_site: dict[str, list[str]] = {}
    for url in urls:
        by_site.setdefault(site_of(url), []).append(url)
    groups = list(by_site.values())
    while len(groups) < processes:
        groups.sort(key=len, reverse=True)
        if len(groups[0]) < 2:
            break
        biggest = groups.pop(0)
        half = (len(biggest) + 1) // 2
        groups += [biggest[:half], biggest[half:]]
    buckets: list[list[str]] = [[] for _ in range(min(processes, len(groups)))]
    for group in sorted(groups, key=len, reverse=True):
        min(buckets, key=len).extend(group)
    return [bucket for bucket in buckets if bucket]


def parts_dir_for(archive: str | Path) -> Path:
    """Return the folder of the shards of *archive*: ``news.sqlite`` -> ``news.sqlite.parts``."""
    path = Path(archive)
    return path.with_name(path.name + ".parts")


def _shard_files(shard: Path) -> list[Path]:
    names = ("", "-wal", "-shm", "-journal", ".lock", ".failures.jsonl")
    return [shard.with_name(shard.name + suffix) for suffix in names]


def merge_shard(target: Archive, shard: Path) -> Counter[str]:
    """Add every record of the SQLite *shard* to *target*; return counts by add() result.

    Duplicates of an article already in *target* (same content under another
    URL, a near-duplicate on the same site, or the same URL from another shard
    of this run) are counted under "duplicates" and not added. The shard's
    failures file is appended to the target's. The shard is deleted once its
    records are committed.
    """
    from newsarchive.archive import open_archive

    counts: Counter[str] = Counter()
    merged_urls: set[str] = set()
    with open_archive(shard) as part:  # the writer's lock: fails if a worker still runs
        for article in part.iter_articles(all_versions=True):
            duplicate = target.find_duplicate(article)
            # A later version of an article this shard already gave is not a duplicate.
            if duplicate is not None and not (
                duplicate.kind == "url" and article.canonical_url in merged_urls
            ):
                logger.info("not merged: %s duplicates %s (%s)", article.url, *duplicate)
                counts["duplicates"] += 1
                continue
            counts[target.add(article)] += 1
            merged_urls.add(article.canonical_url)
    target.flush()
    failures = shard.with_name(shard.name + ".failures.jsonl")
    if failures.exists():
        target_failures = target.path.with_name(target.path.name + ".failures.jsonl")
        with failures.open("rb") as src, target_failures.open("ab") as dst:
            shutil.copyfileobj(src, dst)
    for path in _shard_files(shard):
        path.unlink(missing_ok=True)
    # The worker's resume state (NEWSARCHIVE_RESUME): its shard is merged, so it is spent.
    shutil.rmtree(shard.with_name(shard.name + ".job"), ignore_errors=True)
    logger.info("merged shard %s: %s", shard.name, dict(counts))
    return counts


def _merge_leftovers(target: Archive, parts: Path) -> Counter[str]:
    """Merge the shards a killed earlier run left in *parts*; return their counts."""
    counts: Counter[str] = Counter()
    for shard in sorted(parts.glob("worker-*.sqlite")):
        logger.warning("merging %s left by an interrupted crawl", shard)
        try:
            counts.update(merge_shard(target, shard))
        except ArchiveLocked:
            raise NewsArchiveError(
                f"a worker of an earlier crawl still writes {shard}; "
                "wait for it to finish (or end it), then run the crawl again"
            ) from None
    return counts


def _worker_command(args: argparse.Namespace, urls: Sequence[str], shard: Path) -> list[str]:
    command = [sys.executable, "-m", "newsarchive", "crawl", *urls, "-o", str(shard)]
    command += ["--stats-file", str(shard.with_suffix(".json"))]
    if args.since:
        command += ["--since", args.since]
    if args.max_pages:
        command += ["--max-pages", str(args.max_pages)]
    if args.site:
        command += ["--site", args.site]
    if args.full:
        command.append("--full")
    if args.delay is not None:
        command += ["--delay", str(args.delay)]
    if args.log_file:
        command += ["--log-file", args.log_file]
    for name, value in args.settings:
        command += ["-s", f"{name}={value}"]
    if getattr(args, "verbose", False):
        command.append("-v")
    return command


def _run_workers(commands: Sequence[list[str]]) -> list[int]:
    """Run *commands* at once and return their exit statuses.

    SIGTERM to this process is passed on to the workers, which stop gracefully.
    Ctrl-C reaches them directly (one process group); this process then waits
    for them to finish writing, so their shards can still be merged.
    """
    workers: list[subprocess.Popen[bytes]] = []

    def forward(signum: int, _frame: Any) -> None:
        logger.warning("received signal %d: asking the workers to stop gracefully", signum)
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        for command in commands:
            workers.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        try:
            return [worker.wait() for worker in workers]
        except KeyboardInterrupt:
            logger.warning("interrupted: waiting for the workers to finish writing")
            return [_wait_or_kill(worker) for worker in workers]
    finally:
        signal.signal(signal.SIGTERM, previous)


def _wait_or_kill(worker: subprocess.Popen[bytes]) -> int:
    try:
        return worker.wait(timeout=_STOP_GRACE)
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.wait()


def crawl_in_workers(
    args: argparse.Namespace, urls: Sequence[str], archive: str, *, lock_timeout: float = 0.0
) -> CrawlOutcome:
    """Crawl *urls* in up to ``args.processes`` workers and merge their shards into *archive*
    (waiting up to *lock_timeout* seconds for another harvest to release it)."""
    from newsarchive.archive import open_archive
    from newsarchive.outcome import CrawlOutcome

    groups = split_urls(urls, args.processes)
    parts = parts_dir_for(archive)
    outcome = CrawlOutcome()
    # The target's lock is held until the merge ends: one harvest at a time.
    with open_archive(archive, lock_timeout=lock_timeout) as target:
        outcome.counts.update(_merge_leftovers(target, parts))
        # Like a one-process crawl's, the failures file describes this crawl only.
        target.path.with_name(target.path.name + ".failures.jsonl").unlink(missing_ok=True)
        parts.mkdir(exist_ok=True)
        shards = [parts / f"worker-{n}.sqlite" for n in range(1, len(groups) + 1)]
        commands = [_worker_command(args, g, s) for g, s in zip(groups, shards, strict=True)]
        logger.info("crawling %d start URLs in %d worker processes", len(urls), len(groups))
        statuses = _run_workers(commands)
        for shard, status in zip(shards, statuses, strict=True):
            report = shard.with_suffix(".json")
            if report.exists():
                worker = CrawlOutcome.from_json(json.loads(report.read_text(encoding="utf-8")))
                # The shard's add() results were against an empty shard; the merge's count.
                for key in ("new", "updated", "views", "unchanged"):
                    worker.counts.pop(key, None)
                outcome.merge(worker)
                report.unlink()
            if status != 0:
                outcome.worker_failures += 1
            if shard.exists():
                outcome.counts.update(merge_shard(target, shard))
        outcome.sites |= {_host(u) for u in urls}
    try:
        os.rmdir(parts)
    except OSError:
        logger.warning("left %s in place: it holds files of a failed merge", parts)
    return outcome


def _host(url: str) -> str:
    return site_of(url)
