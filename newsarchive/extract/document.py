"""Turn page bytes into text and an lxml tree, once, the way Scrapy would."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode

__all__ = ["Document", "decode_html", "parse_document"]

# A parser that never touches the network or expands external entities.
_PARSER = lxml.html.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    collect_ids=False,
    default_doctype=False,
)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return (text, encoding) for *body*, in Scrapy's order: BOM, header, <meta>, sniffing.

    gb2312 and gbk are read as their superset gb18030, as w3lib does.
    """
    encoding, text = html_to_unicode(content_type, body)
    return text, encoding


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded page: its *url*, *text*, *encoding* and parsed *tree*."""

    url: str
    text: str
    encoding: str
    tree: etree._Element


def parse_document(html: bytes | str, url: str, content_type: str | None = None) -> Document:
    """Decode *html* (bytes or str) and parse it into a Document for *url*."""
    if isinstance(html, bytes):
        text, encoding = decode_html(html, content_type)
    else:
        text, encoding = html, "utf-8"
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        tree = lxml.html.document_fromstring(text, parser=_PARSER, base_url=url)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
    return Document(url=url, text=text, encoding=encoding, tree=tree)
