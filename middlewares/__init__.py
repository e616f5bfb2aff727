"""Scrapy components that keep a crawl safe and accountable.

- ``urlpolicy.UrlPolicyMiddleware``: refuses what ``newsarchive.urlpolicy``
  forbids (other schemes, other hosts, non-public addresses), redirects included.
- ``retry.BackoffRetryMiddleware``: Scrapy's retry, plus exponential backoff and
  ``Retry-After``.
- ``failures.FailureCaptureMiddleware`` / ``failures.RedirectWatchMiddleware``:
  turn final download failures into ``page_failed`` signals.
- ``report.CrawlReport``: the end-of-crawl summary line and
  ``<archive>.failures.jsonl``.
- ``settingscheck.SettingsCheck`` (an add-on): unknown ``NEWSARCHIVE_*`` names
  and bad values stop ``scrapy crawl`` with one ``error:`` line before it starts.
- ``crawlstate.CrawlState`` (an add-on): the JOBDIR beside the archive,
  recovery after a crawl that did not finish, the ``<archive>.incomplete`` marker.
- ``tuning.RuntimeTuning``: log levels and garbage-collector thresholds while a
  crawl runs.

The archive's ``has_url`` reaches the spider through
``newsarchive.pipelines._shared.ArchiveOpener``.
"""
