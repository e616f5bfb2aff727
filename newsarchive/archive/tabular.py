"""The archive as typed columns: the one Arrow schema of Parquet exports, and the values
that fit it. pyarrow is imported only when a schema is asked for (extra ``[analysis]``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from newsarchive.items import ARCHIVE_FIELDS

if TYPE_CHECKING:
    import pyarrow  # type: ignore[import-untyped]

__all__ = ["TYPED_FIELDS", "arrow_schema", "import_optional", "published_at_utc", "record_batches", "typed_values"]

#: The columns of a typed export: the archive's fields, then the publish time in UTC.
TYPED_FIELDS: tuple[str, ...] = (*ARCHIVE_FIELDS, "published_at_utc")

_INTEGERS = ("view_count", "version", "warc_offset")


def import_optional(name: str, needed_for: str) -> Any:
    """Return the module *name*, or raise ImportError saying what to install for *needed_for*."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ImportError(
            f"{needed_for} needs {name}, which is not installed: "
            "pip install 'newsarchive[analysis]' (pandas and pyarrow)"
        ) from exc


def published_at_utc(published_at: str | None) -> datetime | None:
    """Return *published_at* as an aware UTC datetime when it states a time, else None.

    A date-only value is a day, not a midnight: "2021-11-05" -> None;
    "2021-11-05T00:30:00+08:00" -> 2021-11-04 16:30 UTC.
    """
    if not published_at or len(published_at) <= 10:
        return None
    try:
        moment = datetime.fromisoformat(published_at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None  # not the contract's form: no offset to convert from
    return moment.astimezone(UTC)


def _utc(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def typed_values(record: dict[str, Any]) -> dict[str, Any]:
    """Return *record* (Article.to_record()) with typed values: published_date a date,
    fetched_at, reextracted_at and published_at_utc aware UTC datetimes, paragraphs a list."""
    values = dict(record)
    day = values.get("published_date")
    values["published_date"] = date.fromisoformat(day) if day else None
    values["fetched_at"] = _utc(values.get("fetched_at"))
    values["reextracted_at"] = _utc(values.get("reextracted_at"))
    values["published_at_utc"] = published_at_utc(values.get("published_at"))
    values["paragraphs"] = list(values.get("paragraphs") or ())
    for name in _INTEGERS:
        if values.get(name) is not None:
            values[name] = int(values[name])
    return values


def arrow_schema() -> pyarrow.Schema:
    """Return the fixed schema of a Parquet export: the same for every archive, empty or not."""
    pa = import_optional("pyarrow", "Parquet export")
    types = {
        "published_date": pa.date32(),
        "view_count": pa.int64(),
        "version": pa.int64(),
        "paragraphs": pa.list_(pa.string()),
        "fetched_at": pa.timestamp("us", tz="UTC"),
        "warc_offset": pa.int64(),
        "reextracted_at": pa.timestamp("us", tz="UTC"),
        "published_at_utc": pa.timestamp("us", tz="UTC"),
    }
    required = {"url", "canonical_url", "site", "title", "paragraphs", "version"}
    return pa.schema(
        [pa.field(name, types.get(name, pa.string()), nullable=name not in required) for name in TYPED_FIELDS]
    )


def record_batches(
    records: Iterable[dict[str, Any]], schema: pyarrow.Schema, *, rows: int = 5000
) -> Iterator[pyarrow.RecordBatch]:
    """Yield *records* as Arrow record batches of *schema*, *rows* at a time (a bounded
    amount of memory whatever the archive's size)."""
    pa = import_optional("pyarrow", "Parquet export")
    batch: list[dict[str, Any]] = []
    for record in records:
        batch.append(typed_values(record))
        if len(batch) >= rows:
            yield pa.RecordBatch.from_pylist(batch, schema=schema)
            batch = []
    if batch:
        yield pa.RecordBatch.from_pylist(batch, schema=schema)
