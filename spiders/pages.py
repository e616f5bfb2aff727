"""Reading a fetched page: one parse of a Scrapy response, shared by the spiders."""

from __future__ import annotations

from scrapy.http import TextResponse

from newsarchive.extract.document import Document, parse_document

__all__ = ["parse_response"]


def parse_response(response: TextResponse) -> Document:
    """Return *response* parsed with its declared charset (raises UndecodablePage).

    Scrapy's MetaRefreshMiddleware has decoded the page already (response.text is
    cached); parse_document reuses that text when its charset is the declared one.
    """
    content_type = response.headers.get("Content-Type")
    cached = getattr(response, "_cached_ubody", None)
    return parse_document(
        response.body,
        response.url,
        content_type.decode("latin-1") if content_type else None,
        known=(cached, response.encoding) if isinstance(cached, str) else None,
    )
