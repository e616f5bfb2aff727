"""The article record: one per article page, the same fields in every archive."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

#: How finely ``published_at`` states the time: a calendar day, a minute, a second.
PRECISIONS: tuple[str, ...] = ("day", "minute", "second")


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
    "published_date",
    "published_precision",
    "warc_file",
    "warc_offset",
    "warc_record_id",
    "reextracted_at",
)

#: The fields that say where a record's page is kept and how it was read, not what it
#: says: a change in them alone is no new version.
CAPTURE_FIELDS: tuple[str, ...] = ("warc_file", "warc_offset", "warc_record_id", "reextracted_at")


def published_date_of(published_at: str | None) -> str | None:
    """Return the local calendar day of *published_at*, "2021-11-05", or None.

    The day as the page states it, never shifted to UTC: "2021-11-05T00:30:00+08:00"
    (00:30 in Beijing, the evening before in UTC) -> "2021-11-05".
    """
    return published_at[:10] if published_at else None


def published_precision_of(published_at: str | None, stated: str | None = None) -> str | None:
    """Return how finely *published_at* states the time: "day", "minute", "second", or None.

    *stated* is the precision extraction found ("minute" for a page's "10:30"); it
    is kept when it fits *published_at*. Without it (a record archived before the
    field existed) a time with seconds ":00" counts as a minute: "2021-11-05" ->
    "day", "2021-11-05T10:30:00+08:00" -> "minute", "…T10:30:15+08:00" -> "second".
    """
    if not published_at:
        return None
    if len(published_at) <= 10:
        return "day"
    seconds = published_at[17:19]
    if stated == "second" or (seconds and seconds != "00"):
        return "second"
    return "minute"


@dataclass(frozen=True, slots=True)
class Article:
    """One article page's record.

    Extraction fills what the page says; the pipelines fill ``fetched_at``,
    ``content_hash``, ``simhash`` and ``version``. ``published_date`` and
    ``published_precision`` follow from ``published_at`` (extraction states the
    precision; otherwise it is read off the time). The ``warc_*`` fields point at
    the response record the page was read from (newsarchive.warc), and
    ``reextracted_at`` is set on a version that ``newsarchive reextract`` made from
    a stored response rather than a fetch. ``counter_url`` is the
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
    published_precision: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    warc_record_id: str | None = None
    reextracted_at: str | None = None
    counter_url: str | None = None

    def __post_init__(self) -> None:
        # Always the precision of published_at as it stands (None without a date), so a
        # record built by hand or by dataclasses.replace() cannot disagree with its date.
        precision = published_precision_of(self.published_at, self.published_precision)
        if precision != self.published_precision:
            object.__setattr__(self, "published_precision", precision)

    @property
    def published_date(self) -> str | None:
        """Return the page's local calendar day, "2021-11-05" (see published_date_of())."""
        return published_date_of(self.published_at)

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
        count = values.get("view_count")
        if count is not None and not isinstance(count, int):
            # A JSON writer other than ours may have written 12000.0: the field is an int.
            values["view_count"] = int(count)
        return cls(**values)
