"""The article record: one per article page, the same fields in every archive."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def utc_timestamp(moment: datetime | None = None) -> str:
    """Return *moment* (default: now) as the records' UTC form, "2021-11-20T08:00:00+00:00".

    Every time newsarchive stamps (fetched_at, versions, views, failures) uses
    this one form, so the archive's timestamps compare and sort as strings.
    """
    return (moment or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")


#: The fields written to archives, in archive column order (DESIGN.md).
ARCHIVE_FIELDS: tuple[str, ...] = (
    "url",
    "canonical_url",
    "site",
    "title",
    "published_at",
    "view_count",
    "paragraphs",
    "author",
    "source",
    "section",
    "listing_url",
    "fetched_at",
    "content_hash",
    "simhash",
    "version",
)


@dataclass(frozen=True, slots=True)
class Article:
    """One article page's record.

    Extraction fills what the page says; the pipelines fill ``fetched_at``,
    ``content_hash``, ``simhash`` and ``version``. ``counter_url`` is the
    view-counter endpoint to ask when a script writes the count into the page;
    it is a fetch instruction, not part of the archived record.
    """

    url: str
    canonical_url: str
    site: str
    title: str
    published_at: str | None = None
    view_count: int | None = None
    paragraphs: tuple[str, ...] = ()
    author: str | None = None
    source: str | None = None
    section: str | None = None
    listing_url: str | None = None
    fetched_at: str = ""
    content_hash: str = ""
    simhash: str = ""
    version: int = 1
    counter_url: str | None = None

    def to_record(self) -> dict[str, Any]:
        """Return the archived fields as a plain dict (paragraphs as a list)."""
        record = {name: getattr(self, name) for name in ARCHIVE_FIELDS}
        record["paragraphs"] = list(self.paragraphs)
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Article:
        """Build an Article from an archived record; unknown keys are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in record.items() if k in known}
        values["paragraphs"] = tuple(values.get("paragraphs") or ())
        return cls(**values)
