"""newsarchive export (issue 15): formats by -f or suffix, Parquet's fixed schema, JSON,
CSV for Excel, and the --since/--until/--site filters."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsarchive.archive import format_for, load_records, open_archive
from newsarchive.archive.tabular import arrow_schema
from newsarchive.cli import main
from newsarchive.errors import ArchiveError
from tests.archive_samples import DATED, dated_articles, make_article

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

URLS = [f"http://www.krqnews.example.cn/news/{slug}.html" for slug, *_ in DATED]
OTHER_SITE = "www.tlnews.example.cn"


@pytest.fixture(params=[".sqlite", ".jsonl"])
def archive(request, tmp_path):
    """Every row of DATED, then one article of another site, in a SQLite or JSONL archive."""
    path = tmp_path / f"news{request.param}"
    with open_archive(path) as out:
        for article in dated_articles():
            out.add(article)
        out.add(make_article("school", site=OTHER_SITE, published_at="2021-11-05"))
    return path


@pytest.mark.parametrize(
    ("output", "given", "expected"),
    [
        (None, None, "jsonl"), ("-", None, "jsonl"), ("a.jsonl", None, "jsonl"), ("a.ndjson", None, "jsonl"),
        ("a.JSON", None, "json"), ("out/a.csv", None, "csv"), ("a.parquet", None, "parquet"),
        ("a.txt", "csv", "csv"), ("a.parquet", "jsonl", "jsonl"),
    ],
    ids=["stdout", "dash", "jsonl", "ndjson", "json-upper", "csv", "parquet", "f-beats-suffix", "f-beats-parquet"],
)
def test_format_comes_from_f_or_the_suffix(output, given, expected):
    assert format_for(output, given) == expected


@pytest.mark.parametrize("name", ["a.tsv", "a.txt", "articles"], ids=["tsv", "txt", "no-suffix"])
def test_an_unknown_suffix_exits_2_and_names_the_formats(archive, tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["export", str(archive), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("error: cannot tell the export format")
    assert all(f in err for f in ("jsonl", "json", "csv", "parquet"))
    assert not out.exists()
    with pytest.raises(ArchiveError, match="use -f"):
        format_for(str(out))


def _parquet(archive, tmp_path, *extra):
    out = tmp_path / "out.parquet"
    assert main(["export", str(archive), "-o", str(out), *extra]) == 0
    return pq.read_table(out)


def test_parquet_has_the_fixed_schema_for_any_archive(archive, tmp_path):
    table = _parquet(archive, tmp_path)
    assert table.schema == arrow_schema()
    types = {f.name: f.type for f in table.schema}
    assert types["published_date"] == pa.date32()
    assert types["published_at"] == pa.string()
    assert types["published_at_utc"] == pa.timestamp("us", tz="UTC")
    assert types["fetched_at"] == pa.timestamp("us", tz="UTC")
    assert types["view_count"] == pa.int64()
    assert types["paragraphs"] == pa.list_(pa.string())
    rows = table.to_pylist()
    assert [r["published_date"] for r in rows[:5]] == [
        None if day is None else date.fromisoformat(day) for _, _, day, _ in DATED
    ]
    assert [r["view_count"] for r in rows[:5]] == [0, 12000, None, 7, None]
    # 00:30 Beijing is 16:30 UTC the day before; a date-only value is no midnight.
    assert rows[1]["published_at_utc"] == datetime(2021, 11, 4, 16, 30, tzinfo=UTC)
    assert rows[2]["published_at_utc"] is None
    assert rows[0]["paragraphs"] == list(make_article("renovation").paragraphs)
    assert rows[0]["fetched_at"] == datetime(2021, 11, 5, 2, 0, tzinfo=UTC)
    # The same schema when nothing matches and when only date-only rows do.
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _parquet(archive, empty, "--site", "nosuch.example.cn").schema == table.schema
    assert _parquet(archive, empty, "--site", OTHER_SITE).schema == table.schema


def test_parquet_is_written_in_row_groups(archive, tmp_path):
    from newsarchive.archive import Selection, export_parquet

    out = tmp_path / "groups.parquet"
    assert export_parquet(archive, out, selection=Selection(), rows=2) == 6
    assert pq.ParquetFile(out).num_row_groups == 3


def test_duckdb_reads_the_parquet_day_as_a_date(archive, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    _parquet(archive, tmp_path)
    result = duckdb.sql(
        f"SELECT published_date, count(*) FROM '{tmp_path / 'out.parquet'}' GROUP BY 1 ORDER BY 1 NULLS LAST"
    )
    assert [str(t) for t in result.types] == ["DATE", "BIGINT"]
    assert [(d and d.isoformat(), n) for d, n in result.fetchall()] == [
        ("2021-11-03", 1), ("2021-11-04", 1), ("2021-11-05", 2), ("2021-11-06", 1), (None, 1),
    ]


def test_json_is_one_array_of_the_records(archive, tmp_path, capsys):
    out = tmp_path / "out.json"
    assert main(["export", str(archive), "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == load_records(archive)
    assert "科尔沁" in out.read_text(encoding="utf-8")  # Chinese kept readable
    assert main(["export", str(archive), "-f", "json", "--site", "nosuch.example.cn"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_excel_csv_has_a_bom_and_one_line_per_record(archive, tmp_path):
    out = tmp_path / "excel.csv"
    assert main(["export", str(archive), "-o", str(out), "--excel"]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert len(text.split("\r\n")) == 1 + 6 + 1  # header, six records, the last line end
    assert "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["paragraphs"].split(" ¶ ") == list(make_article("renovation").paragraphs)
    assert rows[1]["published_date"] == "2021-11-05"
    assert rows[2]["view_count"] == ""


def test_plain_csv_keeps_paragraphs_on_lines_of_one_cell(archive, tmp_path):
    out = tmp_path / "plain.csv"
    assert main(["export", str(archive), "-o", str(out)]) == 0
    assert not out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert rows[0]["paragraphs"].split("\n") == list(make_article("renovation").paragraphs)


def test_excel_is_only_for_csv(archive, tmp_path, capsys):
    assert main(["export", str(archive), "-o", str(tmp_path / "a.jsonl"), "--excel"]) == 2
    assert "--excel is for CSV" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--since", "2021-11-05"], [URLS[1], URLS[3], f"http://{OTHER_SITE}/news/school.html"]),
        (["--until", "2021-11-04"], [URLS[0], URLS[2]]),
        (["--since", "2021-11-04", "--until", "2021-11-05", "--site", "www.krqnews.example.cn"],
         [URLS[0], URLS[1]]),
        (["--site", OTHER_SITE], [f"http://{OTHER_SITE}/news/school.html"]),
        (["--site", OTHER_SITE, "--site", "www.krqnews.example.cn"], [*URLS, f"http://{OTHER_SITE}/news/school.html"]),
    ],
    ids=["since-inclusive", "until-inclusive", "both-and-site", "site", "two-sites"],
)
def test_filters_pick_by_local_day_and_site(archive, capsys, options, expected):
    assert main(["export", str(archive), *options]) == 0
    got = [json.loads(line)["canonical_url"] for line in capsys.readouterr().out.splitlines()]
    assert got == expected


def test_a_bad_date_is_a_usage_error(archive, capsys):
    assert main(["export", str(archive), "--since", "05/11/2021"]) == 2
    assert "is not a day; give 2024-01-01" in capsys.readouterr().err


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "big.sqlite"
    with open_archive(path) as out:
        for i in range(400):
            out.add(make_article("renovation", path=f"news/{i}.html", title=f"第{i}篇 科尔沁区老旧小区改造"))
    return path


class _Counting(io.TextIOBase):
    """A text sink that keeps only the number of bytes written to it."""

    size = 0

    def write(self, text):
        self.size += len(text.encode("utf-8"))
        return len(text)


def _peak(call):
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_text_exports_stream_record_by_record(big_archive, fmt):
    """The peak memory of an export is a few records, not the archive (tracemalloc, no clock)."""
    from newsarchive.archive import export_records

    sink = _Counting()
    count, peak = _peak(lambda: export_records(big_archive, sink, format=fmt))
    assert count == 400
    # What holding the records at once costs, to tell the two apart (the csv module's
    # own buffers are some 150 kB whatever the number of rows).
    _, held = _peak(lambda: load_records(big_archive))
    assert sink.size > 800_000
    assert peak < held / 4, (peak, sink.size, held)


def test_since_and_until_take_relative_days_as_a_crawl_does(tmp_path, capsys):
    """``--since yesterday`` / ``--until '2 days ago'`` read as `crawl --since` reads them:
    days in Beijing time, counted from today."""
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    path = tmp_path / "recent.sqlite"
    days = {slug: today - timedelta(days=back) for slug, back in (("renovation", 0), ("school", 1), ("harvest", 3))}
    with open_archive(path) as out:
        for slug, day in days.items():
            out.add(make_article(slug, published_at=f"{day.isoformat()}T09:00:00+08:00"))

    def exported(*options: str) -> set[str]:
        assert main(["export", str(path), *options]) == 0
        return {json.loads(line)["canonical_url"].rsplit("/", 1)[1] for line in capsys.readouterr().out.splitlines()}

    assert exported("--since", "yesterday") == {"renovation.html", "school.html"}
    assert exported("--until", "2 days ago") == {"harvest.html"}
    assert exported("--since", "3天前", "--until", "yesterday") == {"school.html", "harvest.html"}
