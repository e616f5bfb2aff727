"""The exceptions newsarchive raises.

    NewsArchiveError
    ├── ExtractionError(ValueError)      the page cannot be read as intended
    │   ├── NotAnArticle                 a listing, index or error page
    │   └── UndecodablePage              bytes no charset turns into clean text
    ├── ArchiveError(OSError)            the archive file cannot be opened or written
    │   └── ArchiveLocked                another harvest holds the archive
    ├── ProfileError(ValueError)         a site profile is missing or malformed
    ├── TornQueue(ValueError)            a crawl's request queue file is cut short or corrupt
    └── SettingsError(ValueError)        a crawl setting is unknown or has a bad value

Each class also subclasses the builtin it resembles, so callers may catch either.
"""

from __future__ import annotations


class NewsArchiveError(Exception):
    """Base class of every error newsarchive raises on purpose."""


class ExtractionError(NewsArchiveError, ValueError):
    """The page cannot be read as the kind of page it was taken for."""


class NotAnArticle(ExtractionError):
    """The page is not an article (a listing, an index, an error page)."""


class UndecodablePage(ExtractionError):
    """The page's bytes decode to mojibake under every candidate charset."""


class ArchiveError(NewsArchiveError, OSError):
    """The archive cannot be opened, read or written."""


class ArchiveLocked(ArchiveError):
    """Another process holds the archive's write lock."""


class ProfileError(NewsArchiveError, ValueError):
    """A site profile cannot be found or read."""


class TornQueue(NewsArchiveError, ValueError):
    """A request queue file on disk is cut short or corrupt (a crawl killed mid-write)."""


class SettingsError(NewsArchiveError, ValueError):
    """A crawl setting is unknown (a NEWSARCHIVE_* typo) or has a value the crawl cannot use."""
