"""Downloader middleware enforcing newsarchive.urlpolicy on every request, redirects included.

What is checked, for each request that reaches the downloader (links,
redirect targets, robots.txt, counter endpoints):

- the scheme is http or https;
- the host is a start URL's site or one of the spider's ``allowed_domains``
  (unless the request's meta has ``allow_offsite``): this also covers the gap
  Scrapy's OffsiteMiddleware leaves for ``dont_filter`` requests, whose
  redirects it never filters;
- the address is public unless the request goes to the exact host and port of
  a start URL. An IP literal is checked as written (any IPv4 spelling). A host
  name is resolved here, through the reactor's resolver (Scrapy's caching
  resolver when installed, so the connection normally uses the same answer),
  and its first IPv4 address checked. A name that does not resolve is let
  through: the download then fails on its own. A name that resolves to a public
  address now and a private one at connect time (DNS rebinding) is not caught.

Start URLs are learnt from the spider's ``start_urls`` when the spider opens and
from every request Scrapy marks ``is_start_request``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from newsarchive import statkeys
from newsarchive.signals import page_failed
from newsarchive.urlpolicy import UrlPolicy, ip_literal, policy_for, refusal_reason

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Seconds to wait for a host name's address before letting the request through.
_RESOLVE_TIMEOUT = 10


class RefusedRequest(IgnoreRequest):
    """A request newsarchive.urlpolicy forbids; its message says which rule."""


class UrlPolicyMiddleware:
    """Refuse requests to other schemes, other sites and non-public addresses."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.policy = UrlPolicy()
        self._addresses: dict[str, str | None] = {}
        self._logged_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        o = cls(crawler)
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.request_scheduled, signal=signals.request_scheduled)
        return o

    def spider_opened(self, spider: Spider) -> None:
        start_urls = getattr(spider, "start_urls", None) or ()
        if isinstance(start_urls, str):
            start_urls = start_urls.split(",")
        allowed = getattr(spider, "allowed_domains", None) or ()
        self.policy = policy_for(
            [u for u in start_urls if isinstance(u, str)],
            [d for d in allowed if isinstance(d, str)],
        )

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """Refuse a redirect to a forbidden place before it is queued, and report it.

        Scrapy's OffsiteMiddleware drops such redirects silently at this point;
        the article the listing linked to is then missing with no trace. Here it
        becomes a ``refused`` failure filed under the URL the listing gave.
        """
        chain = request.meta.get("redirect_urls")
        if not chain:
            return
        reason = refusal_reason(request.url, self._policy_for(request))
        if reason is None:
            return
        self._refuse(request, reason)
        self.crawler.signals.send_catch_log(
            page_failed,
            url=str(chain[0]),
            kind="refused",
            reason=f"redirected to {request.url}: {reason}",
            status=None,
            request=request,
        )
        raise RefusedRequest(reason)

    def _policy_for(self, request: Request) -> UrlPolicy:
        if request.meta.get("allow_offsite"):
            # The spider vouches for this host; scheme and address rules still apply.
            return UrlPolicy(frozenset(), self.policy.trusted_origins)
        return self.policy

    def _refuse(self, request: Request, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(statkeys.URLPOLICY_REFUSED)
        host = urlparse_cached(request).hostname or request.url[:40]
        level = logging.DEBUG if host in self._logged_hosts else logging.INFO
        self._logged_hosts.add(host)
        logger.log(level, "refused %s: %s", request.url, reason)

    async def process_request(self, request: Request) -> None:
        if request.meta.get("is_start_request") and not request.meta.get("redirect_urls"):
            self.policy = self.policy.with_start_url(request.url)
        policy = self._policy_for(request)
        reason = refusal_reason(request.url, policy)
        if reason is None:
            host = urlparse_cached(request).hostname or ""
            if ip_literal(host) is None and (host, _port(request)) not in policy.trusted_origins:
                address = await self._resolve(host)
                if address is not None:
                    reason = refusal_reason(request.url, policy, address)
        if reason is None:
            return
        self._refuse(request, reason)
        raise RefusedRequest(reason)

    async def _resolve(self, host: str) -> str | None:
        if host in self._addresses:
            return self._addresses[host]
        from twisted.internet import reactor

        resolving: Any = reactor  # the installed reactor; its resolver is Scrapy's when set
        address: str | None
        try:
            address = await maybe_deferred_to_future(
                resolving.resolve(host, timeout=(_RESOLVE_TIMEOUT,))
            )
        except Exception as exc:  # noqa: BLE001 - any resolver failure means "unknown"
            logger.debug("cannot resolve %r before fetching: %s", host, exc)
            address = None
        self._addresses[host] = address
        return address


def _port(request: Request) -> int:
    parts = urlparse_cached(request)
    return parts.port or (443 if parts.scheme == "https" else 80)
