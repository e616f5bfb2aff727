"""README's "Analysing an archive" one-liners, each run as written against archives of a
real crawl of the gov fixture site (dates with +08:00 times and date-only ones)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
import pytest_twisted
from twisted.internet import defer

from newsarchive.cli import main
from tests.crawlkit import crawl_settings, expected_records, path_of, run_crawl

ROOT = Path(__file__).resolve().parent.parent
SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("## Analysing an archive\n", 1)[1].split("\n## ", 1)[0]
SITE = "gov"


def _block_lines(kind: str) -> list[str]:
    lines: list[str] = []
    for block in SECTION.split(f"```{kind}\n")[1:]:
        lines += [line for line in block.split("```", 1)[0].splitlines() if line.strip()]
    return lines


PYTHON = _block_lines("python")
CONSOLE = [line[2:] for line in _block_lines("console") if line.startswith("$ ")]
#: Local day of every article the site has, as written by hand in its expected.jsonl.
DAYS = {path: r["published_at"][:10] for path, r in expected_records(SITE).items()}


@pytest.fixture(scope="module")
def crawled(mock_sites, tmp_path_factory):
    """A folder with archive/news.sqlite and archive/news.jsonl, each from a crawl of SITE."""
    folder = tmp_path_factory.mktemp("analysis")
    for name in ("news.sqlite", "news.jsonl"):
        settings = crawl_settings(folder / "archive" / name)
        crawler = pytest_twisted.blockon(
            defer.ensureDeferred(run_crawl(settings, start_urls=mock_sites.urls[SITE]))
        )
        assert crawler.stats.get_value("finish_reason") == "finished"
    return folder


def _day(value) -> str | None:
    import pandas

    if value is None or pandas.isna(value):
        return None
    if isinstance(value, datetime):
        assert value.time() == datetime.min.time() and value.tzinfo is None, value
        return value.date().isoformat()
    assert isinstance(value, date), value
    return value.isoformat()


def test_the_section_has_the_one_liners():
    assert len(PYTHON) >= 5
    assert {shlex.split(line)[0] for line in CONSOLE} >= {"newsarchive", "sqlite3", "duckdb"}


@pytest.mark.parametrize("line", PYTHON)
def test_each_python_line_gives_the_local_day(line, crawled, mock_sites, monkeypatch):
    monkeypatch.chdir(crawled)
    if "articles.parquet" in line:
        assert main(["export", "archive/news.sqlite", "-o", "articles.parquet"]) == 0
    namespace: dict[str, object] = {}
    exec(line, namespace)  # noqa: S102 - the README's own line, as a reader would paste it
    df = namespace["df"]
    base = mock_sites.urls[SITE]
    days = {path_of(url, base): _day(day) for url, day in zip(df["url"], df["published_date"])}
    assert days == DAYS
    per_day = df.groupby("published_date").size()  # what the README says to do next
    assert {_day(d): n for d, n in per_day.items()} == Counter(DAYS.values())
    if "newsarchive.load" in line:
        from newsarchive.analysis import DTYPES

        assert {name: str(t) for name, t in df.dtypes.items()} == DTYPES


def _day_counts(rows) -> list[tuple[str | None, int]]:
    return [(_day(d) if not isinstance(d, str) else d, int(n)) for d, n in rows]


@pytest.mark.parametrize("line", CONSOLE)
def test_each_console_line_runs_and_counts_by_local_day(line, crawled, monkeypatch):
    monkeypatch.chdir(crawled)
    argv = shlex.split(line, comments=True)
    expected = sorted(Counter(DAYS.values()).items())
    if argv[0] == "newsarchive":
        assert main(argv[1:]) == 0
        return
    if not (crawled / "articles.parquet").exists():
        assert main(["export", "archive/news.sqlite", "-o", "articles.parquet"]) == 0
    if argv[0] == "sqlite3":
        if shutil.which("sqlite3") is None:
            pytest.skip("the sqlite3 CLI is not installed")
        out = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout
        rows = [tuple(row.split("|")) for row in out.splitlines()]
        assert _day_counts(rows) == expected
    elif argv[0] == "duckdb":
        duckdb = pytest.importorskip("duckdb")  # the Python package, which has no CLI: run its SQL
        assert argv[1] == "-c"
        assert _day_counts(duckdb.sql(argv[2]).fetchall()) == expected
    else:
        pytest.skip(f"{argv[0]} is tested elsewhere")
