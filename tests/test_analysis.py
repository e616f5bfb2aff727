"""newsarchive.load(): the archive as a pandas DataFrame with types that never depend on the data."""

from __future__ import annotations

import subprocess
import sys

import pytest

import newsarchive
from newsarchive.analysis import DTYPES
from newsarchive.archive import open_archive
from newsarchive.archive.tabular import TYPED_FIELDS
from tests.archive_samples import DATED, dated_articles

pandas = pytest.importorskip("pandas")


def _archive(path, only=None):
    with open_archive(path) as archive:
        for article in dated_articles(only=only or ()) if only != "none" else ():
            archive.add(article)
    return path


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
def test_load_gives_typed_columns_and_the_local_day(tmp_path, suffix):
    df = newsarchive.load(_archive(tmp_path / f"news{suffix}"))
    assert list(df.columns) == list(TYPED_FIELDS)
    assert {name: str(t) for name, t in df.dtypes.items()} == DTYPES
    days = [None if pandas.isna(d) else d.strftime("%Y-%m-%d") for d in df.published_date]
    assert days == [day for _, _, day, _ in DATED]
    assert df.view_count.tolist() == [0, 12000, pandas.NA, 7, pandas.NA]
    assert df.published_at_utc[1] == pandas.Timestamp("2021-11-04 16:30", tz="UTC")  # 00:30 Beijing
    assert pandas.isna(df.published_at_utc[2])  # a date only: no midnight made up
    assert df.published_precision.tolist() == ["minute", "minute", "day", "second", pandas.NA]
    assert isinstance(df.paragraphs[0], list) and df.paragraphs[0][0].startswith("11月4日")
    assert df.groupby("published_date").size().to_dict() == {
        pandas.Timestamp(day): 1 for _, _, day, _ in DATED if day
    }


@pytest.mark.parametrize("suffix", [".sqlite", ".jsonl"])
@pytest.mark.parametrize("only", [("day",), "none"], ids=["date-only", "empty"])
def test_the_types_are_the_same_whatever_the_archive_holds(tmp_path, suffix, only):
    mixed = newsarchive.load(_archive(tmp_path / f"mixed{suffix}"))
    other = newsarchive.load(_archive(tmp_path / f"other{suffix}", only))
    assert other.dtypes.to_dict() == mixed.dtypes.to_dict()
    assert len(other) == (0 if only == "none" else 1)


def test_load_without_pandas_says_what_to_install(tmp_path):
    path = _archive(tmp_path / "news.sqlite")
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import newsarchive\n"
        f"newsarchive.load({str(path)!r})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: newsarchive.load() needs pandas")
    assert "pip install 'newsarchive[analysis]'" in last
