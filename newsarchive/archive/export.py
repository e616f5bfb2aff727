"""Reading whole archives: records for pandas, export to JSON Lines / CSV, summary stats."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import IO, Any

from newsarchive.archive.jsonl import JsonlArchive
from newsarchive.archive.opening import open_archive
from newsarchive.errors import ArchiveError
from newsarchive.items import ARCHIVE_FIELDS

__all__ = ["archive_stats", "export_records", "load_records"]

#: Export formats of export_records().
FORMATS = ("jsonl", "csv")


def load_records(path: str | Path, *, all_versions: bool = False) -> list[dict[str, Any]]:
    """Return the archive's records as plain dicts (paragraphs as lists), ready for
    ``pandas.DataFrame(load_records(path))``: the latest version of each article by
    default, every stored version with *all_versions*."""
    with open_archive(path, readonly=True) as archive:
        return [a.to_record() for a in archive.iter_articles(all_versions=all_versions)]


def export_records(
    path: str | Path, out: IO[str], *, format: str = "jsonl", all_versions: bool = False
) -> int:
    """Write the archive's records to the text stream *out*; return how many.

    *format* "jsonl" writes one JSON object per line (Chinese kept readable);
    "csv" writes a header of DESIGN.md's field names and one row per record, the
    paragraphs joined by newlines (a normalised paragraph never holds one).
    """
    if format not in FORMATS:
        raise ArchiveError(f"unknown export format {format!r}; use one of: {', '.join(FORMATS)}")
    count = 0
    with open_archive(path, readonly=True) as archive:
        writer = csv.writer(out) if format == "csv" else None
        if writer is not None:
            writer.writerow(ARCHIVE_FIELDS)
        for article in archive.iter_articles(all_versions=all_versions):
            record = article.to_record()
            if writer is None:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                record["paragraphs"] = "\n".join(record["paragraphs"])
                writer.writerow(["" if record[f] is None else record[f] for f in ARCHIVE_FIELDS])
            count += 1
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
