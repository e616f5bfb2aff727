"""The names of a crawl's own Scrapy stats: written by the spider, pipelines and middlewares,
read by the crawl report and by ``newsarchive.outcome`` (the CLI's summary and exit verdict).

Every ``newsarchive/...`` stats key is spelt here only (``tests/test_statkeys.py``
checks that no other module spells one), so a key renamed for its writer is
renamed for its readers too.
"""

from __future__ import annotations

__all__ = [
    "ARCHIVE_PREFIX",
    "COUNTER_FAILED",
    "COUNTER_REQUESTED",
    "COUNTER_UNREADABLE",
    "COUNTER_WITHHELD",
    "COUNTER_WITHHELD_PREFIX",
    "DEDUPE_PREFIX",
    "DEDUPE_REPLACED",
    "DISCOVERY_FAILED",
    "DISCOVERY_LINKS",
    "DISCOVERY_MISSING",
    "DISCOVERY_READ_PREFIX",
    "DISCOVERY_SITEMAP_OLDER_THAN_SINCE",
    "EXTRACT_NOT_ARTICLE",
    "EXTRACT_UNDECODABLE",
    "LINKS_KNOWN",
    "LINKS_NEWER_THAN_UNTIL",
    "LINKS_OLDER_THAN_SINCE",
    "NEWER_THAN_UNTIL",
    "OLDER_THAN_SINCE",
    "PAGES_LISTING",
    "PAGES_NOT_HTML",
    "PAGINATION_STOPPED_KNOWN",
    "PAGINATION_STOPPED_SINCE",
    "PROGRESS_EXPECTED",
    "PROGRESS_UNKNOWN",
    "REDIS_DEQUEUED",
    "REDIS_ENQUEUED",
    "REDIS_ITEMS_PUSHED",
    "REDIS_RECLAIMED",
    "REDIS_WAIT_MS",
    "REPORT_FAILED_PREFIX",
    "REPORT_SUMMARY",
    "RETRY_AFTER",
    "RETRY_BACKOFF_SECONDS",
    "SINCE_DROPPED",
    "SKIPPED",
    "TRAPS_LISTING_PAGES_LIMIT",
    "UNREADABLE",
    "UNTIL_DROPPED",
    "URLPOLICY_REFUSED",
    "WARC_BYTES",
    "WARC_NOT_IN_WARC",
    "WARC_RECORDS",
    "archived",
    "counter_withheld",
    "discovery_read",
    "duplicate",
    "report_failed",
]

# -- the spider ------------------------------------------------------------------------
#: Listing pages read.
PAGES_LISTING = "newsarchive/pages/listing"
#: Responses that were not HTML text.
PAGES_NOT_HTML = "newsarchive/pages/not_html"
#: Article links not requested: the archive has them.
LINKS_KNOWN = "newsarchive/links/known"
#: Article links not requested: their listing dates them before ``since``.
LINKS_OLDER_THAN_SINCE = "newsarchive/links/older_than_since"
#: Articles extracted and dropped: published before ``since``.
SINCE_DROPPED = "newsarchive/since/dropped"
#: Article links not requested: their listing dates them after ``until``.
LINKS_NEWER_THAN_UNTIL = "newsarchive/links/newer_than_until"
#: Articles extracted and dropped: published after ``until``.
UNTIL_DROPPED = "newsarchive/until/dropped"
#: Listings not followed further: NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES pages of known articles.
PAGINATION_STOPPED_KNOWN = "newsarchive/pagination/stopped_known"
#: Listings not followed further: they reached ``since``.
PAGINATION_STOPPED_SINCE = "newsarchive/pagination/stopped_since"
#: Pages taken for articles that held none.
EXTRACT_NOT_ARTICLE = "newsarchive/extract/not_article"
#: Pages no charset decodes.
EXTRACT_UNDECODABLE = "newsarchive/extract/undecodable"
#: View-counter requests made, failed, and answered with no count in them.
COUNTER_REQUESTED = "newsarchive/counter/requested"
COUNTER_FAILED = "newsarchive/counter/failed"
COUNTER_UNREADABLE = "newsarchive/counter/unreadable"
#: View-counter requests robots.txt forbids (not asked, no failure), and ``+ site``: those of one site.
COUNTER_WITHHELD = "newsarchive/counter/withheld"
COUNTER_WITHHELD_PREFIX = "newsarchive/counter/withheld/"
#: ``+ kind``: sitemaps, sitemap indexes and feeds read (urlset, sitemapindex, rss, atom, none).
DISCOVERY_READ_PREFIX = "newsarchive/discovery/read/"
#: Article links kept from sitemaps and feeds (requested when no listing requested them).
DISCOVERY_LINKS = "newsarchive/discovery/links"
#: robots.txt, sitemaps and feeds that were missing (404, 410), or failed otherwise.
DISCOVERY_MISSING = "newsarchive/discovery/missing"
DISCOVERY_FAILED = "newsarchive/discovery/failed"
#: Sitemaps of an index not read: their lastmod is before ``since``.
DISCOVERY_SITEMAP_OLDER_THAN_SINCE = "newsarchive/discovery/sitemap_older_than_since"

