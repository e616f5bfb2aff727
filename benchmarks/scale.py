"""Scale benchmark: peak RSS and pages/s of one crawl process at 1k, 10k and 50k articles.

Each size is generated (once, then reused), served by nginx, and crawled by
the real pipeline in a fresh subprocess; the bare link-follower runs at the
same sizes for reference unless ``--no-bare``::

    python benchmarks/scale.py [--sizes 1000,10000,50000] [--crawl sqlite] [--no-bare]

Goals: peak RSS at the largest size <= 1.3x the smallest; CPU ms per page flat.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import format_table, load_note, news_missing, run_crawl, save_results
from gen_portal import generate_portal, portal_dir
from server import serve

GOAL_RSS = 1.3


def main(argv: list[str] | None = None) -> int:
    """Command line for the scale benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--crawl", choices=("sqlite", "jsonl", "bare"), default="sqlite")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare reference crawls")
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    kinds = [args.crawl]
    if args.crawl != "bare" and (why := news_missing()):
        print(f"note: real spider skipped: {why}")
        kinds = []
    if not args.no_bare and "bare" not in kinds:
        kinds.insert(0, "bare")
    # No listing-page cap: the 50k portal's two largest sections have more than 500
    # listing pages, and NEWSARCHIVE_MAX_LISTING_PAGES=500 would stop them early.
    settings = {"CONCURRENT_REQUESTS": args.concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
                "NEWSARCHIVE_MAX_LISTING_PAGES": 0}
    rows: list[dict[str, Any]] = []
    for n in sizes:
        out = portal_dir(n)
        manifest = generate_portal(n, out)
        with serve(out / "www", out / "server-nginx") as srv:
            for kind in kinds:
                r = run_crawl(kind, srv.base_url, list(manifest["start_paths"]), out / "scale",  # type: ignore[arg-type]
                              settings=settings)
                r["articles"] = n
                r["rss_growth_mb"] = round(r["peak_rss_mb"] - r["rss_at_open_mb"], 1)
                rows.append(r)
                print(f"  {n:>6,} articles {kind:6s} {r['responses']:,} pages {r['pages_per_s']:.0f} pages/s "
                      f"{r['cpu_ms_per_page']:.2f} CPU ms/page peak RSS {r['peak_rss_mb']:.0f} MB; {load_note()}",
                      flush=True)
    print()
    print(format_table(rows, [("crawl", "kind", ""), ("articles", "articles", ",d"),
                              ("pages", "responses", ",d"), ("pages/s", "pages_per_s", ".0f"),
                              ("CPU ms/page", "cpu_ms_per_page", ".2f"), ("peak RSS MB", "peak_rss_mb", ".0f"),
                              ("RSS at start MB", "rss_at_open_mb", ".0f"), ("growth MB", "rss_growth_mb", ".0f")]))
    for kind in kinds:
        mine = [r for r in rows if r["kind"] == kind]
        if len(mine) >= 2:
            small, big = mine[0], mine[-1]
            rss = big["peak_rss_mb"] / small["peak_rss_mb"]
            cpu = big["cpu_ms_per_page"] / small["cpu_ms_per_page"]
            print(f"{kind}: peak RSS {big['articles']:,}/{small['articles']:,} = {rss:.2f}x "
                  f"({'meets' if rss <= GOAL_RSS else 'misses'} <= {GOAL_RSS}x); "
                  f"CPU per page {cpu:.2f}x; pages/s {big['pages_per_s'] / small['pages_per_s']:.2f}x")
    print(load_note())
    print(f"results: {save_results('scale', {'rows': rows})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
