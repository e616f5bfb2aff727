"""Run one benchmark crawl in this process and write its measurements as JSON.

Started by crawl.py / scale.py / tune.py, one subprocess per crawl, so each
crawl gets a fresh reactor, a fresh heap and its own peak RSS::

    python benchmarks/_crawl_child.py --spider linkonly|bare|news --start URL[,URL]
        [--archive PATH] [--set KEY=JSON ...] [--cprofile FILE] --result FILE

Wall time runs from spider_opened to the last response or item, so Scrapy's
start-up and its idle check at the end are not counted; CPU time is this
process's user+system time over the same span (from getrusage), plus the whole
CPU time of its child processes (extractor processes, if any).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsarchive.settings")

# Project settings the bare and link-only spiders share, so both crawls speak HTTP alike.
_NEUTRAL = ("TWISTED_REACTOR", "USER_AGENT", "ROBOTSTXT_OBEY", "COOKIES_ENABLED",
            "TELNETCONSOLE_ENABLED", "RETRY_ENABLED", "RETRY_TIMES", "DOWNLOAD_TIMEOUT",
            "LOG_LEVEL", "FEED_EXPORT_ENCODING", "CONCURRENT_ITEMS")

# Politeness off: the benchmark measures our cost, not a delay we chose.
POLITENESS_OFF: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
}


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spider", choices=("linkonly", "bare", "news"), required=True)
    ap.add_argument("--start", required=True, help="comma-separated start URLs")
    ap.add_argument("--archive", help="NEWSARCHIVE_ARCHIVE for the news spider")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON")
    ap.add_argument("--cprofile", help="write a cProfile of the crawl to this file")
    ap.add_argument("--result", required=True)
    args = ap.parse_args(argv)

    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings
    from scrapy.utils.project import get_project_settings

    project = get_project_settings()
    if args.spider == "news":
        settings = project
        if args.archive:
            settings.set("NEWSARCHIVE_ARCHIVE", args.archive, priority="cmdline")
    else:
        settings = Settings({k: project[k] for k in _NEUTRAL if k in project})
    settings.setdict(POLITENESS_OFF, priority="cmdline")
    for kv in args.set:
        key, _, raw = kv.partition("=")
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        settings.set(key, value, priority="cmdline")

    marks: dict[str, float] = {}

    def opened(spider: Any) -> None:
        marks["t_open"] = time.perf_counter()
        marks["cpu_open"] = _cpu()
        marks["rss_open_kb"] = _rss_kb()

    def got_response(**kw: Any) -> None:
        marks["t_last"] = time.perf_counter()

    def closed(spider: Any, reason: str) -> None:
        marks["t_close"] = time.perf_counter()
        marks["cpu_close"] = _cpu()
        marks["reason"] = reason  # type: ignore[assignment]

    process = CrawlerProcess(settings)
    if args.spider == "news":
        crawler = process.create_crawler("news")
    elif args.spider == "bare":
        from bare_spider import BareSpider

        crawler = process.create_crawler(BareSpider)
    else:
        from linkonly_spider import LinkOnlySpider

        crawler = process.create_crawler(LinkOnlySpider)
    crawler.signals.connect(opened, signals.spider_opened)
    crawler.signals.connect(got_response, signals.response_received)
    crawler.signals.connect(got_response, signals.item_scraped)
    crawler.signals.connect(got_response, signals.item_dropped)
    crawler.signals.connect(closed, signals.spider_closed)
    process.crawl(crawler, start_urls=args.start)
    prof = None
    if args.cprofile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    process.start()
    if prof is not None:
        prof.disable()
        prof.dump_stats(args.cprofile)

    stats = crawler.stats.get_stats() if crawler.stats else {}
    wall = marks.get("t_last", marks.get("t_close", 0.0)) - marks.get("t_open", 0.0)
    responses = int(stats.get("response_received_count", 0))
    # Child processes (extractors, if any) are reaped when the crawl ends: their
    # CPU counts as the crawl's (all of it: a worker does nothing before the crawl opens).
    ru_children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_children = ru_children.ru_utime + ru_children.ru_stime
    cpu = marks.get("cpu_close", 0.0) - marks.get("cpu_open", 0.0) + cpu_children
    ours = {k: v for k, v in stats.items() if k.startswith("newsarchive/")}
    result = {
        "spider": args.spider,
        "responses": responses,
        "items": int(stats.get("item_scraped_count", 0)),
        "dropped": int(stats.get("item_dropped_count", 0)),
        "errors": int(stats.get("log_count/ERROR", 0)),
        "spider_exceptions": sum(v for k, v in stats.items() if k.startswith("spider_exceptions/")),
        "status_200": int(stats.get("downloader/response_status_count/200", 0)),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "cpu_children_s": round(cpu_children, 3),
        "pages_per_s": round(responses / wall, 1) if wall > 0 else 0.0,
        "cpu_ms_per_page": round(1000 * cpu / responses, 3) if responses else 0.0,
        "cpu_util": round(cpu / wall, 3) if wall > 0 else 0.0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_at_open_mb": round(marks.get("rss_open_kb", 0) / 1024, 1),
        "finish_reason": marks.get("reason"),
        "newsarchive_stats": ours,
    }
    Path(args.result).write_text(json.dumps(result, ensure_ascii=False, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
