"""Write what extraction and link analysis make of every page we have, one JSON line a page.

A refactor must not change a record: run this before and after it and compare::

    python scripts/snapshot.py -o /tmp/before.jsonl
    ... change the code ...
    python scripts/snapshot.py -o /tmp/after.jsonl --compare /tmp/before.jsonl

Pages: fixtures/pages/*.html (URL from the sidecar JSON when there is one), every
HTML file under fixtures/sites/*/ (as served by the mock server on one made-up
origin), the dev corpora under shared/corpus/*/ (URL from their manifests; the
first such folder beside the checkout or above it, or the one ``--corpus`` names)
and, when benchmarks/gen_portal.py has written one, a sample of the portal.
Each line holds the page's record from ``extract_article`` (or the error's type
and message) and ``analyze_page``'s answer (kind, article links, next page,
sections). The clock is fixed, so two runs on unchanged code give the same file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.extract.document import parse_document
from newsarchive.extract.facade import extract_article
from newsarchive.extract.links import analyze_page

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SITE_ORIGIN = "http://127.0.0.1:8051"


def find_corpora(start: Path = REPO) -> Path | None:
    """Return the nearest ``shared/corpus`` folder beside *start* or one of its parents.

    A worktree under /work/wt/NAME and the main checkout /work/main both find
    /work/shared/corpus; None if no folder on the way up has one.
    """
    for folder in start.parents:
        candidate = folder / "shared" / "corpus"
        if any(candidate.glob("*/manifest.jsonl")):
            return candidate
    return None


def _pages(corpora: Path) -> Iterator[tuple[str, Path, str]]:
    """Yield (key, path, url) for every page, in a stable order."""
    for html in sorted((REPO / "fixtures" / "pages").glob("*.html")):
        url = f"http://example.test/{html.name}"
        sidecar = html.with_suffix(".json")
        if sidecar.exists():
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            url = meta.get("url") or meta.get("input", {}).get("url") or url
        yield f"pages/{html.name}", html, url
    for site in sorted((REPO / "fixtures" / "sites").iterdir()):
        if not site.is_dir():
            continue
        for html in sorted(site.rglob("*.htm*")):
            rel = html.relative_to(site)
            parts = rel.parts[1:] if rel.parts[0] in {"www", "edited", "grown"} else rel.parts
            url = SITE_ORIGIN + "/" + "/".join(parts)
            yield f"sites/{site.name}/{rel.as_posix()}", html, url
    for manifest in sorted(corpora.glob("*/manifest.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                path = manifest.parent / entry["html_path"]
                # A page saved without its address is read at a stand-in one, so its links are analysed too.
                url = entry.get("url") or f"http://corpus.example.cn/{entry['id']}.html"
                yield f"corpus/{manifest.parent.name}/{entry['id']}", path, url
    portal = REPO / "benchmarks" / "out" / "portal"
    if portal.is_dir():
        for html in sorted(portal.rglob("*.html"))[:300]:
            yield f"portal/{html.relative_to(portal).as_posix()}", html, SITE_ORIGIN + "/" + html.relative_to(portal).as_posix()


def snapshot(key: str, path: Path, url: str) -> dict[str, object]:
    """Return one page's extraction and link analysis as plain JSON values."""
    body = path.read_bytes()
    out: dict[str, object] = {"page": key, "url": url}
    try:
        out["record"] = dataclasses.asdict(extract_article(body, url, now=NOW))
    except Exception as exc:  # noqa: BLE001 - the error is part of the snapshot
        out["record"] = {"error": type(exc).__name__, "message": str(exc)}
    try:
        links = analyze_page(parse_document(body, url, None), now=NOW, sections=True)
        out["links"] = {
            "kind": links.kind.name,
            "articles": [dataclasses.asdict(a) if dataclasses.is_dataclass(a) else repr(a) for a in links.articles],
            "next_page": links.next_page,
            "sections": list(links.sections),
        }
    except Exception as exc:  # noqa: BLE001
        out["links"] = {"error": type(exc).__name__, "message": str(exc)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", required=True, help="JSON Lines file to write")
    parser.add_argument("--compare", help="an earlier snapshot: print the pages that differ")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="folder holding the dev corpora (*/manifest.jsonl); default: the nearest shared/corpus above the checkout",
    )
    args = parser.parse_args(argv)
    corpora = args.corpus or find_corpora()
    # Without the corpus the snapshot silently shrinks to the fixtures, and a
    # comparison against a full one reports every corpus page as differing (or,
    # worse, two short snapshots agree while the corpus pages went unchecked).
    if corpora is None or not any(corpora.glob("*/manifest.jsonl")):
        where = corpora or f"shared/corpus above {REPO}"
        parser.error(f"no dev corpus (*/manifest.jsonl) found in {where}; pass --corpus FOLDER")
    with open(args.output, "w", encoding="utf-8") as out:
        count = 0
        for key, path, url in _pages(corpora):
            out.write(json.dumps(snapshot(key, path, url), ensure_ascii=False, sort_keys=True, default=str) + "\n")
            count += 1
    print(f"{count} pages written to {args.output} (corpus: {corpora})")
    if not args.compare:
        return 0
    old = {json.loads(x)["page"]: x for x in Path(args.compare).read_text(encoding="utf-8").splitlines()}
    new = {json.loads(x)["page"]: x for x in Path(args.output).read_text(encoding="utf-8").splitlines()}
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    for key in differ:
        print(f"differs: {key}")
    print(f"{len(differ)} of {len(new)} pages differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
