"""Find the fields around a headline: view count, counter script, author, source, section, canonical URL.

One module a concern: `views` reads the count a page shows, `counters` finds
the endpoint a counter script asks and reads its answer, `byline` the author
and source, `section` the column meta or breadcrumb, `head` the <meta> names
and the canonical link; `areas` tells the others which elements belong to
something else than the article (comments, sidebars, lists).
"""

from __future__ import annotations

from newsarchive.extract.meta.byline import extract_author, extract_source
from newsarchive.extract.meta.counters import find_counter_url, parse_counter_response
from newsarchive.extract.meta.head import extract_canonical_url
from newsarchive.extract.meta.section import extract_section
from newsarchive.extract.meta.views import extract_view_count

__all__ = [
    "extract_author",
    "extract_canonical_url",
    "extract_section",
    "extract_source",
    "extract_view_count",
    "find_counter_url",
    "parse_counter_response",
]
