"""Shared-harvest benchmark: wall time of one harvest with 1, 2 and 4 workers (``crawl --redis``).

Serves the bundled fixture sites (tests/mockserver.py, all 15 on 127.0.0.1),
starts a redis-server of its own (unix socket, no persistence) and, for each
worker count, one ``newsarchive archive-worker`` and N ``newsarchive crawl
--redis`` workers over every site's home page, with politeness on: the
DOWNLOAD_DELAY is each site's across all workers (middlewares/redispolite.py),
and each worker takes CONCURRENT_REQUESTS requests at a time. The wall time runs
from the start of the first worker to the archiver's end (every article
archived). Usage::

    python benchmarks/distributed.py [--workers 1,2,4] [--delay 0.5] [--concurrent 4]

On one 2-core machine the crawl is bound by the delays, not the CPU, as long as
the workers' requests at a time are fewer than the sites: more workers then take
more requests at once, while no site is asked faster than once per delay.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, format_table, save_results

NEWSARCHIVE = [sys.executable, "-m", "newsarchive"]


def _redis(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("error: redis-server is not installed (apt-get install redis-server)")
    sock = folder / "redis.sock"
    proc = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while not sock.exists():
        if time.monotonic() > deadline:
            raise SystemExit("error: redis-server did not start")
        time.sleep(0.05)
    return proc, f"unix://{sock}"


def _harvest(urls: list[str], redis_url: str, run: str, workers: int, args: argparse.Namespace, out: Path) -> dict[str, Any]:
    archive = out / f"{run}.sqlite"
    for old in out.glob(f"{run}.sqlite*"):  # a fresh archive: the fixture sites' ports change
        old.unlink()
    archiver = subprocess.Popen(
        [*NEWSARCHIVE, "archive-worker", "--redis", redis_url, "--run-id", run, "-o", str(archive)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    assert archiver.stderr is not None
    archiver.stderr.readline()  # "... archived URLs published": the workers may start
    settings = ["--delay", str(args.delay), "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RANDOMIZE_DOWNLOAD_DELAY=False",
                "-s", f"CONCURRENT_REQUESTS={args.concurrent}"]
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [*NEWSARCHIVE, "crawl", *urls, "--redis", redis_url, "--run-id", run, *settings,
             "--log-file", str(out / f"{run}-w{i}.log")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=REPO,
        )
        for i in range(workers)
    ]
    lines = [proc.communicate(timeout=args.timeout)[0].strip().splitlines()[-1] for proc in procs]
    summary = archiver.communicate(timeout=args.timeout)[0].strip()
    wall = time.monotonic() - started
    if any(proc.returncode for proc in (*procs, archiver)):
        raise SystemExit(f"error: a process of {run} failed:\n" + "\n".join([*lines, summary]))
    return {"workers": workers, "wall_s": round(wall, 2), "archiver": summary, "worker_lines": lines}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, comma-separated (default 1,2,4)")
    parser.add_argument("--delay", type=float, default=0.5, help="DOWNLOAD_DELAY, per site across workers (default 0.5)")
    parser.add_argument("--concurrent", type=int, default=4, help="CONCURRENT_REQUESTS of each worker (default 4)")
    parser.add_argument("--timeout", type=float, default=600, help="longest one harvest may take, in seconds")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    out = REPO / "benchmarks" / "out" / "distributed"
    out.mkdir(parents=True, exist_ok=True)
    mock = subprocess.Popen([sys.executable, str(REPO / "tests" / "mockserver.py")], stdout=subprocess.PIPE, text=True)
    assert mock.stdout is not None
    sites: dict[str, str] = json.loads(mock.stdout.readline())
    folder = Path(tempfile.mkdtemp(prefix="newsarchive-redis-"))
    redis, redis_url = _redis(folder)
    try:
        rows = [_harvest(sorted(sites.values()), redis_url, f"bench-{n}", n, args, out) for n in counts]
    finally:
        for proc in (redis, mock):
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    base = rows[0]["wall_s"]
    for row in rows:
        row["speedup"] = round(base / row["wall_s"], 2)
        row["archived"] = row["archiver"].split(": ", 1)[1]
    print(format_table(rows, [("workers", "workers", "d"), ("wall s", "wall_s", ".1f"),
                              ("speed-up", "speedup", ".2f"), ("archiver", "archived", "s")]))
    save_results("distributed", {"delay": args.delay, "concurrent": args.concurrent, "sites": len(sites), "runs": rows})
    return 0


if __name__ == "__main__":
    sys.exit(main())
