"""Which FTS5 set-up finds Chinese words? Recall, precision, index size, insert and query cost.

Builds a scratch SQLite archive (in memory; nothing is written to the repository)
from every article page we have: fixtures/pages, fixtures/sites and the dev corpora
(shared/corpus/*/), extracted with ``extract_article``. Then, for each way of
indexing, it indexes the same articles and runs the same queries:

  trigram    FTS5 trigram tokenizer on the raw text; a query is a phrase (needs >= 3 chars)
  tri+bigram trigram, plus a unicode61 table over the text with each CJK run rewritten to
             its overlapping bigrams: 2-char words match a bigram, 1-char words scan (instr)
  jieba      unicode61 over jieba-segmented text (precise mode); a query is the phrase of
             its own segmentation
  spaced     unicode61 over the text with every CJK character a token and punctuation a
             stop token (newsarchive.archive.fulltext, the one the archive uses); a query is
             the phrase of its characters

Query words (seeded): single characters; words of 2, 3 and 4+ characters from
jieba's segmentation of the corpus (which favours the jieba index: its words are
the ones it cuts); substrings of 2 and 3 characters taken at random places (they
may cross word boundaries, as names and abbreviations do); English words in
changed case. Ground truth is a plain scan: the articles whose title, paragraphs,
author or source contain the word (``instr``); for English words, the word between
non-letters in any case (a search for "fell" should not find "fellow"). Recall = found
and true / true; precision = found and true / found.

Run: ``.venv/bin/python benchmarks/search.py [--corpus /work/shared/corpus] [--per-class 30]``
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.archive import finish_article
from newsarchive.archive.fulltext import fts_query, register_functions, spaced_text
from newsarchive.archive.sqlite_schema import INSERT_NEW, MIGRATIONS, row_values
from newsarchive.errors import ExtractionError
from newsarchive.extract import extract_article

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


# -- the corpus -----------------------------------------------------------------


def _pages(corpora: Path) -> Iterator[tuple[Path, str]]:
    for html in sorted((REPO / "fixtures" / "pages").glob("*.html")):
        yield html, f"http://example.test/{html.name}"
    for site in sorted(p for p in (REPO / "fixtures" / "sites").iterdir() if p.is_dir()):
        for html in sorted(site.rglob("*.htm*")):
            yield html, f"http://{site.name}.example.test/{html.relative_to(site).as_posix()}"
    for manifest in sorted(corpora.glob("*/manifest.jsonl")):
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                url = entry.get("url") or f"http://corpus.example.cn/{entry['id']}.html"
                yield manifest.parent / entry["html_path"], url


def build_archive(corpora: Path) -> sqlite3.Connection:
    """Return an in-memory archive (the real schema, without the search index) of every article page."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    for _number, name, step in MIGRATIONS:
        if name != "fulltext":  # the search index is what is measured, one way at a time
            step(conn)
    seen: set[str] = set()
    with_ = 0
    conn.execute("BEGIN")
    for path, url in _pages(corpora):
        try:
            article = extract_article(path.read_bytes(), url, now=NOW)
        except ExtractionError:
            continue
        if not article.paragraphs or not article.title:
            continue
        article = finish_article(article, fetched_at="2026-12-01T04:00:00Z")
        if article.content_hash in seen or article.canonical_url in seen:
            continue
        seen.update((article.content_hash, article.canonical_url))
        conn.execute(INSERT_NEW, row_values(article))
        with_ += 1
    conn.execute("COMMIT")
    return conn


def article_texts(conn: sqlite3.Connection) -> list[tuple[int, str, str, str, str]]:
    rows = conn.execute("SELECT rowid, title, paragraphs, author, source FROM articles ORDER BY rowid")
    return [(r, t, "\n".join(json.loads(p)), a or "", s or "") for r, t, p, a, s in rows]


# -- the ways of indexing ---------------------------------------------------------


