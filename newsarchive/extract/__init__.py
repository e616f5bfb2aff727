"""Extraction: page bytes and URL in, an Article out. Pure: no network, no Scrapy."""

from __future__ import annotations

from newsarchive.extract.facade import extract_article

__all__ = ["extract_article"]
