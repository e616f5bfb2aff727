"""Reading whole archives: records as dicts, export to JSON Lines / JSON / CSV / Parquet, stats."""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.opening import open_archive
from newsarchive.archive.tabular import arrow_schema, import_optional, record_batches
from newsarchive.errors import ArchiveError
from newsarchive.items import ARCHIVE_FIELDS, Article

__all__ = [
    "FORMATS",
    "Selection",
    "archive_stats",
    "export_parquet",
    "export_records",
    "format_for",
    "iter_records",
    "load_records",
]

#: Export formats: text ones for export_records(), "parquet" for export_parquet().
FORMATS = ("jsonl", "json", "csv", "parquet")
#: Output suffixes and the format each one means.
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".parquet": "parquet"}
#: What --excel puts between paragraphs in a CSV cell: visible, and not a line break.
EXCEL_PARAGRAPH_SEPARATOR = " ¶ "


@dataclass(frozen=True, slots=True)
class Selection:
    """Which articles an export takes: published on *since* .. *until* (local days, both
    included; an article without a date is left out when either is given), on *sites*
    (any site when empty), every stored version with *all_versions*."""

    since: date | None = None
    until: date | None = None
    sites: tuple[str, ...] = ()
    all_versions: bool = False

    def takes(self, article: Article) -> bool:
        """Return True if *article* is one this selection exports."""
        if self.sites and article.site not in self.sites:
            return False
        if self.since is None and self.until is None:
            return True
        day = article.published_date
        if day is None:
            return False
        if self.since is not None and day < self.since.isoformat():
            return False
        return not (self.until is not None and day > self.until.isoformat())


def format_for(output: str | None, format: str | None = None) -> str:
    """Return the export format: *format* when given, else the one *output*'s suffix names,
    else "jsonl" (stdout). Raise ArchiveError for an unknown format or suffix."""
    if format is not None:
        if format not in FORMATS:
            raise ArchiveError(f"unknown export format {format!r}; use one of: {', '.join(FORMATS)}")
        return format
    if not output or output == "-":
        return "jsonl"
    suffix = Path(output).suffix.lower()
    if suffix not in SUFFIXES:
        raise ArchiveError(
            f"cannot tell the export format of {output!r} from its suffix {suffix or '(none)'!r}; "
            f"use -f {'|'.join(FORMATS)} or a suffix {', '.join(SUFFIXES)}"
        )
    return SUFFIXES[suffix]


def iter_records(path: str | Path, selection: Selection | None = None) -> Iterator[dict[str, Any]]:
    """Yield the records of the archive at *path* that *selection* takes, one at a time."""
    selection = selection or Selection()
    with open_archive(path, readonly=True) as archive:
        for article in archive.iter_articles(all_versions=selection.all_versions):
            if selection.takes(article):
                yield article.to_record()


def load_records(path: str | Path, *, all_versions: bool = False) -> list[dict[str, Any]]:
    """Return the archive's records as plain dicts (paragraphs as lists): the latest
    version of each article by default, every stored version with *all_versions*.
    ``newsarchive.load(path)`` gives them as a typed pandas DataFrame."""
    return list(iter_records(path, Selection(all_versions=all_versions)))


