"""Scrapy components that keep a crawl safe and accountable.

- ``urlpolicy.UrlPolicyMiddleware``: refuses what ``newsarchive.urlpolicy``
  forbids (other schemes, other hosts, non-public addresses), redirects included.
- ``retry.BackoffRetryMiddleware``: Scrapy's retry, plus exponential backoff and
  ``Retry-After``.
- ``failures.FailureCaptureMiddleware`` / ``failures.RedirectWatchMiddleware``:
  turn final download failures into ``page_failed`` signals.
- ``report.CrawlReport``: the end-of-crawl summary line and
  ``<archive>.failures.jsonl``.
"""
