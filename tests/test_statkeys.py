"""Stats keys are spelt once (newsarchive.statkeys), and a real crawl's stats give the outcome
the CLI prints and judges: renaming a key for its writer alone must fail here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest_twisted

from newsarchive import statkeys
from newsarchive.outcome import crawl_verdict, outcome_from_stats
from tests.crawlkit import archived, crawl_settings, run_crawl

ROOT = Path(__file__).resolve().parent.parent
_KEY = re.compile(r"^newsarchive/[a-z_]+/")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_module_but_statkeys_spells_a_stats_key():
    spelt = []
    for folder in ("newsarchive", "spiders", "pipelines", "middlewares"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "statkeys.py":
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docs = _docstrings(tree)
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docs
                    and _KEY.match(node.value)
                ):
                    spelt.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value!r}")
    assert not spelt, "stats keys spelt outside newsarchive/statkeys.py:\n" + "\n".join(spelt)


def test_every_constant_is_a_key_of_ours():
    names = [n for n in statkeys.__all__ if n.isupper()]
    for name in names:
        value = getattr(statkeys, name)
        for key in value if isinstance(value, tuple) else (value,):
            assert key.startswith("newsarchive/"), name
    assert statkeys.archived("new") == statkeys.ARCHIVE_PREFIX + "new"


@pytest_twisted.ensureDeferred
async def test_a_real_crawls_stats_give_the_outcome_its_counts(mock_sites, tmp_path):
    base = mock_sites.urls["dedecms"]
    archive = tmp_path / "news.jsonl"
    crawler = await run_crawl(crawl_settings(archive), start_urls=f"{base}a/xinwen/")
    stats = crawler.stats.get_stats()
    rows = archived(archive, base)
    assert rows
    # The keys the pipelines and the report wrote are the ones the outcome reads.
    assert stats[statkeys.archived("new")] == len(rows)
    assert statkeys.REPORT_SUMMARY in stats
    outcome = outcome_from_stats(stats)
    assert outcome.counts["new"] == len(rows)
    assert outcome.items >= len(rows)
    outcome.sites = outcome.answered = {"127.0.0.1"}
    assert crawl_verdict(outcome) is None

    # A second crawl finds only archived articles: the verdict rests on the skipped keys.
    again = await run_crawl(crawl_settings(archive), start_urls=f"{base}a/xinwen/")
    stats = again.stats.get_stats()
    assert stats.get(statkeys.LINKS_KNOWN, 0) >= 1
    second = outcome_from_stats(stats)
    assert second.counts["new"] == 0 and second.skipped >= 1
    second.sites = second.answered = {"127.0.0.1"}
    assert crawl_verdict(second) is None
