"""Score extract_article on manifests of saved pages: fields right, and milliseconds per page.

    python benchmarks/accuracy.py /work/shared/corpus/zh-dev/manifest.jsonl [MANIFEST...] [--repeat N]

A manifest holds one JSON object per page (the dev corpus format): ``html_path``
(relative to the manifest), ``url``, ``title`` and ``title_alternates``,
``publish_time`` (local ISO, no offset) and ``publish_time_precision``,
``view_count``, and optionally ``body`` (the article text). Prints a table of
scores, timing beside lxml's parse alone, and every failure with got/expected.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import lxml.html

from newsarchive.errors import ExtractionError
from newsarchive.extract import extract_article

_WORD = re.compile(r"[A-Za-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _shingles(text: str) -> set[str]:
    """4-character shingles for Chinese text, 4-word shingles for English."""
    if len(_CJK.findall(text)) > len(text) * 0.2:
        chars = re.sub(r"\s+", "", text)
        return {chars[i : i + 4] for i in range(max(0, len(chars) - 3))}
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + 4]) for i in range(max(0, len(words) - 3))}


def body_f1(got: str, expected: str) -> float:
    """Return the F1 of *got* against *expected* over shingles."""
    a, b = _shingles(got), _shingles(expected)
    if not a or not b:
        return 1.0 if a == b else 0.0
    common = len(a & b)
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def _load(manifests: list[str]) -> list[dict[str, Any]]:
    pages = []
    for manifest in manifests:
        base = Path(manifest).parent
        for line in Path(manifest).read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                entry["_path"] = base / entry["html_path"]
                pages.append(entry)
    return pages


def _time(func: Any, repeat: int) -> float:
    """Return the best of *repeat* runs of *func* in milliseconds of this thread's CPU time.

    CPU time, not wall time: on a shared machine other processes' load would
    otherwise count against the extractor.
    """
    best = float("inf")
    for _ in range(repeat):
        start = time.thread_time()
        func()
        best = min(best, time.thread_time() - start)
    return best * 1000


def score(pages: list[dict[str, Any]], repeat: int) -> int:
    """Print the score table and failures for *pages*; return the number of failures."""
    failures: list[str] = []
    n = len(pages)
    title_ok = day_ok = minute_ok = minute_n = 0
    views_expected = views_found = views_invented = 0
    f1s: list[float] = []
    ms: list[float] = []
    lxml_ms: list[float] = []
    for page in pages:
        data = page["_path"].read_bytes()
        url = page.get("url") or f"http://localhost/{page['id']}.html"
        try:
            article = extract_article(data, url)
            got: dict[str, Any] = article.to_record()
        except ExtractionError as exc:
            got = {"title": None, "published_at": None, "view_count": None, "paragraphs": [], "error": str(exc)}
        ms.append(_time(lambda data=data, url=url: _safe(data, url), repeat))
        lxml_ms.append(_time(lambda data=data: lxml.html.document_fromstring(data), repeat))

        titles = [page["title"], *page.get("title_alternates", [])]
        if got["title"] in titles:
            title_ok += 1
        else:
            failures.append(f"{page['id']}: title got {got['title']!r} expected {page['title']!r}")

        expected_time = page.get("publish_time")
        got_time = got["published_at"]
        if expected_time is None:
            if got_time is None:
                day_ok += 1
            else:
                failures.append(f"{page['id']}: published_at got {got_time!r} expected None (invented)")
        else:
            if got_time is not None and got_time[:10] == expected_time[:10]:
                day_ok += 1
            else:
                failures.append(f"{page['id']}: day got {got_time!r} expected {expected_time!r}")
            if page.get("publish_time_precision") in ("minute", "second"):
                minute_n += 1
                if got_time is not None and len(got_time) >= 16 and got_time[:16] == expected_time[:16]:
                    minute_ok += 1
                elif got_time is not None and got_time[:10] == expected_time[:10]:
                    failures.append(f"{page['id']}: minute got {got_time!r} expected {expected_time!r}")

        expected_views = page.get("view_count")
        got_views = got["view_count"]
        if expected_views is not None:
            views_expected += 1
            if got_views == expected_views:
                views_found += 1
            else:
                failures.append(f"{page['id']}: view_count got {got_views!r} expected {expected_views!r}")
        if got_views is not None and got_views != expected_views:
            views_invented += 1
            if expected_views is None:
                failures.append(f"{page['id']}: view_count got {got_views!r} expected None (invented)")

        if page.get("body"):
            f1s.append(body_f1("\n".join(got.get("paragraphs") or []), page["body"]))

    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({100 * a / b:.1f}%)" if b else "n/a"

    rows = [
        ("pages", str(n)),
        ("title exact", pct(title_ok, n)),
        ("publish day", pct(day_ok, n)),
        ("publish minute", pct(minute_ok, minute_n)),
        ("views found", pct(views_found, views_expected)),
        ("views invented", str(views_invented)),
    ]
    if f1s:
        rows.append(("body F1 (mean)", f"{statistics.mean(f1s):.3f} over {len(f1s)} pages"))
    median, p95 = statistics.median(ms), sorted(ms)[max(0, int(len(ms) * 0.95) - 1)]
    lmedian = statistics.median(lxml_ms)
    rows.append(("CPU ms/page median", f"{median:.2f}  (lxml parse alone {lmedian:.2f}; ratio {median / lmedian:.2f}x)"))
    rows.append(("CPU ms/page p95", f"{p95:.2f}  (lxml parse alone {sorted(lxml_ms)[max(0, int(len(ms) * 0.95) - 1)]:.2f})"))
    width = max(len(r[0]) for r in rows)
    print("| metric".ljust(width + 2) + " | value |")
    print("|" + "-" * (width + 2) + "|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    if failures:
        print(f"\n{len(failures)} failures:")
        for line in failures:
            print("  " + line)
    return len(failures)


def _safe(data: bytes, url: str) -> None:
    try:
        extract_article(data, url)
    except ExtractionError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests", nargs="+", metavar="MANIFEST")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs per page (best is kept)")
    args = parser.parse_args(argv)
    failures = score(_load(args.manifests), args.repeat)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
