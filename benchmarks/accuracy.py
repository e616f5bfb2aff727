"""Score extract_article on manifests of saved pages, beside readability and trafilatura.

    python benchmarks/accuracy.py /work/shared/corpus/zh-dev/manifest.jsonl [MANIFEST...]
        [--split dev|held-out|all] [--repeat N] [--failures]

A manifest holds one JSON object per page (the dev corpus format): ``id``,
``html_path`` (relative to the manifest), ``url``, ``title`` and
``title_alternates``, ``publish_time`` (local ISO, no offset) and
``publish_time_precision``, ``view_count``, optionally ``body`` (the article
text, null for a page that is no article) and ``page_type`` (``listing`` for a
page that must give no article). ``benchmarks/en-fixtures.jsonl`` is such a
manifest over the hand-built English fixture pages.

Body P/R/F1 is the article-extraction-benchmark's measure: NFKC, each CJK
character one token and every other ``\\w+`` run one token, multisets of 4-token
shingles, each page's tp/fp/fn normalised to sum 1; precision is averaged over
the pages with a prediction, recall over all pages with a body, F1 is that of
the two means.

A third of the sites is held out (a hash of the site's id prefix, so a site's
pages are all on one side): develop on ``--split dev``, look at ``held-out``
only to check that a rule generalises. Each manifest prints one table: this
project and each anchor (readability-lxml, trafilatura) that is installed,
scored on the same pages with the same scorer; ms/page is CPU time, best of
``--repeat`` runs (lxml's parse alone given beside ours). ``--failures`` lists
our every miss with got/expected.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import lxml.html

from newsarchive.errors import ExtractionError
from newsarchive.extract import extract_article

#: One token: a CJK character, or a run of other word characters.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK_CLASS}]|(?:(?![{_CJK_CLASS}])\w)+")
#: The trailing part of a page id that numbers or names the page within its site.
_PAGE_SUFFIX = re.compile(r"_[^_]+$")


def tokenize(text: str) -> list[str]:
    """Return the tokens of *text*: NFKC, each CJK character one, other ``\\w+`` runs one."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text or ""))


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_match(got: str, expected: str) -> tuple[float, float, float]:
    """Return (tp, fp, fn) of *got* against *expected*'s 4-token shingles, normalised to sum 1."""
    pred, true = _shingles(got), _shingles(expected)
    tp = sum((pred & true).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def body_prf(matches: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Return (precision, recall, F1) over pages' (tp, fp, fn).

    Precision is averaged over the pages with a prediction, recall over all
    pages; F1 is that of the two means.
    """
    if not matches:
        return 0.0, 0.0, 0.0
    predicted = [tp / (tp + fp) for tp, fp, _ in matches if tp + fp > 0]
    precision = statistics.mean(predicted) if predicted else 0.0
    recall = statistics.mean(tp / (tp + fn) if tp + fn else 0.0 for tp, _, fn in matches)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def site_of_page(page_id: str) -> str:
    """Return the site part of a page id: ``stw_qw_list`` and ``stw_qw_1`` are site ``stw_qw``."""
    return _PAGE_SUFFIX.sub("", page_id)


def split_of(page_id: str) -> str:
    """Return "held-out" for a third of the sites (by a hash of the site), else "dev"."""
    digest = hashlib.sha1(site_of_page(page_id).encode("utf-8")).digest()
    return "held-out" if digest[0] % 3 == 0 else "dev"


@dataclass
class Got:
    """What one extractor gave for one page."""

    title: str | None = None
    published_at: str | None = None
    view_count: int | None = None
    body: str = ""
    error: str | None = None


@dataclass
class Tally:
    """The running score of one extractor over one manifest."""

    n: int = 0
    title_ok: int = 0
    day_ok: int = 0
    minute_ok: int = 0
    minute_n: int = 0
    views_expected: int = 0
    views_found: int = 0
    views_invented: int = 0
    listings: int = 0
    listings_rejected: int = 0
    matches: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _ours(data: bytes, url: str | None) -> Got:
    try:
        record = extract_article(data, url).to_record()
    except ExtractionError as exc:
        return Got(error=str(exc))
    return Got(record["title"], record["published_at"], record["view_count"], "\n".join(record["paragraphs"]))


def _html_text(html: str) -> str:
    """The text of an HTML fragment, one line per block."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for node in root.iter("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre"):
        node.tail = "\n" + (node.tail or "")
    for node in root.iter("td", "th"):
        node.tail = " " + (node.tail or "")
    return "\n".join(line.strip() for line in root.text_content().splitlines() if line.strip())


def _anchors() -> dict[str, Callable[[bytes, str | None], Got]]:
    """The anchor extractors that are installed, by name."""
    found: dict[str, Callable[[bytes, str | None], Got]] = {}
    try:
        from readability import Document as Readability  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        pass
    else:

        def readability(data: bytes, url: str | None) -> Got:
            try:
                doc = Readability(data, url=url)
                return Got(title=doc.short_title() or None, body=_html_text(doc.summary(html_partial=True)))
            except Exception as exc:  # noqa: BLE001 - an anchor's crash is its miss
                return Got(error=repr(exc))

        found["readability"] = readability
    try:
        import trafilatura  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        pass
    else:

        def trafilatura_(data: bytes, url: str | None) -> Got:
            try:
                result = trafilatura.bare_extraction(data, url=url, include_tables=True, with_metadata=True)
            except Exception as exc:  # noqa: BLE001
                return Got(error=repr(exc))
            if result is None:
                return Got(error="no result")
            record = result if isinstance(result, dict) else result.as_dict()
            return Got(title=record.get("title"), published_at=record.get("date"), body=record.get("text") or "")

        found["trafilatura"] = trafilatura_
    return found


def _time(func: Callable[[], object], repeat: int) -> float:
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


def _tally(tally: Tally, page: dict[str, Any], got: Got) -> None:
    """Add one page's result *got* to *tally*."""
    pid = page["id"]
    tally.n += 1
    if page.get("page_type") == "listing":
        tally.listings += 1
        if got.error is not None:
            tally.listings_rejected += 1
        else:
            tally.failures.append(f"{pid}: a listing page gave an article titled {got.title!r}")
    titles = [page["title"], *page.get("title_alternates", [])]
    if got.title in titles or (page["title"] is None and got.error is not None):
        tally.title_ok += 1
    else:
        tally.failures.append(f"{pid}: title got {got.title!r} expected {page['title']!r} {got.error or ''}")

    expected_time, got_time = page.get("publish_time"), got.published_at
    if expected_time is None:
        if got_time is None:
            tally.day_ok += 1
        else:
            tally.failures.append(f"{pid}: published_at got {got_time!r} expected None (invented)")
    else:
        if got_time is not None and got_time[:10] == expected_time[:10]:
            tally.day_ok += 1
        else:
            tally.failures.append(f"{pid}: day got {got_time!r} expected {expected_time!r}")
        if page.get("publish_time_precision") in ("minute", "second"):
            tally.minute_n += 1
            if got_time is not None and len(got_time) >= 16 and got_time[:16] == expected_time[:16]:
                tally.minute_ok += 1
            elif got_time is not None and got_time[:10] == expected_time[:10]:
                tally.failures.append(f"{pid}: minute got {got_time!r} expected {expected_time!r}")

    expected_views = page.get("view_count")
    if expected_views is not None:
        tally.views_expected += 1
        if got.view_count == expected_views:
            tally.views_found += 1
        else:
            tally.failures.append(f"{pid}: view_count got {got.view_count!r} expected {expected_views!r}")
    if got.view_count is not None and got.view_count != expected_views:
        tally.views_invented += 1
        if expected_views is None:
            tally.failures.append(f"{pid}: view_count got {got.view_count!r} expected None (invented)")

    if page.get("body"):
        match = shingle_match(got.body, page["body"])
        for group in ("all", page.get("page_type") or ""):
            if group:
                tally.matches.setdefault(group, []).append(match)
        if match[0] < 0.9:
            tally.failures.append(
                f"{pid}: body tp {match[0]:.2f} fp {match[1]:.2f} fn {match[2]:.2f} {got.error or ''}"
            )


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "n/a"


def _rows(tally: Tally, timed: bool) -> dict[str, str]:
    rows: dict[str, str] = {}
    groups = sorted(tally.matches.items(), key=lambda kv: kv[0] != "all")
    for group, matches in groups if len(groups) > 2 else groups[:1]:
        p, r, f1 = body_prf(matches)
        rows[f"body P/R/F1 {group} ({len(matches)})"] = f"{p:.3f} {r:.3f} **{f1:.3f}**"
    rows["title exact"] = _pct(tally.title_ok, tally.n)
    rows["publish day"] = _pct(tally.day_ok, tally.n)
    rows["publish minute"] = _pct(tally.minute_ok, tally.minute_n)
    rows["views found / invented"] = f"{_pct(tally.views_found, tally.views_expected)} / {tally.views_invented}"
    if tally.listings:
        rows["non-articles rejected"] = _pct(tally.listings_rejected, tally.listings)
    if timed and tally.ms:
        rows["CPU ms/page median"] = f"{statistics.median(tally.ms):.2f}"
    return rows


def score(manifest: str, split: str, repeat: int, show_failures: bool) -> int:
    """Print the score table of *manifest*'s pages in *split*; return the number of our failures."""
    base = Path(manifest).parent
    pages = [json.loads(line) for line in Path(manifest).read_text(encoding="utf-8").splitlines() if line.strip()]
    if split != "all":
        pages = [page for page in pages if split_of(page["id"]) == split]
    extractors: dict[str, Callable[[bytes, str | None], Got]] = {"newsarchive": _ours, **_anchors()}
    tallies = {name: Tally() for name in extractors}
    lxml_ms: list[float] = []
    for page in pages:
        data = (base / page["html_path"]).read_bytes()
        url = page.get("url")
        for name, func in extractors.items():
            _tally(tallies[name], page, func(data, url))
            tallies[name].ms.append(_time(lambda func=func, data=data, url=url: func(data, url), repeat))
        lxml_ms.append(_time(lambda data=data: lxml.html.document_fromstring(data), repeat))

    print(f"\n## {manifest} — split {split}: {len(pages)} pages, {len({site_of_page(p['id']) for p in pages})} sites\n")
    if not pages:
        return 0
    table = {name: _rows(tally, timed=True) for name, tally in tallies.items()}
    metrics = list(dict.fromkeys(metric for rows in table.values() for metric in rows))
    print("| metric | " + " | ".join(table) + " |")
    print("|---|" + "---|" * len(table))
    for metric in metrics:
        print(f"| {metric} | " + " | ".join(rows.get(metric, "") for rows in table.values()) + " |")
    print(f"| lxml parse alone, ms/page median | {statistics.median(lxml_ms):.2f} |" + " |" * (len(table) - 1))
    ours = tallies["newsarchive"]
    if show_failures and ours.failures:
        print(f"\n{len(ours.failures)} failures:")
        for line in ours.failures:
            print("  " + line)
    return len(ours.failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifests", nargs="+", metavar="MANIFEST")
    parser.add_argument("--split", choices=("dev", "held-out", "all"), default="dev", help="which sites to score")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page (best is kept)")
    parser.add_argument("--failures", action="store_true", help="list each of our misses")
    args = parser.parse_args(argv)
    failures = sum(score(manifest, args.split, args.repeat, args.failures) for manifest in args.manifests)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
