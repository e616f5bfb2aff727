"""Multi-process benchmark: one crawl process against N on the synthetic portal.

Mode ``cli`` (default) runs the user's recipe twice, with politeness off::

    newsarchive crawl <six section URLs> -o one.sqlite --processes 1
    newsarchive crawl <six section URLs> -o many.sqlite --processes N

and compares wall time (start-up, crawl, and the merge of the shards into the
one archive included), articles stored and CPU of the whole process tree.
Mode ``scrapy`` instead runs N bare benchmark children of the real spider at
once over disjoint sections into separate archives. Usage::

    python benchmarks/multiproc.py --articles 10000 [--processes 2] [--mode cli|scrapy]

Goal: >= 1.7x the articles per second of one process, on two cores.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import BENCH, REPO, format_table, load_note, news_missing, save_results
from gen_portal import generate_portal, portal_dir
from server import serve

GOAL = 1.7
FAST = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16}


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _balanced(paths: list[str], n: int) -> list[str]:
    """Order section paths so that cutting the list into *n* runs gives each run similar work.

    The generator weights sections 3,3,2,2,1,1; dealing them out round-robin and
    concatenating the hands keeps contiguous halves equal.
    """
    hands = [paths[i::n] for i in range(n)]
    return [p for hand in hands for p in hand]


def _count(archive: Path) -> int:
    from newsarchive.archive import archive_stats

    stats = archive_stats(str(archive))
    for key in ("articles", "records", "count"):
        if isinstance(stats.get(key), int):
            return int(stats[key])
    return -1


def _clean(archive: Path) -> None:
    stem = archive.name.split(".")[0] + "."
    for p in archive.parent.glob(stem + "*"):
        if p.is_dir():
            import shutil

            shutil.rmtree(p)
        else:
            p.unlink()


def run_cli(base: str, paths: list[str], work: Path, processes: int) -> dict[str, Any]:
    """Run `newsarchive crawl --processes N` once; return wall, CPU, articles."""
    archive = work / f"p{processes}.sqlite"
    _clean(archive)
    cmd = [sys.executable, "-m", "newsarchive", "crawl", *(base.rstrip("/") + p for p in paths),
           "-o", str(archive), "--processes", str(processes), "--log-file", str(work / f"p{processes}.log")]
    for k, v in FAST.items():
        cmd += ["-s", f"{k}={v}"]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=3600, check=False)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode:
        raise RuntimeError(f"crawl --processes {processes} failed: {proc.stderr.strip()[-800:]}")
    n = _count(archive)
    return {"setup": f"newsarchive crawl --processes {processes}", "processes": processes,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "articles": n,
            "articles_per_s": round(n / wall, 1), "summary": proc.stdout.strip().splitlines()[-1:]}


def run_scrapy(base: str, paths: list[str], work: Path, processes: int) -> dict[str, Any]:
    """Run *processes* crawl children at once over disjoint sections, separate archives."""
    groups = [paths[i::processes] for i in range(processes)]
    procs = []
    cpu0, t0 = _children_cpu(), time.perf_counter()
    for i, group in enumerate(groups):
        archive = work / f"s{processes}-{i}.sqlite"
        _clean(archive)
        cmd = [sys.executable, str(BENCH / "_crawl_child.py"), "--spider", "news",
               "--start", ",".join(base.rstrip("/") + p for p in group), "--archive", str(archive),
               "--result", str(work / f"s{processes}-{i}.json")]
        for k, v in FAST.items():
            cmd += ["--set", f"{k}={json.dumps(v)}"]
        log = open(work / f"s{processes}-{i}.log", "w", encoding="utf-8")  # noqa: SIM115
        procs.append((subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT), log))
    for p, log in procs:
        p.wait(timeout=3600)
        log.close()
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    n = sum(json.loads((work / f"s{processes}-{i}.json").read_text())["items"] for i in range(processes))
    return {"setup": f"{processes} x scrapy crawl news (separate archives)", "processes": processes,
            "wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "articles": n,
            "articles_per_s": round(n / wall, 1)}


def main(argv: list[str] | None = None) -> int:
    """Command line for the multi-process benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--mode", choices=("cli", "scrapy"), default="cli")
    args = ap.parse_args(argv)
    if why := news_missing():
        ap.error(f"the real spider cannot run yet: {why}")
    out = portal_dir(args.articles)
    manifest = generate_portal(args.articles, out)
    work = out / "multiproc"
    work.mkdir(parents=True, exist_ok=True)
    paths = _balanced(list(manifest["start_paths"]), args.processes)  # type: ignore[arg-type]
    runner = run_cli if args.mode == "cli" else run_scrapy
    rows = []
    with serve(out / "www", out / "server-nginx") as srv:
        print(f"{manifest['pages']:,} pages at {srv.base_url}; {load_note()}", flush=True)
        for n in (1, args.processes):
            r = runner(srv.base_url, paths, work, n)
            rows.append(r)
            print(f"  {r['setup']}: {r['articles']:,} articles in {r['wall_s']:.1f} s "
                  f"= {r['articles_per_s']:.0f}/s, CPU {r['cpu_s']:.1f} s; {load_note()}", flush=True)
    one, many = rows
    speedup = many["articles_per_s"] / one["articles_per_s"]
    for r in rows:
        r["speedup"] = round(r["articles_per_s"] / one["articles_per_s"], 3)
    print()
    print(format_table(rows, [("setup", "setup", ""), ("articles", "articles", ",d"),
                              ("wall s", "wall_s", ".1f"), ("articles/s", "articles_per_s", ".0f"),
                              ("CPU s", "cpu_s", ".1f"), ("speed-up", "speedup", ".2f")]))
    print(f"speed-up with {args.processes} processes: {speedup:.2f}x "
          f"({'meets' if speedup >= GOAL else 'misses'} the goal >= {GOAL}x)")
    print(load_note())
    print(f"results: {save_results(f'multiproc-{args.mode}', {'rows': rows})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
