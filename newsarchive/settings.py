"""Scrapy settings for newsarchive: plain constants, no imports of scrapy.

Every setting of ours starts with NEWSARCHIVE_ and is listed in README.md.
"""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["newsarchive.spiders"]
NEWSPIDER_MODULE = "newsarchive.spiders"

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
# Outputs of one callback processed in parallel. Scrapy's default, 100, starts 100
# asyncio tasks for every response: 0.47 ms of CPU per page against 0.06 ms for 8
# (scrapy 2.19; the bare link-follower went from 3.3 to 2.5 CPU ms/page; the news
# spider into SQLite, 2026-12-04: 3.63 ms/page with 100, 3.15 with 16, 3.08 with 4). Our
# callbacks yield one article or a few links and our pipelines are synchronous,
# so nothing runs in parallel anyway (benchmarks/tune.py --group items).
CONCURRENT_ITEMS = 8
# Scrapy checks each callback for a generator that returns a value; it caches the
# answer weakly by bound method, which a new request gets each time, so it read
# the spider's source with inspect and ast again for many responses (0.02 ms a
# page measured). The news spider's callbacks are generators that return no value.
WARN_ON_GENERATOR_RETURN_VALUE = False

# ---------------------------------------------------------------------------
# Robustness: hostile or broken sites must neither stop nor trap a harvest.
# ---------------------------------------------------------------------------
# Pages larger than this are cut off and reported (bytes; Scrapy's default is 1 GiB).
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
# Pages larger than this are logged as a warning (bytes).
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
# A news page needs at most a few hops (http -> https -> www -> article).
REDIRECT_MAX_TIMES = 8
DOWNLOADER_MIDDLEWARES = {
    # Report final failures (after retries) as page_failed; outermost, so it sees them last.
    "newsarchive.middlewares.failures.FailureCaptureMiddleware": 10,
    # Refuse other schemes, other hosts and non-public addresses, redirects included.
    "newsarchive.middlewares.urlpolicy.UrlPolicyMiddleware": 60,
    # Scrapy's retry with exponential backoff and Retry-After, in place of Scrapy's own.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsarchive.middlewares.retry.BackoffRetryMiddleware": 550,
    # Report redirect loops and over-long chains, which RedirectMiddleware drops silently.
    "newsarchive.middlewares.failures.RedirectWatchMiddleware": 610,
    # Every response as the server sent it into WARC files beside the archive: nearer the
    # download than compression (590) and redirects (600), so bodies stay as sent.
    "newsarchive.middlewares.warc.WarcCaptureMiddleware": 870,
    # A crawl from WARC files alone (NEWSARCHIVE_FROM_WARC): every request answered from them.
    "newsarchive.middlewares.warcreplay.WarcReplayMiddleware": 880,
}
EXTENSIONS = {
    # Hand the spider the archive's has_url, so archived articles are not requested.
    "newsarchive.pipelines._shared.ArchiveOpener": 100,
    # Fewer log records built to be dropped, fewer garbage collections, while a crawl runs.
    "newsarchive.middlewares.tuning.RuntimeTuning": 110,
    # A second SIGINT/SIGTERM commits what was archived before Scrapy stops at once.
    "newsarchive.middlewares.forcedstop.ForcedStopGuard": 120,
    # End-of-crawl summary line and <archive>.failures.jsonl.
    "newsarchive.middlewares.report.CrawlReport": 500,
    # A live progress line on a terminal, a plain one in the log every minute.
    "newsarchive.middlewares.progress.CrawlProgress": 510,
}
ADDONS = {
    # Unknown NEWSARCHIVE_* names and bad values are one error line before the crawl
    # starts (an add-on: it runs before the crawl state below marks the crawl running).
    "newsarchive.middlewares.settingscheck.SettingsCheck": -100,
    # NEWSARCHIVE_REDIS_URL makes the crawl one worker of a harvest shared through
    # Redis: the shared scheduler, items pushed to the archiver, no local resume state.
    "newsarchive.middlewares.redisworker.SharedHarvest": -50,
    # The resume state beside the archive (JOBDIR), recovery after a crawl that did
    # not finish, and the <archive>.incomplete marker (an add-on: it sets JOBDIR).
    "newsarchive.middlewares.crawlstate.CrawlState": 0,
}
# The JOBDIR's request queues: Scrapy's LIFO disk queue, each record framed by its
# size and a CRC-32 (newsarchive.diskqueue), so a queue torn by a kill is detected at
# the next start and discarded instead of half-read (queuelib's format cannot tell).
SCHEDULER_DISK_QUEUE = "newsarchive.middlewares.diskqueue.RequestDiskQueue"
SPIDER_MIDDLEWARES = {
    # Stop endless pagination (calendars, ever-growing ?page=) at NEWSARCHIVE_MAX_LISTING_PAGES.
    "newsarchive.middlewares.traps.ListingLimitMiddleware": 950,
}
# Duplicate requests are judged on the canonical URL: a listing that links to
# itself with a fresh PHPSESSID or utm_ value is fetched once.
REQUEST_FINGERPRINTER_CLASS = "newsarchive.middlewares.traps.CanonicalRequestFingerprinter"
# Seen requests kept as 8-byte digests (Scrapy's filter keeps ~95 bytes a request).
DUPEFILTER_CLASS = "newsarchive.middlewares.dupefilter.DigestDupeFilter"

