"""Split one crawl over worker processes that write shard archives, then merge them.

``newsarchive crawl --processes N`` runs here. The archive lock admits one
writer, so workers never write the target: the parent takes the target's lock
for the whole run and copies the target's records of each worker's sites into
that worker's SQLite shard in ``<archive>.parts/`` (so the worker skips what is
archived, as a one-process crawl does); each worker crawls its share of the
start URLs into its shard; the parent then adds every new or changed record to
the target through ``Archive.add`` (which numbers versions and detects
duplicates across shards). A shard is deleted only after its records are
committed to the target; shards left by a killed run are merged first by the
next run, so a kill at any point loses no archived article.

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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive import crawlstate
from newsarchive.crawlstate import STOP_AFTER_KNOWN, Recovery, job_dir_for
from newsarchive.errors import ArchiveLocked, NewsArchiveError
from newsarchive.normalize import site_of

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Sequence

    from newsarchive.archive._common import Archive
    from newsarchive.items import Article
    from newsarchive.outcome import CrawlOutcome

__all__ = [
    "Seeded",
    "begin_crawl",
    "crawl_in_workers",
    "end_crawl",
    "merge_shard",
    "parts_dir_for",
    "seed_shards",
    "split_urls",
]

logger = logging.getLogger(__name__)

#: How long the parent waits for workers after forwarding SIGTERM (seconds).
_STOP_GRACE = 60.0


def begin_crawl(args: argparse.Namespace, archive: str | Path) -> Recovery:
    """Recover from the last crawl into *archive* and mark this one running (call it
    holding the archive's lock); return what recovery found, for the CLI to tell.

    If the last crawl did not finish, articles on later listing pages may still
    be missing while the first pages list only archived ones, so this crawl
    reads every listing page (NEWSARCHIVESTOP_AFTER_KNOWN_PAGES=0, unless set
    with -s); archived articles are still not fetched again. See
    newsarchive.crawlstate.recover for what happens to the saved crawl state.
    """
    settings = dict(args.settings)
    recovery = crawlstate.begin_crawl(archive, settings.get("JOBDIR"))
    if recovery.read_every_listing and STOP_AFTER_KNOWN not in settings:
        args.settings.append((STOP_AFTER_KNOWN, "0"))
    return recovery


def end_crawl(archive: str | Path, outcome: CrawlOutcome) -> None:
    """Record how the crawl into *archive* ended: remove the marker when it finished,
    note a graceful stop (its saved state can be resumed), else leave it as it is."""
    crawlstate.end_crawl(
        archive,
        finished=outcome.finish_reason in (None, "finished") and not outcome.worker_failures,
        stopped=outcome.finish_reason == "shutdown",
    )


def split_urls(urls: Sequence[str], processes: int) -> list[list[str]]:
    """Return *urls* cut into at most *processes* groups: by site first, then by start URL.

    Start URLs of one site stay together (one worker keeps the per-site
    politeness delay) unless there are fewer sites than processes; then the
    largest site's URLs are dealt out alternately (1st, 3rd, ... and 2nd, 4th, ...)
    until every process has work: sections listed in nav order are often sorted
    by size, so halving the list would give one worker the big ones. Groups are
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
        groups += [biggest[0::2], biggest[1::2]]
    buckets: list[list[str]] = [[] for _ in range(min(processes, len(groups)))]
    for group in sorted(groups, key=len, reverse=True):
        min(buckets, key=len).extend(group)
    return [bucket for bucket in buckets if bucket]


def parts_dir_for(archive: str | Path) -> Path:
    """Return the folder of the shards of *archive*: ``news.sqlite`` -> ``news.sqlite.parts``."""
    path = Path(archive)
    return path.with_name(path.name + ".parts")


def _shard_files(shard: Path) -> list[Path]:
    names = ("", "-wal", "-shm", "-journal", ".lock", ".failures.jsonl", ".incomplete")
    return [shard.with_name(shard.name + suffix) for suffix in names]


#: What identifies a record copied into a shard: (canonical_url, content_hash, view_count).
SeedKey = tuple[str, str, int | None]


@dataclass(frozen=True, slots=True)
class Seeded:
    """What seed_shards() copied from the target: record keys, and duplicate URLs."""

    records: frozenset[SeedKey] = frozenset()
    duplicates: frozenset[str] = frozenset()


def _seed_key(article: Article) -> SeedKey:
    return (article.canonical_url, article.content_hash, article.view_count)


def seed_shards(target: Archive, shards: dict[Path, set[str]]) -> Seeded:
    """Copy into each shard what *target* knows of its sites; return what was copied.

    *shards* maps a shard path to the sites (``site_of`` of its start URLs) its
    worker crawls. Each shard gets the latest record of every archived article
    on those sites and the URLs remembered as duplicates there, so its worker
    skips them, as a one-process crawl does; the merge skips them in turn.
    """
    from newsarchive.archive import open_archive

    records: set[SeedKey] = set()
    duplicates: set[str] = set()
    parts = {path: open_archive(path) for path in shards}
    try:
        for article in target.iter_articles():
            site = site_of(article.canonical_url)
            for path, sites in shards.items():
                if site in sites:
                    parts[path].add(article)
                    records.add(_seed_key(article))
        for row in target.iter_duplicates():
            site = site_of(row.canonical_url)
            for path, sites in shards.items():
                if site in sites:
                    parts[path].add_duplicate(row)
                    duplicates.add(row.canonical_url)
    finally:
        for part in parts.values():
            part.close()
    return Seeded(frozenset(records), frozenset(duplicates))


def merge_shard(target: Archive, shard: Path, *, seeded: Seeded | None = None) -> Counter[str]:
    """Add the records of the SQLite *shard* to *target*; return counts by add() result.

    What seed_shards() copied in and the worker left as it was (*seeded*) is
    skipped. Duplicates of an article already in *target* (same content under
    another URL, a near-duplicate on the same site, or the same URL from another
    shard of this run) are counted under "duplicates", not added, and
    remembered by the target, as are the URLs the worker dropped as duplicates.
    The shard's failures file is appended to the target's. The shard is deleted
    once its records are committed.
    """
    from newsarchive.archive import URL, DuplicateRow, open_archive

    seeded = seeded or Seeded()
    counts: Counter[str] = Counter()
    merged_urls: set[str] = set()
    # The worker's WARC files first, so every record merged points at a file in place
    # (their names are unique, and a record's warc_file is a name in the target's folder).
    _move_warc_files(shard, target.path)
    with open_archive(shard) as part:  # the writer's lock: fails if a worker still runs
        for article in part.iter_articles(all_versions=True):
            if _seed_key(article) in seeded.records:
                continue
            duplicate = target.find_duplicate(article)
            # A later version of an article this shard already gave is not a duplicate.
            if duplicate is not None and not (
                duplicate.kind == URL and article.canonical_url in merged_urls
            ):
                counts["duplicates"] += 1
                # Published first, it replaces the copy another shard or an earlier crawl archived.
                if target.replace_with_original(article, duplicate):
                    logger.info("merged %s in place of its copy %s", article.url, duplicate.url)
                    merged_urls.add(article.canonical_url)
                    continue
                logger.info(
                    "not merged: %s duplicates %s (%s)", article.url, duplicate.url, duplicate.reason
                )
                target.add_duplicate(DuplicateRow(article.canonical_url, duplicate, article.fetched_at))
                continue
            counts[target.add(article)] += 1
            merged_urls.add(article.canonical_url)
        for row in part.iter_duplicates():
            if row.canonical_url not in seeded.duplicates:
                target.add_duplicate(row)
    target.flush()
    failures = shard.with_name(shard.name + ".failures.jsonl")
    if failures.exists():
        target_failures = target.path.with_name(target.path.name + ".failures.jsonl")
        with failures.open("rb") as src, target_failures.open("ab") as dst:
            shutil.copyfileobj(src, dst)
    for path in _shard_files(shard):
        path.unlink(missing_ok=True)
    # The worker's resume state (NEWSARCHIVE_RESUME): its shard is merged, so it is spent.
    shutil.rmtree(job_dir_for(shard), ignore_errors=True)
    logger.info("merged shard %s: %s", shard.name, dict(counts))
    return counts


def _move_warc_files(shard: Path, target: Path) -> None:
    from newsarchive.warc import warc_dir_for

    source = warc_dir_for(shard)
    if not source.is_dir():
        return
    folder = warc_dir_for(target)
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        os.replace(path, folder / path.name)
    source.rmdir()


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
    if args.until:
        command += ["--until", args.until]
    if args.max_pages:
        command += ["--max-pages", str(args.max_pages)]
    if args.site:
        command += ["--site", args.site]
    if args.full:
        command.append("--full")
    if not getattr(args, "warc", True):
        command.append("--no-warc")
    if getattr(args, "from_warc", None):
        command += ["--from-warc", *args.from_warc]
    if args.delay is not None:
        command += ["--delay", str(args.delay)]
    if args.log_file:
        command += ["--log-file", args.log_file]
    for name, value in args.settings:
        command += ["-s", f"{name}={value}"]
    if getattr(args, "verbose", False):
        command.append("-v")
    # Several live lines on one terminal would overwrite each other: workers log theirs.
    command.append("--no-progress")
    return command


def _run_workers(commands: Sequence[list[str]]) -> list[int]:
    """Run *commands* at once and return their exit statuses.

    SIGTERM to this process is passed on to the workers, which stop gracefully
    (a second SIGTERM, passed on too, makes them stop at once). Ctrl-C reaches them
    directly (one process group); this process then waits for them to finish
    writing, a second Ctrl-C included, so their shards can still be merged.
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
            return [_wait_through_interrupts(worker) for worker in workers]
    finally:
        signal.signal(signal.SIGTERM, previous)


def _wait_through_interrupts(worker: subprocess.Popen[bytes]) -> int:
    """Wait for *worker* as _wait_or_kill does; a further Ctrl-C does not stop the wait.

    The workers had the second Ctrl-C too and stop at once, committing what they
    archived; leaving now would leave their shards unmerged until the next run.
    """
    while True:
        try:
            return _wait_or_kill(worker)
        except KeyboardInterrupt:
            logger.warning("interrupted again: the workers stop at once; waiting for them to close their shards")


def _wait_or_kill(worker: subprocess.Popen[bytes]) -> int:
    try:
        return worker.wait(timeout=_STOP_GRACE)
    except subprocess.TimeoutExpired:
        worker.kill()
        return worker.wait()


def crawl_in_workers(
    args: argparse.Namespace,
    urls: Sequence[str],
    archive: str,
    *,
    lock_timeout: float = 0.0,
    on_begin: Callable[[Recovery], None] | None = None,
) -> CrawlOutcome:
    """Crawl *urls* in up to ``args.processes`` workers and merge their shards into *archive*
    (waiting up to *lock_timeout* seconds for another harvest to release it). *on_begin*
    is told what recovery at the start found, once the archive's lock is held."""
    from newsarchive.archive import open_archive
    from newsarchive.outcome import CrawlOutcome

    groups = split_urls(urls, args.processes)
    parts = parts_dir_for(archive)
    outcome = CrawlOutcome()
    # The target's lock is held until the merge ends: one harvest at a time.
    with open_archive(archive, lock_timeout=lock_timeout) as target:
        recovery = begin_crawl(args, archive)
        if on_begin is not None:
            on_begin(recovery)
        leftovers = _merge_leftovers(target, parts)
        leftovers.pop("unchanged", None)  # records a killed run had copied in
        outcome.counts.update(leftovers)
        # Like a one-process crawl's, the failures file describes this crawl only.
        target.path.with_name(target.path.name + ".failures.jsonl").unlink(missing_ok=True)
        parts.mkdir(exist_ok=True)
        shards = [parts / f"worker-{n}.sqlite" for n in range(1, len(groups) + 1)]
        seeded = seed_shards(
            target,
            {s: {site_of(u) for u in g} for g, s in zip(groups, shards, strict=True)},
        )
        commands = [_worker_command(args, g, s) for g, s in zip(groups, shards, strict=True)]
        logger.info("crawling %d start URLs in %d worker processes", len(urls), len(groups))
        statuses = _run_workers(commands)
        for shard, status in zip(shards, statuses, strict=True):
            report = shard.with_suffix(".json")
            if report.exists():
                worker = CrawlOutcome.from_json(json.loads(report.read_text(encoding="utf-8")))
                # What is new, updated or views is decided by the merge, against the
                # target and across shards; "unchanged" re-fetches are never merged.
                for key in ("new", "updated", "views"):
                    worker.counts.pop(key, None)
                outcome.merge(worker)
                report.unlink()
            if status != 0:
                outcome.worker_failures += 1
            if shard.exists():
                merged = merge_shard(target, shard, seeded=seeded)
                merged.pop("unchanged", None)
                outcome.counts.update(merged)
        outcome.sites |= {_host(u) for u in urls}
    try:
        os.rmdir(parts)
    except OSError:
        logger.warning("left %s in place: it holds files of a failed merge", parts)
    return outcome


def _host(url: str) -> str:
    return site_of(url)
