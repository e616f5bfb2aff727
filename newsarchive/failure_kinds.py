"""What kind of failure a failed request is: the one table, for the middlewares, the spider and the report.

Pure: it reads an exception's class names (its whole MRO, so subclasses are
covered) and, for a Scrapy ``IgnoreRequest``, the words of its message. It
imports no Scrapy or Twisted, so the core and every adapter can ask it;
``tests/test_failure_kinds.py`` checks the table against the real classes.

Kinds: ``timeout``, ``connection``, ``dns``, ``dataloss`` (body cut short),
``too_large``, ``http`` (status >= 400 after retries), ``not_html`` (a PDF,
image or other non-text answer), ``not_in_warc`` (a crawl ``--from-warc`` whose
files hold no response for the URL), ``redirect`` (loop, too many, or to a place
not followed), ``robots``, ``refused`` (URL policy), ``offsite``, ``ignored``,
``error``. The spider adds ``not_article`` and ``undecodable`` for pages that
came but gave nothing, and the download middleware ``counter`` (``COUNTER_KIND``)
for a view counter that failed: no failed page, since its article is kept.
"""

from __future__ import annotations

__all__ = ["COUNTER_KIND", "failure_kind", "kind_from_reason"]

#: The kind of a failed view-counter request (its article is archived without the count).
COUNTER_KIND = "counter"

# Exception class names by failure kind, checked in this order over the
# exception's MRO (so a subclass of a listed class has the class's kind).
_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("refused", frozenset({"RefusedRequest"})),  # newsarchive.middlewares.urlpolicy
    ("not_html", frozenset({"NotHtmlResponse"})),  # newsarchive.middlewares.failures
    ("not_in_warc", frozenset({"NotInWarc"})),  # newsarchive.middlewares.warcreplay
    ("http", frozenset({"HttpError"})),  # scrapy.spidermiddlewares.httperror
    ("timeout", frozenset({"DownloadTimeoutError", "TimeoutError"})),  # scrapy; twisted, builtins
    ("dataloss", frozenset({"ResponseDataLossError"})),
    ("too_large", frozenset({"DownloadCancelledError"})),
    ("dns", frozenset({"CannotResolveHostError", "DNSLookupError"})),
    (
        "connection",
        frozenset(
            {
                "DownloadConnectionRefusedError",
                "DownloadFailedError",
                "ConnectError",
                "ConnectionLost",
                "ConnectionDone",
            }
        ),
    ),
)
# Words in the IgnoreRequest messages of Scrapy's own middlewares, by kind:
# "Forbidden by robots.txt", "Filtered offsite request to ...", "max redirections
# reached", "... exceeded DOWNLOAD_MAXSIZE (...) during decompression".
_IGNORE_KINDS = (
    ("robots", "robots.txt"),
    ("offsite", "offsite"),
    ("redirect", "redirection"),
    ("too_large", "download_maxsize"),
)


def kind_from_reason(reason: str) -> str | None:
    """Return the failure kind a Scrapy IgnoreRequest message names, or None.

    >>> kind_from_reason("Forbidden by robots.txt")
    'robots'
    """
    text = reason.lower()
    for kind, marker in _IGNORE_KINDS:
        if marker in text:
            return kind
    return None


def failure_kind(exception: BaseException) -> str:
    """Return the failure kind of a failed request's *exception* (see the module docstring).

    >>> failure_kind(TimeoutError())
    'timeout'
    >>> failure_kind(ConnectionResetError())
    'connection'
    """
    names = {cls.__name__ for cls in type(exception).__mro__}
    for kind, classes in _KINDS:
        if names & classes:
            return kind
    if "IgnoreRequest" in names:
        return kind_from_reason(str(exception)) or "ignored"
    if isinstance(exception, OSError):
        return "connection"
    return "error"
