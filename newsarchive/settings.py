"""Scrapy settings for newsarchive: plain constants, no imports of scrapy.

Every setting of ours starts with NEWSARCHIVE_ and is listed in README.md.
"""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# ---------------------------------------------------------------------------
# Politeness: regional news servers are small; one harvest must not load them.
# ---------------------------------------------------------------------------
USER_AGENT = "newsarchive/0.1 (news archiving crawler; respects robots.txt)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "pipelines.normalize.NormalizePipeline": 100,
    "pipelines.dedupe.DedupePipeline": 200,
    "pipelines.archive.ArchivePipeline": 300,
}

# ---------------------------------------------------------------------------
# newsarchive
# ---------------------------------------------------------------------------
# Where articles go: *.jsonl is a JSON Lines archive, *.sqlite or *.db a SQLite one.
NEWSARCHIVE_ARCHIVE = "archive/news.sqlite"
# Ask a page's view-counter endpoint when a script writes the count (bool).
NEWSARCHIVE_FETCH_COUNTERS = True
# Stop a listing's pagination after this many listing pages holding only
# articles the archive already has; 0 walks every page.
NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES = 1
# Zone for times a page states without an offset (IANA name).
NEWSARCHIVE_TIMEZONE = "Asia/Shanghai"
