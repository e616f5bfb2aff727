"""Normalise text, URLs and counts the same way everywhere (DESIGN.md)."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from newsarchive._native import configure_text, normalize_chars

if TYPE_CHECKING:
    from newsarchive.items import Article

__all__ = [
    "canonicalize_url",
    "drop_tracking_params",
    "normalize_article",
    "normalize_paragraphs",
    "normalize_text",
    "parse_count",
    "site_of",
    "without_tracking",
]

# Full-width ASCII letters and digits (Ａ-Ｚ ａ-ｚ ０-９) become half-width; full-width
# punctuation such as ：，（） is Chinese typography and stays as it is.
_HALF_WIDTH: dict[int, int | str | None] = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_HALF_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_HALF_WIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
# Spaces of every width become a plain space; zero-width characters go.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\n\f\v"
_HALF_WIDTH.update({ord(c): " " for c in _SPACES})
_HALF_WIDTH.update({ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff\u00ad\x00"})
# Other C0 controls are never text.
_HALF_WIDTH.update({cp: None for cp in range(0x01, 0x20) if chr(cp) not in _SPACES})

# normalize_chars (newsarchive._native) applies the table.
configure_text(_HALF_WIDTH)

# An entity left in text after parsing (a page that escaped twice): &nbsp; &#12288; &amp;
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def normalize_text(text: str | None) -> str:
    """Return *text* with entities decoded, widths and spaces normalised, trimmed.

    "　　２０２１年ＡＢＣ&nbsp;新闻 " -> "2021年ABC 新闻". None gives "".
    """
    if not text:
        return ""
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return normalize_chars(text)


def normalize_paragraphs(paragraphs: Iterable[str | None]) -> tuple[str, ...]:
    """Return the normalised paragraphs of *paragraphs*, empty ones dropped, order kept."""
    out = []
    for p in paragraphs:
        t = normalize_text(p)
        if t:
            out.append(t)
    return tuple(out)


def normalize_article(article: Article) -> Article:
    """Return *article* with its title, paragraphs, author, source and section normalised
    (an optional field left empty becomes None); the title or paragraphs may come out empty."""
    return dataclasses.replace(
        article,
        title=normalize_text(article.title),
        paragraphs=normalize_paragraphs(article.paragraphs),
        author=normalize_text(article.author) or None,
        source=normalize_text(article.source) or None,
        section=normalize_text(article.section) or None,
    )


# Multipliers written after a count: 1.2万, 3千, 1.5k, 10w (网络用语 for 万), 1亿.
_COUNT = re.compile(
    r"(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>万|千|百|亿|[kKwWmM](?![A-Za-z]))?"
)
_UNITS = {
    None: 1, "百": 100, "千": 1000, "k": 1000, "K": 1000, "万": 10_000, "w": 10_000,
    "W": 10_000, "m": 1_000_000, "M": 1_000_000, "亿": 100_000_000,
}


def parse_count(text: str | None) -> int | None:
    """Return the count shown in *text*, e.g. "阅读 1.2万" -> 12000, or None if there is none.

    The first number in *text* is taken, with its thousands separators and unit.
    """
    if not text:
        return None
    m = _COUNT.search(normalize_text(text))
    if m is None:
        return None
    num = m.group("num").replace(",", "").replace("，", "")
    value = float(num) * _UNITS[m.group("unit")]
    if value > 10**12:
        return None
    return round(value)


# Query parameters that identify a visit, a campaign or a share, never a page.
_TRACKING_PREFIXES = ("utm_", "hmsr", "hmpl", "hmcu", "hmkw", "hmci")
_TRACKING_PARAMS = frozenset(
    {
        "spm", "scm", "from", "fromid", "share", "share_token", "sharefrom", "isappinstalled",
        "wxshare_count", "sessionid", "session_id", "phpsessid", "jsessionid", "aspsessionid",
        "sid_token", "fbclid", "gclid", "yclid", "msclkid", "_hsenc", "_hsmi", "mc_cid", "mc_eid",
        "ref", "ref_src", "timestamp", "_t", "rnd", "random",
    }
)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES)


def drop_tracking_params(query: str) -> str:
    """Return the query string *query* without its tracking parameters, the rest as written.

    "from=list&spm=a1.b2&id=7" -> "id=7"; "company/77.html" -> "company/77.html".
    """
    if "=" not in query:
        return query
    return "&".join(part for part in query.split("&") if part and not _is_tracking(part.partition("=")[0]))


# Characters a path keeps as written; anything else (non-ASCII, spaces) is percent-encoded as UTF-8.
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
# A percent escape, whose hex digits are upper-cased (RFC 3986 6.2.2.1): %e8 and %E8 are one byte.
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")


def _remove_dot_segments(path: str) -> str:
    """Return *path* with "." and ".." segments resolved (RFC 3986 5.2.4): "/a/./b/../c" -> "/a/c"."""
    if "/." not in path:
        return path
    out: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments[1:], start=1):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                out.append("")
        elif segment == "..":
            if out:
                out.pop()
            if last:
                out.append("")
        else:
            out.append(segment)
    return "/" + "/".join(out)


def _canonical_host(host: str) -> str:
    """Return *host* lower-cased, an internationalised name in its ASCII (punycode) form."""
    host = host.lower()
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _canonical_query(query: str) -> str:
    """Return *query* without tracking parameters, the rest sorted.

    A part without "=" is kept as written: PbootCMS's "?company/77.html" is a path
    in the query, not a key with an empty value ("company/77.html=" is another page).
    """
    if "=" not in query:
        return query
    kept: list[tuple[str, str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        if "=" not in part:
            kept.append((part, "", part))
            continue
        pairs = parse_qsl(part, keep_blank_values=True)
        if not pairs or _is_tracking(pairs[0][0]):
            continue
        name, value = pairs[0]
        kept.append((name, value, urlencode(pairs, safe="/:,")))
    kept.sort(key=lambda entry: (entry[0], entry[1]))
    return "&".join(text for _, _, text in kept)


def without_tracking(url: str) -> str:
    """Return *url* without its tracking parameters, otherwise as written.

    "http://x.cn/article/5a00ad8b?from=list&spm=a1.b2" -> "http://x.cn/article/5a00ad8b".
    """
    head, sep, query = url.partition("?")
    if not sep:
        return url
    query, hash_sep, fragment = query.partition("#")
    kept = drop_tracking_params(query)
    return head + ("?" + kept if kept else "") + (hash_sep + fragment)


@lru_cache(maxsize=2048)
def canonicalize_url(url: str) -> str:
    """Return *url* normalised for comparison.

    Lower-case scheme and host (an IDN host in punycode), no fragment, no
    default port, no session or tracking parameters, the remaining query
    parameters sorted (a bare "?company/77.html" kept as written), the path's
    "." and ".." segments resolved, its non-ASCII characters percent-encoded as
    UTF-8 and its escapes upper-cased, and otherwise kept as written (its case
    matters on most servers). "HTTP://News.Example.com:80/a.html?utm_source=x#top"
    -> "http://news.example.com/a.html". Cached: a crawl asks for the same URL's
    form three or four times (listing link, request fingerprint, page, pipeline).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = _canonical_host((parts.hostname or "").rstrip("."))
    if port is not None and not (
        (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    ):
        host = f"{host}:{port}"
    path = _PATH_SESSION.sub("", parts.path).strip() or "/"
    if not host and path.startswith("//"):
        # "http:////x" has no host; written back as is it would read as host "x".
        path = "/" + path.lstrip("/")
    path = _remove_dot_segments(path)
    if not path.isascii() or " " in path:
        path = quote(path, safe=_PATH_SAFE)
    if "%" in path:
        path = _ESCAPE.sub(lambda m: m.group(0).upper(), path)
    query = _canonical_query(parts.query) if parts.query else ""
    return urlunsplit((scheme, host, path, query, ""))


def site_of(url: str) -> str:
    """Return the site name of *url*: its lower-case host, with the port when not default.

    "http://www.Example.gov.cn/a" -> "www.example.gov.cn"; "http://127.0.0.1:8051/" -> "127.0.0.1:8051".
    """
    canonical = canonicalize_url(url)
    return urlsplit(canonical).netloc
