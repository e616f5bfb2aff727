"""extract_article: the facade that runs every field's strategies on one page."""

from __future__ import annotations

from datetime import datetime

from newsarchive.items import Article
from newsarchive.sites import SiteProfile


def extract_article(
    html: bytes | str,
    url: str,
    *,
    content_type: str | None = None,
    listing_url: str | None = None,
    profile: SiteProfile | None = None,
    now: datetime | None = None,
    timezone: str = "Asia/Shanghai",
) -> Article:
    """Return the Article that the page *html* fetched from *url* holds."""
    raise NotImplementedError("extraction is being written")