#: Articles the sections' first listing pages state they hold (the progress line's ETA),
#: and the paginated sections that state no size.
PROGRESS_EXPECTED = "newsarchive/progress/expected"
PROGRESS_UNKNOWN = "newsarchive/progress/unknown"

# -- the middlewares ----------------------------------------------------------------------
URLPOLICY_REFUSED = "newsarchive/urlpolicy/refused"
RETRY_AFTER = "newsarchive/retry/retry_after"
RETRY_BACKOFF_SECONDS = "newsarchive/retry/backoff_seconds"
TRAPS_LISTING_PAGES_LIMIT = "newsarchive/traps/listing_pages_limit"
# A worker of a shared harvest (--redis): requests it queued and took from the shared
# queue, articles it pushed to the archiver, requests of silent workers it put back,
# and milliseconds its requests waited for the sites' shared request slots.
REDIS_ENQUEUED = "newsarchive/redis/enqueued"
REDIS_DEQUEUED = "newsarchive/redis/dequeued"
REDIS_ITEMS_PUSHED = "newsarchive/redis/items_pushed"
REDIS_RECLAIMED = "newsarchive/redis/reclaimed"
REDIS_WAIT_MS = "newsarchive/redis/wait_ms"
# Responses written to the crawl's WARC files, and their bytes (gzip, request records included).
WARC_RECORDS = "newsarchive/warc/records"
WARC_BYTES = "newsarchive/warc/bytes"
# Requests a --from-warc crawl found no response for in its WARC files.
WARC_NOT_IN_WARC = "newsarchive/warc/not_in_warc"

# -- the pipelines and the report -----------------------------------------------------------
#: ``+ status``: articles archived as new, updated, views (only the count changed), unchanged.
ARCHIVE_PREFIX = "newsarchive/archive/"
#: ``+ kind``: articles dropped as duplicates (url, exact, near).
DEDUPE_PREFIX = "newsarchive/dedupe/"
#: Archived copies replaced by their original (published first), found after them.
DEDUPE_REPLACED = "newsarchive/dedupe/replaced"
#: ``+ kind``: failed pages by failure kind, as the crawl report counts them.
REPORT_FAILED_PREFIX = "newsarchive/report/failed/"
#: The crawl report's summary line.
REPORT_SUMMARY = "newsarchive/report/summary"

#: Article links the crawl did not follow on purpose (what the exit verdict calls skipped).
SKIPPED = (LINKS_KNOWN, LINKS_OLDER_THAN_SINCE, SINCE_DROPPED, LINKS_NEWER_THAN_UNTIL, UNTIL_DROPPED)
#: Articles skipped as older than ``since``, and as newer than ``until`` (the summary line).
OLDER_THAN_SINCE = (LINKS_OLDER_THAN_SINCE, SINCE_DROPPED)
NEWER_THAN_UNTIL = (LINKS_NEWER_THAN_UNTIL, UNTIL_DROPPED)
#: Pages fetched that gave no article.
UNREADABLE = (EXTRACT_NOT_ARTICLE, EXTRACT_UNDECODABLE)


def archived(status: str) -> str:
    """Return the key counting articles archived with *status*: ``archived("new")``."""
    return ARCHIVE_PREFIX + status


def counter_withheld(site: str) -> str:
    """Return the key counting *site*'s view counters robots.txt forbids: ``counter_withheld("www.a.cn")``."""
    return COUNTER_WITHHELD_PREFIX + site


def discovery_read(kind: str) -> str:
    """Return the key counting sitemaps or feeds read of *kind*: ``discovery_read("rss")``."""
    return DISCOVERY_READ_PREFIX + kind


def duplicate(kind: str) -> str:
    """Return the key counting duplicates of *kind* (url, exact, near)."""
    return DEDUPE_PREFIX + kind


def report_failed(kind: str) -> str:
    """Return the key counting failed pages of *kind* (timeout, http, ...)."""
    return REPORT_FAILED_PREFIX + kind
