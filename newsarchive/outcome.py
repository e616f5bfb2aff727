"""What one crawl did, from Scrapy's stats: the summary line and the exit verdict.

Pure: a stats dict in, counts and one-line reasons out. Used by ``newsarchive
crawl`` and by the parent of ``--processes``, which adds up its workers' outcomes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsarchive import statkeys
from newsarchive.archive import EXACT, NEAR, URL

__all__ = [
    "COUNTERS_UNAVAILABLE",
    "FORCED",
    "NEWER",
    "OLDER",
    "CrawlOutcome",
    "crawl_verdict",
    "outcome_from_stats",
    "summary_line",
    "withheld_counter_notes",
]

#: The finish reason of a crawl stopped by force (a second SIGINT/SIGTERM), or that
#: never closed: Scrapy's own reasons are "finished", "shutdown", "closespider_...".
FORCED = "forced_stop"

#: The count of view-counter requests that failed: their articles are archived without
#: the count, so they are no failed pages and never fail the crawl.
COUNTERS_UNAVAILABLE = "counters_unavailable"

#: The counts of articles skipped as published before --since, and after --until.
OLDER, NEWER = "older", "newer"

_STATUSES = ("new", "updated", "views", "unchanged")
_SUMMARY_KEYS = (*_STATUSES, "duplicates", "failed")


@dataclass(slots=True)
class CrawlOutcome:
    """What one crawl did: counts for the summary line and what decides the exit status."""

    counts: Counter[str] = field(default_factory=Counter)
    sites: set[str] = field(default_factory=set)  # hosts of the start URLs
    answered: set[str] = field(default_factory=set)  # hosts that served a page
    items: int = 0  # articles extracted (archived or dropped)
    skipped: int = 0  # article links not followed: already archived, or older than --since
    unreadable: int = 0  # fetched pages taken for articles that gave none
    spider_errors: int = 0
    finish_reason: str | None = None
    worker_failures: int = 0  # --processes: workers that exited non-zero
    start_urls: list[str] = field(default_factory=list)
    # The first failure of each start page that failed: url, kind, reason, status.
    start_failures: list[dict[str, Any]] = field(default_factory=list)
    # Sites whose robots.txt forbids their view counter -> articles left without a count.
    counters_withheld: Counter[str] = field(default_factory=Counter)

    def merge(self, other: CrawlOutcome) -> None:
        """Add *other*'s counts and hosts to this outcome (the parent of --processes)."""
        self.counts.update(other.counts)
        self.sites |= other.sites
        self.answered |= other.answered
        self.items += other.items
        self.skipped += other.skipped
        self.unreadable += other.unreadable
        self.spider_errors += other.spider_errors
        self.worker_failures += other.worker_failures
        self.start_urls += other.start_urls
        self.start_failures += other.start_failures
        self.counters_withheld.update(other.counters_withheld)
        if other.finish_reason != "finished":
            self.finish_reason = other.finish_reason

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts),
            "sites": sorted(self.sites),
            "answered": sorted(self.answered),
            "items": self.items,
            "skipped": self.skipped,
            "unreadable": self.unreadable,
            "spider_errors": self.spider_errors,
            "finish_reason": self.finish_reason,
            "worker_failures": self.worker_failures,
            "start_urls": self.start_urls,
            "start_failures": self.start_failures,
            "counters_withheld": dict(self.counters_withheld),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CrawlOutcome:
        return cls(
            counts=Counter(data["counts"]),
            sites=set(data["sites"]),
            answered=set(data["answered"]),
            items=int(data["items"]),
            skipped=int(data.get("skipped", 0)),
            unreadable=int(data.get("unreadable", 0)),
            spider_errors=int(data["spider_errors"]),
            finish_reason=data["finish_reason"],
            worker_failures=int(data.get("worker_failures", 0)),
            start_urls=list(data.get("start_urls", ())),
            start_failures=list(data.get("start_failures", ())),
            counters_withheld=Counter(data.get("counters_withheld", {})),
        )


def _failed_from_stats(stats: dict[str, Any]) -> int:
    """Pages that could not be fetched or read, as the crawl report counts them."""
    report = [v for k, v in stats.items() if k.startswith(statkeys.REPORT_FAILED_PREFIX)]
    if report or statkeys.REPORT_SUMMARY in stats:
        return sum(int(v) for v in report)
    # Without the crawl report (switched off): final HTTP errors and download errors.
    return int(stats.get("httperror/response_ignored_count", 0)) + int(
        stats.get("retry/max_reached", 0)
    )


def outcome_from_stats(stats: dict[str, Any]) -> CrawlOutcome:
    """Return the outcome a crawl's Scrapy *stats* describe (sites are the caller's to fill)."""
    outcome = CrawlOutcome()
    for status in _STATUSES:
        outcome.counts[status] = int(stats.get(statkeys.archived(status), 0))
    outcome.counts["duplicates"] = sum(
        int(stats.get(statkeys.duplicate(kind), 0)) for kind in (URL, EXACT, NEAR)
    )
    outcome.counts["failed"] = _failed_from_stats(stats)
    outcome.counts[COUNTERS_UNAVAILABLE] = int(stats.get(statkeys.COUNTER_FAILED, 0))
    for name, keys in ((OLDER, statkeys.OLDER_THAN_SINCE), (NEWER, statkeys.NEWER_THAN_UNTIL)):
        skipped = sum(int(stats.get(key, 0)) for key in keys)
        if skipped:  # counted only when --since or --until skipped some
            outcome.counts[name] = skipped
    prefix = statkeys.COUNTER_WITHHELD_PREFIX
    outcome.counters_withheld = Counter(
        {key[len(prefix):]: int(value) for key, value in stats.items() if key.startswith(prefix)}
    )
    outcome.items = int(stats.get("item_scraped_count", 0)) + int(
        stats.get("item_dropped_count", 0)
    )
    outcome.skipped = sum(int(stats.get(key, 0)) for key in statkeys.SKIPPED)
    outcome.unreadable = sum(int(stats.get(key, 0)) for key in statkeys.UNREADABLE)
    outcome.spider_errors = int(stats.get("spider_exceptions/count", 0))
    outcome.finish_reason = stats.get("finish_reason")
    return outcome


