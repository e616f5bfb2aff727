"""Signals the news spider sends, for extensions that report on a crawl.

``page_failed`` is sent once for each page that gave no article or listing:
a download that failed for good (timeout, DNS, HTTP error), a page that is
not an article, a page no charset decodes. Handlers take keyword arguments::

    def page_failed(url, kind, reason="", status=None, listing=None, request=None): ...

*url* is the page's URL; *kind* one short word (``timeout``, ``dns``,
``connection``, ``http``, ``robots``, ``not_article``, ``undecodable``,
``counter``, ``error``); *reason* a one-line explanation; *status* the HTTP
status when there was a response; *listing* the listing page that linked to it;
*request* the Scrapy request.

``forced_stop`` (no arguments) is sent when a second SIGINT/SIGTERM forces the
crawl to stop at once (``newsarchive.middlewares.forcedstop``), just before the
reactor stops: no spider_closed follows, so whatever holds data in memory
writes it now (the archive commits its batch and closes).
"""

from __future__ import annotations

__all__ = ["forced_stop", "page_failed"]

#: Sent with url=, kind=, reason=, status=, listing=, request= (see the module docstring).
page_failed = object()

#: Sent with no arguments just before a forced stop ends the crawl (see the module docstring).
forced_stop = object()
