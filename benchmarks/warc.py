"""WARC benchmark: what keeping the raw pages costs, in bytes per article and in crawl speed.

One command generates (or reuses) the synthetic portal, serves it, and crawls
it with the real `news` spider into a SQLite archive twice, in fresh
subprocesses: once with WARC capture off (``NEWSARCHIVE_WARC=0``) and once on
(the default). Politeness is off and concurrency the same in both. Usage::

    python benchmarks/warc.py --articles 1000 [--concurrency 16]

Prints, for each crawl, pages/s and CPU ms per page, the ratio on/off, the WARC
files' bytes per article and per page (request and response records, gzip per
record), and the archive's own bytes per article for comparison.
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

COLUMNS = [
    ("crawl", "kind", ""),
    ("pages", "responses", ",d"),
    ("articles", "articles_stored", ",d"),
    ("wall s", "wall_s", ".1f"),
    ("pages/s", "pages_per_s", ".0f"),
    ("CPU ms/page", "cpu_ms_per_page", ".2f"),
    ("WARC MB", "warc_mb", ".1f"),
    ("WARC KB/article", "warc_kb_per_article", ".1f"),
    ("WARC KB/page", "warc_kb_per_page", ".1f"),
    ("archive KB/article", "archive_kb_per_article", ".2f"),
]


def _warc_bytes(run: dict[str, Any]) -> int:
    """Return the bytes of the WARC files the crawl wrote (0 with capture off)."""
    home = Path(run["log"]).with_name(f"archive-{run['tag_name']}") / "news.sqlite.warc"
    return sum(p.stat().st_size for p in home.glob("*.warc.gz")) if home.is_dir() else 0


def run(articles: int, *, concurrency: int, server: str) -> dict[str, Any]:
    """Run the benchmark and return every figure (also printed)."""
    missing = news_missing()
    if missing:
        raise SystemExit(f"error: {missing}")
    out = portal_dir(articles)
    manifest = generate_portal(articles, out)
    settings = {"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
                "LOG_LEVEL": "INFO"}
    work = out / "warc"
    rows = []
    with serve(out / "www", out / f"server-{server}", prefer=server) as srv:
        print(f"portal: {articles:,} articles, {manifest['pages']:,} pages at {srv.base_url} ({srv.kind}); "
              f"{load_note()}", flush=True)
        for label, warc in (("warc-off", False), ("warc-on", True)):
            r = run_crawl("sqlite", srv.base_url, list(manifest["start_paths"]), work,
                          settings={**settings, "NEWSARCHIVE_WARC": warc}, tag=f"-{label}")
            r["kind"] = label
            r["tag_name"] = f"sqlite-{label}"
            stored = int(r["newsarchive_stats"].get("newsarchive/archive/new") or 0)
            r["articles_stored"] = stored
            warc_bytes = _warc_bytes(r)
            r["warc_bytes"] = warc_bytes
            r["warc_mb"] = warc_bytes / 1e6
            r["warc_kb_per_article"] = warc_bytes / 1e3 / stored if stored else None
            r["warc_kb_per_page"] = warc_bytes / 1e3 / r["responses"] if r["responses"] else None
            r["archive_kb_per_article"] = (r["archive_bytes"] - warc_bytes) / 1e3 / stored if stored else None
            rows.append(r)
            print(f"  {label:8s} {r['responses']:,} pages in {r['wall_s']:.1f} s = {r['pages_per_s']:.0f} "
                  f"pages/s, {r['cpu_ms_per_page']:.2f} CPU ms/page", flush=True)
    off, on = rows
    ratio = on["pages_per_s"] / off["pages_per_s"]
    ratio_cpu = off["cpu_ms_per_page"] / on["cpu_ms_per_page"]
    print()
    print(format_table(rows, COLUMNS))
    print(f"ratio on/off = {ratio:.2f} by pages/s, {ratio_cpu:.2f} by CPU per page; "
          f"WARC {on['warc_kb_per_article']:.1f} KB per article stored "
          f"({on['warc_bytes'] / int(manifest['bytes']):.2f} of the site's {int(manifest['bytes']) / 1e6:.0f} MB)")
    print(load_note())
    data = {"articles": articles, "manifest": manifest, "server": server, "settings": settings,
            "rows": rows, "ratio_pages_per_s": round(ratio, 3), "ratio_cpu": round(ratio_cpu, 3)}
    print(f"results: {save_results(f'warc-{articles}', data)}")
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line for the WARC benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--server", choices=("nginx", "python"), default="nginx")
    args = ap.parse_args(argv)
    run(args.articles, concurrency=args.concurrency, server=args.server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
