"""Disk queue benchmark: requests pushed and popped per second by the crawl's request queue
(newsarchive.middlewares.diskqueue.RequestDiskQueue, records checksummed) against Scrapy's
PickleLifoDiskQueue (queuelib's format), on the same requests.

Each queue gets --requests requests shaped like a crawl's (article URLs, a Referer, the
spider's meta), is closed and reopened (Scrapy does so on resume; ours then validates every
record), then popped empty. Reported per queue: push/s, reopen time, pop/s, and push+pop/s
(requests through the queue and back, per second of both). Each phase is the fastest of
--repeat runs.

Usage::

    python benchmarks/diskqueue.py [--requests 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from _common import format_table, load_note, save_results


def _requests(count: int) -> list[Any]:
    from scrapy import Request

    return [
        Request(
            f"http://www.tongliao.example.cn/news/2021/{1 + i % 12:02d}{1 + i % 28:02d}/{100000 + i}.html",
            headers={"Referer": f"http://www.tongliao.example.cn/news/list_1_{1 + i // 20}.html"},
            meta={"listing": f"http://www.tongliao.example.cn/news/list_1_{1 + i // 20}.html", "depth": 2},
            priority=-(i % 3),
        )
        for i in range(count)
    ]


def _crawler() -> Any:
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(Spider)
    crawler.spider = Spider(name="bench")
    return crawler


def _run(queue_class: Any, crawler: Any, requests: list[Any], folder: Path) -> dict[str, float]:
    shutil.rmtree(folder, ignore_errors=True)
    key = str(folder / "queue" / "0")
    queue = queue_class.from_crawler(crawler, key)
    t0 = time.perf_counter()
    for request in requests:
        queue.push(request)
    queue.close()
    t1 = time.perf_counter()
    size = Path(key).stat().st_size
    queue = queue_class.from_crawler(crawler, key)
    t2 = time.perf_counter()
    popped = 0
    while queue.pop() is not None:
        popped += 1
    queue.close()
    t3 = time.perf_counter()
    assert popped == len(requests), (queue_class, popped)
    return {"push_s": t1 - t0, "reopen_s": t2 - t1, "pop_s": t3 - t2, "bytes": size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000, help="requests per queue (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per queue; the fastest phases count")
    args = parser.parse_args(argv)

    from newsarchive.middlewares.diskqueue import RequestDiskQueue
    from scrapy.squeues import PickleLifoDiskQueue

    crawler = _crawler()
    requests = _requests(args.requests)
    queues = {"scrapy PickleLifoDiskQueue": PickleLifoDiskQueue, "newsarchive RequestDiskQueue": RequestDiskQueue}
    rows = []
    with tempfile.TemporaryDirectory(prefix="diskqueue-bench-") as tmp:
        for name, queue_class in queues.items():
            runs = [_run(queue_class, crawler, requests, Path(tmp) / "q") for _ in range(args.repeat)]
            best = {k: min(r[k] for r in runs) for k in runs[0]}
            n = args.requests
            rows.append({
                "queue": name,
                "push_per_s": n / best["push_s"],
                "reopen_ms": best["reopen_s"] * 1000,
                "pop_per_s": n / best["pop_s"],
                "push_pop_per_s": n / (best["push_s"] + best["pop_s"]),
                "bytes_per_request": best["bytes"] / n,
            })
    print(f"{args.requests} requests, fastest of {args.repeat} runs; {load_note()}")
    print(format_table(rows, [
        ("queue", "queue", ""), ("push/s", "push_per_s", ",.0f"), ("reopen ms", "reopen_ms", ".1f"),
        ("pop/s", "pop_per_s", ",.0f"), ("push+pop/s", "push_pop_per_s", ",.0f"),
        ("bytes/request", "bytes_per_request", ".0f"),
    ]))
    ratio = rows[1]["push_pop_per_s"] / rows[0]["push_pop_per_s"]
    print(f"newsarchive / scrapy push+pop: {ratio:.2f}x")
    path = save_results("diskqueue", {"requests": args.requests, "repeat": args.repeat, "rows": rows,
                                      "ratio": ratio, "load": load_note()})
    print(f"figures: {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