FEED_EXPORT_ENCODING = "utf-8"
# Scrapy's default reactor, kept by measurement: the news spider into SQLite used 3.06
# CPU ms/page on it against 3.23 on the epoll reactor (benchmarks/tune.py --group reactor).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "newsarchive.pipelines.normalize.NormalizePipeline": 100,
    "newsarchive.pipelines.dedupe.DedupePipeline": 200,
    "newsarchive.pipelines.archive.ArchivePipeline": 300,
}

# ---------------------------------------------------------------------------
# newsarchive
# ---------------------------------------------------------------------------
# Where articles go: *.jsonl is a JSON Lines archive, *.sqlite or *.db a SQLite one.
NEWSARCHIVE_ARCHIVE = "archive/news.sqlite"
# Longest a batch of archive writes stays uncommitted, in seconds (SQLite commits
# after NEWSARCHIVE_BATCH_SIZE rows or this long, whichever comes first); default 1.0.
NEWSARCHIVE_BATCH_SECONDS = 1.0
# Rows written to a SQLite archive per transaction; default 100.
NEWSARCHIVE_BATCH_SIZE = 100
# Ask view-counter endpoints even where the site's robots.txt disallows them
# (DedeCMS's default robots.txt disallows /plus/count.php); only counter requests
# ignore robots.txt (bool; default off: such counts stay null).
NEWSARCHIVE_COUNTERS_IGNORE_ROBOTS = False
# Ask a page's view-counter endpoint when a script writes the count (bool).
NEWSARCHIVE_FETCH_COUNTERS = True
# Seconds a crawl waits for another harvest to release the archive's write lock
# before failing with "archive ... is being written by another harvest"; default 0.
NEWSARCHIVE_LOCK_TIMEOUT = 0.0
# Listing pages read per listing (a start URL or a home page's section) when
# -a max_pages is not given: a guard against endless pagination; 0 means no limit; default 500.
NEWSARCHIVE_MAX_LISTING_PAGES = 500
# Seconds to wait before the first retry of a failed download, doubled for each
# further retry (RETRY_TIMES sets how many); default 1.0.
NEWSARCHIVE_RETRY_BACKOFF = 1.0
# Longest wait before a retry, in seconds, also capping a server's Retry-After; default 60.
NEWSARCHIVE_RETRY_BACKOFF_MAX = 60.0
# Make this crawl one worker of a harvest shared through the Redis at this URL
# (redis://HOST:PORT/DB): frontier, request filter and items in Redis, the archive
# written by `newsarchive archive-worker`; default None (off: one process, one archive).
NEWSARCHIVE_REDIS_URL = None
# The shared harvest's name: its Redis keys start newsarchive:<run>:; workers and
# the archiver of one harvest give the same; default "news".
NEWSARCHIVE_REDIS_RUN = "news"
# Seconds without a heartbeat after which a worker of a shared harvest counts as
# dead and the others put its in-flight requests back in the queue; default 30.
NEWSARCHIVE_REDIS_WORKER_TIMEOUT = 30.0
# Keep the crawl's state (JOBDIR) in <archive>.job/ so an interrupted harvest continues
# where it stopped; removed when a crawl finishes (bool; default on; JOBDIR given wins).
NEWSARCHIVE_RESUME = True
# The crawl's progress: "auto" a live line on a terminal (stderr a TTY, the log
# elsewhere), "live" that line even when stderr is no terminal, "log" only the log
# line below (newsarchive crawl --progress / --no-progress).
NEWSARCHIVE_PROGRESS = "auto"
# Seconds between the plain progress lines in the log (counts, pages/s, ETA); 0: none.
NEWSARCHIVE_PROGRESS_INTERVAL = 60.0
# Read a start page's site for more article links: robots.txt's sitemaps (or
# /sitemap.xml) and the RSS/Atom feeds its <head> names (bool; default on).
NEWSARCHIVE_SITEMAPS = True
# Stop a listing's pagination after this many listing pages holding only
# articles the archive already has; 0 walks every page.
NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES = 1
# Zone for times a page states without an offset (IANA name).
NEWSARCHIVE_TIMEZONE = "Asia/Shanghai"
# WARC files (ours or another tool's) to answer every request from instead of the
# network: a crawl of stored pages (list of paths; default none: fetch from the sites).
NEWSARCHIVE_FROM_WARC: list[str] = []
# Keep every fetched response (articles, listings, counters) in WARC files in
# <archive>.warc/, and point each article record at its response (bool; default on).
NEWSARCHIVE_WARC = True
# Bytes after which a WARC file is closed and the next one begun; default 1 GB.
NEWSARCHIVE_WARC_MAX_SIZE = 1_000_000_000
