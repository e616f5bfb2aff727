"""Shared plumbing of the crawl benchmarks: run one crawl in a subprocess, print tables."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["BENCH", "REPO", "crawl_kinds", "format_table", "load_note", "news_missing",
           "run_crawl", "save_results"]

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CHILD = BENCH / "_crawl_child.py"

# kind -> (spider, archive file name or None)
_KINDS: dict[str, tuple[str, str | None]] = {
    "linkonly": ("linkonly", None),
    "bare": ("bare", None),
    "sqlite": ("news", "news.sqlite"),
    "jsonl": ("news", "news.jsonl"),
}


def crawl_kinds() -> tuple[str, ...]:
    """Return the crawl kinds: 'linkonly' (fixed selectors, articles yield only their URL),
    'bare' (follows every link), 'sqlite' and 'jsonl' (real spider)."""
    return tuple(_KINDS)


def news_missing() -> str | None:
    """Return why the real `news` spider cannot run yet, or None when it can."""
    if not (REPO / "spiders" / "news.py").exists():
        return "spiders/news.py does not exist yet"
    probe = subprocess.run(
        [sys.executable, "-c", "import newsarchive.spiders.news, newsarchive.pipelines.archive"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )
    if probe.returncode:
        return "cannot import the news spider or its pipelines: " + probe.stderr.strip().splitlines()[-1]
    return None


def run_crawl(kind: str, base_url: str, start_paths: list[str], work: Path, *,
              settings: dict[str, Any] | None = None, cprofile: Path | None = None,
              timeout: float = 3600, tag: str = "") -> dict[str, Any]:
    """Crawl the served portal once with crawl *kind* in a fresh subprocess; return its figures.

    The archive (for the real spider) is created fresh in *work*: an archive
    that already holds the articles would turn the crawl into an incremental one.
    """
    spider, archive_name = _KINDS[kind]
    work.mkdir(parents=True, exist_ok=True)
    name = f"{kind}{tag}"
    result = work / f"{name}.result.json"
    log = work / f"{name}.log"
    cmd = [sys.executable, str(CHILD), "--spider", spider,
           "--start", ",".join(base_url.rstrip("/") + p for p in start_paths),
           "--result", str(result)]
    if archive_name:
        # Each archive lives alone in a folder emptied before the run: archives keep
        # sidecar files (duplicates, views, JOBDIR) that would make the next crawl incremental.
        home = work / f"archive-{name}"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        archive = home / archive_name
        cmd += ["--archive", str(archive)]
    for key, value in (settings or {}).items():
        cmd += ["--set", f"{key}={json.dumps(value)}"]
    if cprofile:
        cmd += ["--cprofile", str(cprofile)]
    result.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as logf:
        proc = subprocess.run(cmd, cwd=REPO, stdout=logf, stderr=subprocess.STDOUT, timeout=timeout,
                              check=False)
    if proc.returncode or not result.exists():
        tail = log.read_text("utf-8", errors="replace").splitlines()[-15:]
        raise RuntimeError(f"{kind} crawl failed (exit {proc.returncode}); log {log}:\n" + "\n".join(tail))
    out: dict[str, Any] = json.loads(result.read_text("utf-8"))
    out["kind"] = kind
    out["process_wall_s"] = round(time.perf_counter() - t0, 2)
    out["log"] = str(log)
    if archive_name:
        out["archive_bytes"] = sum(p.stat().st_size for p in home.rglob("*") if p.is_file())
    return out


def format_table(rows: list[dict[str, Any]], columns: list[tuple[str, str, str]]) -> str:
    """Return *rows* as an aligned text table; *columns* are (header, key, format spec)."""
    head = [h for h, _, _ in columns]
    body = []
    for row in rows:
        cells = []
        for _, key, spec in columns:
            v = row.get(key)
            cells.append("-" if v is None else format(v, spec) if spec else str(v))
        body.append(cells)
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths)))]
    for r in body:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    return "\n".join(lines)


def load_note() -> str:
    """Return the 1-minute load average, to tell a quiet machine from a busy one."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def save_results(name: str, data: dict[str, Any]) -> Path:
    """Write *data* to benchmarks/out/results/<name>-<UTC time>.json and return the path."""
    folder = BENCH / "out" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, default=str), "utf-8")
    return path
