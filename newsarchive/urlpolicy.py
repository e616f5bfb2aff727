"""Decide which URLs a crawl may fetch: scheme, host and network address rules.

Pure: no DNS, no sockets opened, no Scrapy. The downloader middleware in
``middlewares/urlpolicy.py`` applies this to every request, redirects included,
after resolving host names itself.

The rules, in order:

1. Only ``http`` and ``https`` are fetched (never ``file:``, ``ftp:``, ``data:``,
   ``javascript:``, ``mailto:``).
2. Only the start URLs' sites are fetched: a host equal to a start host or one
   of its subdomains, a leading ``www.`` ignored (``www.example.gov.cn`` allows
   ``example.gov.cn`` and ``news.example.gov.cn``), plus any extra allowed domains.
3. An address that is not public (loopback, private, link-local, shared,
   reserved, unspecified; IPv4 written in any form ``inet_aton`` accepts, such as
   ``2130706433`` or ``127.1``, and IPv4-mapped IPv6) is fetched only at the
   exact host and port of a start URL. A crawl started on
   ``http://127.0.0.1:8000/`` may fetch that server, never ``127.0.0.1:6379``
   nor ``169.254.169.254``.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "ALLOWED_SCHEMES",
    "UrlPolicy",
    "ip_literal",
    "is_public_address",
    "origin_of",
    "policy_for",
    "refusal_reason",
    "site_domain",
    "site_host",
    "site_origin",
]

#: The only URL schemes a crawl follows.
ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class UrlPolicy:
    """What a crawl may fetch.

    *domains*: allowed host names (lower-case, no leading ``www.``); a host
    matches a domain when equal to it or a subdomain of it. Empty allows every
    host. *trusted_origins*: ``(host, port)`` pairs (the start URLs') that may be
    fetched even when their address is not public.
    """

    domains: frozenset[str] = frozenset()
    trusted_origins: frozenset[tuple[str, int]] = frozenset()

    def with_start_url(self, url: str) -> UrlPolicy:
        """Return this policy widened by one more start URL (its site and origin)."""
        origin = origin_of(url)
        if origin is None:
            return self
        return UrlPolicy(
            domains=self.domains | {site_domain(origin[0])},
            trusted_origins=self.trusted_origins | {origin},
        )


def site_domain(host: str) -> str:
    """Return the site a host name belongs to: lower case, no trailing dot, no leading "www.".

    "WWW.Example.gov.cn." -> "example.gov.cn"; "www.cn" keeps its "www." (nothing would be
    left of the name). The one rule for which two hosts are one site: the URL policy, the
    link analysis (urlkind.SiteHosts) and the canonical-link and counter checks use it.
    """
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") and host.count(".") >= 2 else host


def site_host(url: str) -> str:
    """Return the site_domain() of *url*'s host, or "" when it has none or is malformed."""
    origin = origin_of(url)
    return site_domain(origin[0]) if origin is not None else ""


def site_origin(url: str) -> tuple[str, int] | None:
    """Return ``(site_domain, port)`` of an http(s) *url*, or None for other schemes and no host.

    "http://www.example.cn/a" -> ("example.cn", 80); "https://example.cn:8443/" -> ("example.cn", 8443).
    """
    split = _split(url)
    if split is None or split[0] not in ALLOWED_SCHEMES:
        return None
    return site_domain(split[1]), split[2]


def origin_of(url: str) -> tuple[str, int] | None:
    """Return ``(host, port)`` of *url*, the port made explicit, or None if it has no host.

    "http://News.Example.com/a" -> ("news.example.com", 80).
    """
    split = _split(url)
    return None if split is None else (split[1], split[2])


def _split(url: str) -> tuple[str, str, int] | None:
    """Return (scheme, host, port) of *url*, the port made explicit (0 if unknown), or None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return None
    scheme = parts.scheme.lower()
    if port is None:
        port = _DEFAULT_PORTS.get(scheme, 0)
    return scheme, host, port


def policy_for(start_urls: Iterable[str], allowed_domains: Iterable[str] = ()) -> UrlPolicy:
    """Return the policy of a crawl started at *start_urls*, also allowing *allowed_domains*."""
    policy = UrlPolicy(domains=frozenset(site_domain(d) for d in allowed_domains if d))
    for url in start_urls:
        policy = policy.with_start_url(url)
    return policy


def ip_literal(host: str) -> IPAddress | None:
    """Return the address *host* names literally, or None when it is a name.

    Accepts every IPv4 spelling the C resolver accepts ("127.1", "0x7f.0.0.1",
    "2130706433"), since that is what a connection would use, and bracketless IPv6.
    """
    host = host.strip("[]")
    if not host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host:
        return None
    # The last label of a name is never all digits or hex, an IPv4 spelling's is.
    last = host.rstrip(".").rsplit(".", 1)[-1].lower()
    if not (last.isdigit() or (last.startswith("0x") and len(last) > 2)):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_public_address(address: str | IPAddress) -> bool:
    """Return True when *address* is a globally routable unicast address.

    False for loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7),
    link-local (169.254/16, fe80::/10), shared (100.64/10), documentation,
    reserved and unspecified addresses, and for multicast.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _host_allowed(host: str, domains: frozenset[str]) -> bool:
    if not domains:
        return True
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


def refusal_reason(url: str, policy: UrlPolicy, address: str | None = None) -> str | None:
    """Return why *url* must not be fetched under *policy*, or None when it may be.

    *address* is the IP address the host name resolved to, when known; an IP
    literal host is checked without it. "file:///etc/passwd" -> "scheme 'file' is
    not followed"; "http://10.0.0.1/" from a crawl of a public site ->
    "address 10.0.0.1 is not public".
    """
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return "malformed URL"
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme!r} is not followed" if scheme else "URL has no scheme"
    origin = origin_of(url)
    if origin is None:
        return "URL has no host"
    host = origin[0]
    if not _host_allowed(host, policy.domains):
        return f"host {host!r} is not a site of this crawl"
    if origin in policy.trusted_origins:
        return None
    ip = ip_literal(host)
    if ip is None and address is not None:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return f"host {host!r} resolved to a malformed address {address!r}"
    if ip is not None and not is_public_address(ip):
        shown = str(ip) if str(ip) == host.strip("[]") else f"{host} ({ip})"
        return f"address {shown} is not public"
    return None
