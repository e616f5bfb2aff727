"""Crawl benchmark: the full newsarchive pipeline against Scrapy's own ceiling.

One command generates (or reuses) the synthetic portal, serves it with nginx,
shows the server's ceiling, then crawls it in separate subprocesses with:

  (a) linkonly  benchmarks/linkonly_spider.py: the portal's listings, pagination and
                articles by fixed CSS selectors; an article yields only its URL
  (b) bare      benchmarks/bare_spider.py: follows every link, yields a trivial item
  (c) sqlite    the real `news` spider, all pipelines, into a SQLite archive
  (d) jsonl     the same into a JSON Lines archive

With ``--workers 0,1`` (c) and (d) run once for each NEWSARCHIVE_EXTRACT_WORKERS
value given (0: extraction in the crawl's process; N: N extractor processes);
without it they run with the project's settings as they are.
The crawls alternate (a, b, c, d, a, b, c, d, ...) so a machine that gets busier
disturbs all of them alike. Politeness is off for all (no delay, no AutoThrottle)
and concurrency is the same (``--concurrency``, default 16, per domain too). Usage::

    python benchmarks/crawl.py --articles 1500 --repeat 3 [--workers 0,1] [--only linkonly,sqlite]

Prints pages/s, CPU ms per page (child processes' CPU included), peak
RSS and the ratios of the real crawls to (a) and to (b), by pages/s and by CPU.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import crawl_kinds, format_table, load_note, news_missing, run_crawl, save_results
from gen_portal import generate_portal, portal_dir
from server import measure_ceiling, serve

COLUMNS = [
    ("crawl", "kind", ""),
    ("pages", "responses", ",d"),
    ("items", "items", ",d"),
    ("wall s", "wall_s", ".1f"),
    ("pages/s", "pages_per_s", ".0f"),
    ("CPU ms/page", "cpu_ms_per_page", ".2f"),
    ("CPU util", "cpu_util", ".2f"),
    ("peak RSS MB", "peak_rss_mb", ".0f"),
    ("vs linkonly", "ratio_linkonly", ".2f"),
    ("vs linkonly by CPU", "ratio_linkonly_cpu", ".2f"),
    ("vs bare", "ratio", ".2f"),
    ("vs bare by CPU", "ratio_cpu", ".2f"),
]
# Pages/s of a real crawl against the link-only spider's: in the crawl's process, and with the pool.
GOAL_IN_PROCESS = 0.8
GOAL_POOL = 1.0


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the run with the median pages/s (a real run, not a blend of several)."""
    ordered = sorted(runs, key=lambda r: r["pages_per_s"])
    row = dict(ordered[len(ordered) // 2])
    if len(runs) > 1:
        row["pages_per_s_all"] = [r["pages_per_s"] for r in runs]
    return row


def _variants(kinds: list[str], workers: list[int]) -> list[tuple[str, str, int | None]]:
    """Return (row label, crawl kind, extractor workers or None) for each crawl of a round."""
    out: list[tuple[str, str, int | None]] = []
    for kind in kinds:
        if kind in ("linkonly", "bare"):
            out.append((kind, kind, None))
            continue
        for n in workers:
            out.append((kind if n == 0 else f"{kind} pool={n}", kind, n))
    return out


def _ratio(num: float, den: float | None) -> float | None:
    return round(num / den, 3) if den else None


def run(articles: int, *, kinds: list[str], repeat: int, concurrency: int, server: str,
        extra: dict[str, Any], workers: list[int] | None = None) -> dict[str, Any]:
    """Run the benchmark and return every figure (also printed)."""
    out = portal_dir(articles)
    manifest = generate_portal(articles, out)
    missing = news_missing()
    if missing and any(k not in ("bare", "linkonly") for k in kinds):
        print(f"note: real spider skipped: {missing}")
        kinds = [k for k in kinds if k in ("bare", "linkonly")]
    variants = _variants(kinds, workers or [0])
    explicit = workers is not None
    settings = {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                "LOG_LEVEL": "INFO", **extra}
    work = out / "crawl"
    runs: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in variants}
    with serve(out / "www", out / f"server-{server}", prefer=server) as srv:
        ceiling = measure_ceiling(srv.base_url, out / "pages.txt", seconds=3)
        print(f"portal: {articles:,} articles, {manifest['pages']:,} pages, "
              f"{int(manifest['bytes']) / 1e6:.0f} MB at {srv.base_url} ({srv.kind})")
        print(f"server ceiling: {ceiling['requests_per_s']:,} pages/s, {ceiling['MB_per_s']} MB/s "
              f"({ceiling['tool']}); {load_note()}", flush=True)
        for i in range(repeat):
            for label, kind, n in variants:
                these = dict(settings)
                if n is not None and explicit:
                    these["NEWSARCHIVE_EXTRACT_WORKERS"] = n
                r = run_crawl(kind, srv.base_url, list(manifest["start_paths"]), work,  # type: ignore[arg-type]
                              settings=these, tag="" if not n else f"-pool{n}")
                r["kind"] = label
                r["workers"] = n
                runs[label].append(r)
                print(f"  run {i + 1}/{repeat} {label:14s} {r['responses']:,} pages in {r['wall_s']:.1f} s "
                      f"= {r['pages_per_s']:.0f} pages/s, {r['cpu_ms_per_page']:.2f} CPU ms/page", flush=True)
    rows = [_median_run(runs[label]) for label, _, _ in variants if runs[label]]
    bare = next((r for r in rows if r["kind"] == "bare"), None)
    link = next((r for r in rows if r["kind"] == "linkonly"), None)
    for r in rows:
        r["ratio"] = _ratio(r["pages_per_s"], bare["pages_per_s"] if bare else None)
        r["ratio_linkonly"] = _ratio(r["pages_per_s"], link["pages_per_s"] if link else None)
        # CPU per page is what a busy machine disturbs least: the ratio a free core would show.
        r["ratio_cpu"] = _ratio(bare["cpu_ms_per_page"], r["cpu_ms_per_page"]) if bare else None
        r["ratio_linkonly_cpu"] = _ratio(link["cpu_ms_per_page"], r["cpu_ms_per_page"]) if link else None
        if r["kind"] not in ("bare", "linkonly"):
            r["articles_stored"] = r["newsarchive_stats"].get("newsarchive/archive/new")
    print()
    print(format_table(rows, COLUMNS))
    for r in rows:
        if r["kind"] in ("bare", "linkonly"):
            continue
        parts = []
        if link:
            goal = GOAL_POOL if r.get("workers") else GOAL_IN_PROCESS
            verdict = "meets" if r["ratio_linkonly"] >= goal else "misses"
            parts.append(f"{r['ratio_linkonly']:.2f}x linkonly by pages/s ({verdict} the goal >= {goal}), "
                         f"{r['ratio_linkonly_cpu']:.2f}x by CPU per page")
        if bare:
            parts.append(f"{r['ratio']:.2f}x bare by pages/s, {r['ratio_cpu']:.2f}x by CPU per page")
        print(f"{r['kind']}: " + "; ".join(parts) + "; "
              f"articles stored {r.get('articles_stored')} of {manifest['article_pages']} article pages; "
              f"errors {r['errors']}, spider exceptions {r['spider_exceptions']}")
    print(load_note())
    data = {"articles": articles, "manifest": manifest, "ceiling": ceiling, "server": server,
            "settings": settings, "rows": rows, "runs": runs}
    print(f"results: {save_results(f'crawl-{articles}', data)}")
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line for the crawl benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1500)
    ap.add_argument("--repeat", type=int, default=1, help="runs of each crawl; the median is shown")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--only", default=",".join(crawl_kinds()), help="comma-separated: linkonly,bare,sqlite,jsonl")
    ap.add_argument("--workers", default=None,
                    help="comma-separated NEWSARCHIVE_EXTRACT_WORKERS values for the real crawls, e.g. 0,1")
    ap.add_argument("--server", choices=("nginx", "python"), default="nginx")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="extra Scrapy setting for every crawl (value parsed as JSON when it can be)")
    args = ap.parse_args(argv)
    import json

    extra: dict[str, Any] = {}
    for kv in args.set:
        key, _, raw = kv.partition("=")
        try:
            extra[key] = json.loads(raw)
        except json.JSONDecodeError:
            extra[key] = raw
    kinds = [k for k in args.only.split(",") if k]
    bad = [k for k in kinds if k not in crawl_kinds()]
    if bad:
        ap.error(f"unknown crawl {bad[0]!r}: use {', '.join(crawl_kinds())}")
    workers = None
    if args.workers is not None:
        try:
            workers = [int(n) for n in args.workers.split(",") if n.strip()]
        except ValueError:
            ap.error(f"invalid --workers {args.workers!r}: give whole numbers, e.g. --workers 0,1")
    run(args.articles, kinds=kinds, repeat=args.repeat, concurrency=args.concurrency,
        server=args.server, extra=extra, workers=workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