def summary_line(archive: str, counts: Counter[str], seconds: float) -> str:
    """Return e.g. 'archive/news.sqlite: 12 new, 0 updated, ... 0 failed in 4.2s'.

    View counts that could not be asked follow the failed pages when there are
    any: '... 0 failed, 2 view counts unavailable in 4.2s', and so do articles
    skipped by date: '... 0 failed, 12 older than --since skipped, 1 newer than
    --until skipped in 4.2s'.
    """
    parts = [f"{counts.get(key, 0)} {key}" for key in _SUMMARY_KEYS]
    if counts.get(COUNTERS_UNAVAILABLE, 0):
        parts.append(f"{counts[COUNTERS_UNAVAILABLE]} view counts unavailable")
    if counts.get(OLDER, 0):
        parts.append(f"{counts[OLDER]} older than --since skipped")
    if counts.get(NEWER, 0):
        parts.append(f"{counts[NEWER]} newer than --until skipped")
    return f"{archive}: {', '.join(parts)} in {seconds:.1f}s"


def withheld_counter_notes(outcome: CrawlOutcome) -> list[str]:
    """Return one line per site whose robots.txt kept its view counts from the crawl.

    >>> withheld_counter_notes(CrawlOutcome(counters_withheld=Counter({"www.a.cn": 60})))[0].split(" (")[0]
    'note: view counts of www.a.cn are withheld by its robots.txt'
    """
    return [
        f"note: view counts of {site} are withheld by its robots.txt ({n} counters not asked); "
        "-s NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS=1 asks the counters anyway"
        for site, n in sorted(outcome.counters_withheld.items())
    ]


def crawl_verdict(outcome: CrawlOutcome) -> str | None:
    """Return the one-line reason the crawl failed, or None when it did its job.

    It failed when it was interrupted, when a start site answered no request, when it
    found no article at all (none read, none skipped as archived or too old) while
    pages answered, and when a worker of --processes failed. A crawl that finds
    only articles the archive already has did its job.
    """
    if outcome.finish_reason == "shutdown":
        return (
            "crawl interrupted; every article fetched so far is archived "
            "(run the same command again to continue)"
        )
    if outcome.finish_reason == FORCED:
        return (
            "crawl interrupted by a forced stop; the articles counted above are archived "
            "(run the same command again: it reads every listing page and fetches the rest)"
        )
    silent = sorted(outcome.sites - outcome.answered)
    if silent:
        failed = [f for f in outcome.start_failures if f.get("site") in silent]
        if failed:
            return _start_failure_reason(failed)
        return (
            f"no page could be fetched from {', '.join(silent)} "
            "(check the address and the network, and that robots.txt allows it; "
            "see the log, or rerun with -v)"
        )
    if outcome.items == 0 and (outcome.spider_errors or not outcome.skipped):
        if outcome.start_failures:
            return _start_failure_reason(outcome.start_failures)
        if not outcome.start_urls:
            return (
                "pages were fetched but no article could be read from them "
                "(is the URL a news listing? try --site with a profile, or rerun with -v)"
            )
        others = len(outcome.start_urls) - 1
        return (
            f"no article could be read from the start page {outcome.start_urls[0]}"
            + (f" nor from the {others} other start page(s)" if others else "")
            + ": it is not an article page and links to no article that could be read "
            "(is the URL a news listing? try --site with a profile, or rerun with -v)"
        )
    if outcome.worker_failures:
        return (
            f"{outcome.worker_failures} worker process(es) failed (see their errors above); "
            "what they fetched is archived, run the same command again to retry"
        )
    return None


def _start_failure_reason(failures: list[dict[str, Any]]) -> str:
    """Return the verdict naming the first failed start page's reason and what to do."""
    first = failures[0]
    kind, reason, status = first["kind"], str(first.get("reason") or ""), first.get("status")
    if kind == "http" and status:
        what = f"returned HTTP {status}; " + (
            "the site is failing, try again later" if int(status) >= 500 else "check the URL"
        )
    elif kind == "robots":
        what = (
            "is forbidden by the site's robots.txt; "
            "pass -s ROBOTSTXT_OBEY=False to fetch it anyway"
        )
    elif kind == "dns":
        what = "could not be reached: DNS lookup failed; check the host name and the network"
    elif kind == "connection" and "refused" in reason.lower():
        what = "could not be reached: connection refused; check the address and port, and that the site is up"
    elif kind in ("connection", "dataloss"):
        what = f"could not be reached: {reason.rstrip('.')}; check the network and try again"
    elif kind == "timeout":
        what = (
            "could not be reached: no answer in time; try again later, "
            "or allow longer with -s DOWNLOAD_TIMEOUT=SECONDS"
        )
    elif kind == "not_html":
        what = f"is {reason.rstrip('.')}; give a news listing or home page"
    elif kind == "not_article":
        what = (
            f"is not an article page ({reason.rstrip('.')}) and no listing; "
            "give a news listing or home page, or --site with a profile"
        )
    else:
        what = f"could not be read: {reason.rstrip('.') or kind}; rerun with -v to see why"
    line = f"the start page {first['url']} {what}"
    if len(failures) > 1:
        line += f" ({len(failures) - 1} more start page(s) failed too)"
    return line