def bigrams(text: str) -> str:
    """Rewrite each CJK run of *text* as its overlapping bigrams (a run of one stays)."""

    def run(m: re.Match[str]) -> str:
        s = m.group(0)
        return " " + (s if len(s) == 1 else " ".join(s[i : i + 2] for i in range(len(s) - 1))) + " "

    return CJK_RUN.sub(run, text)


def _jieba() -> Callable[[str], str]:
    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(60)
    jieba.initialize()
    return lambda text: " ".join(jieba.cut(text))


class Index:
    """One way of indexing: its tables, how a row is written, how a word is searched."""

    name = ""
    tables: tuple[str, ...] = ()

    def create(self, conn: sqlite3.Connection) -> None:
        raise NotImplementedError

    def add(self, conn: sqlite3.Connection, row: tuple[int, str, str, str, str]) -> None:
        raise NotImplementedError

    def find(self, conn: sqlite3.Connection, word: str) -> set[int]:
        raise NotImplementedError


def _scan(conn: sqlite3.Connection, word: str) -> set[int]:
    """The ground truth: articles whose text contains *word* (ASCII case folded)."""
    rows = conn.execute(
        "SELECT rowid FROM articles WHERE instr(lower(title || char(10) || "
        "(SELECT group_concat(value, char(10)) FROM json_each(paragraphs)) || char(10) || "
        "coalesce(author, '') || char(10) || coalesce(source, '')), lower(?)) > 0",
        (word,),
    )
    return {r for (r,) in rows}


def _whole_words(texts: list[tuple[int, str, str, str, str]], word: str) -> set[int]:
    """The ground truth of an English *word*: articles with it between non-letters, any case."""
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)
    return {rowid for rowid, *parts in texts if any(pattern.search(p) for p in parts)}


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


