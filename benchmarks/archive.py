"""Archive benchmark: rows/s through the pipelines into SQLite and JSON Lines, and the
cost of the per-article checks against a large archive.

Articles are synthetic (random common Chinese characters in sentences, so no two are
duplicates), of ``--chars`` characters each. Reported::

    fingerprint   simhash() per article of --chars characters (median of many)
    pipeline      NormalizePipeline -> DedupePipeline -> ArchivePipeline, rows/s,
                  called as Scrapy calls them (no engine, no network), per backend
                  and batch size (1 = a commit per row, for comparison)
    known         with --known articles archived: has_url() and find_duplicate()
                  for that many known URLs / fresh articles, and, for JSON Lines,
                  the time to open (scan and index) the archive

Usage::

    python benchmarks/archive.py [--articles 2000] [--known 100000] [--chars 3000] [--backends sqlite,jsonl]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.pipelines._shared import close_archive
from newsarchive.pipelines.archive import ArchivePipeline
from newsarchive.pipelines.dedupe import DedupePipeline
from newsarchive.pipelines.normalize import NormalizePipeline
from scrapy.utils.test import get_crawler

from newsarchive.archive import open_archive
from newsarchive.dedupe import content_hash, simhash
from newsarchive.items import Article

# Frequent characters of Chinese news text (a pool to draw sentences from).
_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把"
    "性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质"
    "气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活"
    "设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则"
    "任取据处府研质科技县市镇村街道社区居民群众记者采访表示介绍今年以来项目工程投资建设改造服务保障推进落实"
)
_PUNCT = "，，，。"


def synthetic_articles(count: int, chars: int, seed: int = 7, site: str = "www.bench.example.cn"):
    """Yield *count* distinct raw Articles (as extraction hands them over)."""
    rng = random.Random(seed)
    for i in range(count):
        paragraphs = []
        left = chars
        while left > 0:
            size = min(left, rng.randint(80, 220))
            text = "".join(
                rng.choice(_PUNCT) if j % rng.randint(12, 25) == 0 and j else rng.choice(_POOL)
                for j in range(size - 1)
            )
            paragraphs.append(text + "。")
            left -= size
        url = f"http://{site}/html/2021/1105/{i}.html"
        yield Article(
            url=url, canonical_url=url, site=site,
            title="".join(rng.choice(_POOL) for _ in range(18)),
            published_at="2021-11-05T10:30:00+08:00", view_count=rng.randint(0, 5000),
            paragraphs=tuple(paragraphs), author="张明", source="通辽日报", section="新闻",
            listing_url=f"http://{site}/list_1.html",
        )


def bench_fingerprint(chars: int) -> float:
    (article,) = synthetic_articles(1, chars, seed=11)
    times = []
    for _ in range(30):
        start = time.process_time()
        for _ in range(20):
            simhash(article.title, article.paragraphs)
        times.append((time.process_time() - start) / 20)
    return statistics.median(times) * 1000


def bench_pipeline(path: Path, articles: list[Article], batch_size: int) -> tuple[float, float]:
    """Return (rows per wall second, rows per CPU second) through the three pipelines."""
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_ARCHIVE": str(path), "NEWSARCHIVE_BATCH_SIZE": batch_size})
    crawler.stats.open_spider()
    pipes = [NormalizePipeline.from_crawler(crawler), DedupePipeline.from_crawler(crawler),
             ArchivePipeline.from_crawler(crawler)]
    pipes[1].open_spider()
    start, cpu = time.perf_counter(), time.process_time()
    for item in articles:
        for pipe in pipes:
            item = pipe.process_item(item)
    close_archive(crawler)  # the last batch is part of the cost
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert crawler.stats.get_value("newsarchive/archive/new") == len(articles)
    return len(articles) / elapsed, len(articles) / cpu


def fill(path: Path, count: int, chars: int) -> float:
    start = time.perf_counter()
    with open_archive(path, batch_size=1000) as archive:
        for article in synthetic_articles(count, chars, seed=3):
            archive.add(dataclasses.replace(
                article, fetched_at="2021-11-05T02:00:00+00:00",
                content_hash=content_hash(article.title, article.paragraphs),
                simhash=simhash(article.title, article.paragraphs),
            ))
    return time.perf_counter() - start


def bench_known(path: Path, count: int, chars: int) -> dict[str, float]:
    fresh = [
        dataclasses.replace(a, url=a.url + "?new", canonical_url=a.canonical_url + "?new",
                            content_hash=content_hash(a.title, a.paragraphs),
                            simhash=simhash(a.title, a.paragraphs))
        for a in synthetic_articles(min(count, 20000), chars, seed=99)
    ]
    urls = [a.canonical_url for a in synthetic_articles(count, 10, seed=3)]
    start = time.perf_counter()
    with open_archive(path) as archive:
        opened = time.perf_counter() - start
        start = time.perf_counter()
        hits = sum(archive.has_url(u) for u in urls)
        has_url = time.perf_counter() - start
        assert hits == count, hits
        start = time.perf_counter()
        dups = sum(archive.find_duplicate(a) is not None for a in fresh)
        per_dup = (time.perf_counter() - start) / len(fresh)
    return {"open_s": opened, "has_url_s": has_url, "find_duplicate_s": per_dup * count,
            "false_duplicates": dups}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--known", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--known-chars", type=int, default=600,
                        help="article length when filling the --known archive")
    parser.add_argument("--backends", default="sqlite,jsonl",
                        help="comma-separated backends for the --known part")
    args = parser.parse_args(argv)

    print(
        f"fingerprint: simhash of a {args.chars}-character article: "
        f"{bench_fingerprint(args.chars):.3f} ms of CPU time"
    )
    articles = list(synthetic_articles(args.articles, args.chars))
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, batch in (("sqlite", 100), ("sqlite", 1), ("jsonl", 100)):
            rate, cpu_rate = bench_pipeline(Path(tmp) / f"p{batch}.{suffix}", articles, batch)
            note = f" (NEWSARCHIVE_BATCH_SIZE={batch})" if suffix == "sqlite" else ""
            print(
                f"pipeline: {args.articles} articles -> {suffix}{note}: "
                f"{rate:,.0f} rows/s wall, {cpu_rate:,.0f} rows/s of CPU time"
            )
        for suffix in args.backends.split(","):
            path = Path(tmp) / f"known.{suffix}"
            took = fill(path, args.known, args.known_chars)
            size = sum(p.stat().st_size for p in Path(tmp).glob(f"known.{suffix}*")) / 1e6
            r = bench_known(path, args.known, args.known_chars)
            print(
                f"known: {suffix} with {args.known:,} articles ({size:,.0f} MB, filled in {took:.1f} s): "
                f"open {r['open_s']:.2f} s; has_url x{args.known:,} {r['has_url_s']:.2f} s; "
                f"find_duplicate x{args.known:,} {r['find_duplicate_s']:.2f} s "
                f"(false duplicates: {r['false_duplicates']})"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
