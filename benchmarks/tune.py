"""Settings benchmark: what each Scrapy knob that matters costs on the synthetic portal.

Crawls the served portal once per variant, each in its own subprocess, with
politeness off and everything else as in newsarchive/settings.py::

    python benchmarks/tune.py --articles 1000 [--crawl sqlite|jsonl|bare] [--repeat 2]
        [--group items,requests,reactor,log,jobdir]

Groups: CONCURRENT_ITEMS (1/4/16/100), CONCURRENT_REQUESTS(_PER_DOMAIN)
(4/8/16/32/64), TWISTED_REACTOR (asyncio / epoll), LOG_LEVEL
(DEBUG/INFO/WARNING), JOBDIR (off / on; for the real spider NEWSARCHIVE_RESUME),
parts (the real pipeline without JOBDIR, without item pipelines, without both).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import format_table, load_note, news_missing, run_crawl, save_results
from gen_portal import generate_portal, portal_dir
from server import measure_ceiling, serve

ASYNCIO = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
EPOLL = "twisted.internet.epollreactor.EPollReactor"
JOBDIR_MARK = "<fresh>"


def variants(group: str, crawl: str) -> list[tuple[str, dict[str, Any]]]:
    """Return (label, settings) pairs of *group*; the first pair of a group is its reference."""
    if group == "items":
        return [(f"CONCURRENT_ITEMS={n}", {"CONCURRENT_ITEMS": n}) for n in (100, 16, 4, 1)]
    if group == "requests":
        return [(f"CONCURRENT_REQUESTS={n}", {"CONCURRENT_REQUESTS": n, "CONCURRENT_REQUESTS_PER_DOMAIN": n})
                for n in (16, 4, 8, 32, 64)]
    if group == "reactor":
        return [("reactor=asyncio", {"TWISTED_REACTOR": ASYNCIO}), ("reactor=epoll", {"TWISTED_REACTOR": EPOLL})]
    if group == "log":
        return [(f"LOG_LEVEL={lv}", {"LOG_LEVEL": lv}) for lv in ("INFO", "DEBUG", "WARNING")]
    if group == "jobdir":
        if crawl == "bare":
            return [("JOBDIR off", {}), ("JOBDIR on", {"JOBDIR": JOBDIR_MARK})]
        return [("resume off (no JOBDIR)", {"NEWSARCHIVE_RESUME": False}),
                ("resume on (JOBDIR)", {"NEWSARCHIVE_RESUME": True})]
    if group == "parts":
        # Where the real pipeline's time goes: take pieces away one at a time.
        return [("full pipeline", {}),
                ("resume off", {"NEWSARCHIVE_RESUME": False}),
                ("no item pipelines", {"ITEM_PIPELINES": {}}),
                ("no pipelines, resume off", {"ITEM_PIPELINES": {}, "NEWSARCHIVE_RESUME": False})]
    raise ValueError(f"unknown group {group!r}")


def main(argv: list[str] | None = None) -> int:
    """Command line for the settings benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--crawl", choices=("bare", "sqlite", "jsonl"), default="sqlite")
    ap.add_argument("--group", default="items,requests,reactor,log,jobdir")
    ap.add_argument("--repeat", type=int, default=1, help="runs per variant; the best is kept")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="setting applied to every variant")
    args = ap.parse_args(argv)
    import json

    base: dict[str, Any] = {"LOG_LEVEL": "INFO"}
    for kv in args.set:
        k, _, v = kv.partition("=")
        try:
            base[k] = json.loads(v)
        except json.JSONDecodeError:
            base[k] = v
    if args.crawl != "bare" and (why := news_missing()):
        ap.error(f"the real spider cannot run yet ({why}); try --crawl bare")
    out = portal_dir(args.articles)
    manifest = generate_portal(args.articles, out)
    work = out / "tune"
    rows: list[dict[str, Any]] = []
    with serve(out / "www", out / "server-nginx") as srv:
        ceiling = measure_ceiling(srv.base_url, out / "pages.txt", seconds=2)
        print(f"{args.crawl} crawl of {manifest['pages']:,} pages; server ceiling "
              f"{ceiling['requests_per_s']:,} pages/s; {load_note()}", flush=True)
        for group in args.group.split(","):
            ref = None
            for label, setting in variants(group, args.crawl):
                best = None
                for i in range(args.repeat):
                    s = {**base, **setting}
                    if s.get("JOBDIR") == JOBDIR_MARK:
                        jd = work / "jobdir"
                        shutil.rmtree(jd, ignore_errors=True)
                        s["JOBDIR"] = str(jd)
                    r = run_crawl(args.crawl, srv.base_url, list(manifest["start_paths"]), work,  # type: ignore[arg-type]
                                  settings=s, tag=f"-{group}")
                    if best is None or r["cpu_ms_per_page"] < best["cpu_ms_per_page"]:
                        best = r
                assert best is not None
                best["group"], best["variant"] = group, label
                ref = ref or best
                best["vs_ref"] = round(ref["cpu_ms_per_page"] / best["cpu_ms_per_page"], 3)
                rows.append(best)
                print(f"  {label:28s} {best['pages_per_s']:6.0f} pages/s  "
                      f"{best['cpu_ms_per_page']:6.2f} CPU ms/page  {best['peak_rss_mb']:5.0f} MB", flush=True)
    print()
    print(format_table(rows, [("variant", "variant", ""), ("pages", "responses", ",d"),
                              ("pages/s", "pages_per_s", ".0f"), ("CPU ms/page", "cpu_ms_per_page", ".2f"),
                              ("CPU util", "cpu_util", ".2f"), ("peak RSS MB", "peak_rss_mb", ".0f"),
                              ("speed vs group's first", "vs_ref", ".2f")]))
    print(load_note())
    print(f"results: {save_results(f'tune-{args.crawl}-{args.articles}', {'rows': rows})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