class Trigram(Index):
    name = "trigram"
    tables = ("tri",)

    def create(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE VIRTUAL TABLE tri USING fts5(title, body, author, source, tokenize='trigram')")

    def add(self, conn: sqlite3.Connection, row: tuple[int, str, str, str, str]) -> None:
        conn.execute("INSERT INTO tri (rowid, title, body, author, source) VALUES (?, ?, ?, ?, ?)", row)

    def find(self, conn: sqlite3.Connection, word: str) -> set[int]:
        if len(word) < 3:
            return set()
        return {r for (r,) in conn.execute("SELECT rowid FROM tri WHERE tri MATCH ?", (_phrase(word),))}


class TrigramBigram(Trigram):
    name = "tri+bigram"
    tables = ("tri", "bi")

    def create(self, conn: sqlite3.Connection) -> None:
        super().create(conn)
        conn.execute("CREATE VIRTUAL TABLE bi USING fts5(title, body, author, source)")

    def add(self, conn: sqlite3.Connection, row: tuple[int, str, str, str, str]) -> None:
        super().add(conn, row)
        rowid, *texts = row
        conn.execute(
            "INSERT INTO bi (rowid, title, body, author, source) VALUES (?, ?, ?, ?, ?)",
            (rowid, *(bigrams(t) for t in texts)),
        )

    def find(self, conn: sqlite3.Connection, word: str) -> set[int]:
        if len(word) >= 3:
            return super().find(conn, word)
        if len(word) == 1:
            return _scan(conn, word)
        return {r for (r,) in conn.execute("SELECT rowid FROM bi WHERE bi MATCH ?", (_phrase(bigrams(word)),))}


class Jieba(Index):
    name = "jieba"
    tables = ("jb",)

    def __init__(self) -> None:
        self.cut = _jieba()

    def create(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE VIRTUAL TABLE jb USING fts5(title, body, author, source)")

    def add(self, conn: sqlite3.Connection, row: tuple[int, str, str, str, str]) -> None:
        rowid, *texts = row
        conn.execute(
            "INSERT INTO jb (rowid, title, body, author, source) VALUES (?, ?, ?, ?, ?)",
            (rowid, *(self.cut(t) for t in texts)),
        )

    def find(self, conn: sqlite3.Connection, word: str) -> set[int]:
        return {r for (r,) in conn.execute("SELECT rowid FROM jb WHERE jb MATCH ?", (_phrase(self.cut(word)),))}


class Spaced(Index):
    name = "spaced"
    tables = ("sp",)

    def create(self, conn: sqlite3.Connection) -> None:
        register_functions(conn)
        conn.execute(
            "CREATE VIRTUAL TABLE sp USING fts5(title, body, author, source, "
            "tokenize='unicode61 remove_diacritics 2')"
        )

    def add(self, conn: sqlite3.Connection, row: tuple[int, str, str, str, str]) -> None:
        rowid, *texts = row
        conn.execute(
            "INSERT INTO sp (rowid, title, body, author, source) VALUES (?, ?, ?, ?, ?)",
            (rowid, *(spaced_text(t) for t in texts)),
        )

    def find(self, conn: sqlite3.Connection, word: str) -> set[int]:
        return {r for (r,) in conn.execute("SELECT rowid FROM sp WHERE sp MATCH ?", (fts_query(word),))}


# -- queries -----------------------------------------------------------------------


def query_words(texts: list[tuple[int, str, str, str, str]], per_class: int, seed: int) -> dict[str, list[str]]:
    """Return the query words by class, drawn from the corpus with *seed*."""
    rng = random.Random(seed)
    cut = _jieba()
    words: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    runs: list[str] = []
    english: Counter[str] = Counter()
    for _rowid, *parts in texts:
        for text in parts:
            for run in CJK_RUN.findall(text):
                runs.append(run)
                chars.update(run)
                words.update(w for w in cut(run).split() if CJK_RUN.fullmatch(w))
            english.update(w.lower() for w in ASCII_WORD.findall(text))

    def sample(pool: list[str]) -> list[str]:
        pool = sorted(set(pool))
        return rng.sample(pool, min(per_class, len(pool)))

    def substrings(n: int) -> list[str]:
        long_runs = [r for r in runs if len(r) >= n + 2]
        picked: set[str] = set()
        while len(picked) < per_class and long_runs:
            run = rng.choice(long_runs)
            i = rng.randrange(len(run) - n + 1)
            picked.add(run[i : i + n])
        return sorted(picked)

    recurring = [w for w, c in words.items() if c >= 2]
    cases = (str.upper, str.title, str.lower)
    return {
        "1 char": sample([c for c, n in chars.items() if n >= 3]) + ["市"],
        "2-char words": sample([w for w in recurring if len(w) == 2]) + ["公交"],
        "3-char words": sample([w for w in recurring if len(w) == 3]),
        "4+-char words": sample([w for w in recurring if len(w) >= 4]),
        "2-char substrings": substrings(2),
        "3-char substrings": substrings(3),
        "English": [rng.choice(cases)(w) for w in sample([w for w, c in english.items() if c >= 2])],
    }


# -- measuring ----------------------------------------------------------------------


def _size(conn: sqlite3.Connection, tables: tuple[str, ...]) -> int:
    """Bytes of the pages of *tables*: with their indexes, and for FTS5 tables their shadow tables."""
    names = set(tables)
    for table in tables:
        names.update(n for n, of in conn.execute("SELECT name, tbl_name FROM sqlite_master")
                     if of == table or n.startswith(table + "_"))
    total = 0
    for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        if name in names:
            total += size
    return total


def measure(index: Index, base: sqlite3.Connection, texts: list[tuple[int, str, str, str, str]],
            words: dict[str, list[str]], truth: dict[str, set[int]], repeat: int = 3) -> dict[str, object]:
    insert_us = float("inf")
    for _ in range(repeat):  # the best of *repeat* fillings: the machine is shared
        conn = sqlite3.connect(":memory:", isolation_level=None)
        base.backup(conn)
        index.create(conn)
        started = time.perf_counter()
        conn.execute("BEGIN")
        for row in texts:
            index.add(conn, row)
        conn.execute("COMMIT")
        insert_us = min(insert_us, (time.perf_counter() - started) / len(texts) * 1e6)
    table = _size(conn, ("articles",))
    size = _size(conn, index.tables)
    classes: dict[str, dict[str, float]] = {}
    times = []
    for cls, ws in words.items():
        tp = fp = fn = 0
        for w in ws:
            best = float("inf")
            for _ in range(repeat):
                t0 = time.perf_counter()
                got = index.find(conn, w)
                best = min(best, time.perf_counter() - t0)
            times.append(best)
            true = truth[w]
            tp += len(got & true)
            fp += len(got - true)
            fn += len(true - got)
        classes[cls] = {
            "recall": tp / (tp + fn) if tp + fn else 1.0,
            "precision": tp / (tp + fp) if tp + fp else 1.0,
        }
    conn.close()
    return {
        "name": index.name,
        "classes": classes,
        "index_bytes": size,
        "table_bytes": table,
        "insert_us": insert_us,
        "query_ms": statistics.mean(times) * 1000,
        "query_ms_max": max(times) * 1000,
    }


def _default_corpus() -> Path:
    for folder in REPO.parents:
        if any((folder / "shared" / "corpus").glob("*/manifest.jsonl")):
            return folder / "shared" / "corpus"
    return REPO / "shared" / "corpus"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, help="folder of the dev corpora (default: nearest shared/corpus)")
    parser.add_argument("--per-class", type=int, default=30, help="query words per class (default 30)")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings (default 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    corpora = args.corpus or _default_corpus()
    base = build_archive(corpora)
    texts = article_texts(base)
    chars = sum(len(t) + len(b) for _, t, b, _, _ in texts)
    words = query_words(texts, args.per_class, args.seed)
    truth = {w: _scan(base, w) for ws in words.values() for w in ws}
    # An English query means the word, not every word that contains it ("fell" in "fellow").
    truth.update({w: _whole_words(texts, w) for w in words["English"]})
    results = [measure(ix, base, texts, words, truth, args.repeat) for ix in (Trigram(), TrigramBigram(), Jieba(), Spaced())]
    if args.json:
        print(json.dumps({"articles": len(texts), "words": words, "results": results}, ensure_ascii=False, indent=1))
        return 0
    print(f"{len(texts)} articles, {chars} characters of title + body; corpus {corpora}")
    for cls, ws in words.items():
        hits = [len(truth[w]) for w in ws]
        print(f"  {cls}: {len(ws)} words, {sum(hits)} (word, article) pairs, e.g. {' '.join(ws[:6])}")
    header = ["class"] + [r["name"] for r in results]  # type: ignore[misc]
    print("\nrecall / precision")
    print(" | ".join(f"{h:>18}" for h in header))
    for cls in words:
        cells = [f"{r['classes'][cls]['recall']:.3f} / {r['classes'][cls]['precision']:.3f}" for r in results]  # type: ignore[index]
        print(" | ".join(f"{c:>18}" for c in [cls, *cells]))
    print()
    for key, label, fmt in (
        ("index_bytes", "index size / articles table", None),
        ("insert_us", "insert cost (us / article)", "{:.0f}"),
        ("query_ms", "query time, mean (ms)", "{:.2f}"),
        ("query_ms_max", "query time, max (ms)", "{:.2f}"),
    ):
        if fmt is None:
            cells = [f"{r['index_bytes'] / r['table_bytes']:.2f}x ({r['index_bytes'] // 1024} KiB)" for r in results]  # type: ignore[operator]
        else:
            cells = [fmt.format(r[key]) for r in results]
        print(" | ".join(f"{c:>18}" for c in [label, *cells]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