def export_records(
    path: str | Path,
    out: IO[str],
    *,
    format: str = "jsonl",
    all_versions: bool = False,
    selection: Selection | None = None,
    excel: bool = False,
) -> int:
    """Write the archive's records to the text stream *out*, one at a time; return how many.

    *format* "jsonl" writes one JSON object per line, "json" one JSON array (Chinese kept
    readable in both); "csv" a header of the field names and a row per record, the
    paragraphs joined by newlines, or with *excel* by " ¶ " (one line per record, a UTF-8
    BOM, CRLF line ends). *selection* picks the articles (default: all, latest versions).
    """
    if format == "parquet":
        raise ArchiveError("Parquet is binary: write it with export_parquet(), not to a text stream")
    if format not in FORMATS:
        raise ArchiveError(f"unknown export format {format!r}; use one of: {', '.join(FORMATS)}")
    if selection is None:
        selection = Selection(all_versions=all_versions)
    records = iter_records(path, selection)
    if format == "csv":
        return _write_csv(records, out, excel=excel)
    if format == "json":
        return _write_json_array(records, out)
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_json_array(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    count = 0
    out.write("[")
    for record in records:
        out.write(("\n" if count == 0 else ",\n") + json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _write_csv(records: Iterable[dict[str, Any]], out: IO[str], *, excel: bool) -> int:
    if excel:
        out.write("\ufeff")  # the BOM by which Excel reads the file as UTF-8, not the locale's code page
    writer = csv.writer(out, dialect="excel")
    writer.writerow(ARCHIVE_FIELDS)
    joiner = EXCEL_PARAGRAPH_SEPARATOR if excel else "\n"
    count = 0
    for record in records:
        record["paragraphs"] = joiner.join(record["paragraphs"])
        row = ["" if record[f] is None else record[f] for f in ARCHIVE_FIELDS]
        if excel:
            # One physical line per record: no line break survives in any cell.
            row = [" ".join(v.splitlines()) if isinstance(v, str) else v for v in row]
        writer.writerow(row)
        count += 1
    return count


def export_parquet(
    path: str | Path, out: str | Path | IO[bytes], *, selection: Selection | None = None, rows: int = 5000
) -> int:
    """Write the archive's records to Parquet at *out* (a path or a binary stream), in
    row groups of *rows*; return how many. The schema is tabular.arrow_schema(), the same
    for every archive: published_date date32, view_count int64, paragraphs list<string>,
    fetched_at and published_at_utc timestamp[us, UTC]. Needs pyarrow."""
    pq = import_optional("pyarrow.parquet", "Parquet export")
    schema = arrow_schema()
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in record_batches(iter_records(path, selection), schema, rows=rows):
            writer.write_batch(batch, row_group_size=rows)
            count += batch.num_rows
    return count


def archive_stats(path: str | Path) -> dict[str, Any]:
    """Return a summary of the archive at *path*.

    Keys: ``path``, ``format`` ("jsonl" | "sqlite"), ``articles`` (latest versions),
    ``sites`` ({site: articles}, most first), ``published`` and ``fetched``
    ({"first", "last"} dates, None when unknown), ``fields_filled`` ({field: percent
    of articles with a value, one decimal}), ``versions`` (older versions kept),
    ``updated_articles`` (articles with more than one version), ``views`` (re-fetches
    that changed only the view count), ``duplicates`` (URLs dropped as copies of an
    archived article, remembered so later crawls skip them).
    """
    sites: Counter[str] = Counter()
    filled: Counter[str] = Counter()
    published: list[str] = []
    fetched: list[str] = []
    articles = versions = updated = 0
    with open_archive(path, readonly=True) as archive:
        for article in archive.iter_articles():
            articles += 1
            record = article.to_record()
            sites[article.site] += 1
            for field in ARCHIVE_FIELDS:
                value = record[field]
                if value not in (None, "", []):
                    filled[field] += 1
            if article.published_at:
                _widen(published, article.published_at[:10])
            if article.fetched_at:
                _widen(fetched, article.fetched_at[:10])
            if article.version > 1:
                versions += article.version - 1
                updated += 1
        views = archive.count_views()
        duplicates = archive.count_duplicates()
        fmt = "jsonl" if isinstance(archive, JsonlArchive) else "sqlite"
    return {
        "path": str(path),
        "format": fmt,
        "articles": articles,
        "sites": dict(sites.most_common()),
        "published": _range(published),
        "fetched": _range(fetched),
        "fields_filled": {
            f: round(100.0 * filled[f] / articles, 1) if articles else 0.0 for f in ARCHIVE_FIELDS
        },
        "versions": versions,
        "updated_articles": updated,
        "views": views,
        "duplicates": duplicates,
    }


def _widen(bounds: list[str], value: str) -> None:
    """Keep [first, last] in *bounds* as the smallest and largest *value* seen."""
    if not bounds:
        bounds.extend((value, value))
    elif value < bounds[0]:
        bounds[0] = value
    elif value > bounds[1]:
        bounds[1] = value


def _range(bounds: list[str]) -> dict[str, str | None]:
    return {"first": bounds[0], "last": bounds[1]} if bounds else {"first": None, "last": None}
