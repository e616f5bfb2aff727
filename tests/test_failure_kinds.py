"""The one failure-kind table, checked against the real Scrapy and Twisted exception classes."""

from __future__ import annotations

import pytest
from newsarchive.middlewares.failures import NotHtmlResponse
from newsarchive.middlewares.urlpolicy import RefusedRequest
from newsarchive.middlewares.warcreplay import NotInWarc
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error

from newsarchive.failure_kinds import failure_kind, kind_from_reason


@pytest.mark.parametrize(
    ("exception", "kind"),
    [
        (RefusedRequest("not a public address"), "refused"),
        (NotHtmlResponse("not a web page: application/pdf"), "not_html"),
        (NotInWarc("not in the WARC files: http://x.cn/a.html"), "not_in_warc"),
        (HttpError(Response("http://x.cn/", status=404, request=Request("http://x.cn/")), "Ignoring"), "http"),
        (DownloadTimeoutError("took longer than 30 seconds"), "timeout"),
        (tx_error.TimeoutError(), "timeout"),
        (TimeoutError(), "timeout"),
        (ResponseDataLossError(), "dataloss"),
        (DownloadCancelledError(), "too_large"),
        (CannotResolveHostError(), "dns"),
        (tx_error.DNSLookupError(), "dns"),
        (DownloadConnectionRefusedError(), "connection"),
        (DownloadFailedError(), "connection"),
        (tx_error.ConnectionRefusedError(), "connection"),  # a subclass of ConnectError
        (tx_error.ConnectionLost(), "connection"),
        (tx_error.ConnectionDone(), "connection"),
        (ConnectionResetError(), "connection"),  # any other OSError
        (IgnoreRequest("Forbidden by robots.txt"), "robots"),
        (IgnoreRequest("Filtered offsite request to 'x.cn'"), "offsite"),
        (IgnoreRequest("max redirections reached"), "redirect"),
        (IgnoreRequest("Cancelled: exceeded DOWNLOAD_MAXSIZE (8388608 B) during decompression"), "too_large"),
        (IgnoreRequest("something else"), "ignored"),
        (ValueError("boom"), "error"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else value,
)
def test_each_real_exception_has_its_kind(exception, kind):
    assert failure_kind(exception) == kind


def test_kind_from_reason_names_nothing_it_does_not_know():
    assert kind_from_reason("Forbidden by ROBOTS.TXT") == "robots"
    assert kind_from_reason("connection was closed cleanly") is None
