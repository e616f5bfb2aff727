"""JSON Lines archive: one record per line, append-only; view counts in a sidecar file.

Files, for an archive ``news.jsonl``:

- ``news.jsonl``: one JSON object per line with DESIGN.md's fields, UTF-8, Chinese
  kept readable. A re-fetch that finds different content appends a new line with the
  same ``canonical_url`` and ``version`` + 1; earlier lines are never rewritten.
- ``news.views.jsonl``: one line ``{"canonical_url", "version", "view_count",
  "fetched_at"}`` per re-fetch that found the same content with a different view
  count. The latest line for a URL's current version gives its current count.
- ``news.duplicates.jsonl``: one line ``{"canonical_url", "duplicate_of", "reason",
  "fetched_at"}`` per URL dropped as a copy of an archived article, so that later
  crawls know the URL and need not fetch it again. When the original of a kept
  article is found later (published first, see Archive.replace_with_original), the
  kept one gets a line with its whole ``record`` and ``replaced_version`` (its
  version then): its lines in ``news.jsonl`` up to that version no longer count as
  an article. Copies of it get new lines naming the original. The last line of a
  URL counts.
- ``news.jsonl.lock``: the writer's lock (newsarchive.archive.lock).
- ``news.jsonl.torn-<UTC time>``: the bytes of a last line cut short by a crash,
  moved aside when the archive is next opened for writing.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Self

from newsarchive.archive._common import (
    EXACT,
    NEAR,
    NEAR_DISTANCE,
    NEW,
    UNCHANGED,
    UPDATED,
    URL,
    VIEWS,
    Duplicate,
    DuplicateRow,
    band_keys,
    changed_fields,
    finish_article,
    make_parent,
    record_json,
)
from newsarchive.archive._jsonl_index import Entry as _Entry
from newsarchive.archive._jsonl_index import content_key as _content_key
from newsarchive.archive._jsonl_index import duplicates_path_for, views_path_for
from newsarchive.archive._jsonl_index import simhash_int as _simhash_int
from newsarchive.archive._jsonl_index import utc_stamp as _utc_stamp
from newsarchive.archive.lock import ArchiveLock
from newsarchive.dedupe import precedes
from newsarchive.errors import ArchiveError
from newsarchive.items import Article, utc_timestamp

__all__ = ["JsonlArchive", "duplicates_path_for", "views_path_for"]

logger = logging.getLogger(__name__)


class JsonlArchive:
    """An archive in a JSON Lines file, indexed in memory when opened.

    The index holds, per canonical URL, the offset of its latest line, its
    version, content hash, view count and SimHash, plus a map of content hashes
    and the SimHash bands per site; the text stays on disk.
    """

    def __init__(
        self, path: str | Path, *, readonly: bool = False, lock_timeout: float = 0.0
    ) -> None:
        self.path = Path(path)
        self.views_path = views_path_for(self.path)
        self.duplicates_path = duplicates_path_for(self.path)
        # URL dropped as a copy -> True when dropped by this writer (a repeat is then a
        # repeat within the crawl).
        self._aliases: dict[str, bool] = {}
        # URL of a replaced copy -> its version then (its lines up to it are no article).
        self._retired: dict[str, int] = {}
        self.readonly = readonly
        self._entries: dict[str, _Entry] = {}
        self._hashes: dict[bytes, str] = {}
        # site -> band key -> the URL, or the URLs, whose SimHash has that band.
        self._bands: dict[str, dict[int, str | list[str]]] = {}
        self._views = 0
        self._size = 0
        self._out: IO[bytes] | None = None
        self._views_out: IO[bytes] | None = None
        self._duplicates_out: IO[bytes] | None = None
        self._lock: ArchiveLock | None = None
        self._closed = False
        if readonly:
            if not self.path.exists():
                raise ArchiveError(f"no archive at {self.path}; run a crawl with -o {self.path} first")
            self._load()
            return
        make_parent(self.path)
        self._lock = ArchiveLock(self.path)
        self._lock.acquire(lock_timeout)
        try:
            self._load()
            self._out = open(self.path, "ab")  # noqa: SIM115 - closed in close()
            self._views_out = open(self.views_path, "ab")  # noqa: SIM115
            self._duplicates_out = open(self.duplicates_path, "ab")  # noqa: SIM115
        except BaseException:
            self._close_files()
            self._lock.release()
            raise

    # -- opening: scan, repair, index ---------------------------------------------

    def _load(self) -> None:
        self._size = self._scan(self.path, self._index_line)
        if self.views_path.exists():
            self._scan(self.views_path, self._index_views_line)
        if self.duplicates_path.exists():
            self._scan(self.duplicates_path, self._index_duplicate_line)
        if self._retired:
            # A replaced copy took its content hash out of the map; its original has it.
            for url, entry in self._entries.items():
                self._hashes.setdefault(entry.content_key, url)

    def _index_duplicate_line(self, offset: int, record: dict[str, Any]) -> None:
        url = record["canonical_url"]
        replaced = record.get("replaced_version")
        entry = self._entries.get(url)
        if replaced is not None:
            self._retired[url] = int(replaced)
            if entry is not None and entry.version <= int(replaced):
                self._unindex(url, entry)
                del self._entries[url]
                entry = None
        if entry is None:  # an article archived again after it was a copy is no copy
            self._aliases[url] = False

    def _scan(self, path: Path, index: Any) -> int:
        """Feed each complete line of *path* to *index*; return the length kept.

        A writer cuts a torn last line off (saved beside the archive); a reader
        only skips it, since a writer may be in the middle of writing it.
        """
        if not path.exists():
            return 0
        offset = 0
        try:
            with open(path, "rb") as f:
                previous = f.readline()
                number = 0
                while previous:
                    line = f.readline()
                    number += 1
                    if not self._scan_line(path, number, offset, previous, index, last=not line):
                        return offset
                    offset += len(previous)
                    previous = line
        except OSError as exc:
            raise ArchiveError(f"cannot read archive {path}: {exc.strerror}") from exc
        return offset

    def _scan_line(
        self, path: Path, number: int, offset: int, line: bytes, index: Any, *, last: bool
    ) -> bool:
        """Index one line; return False when it is a torn last line (then cut off)."""
        record: Any = None
        if line.endswith(b"\n"):
            try:
                record = json.loads(line)
            except ValueError:
                record = None
        if isinstance(record, dict) and record.get("canonical_url"):
            index(offset, record)
        elif last and line.strip():
            self._torn(path, offset, line)
            return False
        elif line.strip():
            logger.warning(
                "archive %s: line %d is not a JSON record; skipped (left in the file)",
                path, number,
            )
        return True

    def _torn(self, path: Path, offset: int, tail: bytes) -> None:
        if self.readonly:
            logger.debug("archive %s: incomplete last line ignored (a writer may be writing it)", path)
            return
        saved = path.with_name(f"{path.name}.torn-{_utc_stamp()}")
        n = 1
        while saved.exists():
            n += 1
            saved = path.with_name(f"{path.name}.torn-{_utc_stamp()}-{n}")
        with open(saved, "wb") as f:
            f.write(tail)
            f.flush()
            os.fsync(f.fileno())
        with open(path, "r+b") as f:
            f.truncate(offset)
            f.flush()
            os.fsync(f.fileno())
        logger.warning(
            "archive %s ended with a torn line (%d bytes from an interrupted write); "
            "cut it off and saved it to %s",
            path, len(tail), saved,
        )

    def _index_line(self, offset: int, record: dict[str, Any]) -> None:
        url = record["canonical_url"]
        old = self._entries.get(url)
        if old is not None:
            self._unindex(url, old)
        entry = _Entry(
            offset=offset,
            version=int(record.get("version") or 1),
            content_key=_content_key(record.get("content_hash") or ""),
            view_count=record.get("view_count"),
            site=sys.intern(record.get("site") or ""),
            simhash=_simhash_int(record.get("simhash") or ""),
        )
        self._entries[url] = entry
        self._index_fingerprints(url, entry)

    def _index_fingerprints(self, url: str, entry: _Entry) -> None:
        if entry.content_key:
            self._hashes.setdefault(entry.content_key, url)
        if entry.simhash >= 0:
            bands = self._bands.setdefault(entry.site, {})
            for key in band_keys(entry.simhash):
                bucket = bands.get(key)
                if bucket is None:
                    bands[key] = url
                elif isinstance(bucket, str):
                    bands[key] = [bucket, url]
                else:
                    bucket.append(url)

    def _unindex(self, url: str, entry: _Entry) -> None:
        if self._hashes.get(entry.content_key) == url:
            del self._hashes[entry.content_key]
        bands = self._bands.get(entry.site)
        if entry.simhash < 0 or bands is None:
            return
        for key in band_keys(entry.simhash):
            bucket = bands.get(key)
            if bucket == url:
                del bands[key]
            elif isinstance(bucket, list) and url in bucket:
                bucket.remove(url)

    def _candidates(self, site: str, simhash: int) -> Iterator[str]:
        """Yield the URLs on *site* sharing at least one band with *simhash* (maybe twice)."""
        bands = self._bands.get(site)
        if not bands:
            return
        for key in band_keys(simhash):
            bucket = bands.get(key)
            if isinstance(bucket, str):
                yield bucket
            elif bucket:
                yield from bucket

    def _index_views_line(self, offset: int, record: dict[str, Any]) -> None:
        entry = self._entries.get(record["canonical_url"])
        self._views += 1
        if entry is not None and int(record.get("version") or 1) == entry.version:
            entry.view_count = record.get("view_count")

    # -- writing -------------------------------------------------------------------

    def _append(self, out: IO[bytes] | None, record: dict[str, Any]) -> int:
        if self.readonly or out is None:
            raise ArchiveError(f"archive {self.path} is open read-only")
        if self._closed:
            raise ArchiveError(f"archive {self.path} is closed")
        data = (record_json(record) + "\n").encode("utf-8")
        try:
            out.write(data)
            out.flush()
        except OSError as exc:
            raise ArchiveError(f"cannot write to archive {self.path}: {exc.strerror}") from exc
        return len(data)

    def add(self, article: Article) -> str:
        """Store *article*; return "new", "updated" (new version), "unchanged" or "views".

        The archive numbers versions itself: the ``version`` of *article* is ignored.
        """
        article = finish_article(article)
        url = article.canonical_url
        old = self._entries.get(url)
        if old is not None and old.content_key == _content_key(article.content_hash):
            old.in_session = True
            if article.view_count is None or article.view_count == old.view_count:
                return UNCHANGED
            self._append(
                self._views_out,
                {
                    "canonical_url": url,
                    "version": old.version,
                    "view_count": article.view_count,
                    "fetched_at": article.fetched_at or utc_timestamp(),
                },
            )
            old.view_count = article.view_count
            self._views += 1
            return VIEWS
        self._aliases.pop(url, None)
        version = self._retired.get(url, 0) + 1 if old is None else old.version + 1
        record = dataclasses.replace(article, version=version).to_record()
        offset = self._size
        self._size += self._append(self._out, record)
        self._index_line(offset, record)
        self._entries[url].in_session = True
        return NEW if old is None else UPDATED

    def add_reextraction(self, article: Article) -> str:
        """Store *article*, read again from the page an archived article was fetched as, as that
        article's next version (a new line) when any archived field differs; return "updated"
        or "unchanged". Raises ArchiveError when the article is not archived.
        """
        article = finish_article(article)
        url = article.canonical_url
        entry = self._entries.get(url)
        if entry is None:
            raise ArchiveError(f"archive {self.path} holds no article {url} to re-extract")
        with open(self.path, "rb") as f:
            old = self._read_at(f, entry.offset)
        old["view_count"] = entry.view_count
        record = dataclasses.replace(article, version=entry.version + 1).to_record()
        if not changed_fields(old, record):
            return UNCHANGED
        offset = self._size
        self._size += self._append(self._out, record)
        self._index_line(offset, record)
        return UPDATED

    def add_duplicate(self, row: DuplicateRow) -> None:
        """Remember that *row*.canonical_url holds a copy of *row*.duplicate.url, so that
        has_url() knows it and later crawls skip it. A repeat of a URL (kind "url") is not
        recorded."""
        url, duplicate = row.canonical_url, row.duplicate
        if duplicate.kind == URL or duplicate.url == url:
            return
        line: dict[str, Any] = {
            "canonical_url": url,
            "duplicate_of": duplicate.url,
            "reason": duplicate.reason,
            "fetched_at": row.fetched_at or utc_timestamp(),
        }
        if row.record:
            line["replaced_version"] = int(row.record.get("version") or 1)
            line["record"] = row.record
        self._append(self._duplicates_out, line)
        self._aliases[url] = True

    def replace_with_original(self, article: Article, duplicate: Duplicate) -> bool:
        """Keep *article* instead of the archived copy *duplicate* names when it is the
        original of the two (newsarchive.dedupe.original_key: published first, then the
        earlier URL); return True if it was, False if the archived copy stays.

        The replaced copy's line in the duplicates file comes first (with its whole
        record), then *article*'s line: a crash between them leaves the copy recorded
        and the original unarchived, which the next crawl fetches and keeps. Copies
        recorded of the replaced one get lines naming *article*. A repeat of a URL
        (kind "url") replaces nothing.
        """
        url = duplicate.url
        entry = self._entries.get(url)
        if duplicate.kind == URL or url == article.canonical_url or entry is None:
            return False
        with open(self.path, "rb") as f:
            kept = self._read_at(f, entry.offset)
        kept["view_count"] = entry.view_count
        if not precedes(article.published_at, article.canonical_url, kept.get("published_at"), url):
            return False
        article = finish_article(article)
        original = article.canonical_url
        moved = [row for row in self.iter_duplicates() if row.duplicate.url == url]
        self._append(
            self._duplicates_out,
            {
                "canonical_url": url,
                "duplicate_of": original,
                "reason": duplicate.reason,
                "fetched_at": kept.get("fetched_at") or utc_timestamp(),
                "replaced_version": entry.version,
                "record": kept,
            },
        )
        self._unindex(url, entry)
        del self._entries[url]
        self._retired[url] = entry.version
        self._aliases[url] = True
        for row in moved:
            if row.canonical_url != original:
                in_session = self._aliases.get(row.canonical_url, False)
                self.add_duplicate(row._replace(duplicate=row.duplicate._replace(url=original)))
                self._aliases[row.canonical_url] = in_session
        self.add(article)
        return True

    def flush_due(self) -> bool:
        """Return False: add() writes each line through at once, nothing waits."""
        return False

    def flush(self) -> None:
        """Write buffered lines through to the operating system (add() already does)."""
        for out in (self._out, self._views_out, self._duplicates_out):
            if out is not None and not out.closed:
                out.flush()

    # -- reading -------------------------------------------------------------------

    def has_url(self, canonical_url: str) -> bool:
        """Return True if *canonical_url* is archived, or was dropped as a copy of an
        archived article (exact match, not re-canonicalised)."""
        return canonical_url in self._entries or canonical_url in self._aliases

    def find_duplicate(self, article: Article) -> Duplicate | None:
        """Return the archived article that *article* duplicates, or None.

        A duplicate is the same canonical URL added earlier by this writer, the
        same content_hash under another URL, or a SimHash within NEAR_DISTANCE
        bits on the same site under another URL (the nearest one). A URL archived
        by an earlier crawl is not a duplicate: add() may find it updated.
        """
        article = finish_article(article)
        url = article.canonical_url
        entry = self._entries.get(url)
        if (entry is not None and entry.in_session) or self._aliases.get(url):
            return Duplicate(url, URL)
        other = self._hashes.get(_content_key(article.content_hash))
        if other is not None and other != url:
            return Duplicate(other, EXACT)
        best: tuple[int, str] | None = None
        value = int(article.simhash, 16)
        for other in self._candidates(article.site, value):
            if other == url:
                continue
            distance = (value ^ self._entries[other].simhash).bit_count()
            if distance <= NEAR_DISTANCE and (best is None or distance < best[0]):
                best = (distance, other)
        if best is not None:
            return Duplicate(best[1], NEAR, best[0])
        return None

    def _read_at(self, f: IO[bytes], offset: int) -> dict[str, Any]:
        f.seek(offset)
        record: dict[str, Any] = json.loads(f.readline())
        return record

    def iter_articles(self, all_versions: bool = False) -> Iterator[Article]:
        """Yield the latest version of each article (with its current view count) in
        order of first capture; with *all_versions*, every line in file order."""
        with open(self.path, "rb") as f:
            if not all_versions:
                for entry in list(self._entries.values()):
                    record = self._read_at(f, entry.offset)
                    record["view_count"] = entry.view_count
                    yield Article.from_record(record)
                return
            end = self._size
            offset = 0
            while offset < end:
                line = f.readline()
                if not line:
                    break
                here, offset = offset, offset + len(line)
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(record, dict) or not record.get("canonical_url"):
                    continue
                current = self._entries.get(record["canonical_url"])
                if int(record.get("version") or 1) <= self._retired.get(record["canonical_url"], 0):
                    continue  # a replaced copy's line: it is a duplicate now
                if current is not None and current.offset == here:
                    record["view_count"] = current.view_count
                yield Article.from_record(record)

    def iter_duplicates(self) -> Iterator[DuplicateRow]:
        """Yield each URL remembered as a copy of an archived article, in the order
        the sidecar ``<stem>.duplicates.jsonl`` first recorded them, each as its last
        line gives it (a torn line is skipped); a URL archived again is no copy."""
        if not self.duplicates_path.exists():
            return
        rows: dict[str, DuplicateRow] = {}
        with open(self.duplicates_path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    row = json.loads(line)
                except ValueError:  # a line cut short by a crash
                    continue
                url = row["canonical_url"]
                rows[url] = DuplicateRow(
                    url,
                    Duplicate.from_reason(row["duplicate_of"], row["reason"]),
                    row.get("fetched_at", ""),
                    row.get("record") or (rows[url].record if url in rows else None),
                )
        for url, found in rows.items():
            if url in self._aliases:
                yield found

    def count_views(self) -> int:
        """Return how many re-fetches changed only the view count."""
        return self._views

    def count_duplicates(self) -> int:
        """Return how many URLs are remembered as copies of archived articles."""
        return len(self._aliases)

    # -- closing -------------------------------------------------------------------

    def _close_files(self) -> None:
        for out in (self._out, self._views_out, self._duplicates_out):
            if out is not None and not out.closed:
                out.flush()
                os.fsync(out.fileno())
                out.close()

    def close(self) -> None:
        """Flush and sync the files and release the lock."""
        if self._closed:
            return
        self._closed = True
        try:
            self._close_files()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "writer"
        return f"<JsonlArchive {str(self.path)!r} {mode}>"
