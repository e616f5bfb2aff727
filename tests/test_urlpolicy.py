"""newsarchive.urlpolicy: which URLs a crawl may fetch."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.urlpolicy import (
    UrlPolicy,
    ip_literal,
    is_public_address,
    origin_of,
    policy_for,
    refusal_reason,
    site_domain,
    site_host,
    site_origin,
)

PUBLIC = policy_for(["http://www.tongliao.gov.cn/news/"])
LOCAL = policy_for(["http://127.0.0.1:8051/"])


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://www.tongliao.gov.cn/news/1.html", None),
        ("https://www.tongliao.gov.cn/news/1.html", None),
        ("http://tongliao.gov.cn/a.html", None),
        ("http://news.tongliao.gov.cn/a.html", None),
        ("HTTP://WWW.TONGLIAO.GOV.CN/a.html", None),
        ("file:///etc/passwd", "scheme 'file' is not followed"),
        ("ftp://www.tongliao.gov.cn/x", "scheme 'ftp' is not followed"),
        ("javascript:void(0)", "scheme 'javascript' is not followed"),
        ("data:text/html,<h1>x</h1>", "scheme 'data' is not followed"),
        ("mailto:editor@tongliao.gov.cn", "scheme 'mailto' is not followed"),
        ("/relative/path.html", "URL has no scheme"),
        ("http://www.example.com/a.html", "host 'www.example.com' is not a site of this crawl"),
        ("http://eviltongliao.gov.cn/a.html", "host 'eviltongliao.gov.cn' is not a site of this crawl"),
        ("http://:80/", "URL has no host"),
        ("http://www.tongliao.gov.cn:99999/", "malformed URL"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_refusal_reason_schemes_and_hosts(url, expected):
    assert refusal_reason(url, PUBLIC) == expected


@pytest.mark.parametrize(
    ("url", "address", "expected"),
    [
        # The start URL's own origin is trusted even on loopback.
        ("http://127.0.0.1:8051/news/1.html", None, None),
        # Same host, another port: a different service (redis, an admin panel).
        ("http://127.0.0.1:6379/", None, "address 127.0.0.1 is not public"),
        ("http://127.0.0.1/", None, "address 127.0.0.1 is not public"),
    ],
)
def test_loopback_start_trusts_only_its_own_origin(url, address, expected):
    assert refusal_reason(url, LOCAL, address) == expected


@pytest.mark.parametrize(
    ("url", "address", "expected"),
    [
        ("http://169.254.169.254/latest/meta-data/", None, "address 169.254.169.254 is not public"),
        ("http://10.0.0.7/admin", None, "address 10.0.0.7 is not public"),
        ("http://192.168.1.1/", None, "address 192.168.1.1 is not public"),
        ("http://100.64.0.1/", None, "address 100.64.0.1 is not public"),
        ("http://[::1]/", None, "address ::1 is not public"),
        ("http://[::ffff:127.0.0.1]/", None, "address ::ffff:127.0.0.1 (::ffff:7f00:1) is not public"),
        ("http://2130706433/", None, "address 2130706433 (127.0.0.1) is not public"),
        ("http://0x7f.1/", None, "address 0x7f.1 (127.0.0.1) is not public"),
        # A name is judged by the address it resolved to.
        ("http://intranet.tongliao.gov.cn/", "10.1.2.3", "address intranet.tongliao.gov.cn (10.1.2.3) is not public"),
        ("http://news.tongliao.gov.cn/", "61.138.0.1", None),
        ("http://news.tongliao.gov.cn/", None, None),
    ],
    ids=lambda v: str(v)[:40],
)
def test_non_public_addresses_refused_when_other_hosts_allowed(url, address, expected):
    policy = policy_for(["http://www.tongliao.gov.cn/"], allowed_domains=["tongliao.gov.cn"])
    open_policy = UrlPolicy()  # no host rule: only the address rule decides
    assert refusal_reason(url, open_policy, address) == expected
    if "tongliao" in url:
        assert refusal_reason(url, policy, address) == expected


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("2130706433", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("www.tongliao.gov.cn", None),
        ("1.example", None),
        ("cafe.0xbad", None),
    ],
)
def test_ip_literal(host, expected):
    ip = ip_literal(host)
    assert (str(ip) if ip else None) == expected


@pytest.mark.parametrize(
    ("address", "public"),
    [("61.138.0.1", True), ("127.0.0.1", False), ("10.0.0.1", False), ("172.16.0.1", False),
     ("169.254.169.254", False), ("0.0.0.0", False), ("224.0.0.1", False), ("fe80::1", False),
     ("fc00::1", False), ("2400:3200::1", True)],
)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


def test_origin_of_makes_default_ports_explicit():
    assert origin_of("http://News.Example.com/a") == ("news.example.com", 80)
    assert origin_of("https://news.example.com/a") == ("news.example.com", 443)
    assert origin_of("http://127.0.0.1:8051/") == ("127.0.0.1", 8051)
    assert origin_of("mailto:x@y") is None


@pytest.mark.parametrize(
    ("url", "host", "origin"),
    [
        ("http://www.Example.cn./a", "example.cn", ("example.cn", 80)),
        ("https://news.example.cn:8443/x", "news.example.cn", ("news.example.cn", 8443)),
        ("  http://www.a.gov.cn/ ", "a.gov.cn", ("a.gov.cn", 80)),
        ("http://www.cn/", "www.cn", ("www.cn", 80)),  # no name would be left
        ("http://wwwnews.cn/", "wwwnews.cn", ("wwwnews.cn", 80)),
        ("ftp://www.a.cn/f", "a.cn", None),  # a host, but no web origin
        ("mailto:x@y", "", None),
        ("http://[::1/", "", None),  # malformed: no answer rather than an exception
        ("http://a.cn:99999/", "", None),
        ("", "", None),
    ],
)
def test_one_rule_for_which_hosts_are_one_site(url, host, origin):
    assert site_host(url) == host
    assert site_origin(url) == origin
    if host:
        assert site_domain(host.upper() + ".") == host


def test_no_other_module_strips_www_itself():
    """urlkind's SiteHosts, the canonical-link and counter checks all ask urlpolicy."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[1]
    stripping = re.compile(r"""(?:startswith|removeprefix)\(\s*["']www\.""")
    offenders = [
        str(path.relative_to(root))
        for folder in ("newsarchive", "spiders", "pipelines", "middlewares")
        for path in (root / folder).rglob("*.py")
        if path.name != "urlpolicy.py" and stripping.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_policy_for_start_urls_and_allowed_domains():
    policy = policy_for(["http://www.a.gov.cn/x", "http://127.0.0.1:9/"], ["b.com"])
    assert policy.domains == frozenset({"a.gov.cn", "127.0.0.1", "b.com"})
    assert policy.trusted_origins == frozenset({("www.a.gov.cn", 80), ("127.0.0.1", 9)})


def test_urlpolicy_imports_without_scrapy():
    code = "import sys; sys.modules['scrapy'] = None; import newsarchive.urlpolicy; print('ok')"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.stdout.strip() == "ok", out.stderr
