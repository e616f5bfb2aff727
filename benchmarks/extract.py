"""Extraction benchmark: extract_article's cost per page beside lxml's parse alone.

Pages: the one-page fixtures (fixtures/pages/*.html), the article pages of
the fixture sites (fixtures/sites/*/www, paths from expected.jsonl), the dev
corpus (/work/shared/corpus/zh-dev/html, read in place), and a sample of the
synthetic portal's articles when one has been generated. For each page::

    floor    lxml.html.document_fromstring(bytes)   (libxml2 parse, nothing else)
    decode   parse_document(bytes, url, ctype)       (our charset rules + the parse)
    extract  extract_article(bytes, url, ...)        (everything, as the CLI calls it)
    from_doc extract_article(Document, url, ...)     (as the spider calls it: parsed once)

Each is timed ``--reps`` times and the page's median kept; the table gives
the median and p95 over pages, and extract/floor. Slow fallbacks are counted
by wrapping them: BeautifulSoup parses, dateparser calls, charset_normalizer
detection. Usage::

    python benchmarks/extract.py [--reps 5] [--portal 10000] [--profile]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
CORPUS = Path("/work/shared/corpus/zh-dev")
GOAL_RATIO = 2.5
GOAL_MS = 5.0

CALLS: Counter[str] = Counter()


def _install_counters() -> None:
    """Wrap the slow fallbacks in place, before newsarchive is imported, to count their calls."""

    def counting(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            CALLS[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    try:
        import bs4

        init = bs4.BeautifulSoup.__init__
        bs4.BeautifulSoup.__init__ = counting("BeautifulSoup", init)  # type: ignore[method-assign]
    except ImportError:
        pass
    try:
        import dateparser
        import dateparser.date

        dateparser.parse = counting("dateparser", dateparser.parse)
        ddp = dateparser.date.DateDataParser
        ddp.get_date_data = counting("dateparser", ddp.get_date_data)  # type: ignore[method-assign]
    except ImportError:
        pass
    try:
        import charset_normalizer
        import charset_normalizer.api

        wrapped = counting("charset_normalizer", charset_normalizer.api.from_bytes)
        charset_normalizer.from_bytes = wrapped
        charset_normalizer.api.from_bytes = wrapped
    except ImportError:
        pass
    try:
        import chardet

        chardet.detect = counting("chardet", chardet.detect)
    except ImportError:
        pass


def _pages(portal: int | None, portal_sample: int) -> list[dict[str, Any]]:
    """Return the benchmark pages: dicts with group, name, url, content_type, body (bytes)."""
    pages: list[dict[str, Any]] = []
    for html in sorted((REPO / "fixtures" / "pages").glob("*.html")):
        meta_path = html.with_suffix(".json")
        meta = json.loads(meta_path.read_text("utf-8")) if meta_path.exists() else {}
        pages.append({"group": "fixtures/pages", "name": html.stem, "body": html.read_bytes(),
                      "url": meta.get("url") or f"http://fixture.example.cn/{html.name}",
                      "content_type": meta.get("content_type")})
    import tomllib

    for site in sorted((REPO / "fixtures" / "sites").glob("*/site.toml")):
        conf = tomllib.loads(site.read_text("utf-8"))
        expected = site.parent / "expected.jsonl"
        if not expected.exists():
            continue
        for line in expected.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            path = json.loads(line)["path"]
            f = site.parent / "www" / path.lstrip("/")
            if f.is_dir() or path.endswith("/"):
                f = f / "index.html"
            if f.exists():
                pages.append({"group": "fixtures/sites", "name": f"{conf['name']}{path}",
                              "body": f.read_bytes(), "url": f"http://{conf['host']}{path}",
                              "content_type": None})
    manifest = CORPUS / "manifest.jsonl"
    if manifest.exists():
        for line in manifest.read_text("utf-8").splitlines():
            rec = json.loads(line)
            f = CORPUS / rec["html_path"]
            if f.exists():
                pages.append({"group": "zh-dev", "name": rec["id"], "body": f.read_bytes(),
                              "url": rec.get("url") or f"http://corpus.example.cn/{rec['id']}.html",
                              "content_type": None})
    if portal:
        sys.path.insert(0, str(BENCH))
        from gen_portal import portal_dir

        root = portal_dir(portal)
        listed = root / "pages.txt"
        if listed.exists():
            arts = [p for p in listed.read_text("utf-8").splitlines()
                    if p.endswith(".html") and "/index" not in p and "/list_" not in p
                    and p.count("/") >= 3]
            step = max(1, len(arts) // portal_sample)
            for p in arts[::step][:portal_sample]:
                pages.append({"group": f"portal-{portal}", "name": p,
                              "body": (root / "www" / p.lstrip("/")).read_bytes(),
                              "url": f"http://127.0.0.1:8080{p}", "content_type": None})
    return pages


def _time(fn: Callable[[], Any], reps: int) -> tuple[float, Any]:
    """Return (median ms over *reps* calls of *fn*, last result or the exception raised)."""
    times = []
    result: Any = None
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - a page that raises is still timed
            result = exc
        times.append((time.perf_counter_ns() - t0) / 1e6)
    return statistics.median(times), result


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(reps: int, portal: int | None, portal_sample: int, profile: bool) -> dict[str, Any]:
    """Time every page and print the table; return the figures."""
    _install_counters()
    import lxml.html

    from newsarchive.extract import extract_article
    from newsarchive.extract.document import parse_document

    pages = _pages(portal, portal_sample)
    now = __import__("datetime").datetime(2024, 7, 1, 12, 0)
    rows: list[dict[str, Any]] = []
    outcome: Counter[str] = Counter()
    per_page_calls: dict[str, Counter[str]] = {}
    for pg in pages:
        body, url, ctype = pg["body"], pg["url"], pg["content_type"]
        floor, _ = _time(lambda b=body: lxml.html.document_fromstring(b), reps)
        decode, doc = _time(lambda b=body, u=url, c=ctype: parse_document(b, u, c), reps)
        before = CALLS.copy()
        full, res = _time(
            lambda b=body, u=url, c=ctype: extract_article(b, u, content_type=c, now=now), reps)
        delta = CALLS - before
        if delta:
            per_page_calls[pg["name"]] = Counter({k: v // reps for k, v in delta.items()})
        from_doc, _ = _time(
            lambda d=doc, u=url, c=ctype: extract_article(d, u, content_type=c, now=now), reps)
        kind = type(res).__name__ if isinstance(res, Exception) else "Article"
        outcome[kind] += 1
        rows.append({"group": pg["group"], "name": pg["name"], "kb": len(body) / 1024,
                     "floor": floor, "decode": decode, "extract": full, "from_doc": from_doc,
                     "ratio": full / floor if floor else 0.0, "outcome": kind})

    def summary(sel: list[dict[str, Any]], label: str) -> dict[str, Any]:
        return {
            "set": label, "pages": len(sel),
            "kb": statistics.median(r["kb"] for r in sel),
            "floor_med": statistics.median(r["floor"] for r in sel),
            "decode_med": statistics.median(r["decode"] for r in sel),
            "extract_med": statistics.median(r["extract"] for r in sel),
            "extract_p95": _pct([r["extract"] for r in sel], 0.95),
            "from_doc_med": statistics.median(r["from_doc"] for r in sel),
            "ratio_med": statistics.median(r["ratio"] for r in sel),
        }

    groups = sorted({r["group"] for r in rows})
    table = [summary([r for r in rows if r["group"] == g], g) for g in groups]
    table.append(summary(rows, "all"))
    sys.path.insert(0, str(BENCH))
    from _common import format_table, load_note, save_results

    print(format_table(table, [
        ("pages", "set", ""), ("n", "pages", "d"), ("KB med", "kb", ".0f"),
        ("lxml parse ms", "floor_med", ".2f"), ("decode+parse ms", "decode_med", ".2f"),
        ("extract med ms", "extract_med", ".2f"), ("extract p95 ms", "extract_p95", ".2f"),
        ("from Document ms", "from_doc_med", ".2f"), ("extract/parse", "ratio_med", ".2f"),
    ]))
    allrow = table[-1]
    ok = allrow["ratio_med"] <= GOAL_RATIO and allrow["extract_med"] <= GOAL_MS
    print(f"goal: median extract <= {GOAL_RATIO}x lxml parse and <= {GOAL_MS} ms: "
          f"{'met' if ok else 'missed'} ({allrow['ratio_med']:.2f}x, {allrow['extract_med']:.2f} ms)")
    print(f"outcomes: {dict(outcome)}")
    broken = sum(v for k, v in outcome.items() if k not in ("Article", "NotAnArticle"))
    if broken:
        print(f"warning: {broken} pages raised errors other than NotAnArticle: "
              "extraction stopped early there, so the figures understate its cost")
    calls = {k: sum(c[k] for c in per_page_calls.values()) for k in
             ("BeautifulSoup", "dateparser", "charset_normalizer", "chardet")}
    print(f"slow fallbacks per extraction pass over {len(rows)} pages: {calls}")
    for name, c in sorted(per_page_calls.items()):
        print(f"  {name}: {dict(c)}")
    slow = sorted(rows, key=lambda r: r["extract"], reverse=True)[:8]
    print("slowest pages:")
    for r in slow:
        print(f"  {r['extract']:7.2f} ms  {r['ratio']:5.1f}x parse  {r['kb']:6.0f} KB  "
              f"{r['group']}/{r['name']}  ({r['outcome']})")
    print(load_note())
    data = {"summary": table, "rows": rows, "fallback_calls": calls, "outcomes": dict(outcome)}
    print(f"results: {save_results('extract', data)}")
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            for pg in pages:
                try:
                    extract_article(pg["body"], pg["url"], content_type=pg["content_type"], now=now)
                except Exception:  # noqa: BLE001, S112
                    continue
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    return data


def main(argv: list[str] | None = None) -> int:
    """Command line for the extraction benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="timed calls per page (median kept)")
    ap.add_argument("--portal", type=int, default=None,
                    help="also time N-article synthetic portal pages (generated by gen_portal.py)")
    ap.add_argument("--portal-sample", type=int, default=200)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of extraction")
    args = ap.parse_args(argv)
    run(args.reps, args.portal, args.portal_sample, args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
