"""The end-of-crawl report: one summary line in the log and the stats, and a failures file.

Listens to ``page_failed`` (sent by the spider, and by ``newsarchive.middlewares.failures``
for download failures) and, when the spider closes, logs one INFO line such as::

    crawl report: 40 pages fetched; articles 12 new, 1 updated, 3 duplicate;
    4 failed (http 404: 2, timeout: 1, not_article: 1); 2 view counts unavailable;
    60 view counts withheld by robots.txt; 12 older than since skipped;
    1 re-posts replaced by their original; 7 offsite links skipped

puts it in the stats as ``newsarchive/report/summary`` (with counts under
``newsarchive/report/failed/<kind>``), and writes every failed URL, one JSON
object per line (url, kind, reason, status, listing, time), to
``<archive>.failures.jsonl`` beside the archive, so the URLs can be retried.
The file describes the last crawl: it is rewritten by every crawl that has
failures and removed by one that has none.

A view counter that failed (kind ``counter``) is in the file too, but it is no
failed page: its article is archived without the count. It is left out of the
failed pages and their stats, and counted apart as a view count unavailable.
One robots.txt forbids is not in the file: the spider counts it as withheld.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import signals

from newsarchive import statkeys
from newsarchive.archive import EXACT, NEAR, URL
from newsarchive.failure_kinds import COUNTER_KIND
from newsarchive.items import utc_timestamp
from newsarchive.signals import page_failed

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

_DUPLICATE_KEYS = tuple(statkeys.duplicate(kind) for kind in (URL, EXACT, NEAR))


def failures_path(archive: str | Path) -> Path:
    """Return where the failures of a crawl into *archive* are written."""
    archive = Path(archive)
    return archive.with_name(archive.name + ".failures.jsonl")


class CrawlReport:
    """Collect failures during a crawl; summarise and write them when it ends."""

    def __init__(self, crawler: Crawler, path: Path | None) -> None:
        self.crawler = crawler
        self.path = path
        self.failures: dict[str, dict[str, Any]] = {}
        self._written = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        archive = crawler.settings.get("NEWSARCHIVE_ARCHIVE")
        o = cls(crawler, failures_path(archive) if archive else None)
        crawler.signals.connect(o.page_failed, signal=page_failed)
        crawler.signals.connect(o.spider_closed, signal=signals.spider_closed)
        return o

    def page_failed(
        self,
        url: str,
        kind: str,
        reason: str = "",
        status: int | None = None,
        listing: str | None = None,
        request: Any = None,
    ) -> None:
        """Record one failed *url*; the first report of a URL wins.

        A failure after redirects is filed under the first URL of the chain
        (the one the listing linked to, and the one to retry).
        """
        chain = getattr(request, "meta", {}).get("redirect_urls") if request is not None else None
        if chain:
            url = str(chain[0])
        if url in self.failures:
            return
        if listing is None and request is not None:
            listing = request.meta.get("listing_url") or _referer(request)
        record = {
            "url": url,
            "kind": kind,
            "reason": reason,
            "status": status,
            "listing": listing,
            "time": utc_timestamp(),
        }
        self.failures[url] = record
        self._write(record)

    def _write(self, record: dict[str, Any]) -> None:
        # Opened and closed per failure (they are few): every line is on disk at
        # once, even if the crawl is killed, and no file is left open.
        if self.path is None:
            return
        try:
            if not self._written:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a" if self._written else "w", encoding="utf-8") as out:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._written = True
        except OSError:
            logger.exception("cannot write failures file %s", self.path)
            self.path = None

    def summary(self) -> str:
        """Return the one-line summary of the crawl so far."""
        stats = self.crawler.stats
        assert stats is not None
        get = stats.get_value
        kinds: Counter[str] = Counter()
        pages = [r for r in self.failures.values() if r["kind"] != COUNTER_KIND]
        for record in pages:
            kind = record["kind"]
            if kind == "http" and record["status"]:
                kind = f"http {record['status']}"
            kinds[kind] += 1
        duplicates = sum(int(get(k, 0) or 0) for k in _DUPLICATE_KEYS)
        failed = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
        line = (
            f"crawl report: {int(get('response_received_count', 0) or 0)} pages fetched; "
            f"articles {int(get(statkeys.archived('new'), 0) or 0)} new, "
            f"{int(get(statkeys.archived('updated'), 0) or 0)} updated, "
            f"{duplicates} duplicate; "
            f"{len(pages)} failed" + (f" ({failed})" if failed else "")
        )
        counters = len(self.failures) - len(pages)
        if counters:
            line += f"; {counters} view counts unavailable"
        withheld = int(get(statkeys.COUNTER_WITHHELD, 0) or 0)
        if withheld:
            line += f"; {withheld} view counts withheld by robots.txt"
        older = sum(int(get(k, 0) or 0) for k in statkeys.OLDER_THAN_SINCE)
        if older:
            line += f"; {older} older than since skipped"
        newer = sum(int(get(k, 0) or 0) for k in statkeys.NEWER_THAN_UNTIL)
        if newer:
            line += f"; {newer} newer than until skipped"
        replaced = int(get(statkeys.DEDUPE_REPLACED, 0) or 0)
        if replaced:
            line += f"; {replaced} re-posts replaced by their original"
        offsite = int(get("offsite/filtered", 0) or 0)
        if offsite:
            line += f"; {offsite} offsite links skipped"
        return line

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        for record in self.failures.values():
            if record["kind"] != COUNTER_KIND:
                stats.inc_value(statkeys.report_failed(record["kind"]))
        line = self.summary()
        stats.set_value(statkeys.REPORT_SUMMARY, line)
        if self._written and self.path is not None:
            line += f"; failed URLs in {self.path}"
        elif self.path is not None and self.path.exists():
            self.path.unlink()
        logger.info("%s", line)


def _referer(request: Any) -> str | None:
    value = request.headers.get("Referer")
    return value.decode("latin-1") if value else None
