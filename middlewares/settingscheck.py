"""Stop a ``scrapy crawl`` whose settings are wrong with one ``error:`` line, before anything runs.

An add-on (``ADDONS`` in ``newsarchive.settings``), not an extension: an
extension is built after the add-ons and the spider, so by then the
crawl-state add-on has marked the crawl running (a crawl stopped there is
taken for a killed one next time, and its resume state discarded), and
Scrapy prints whatever a component raises while starting as a traceback
("Task exception was never retrieved"). Scrapy calls an add-on's
``update_pre_crawler_settings`` when the crawler process is made, with the
command line's ``-s`` values in, before logging, the spider, the marker, the
archive or any request; a SystemExit there prints its message alone and
exits 1, as ``newsarchive crawl`` does for the same mistakes.

``update_settings`` checks again, with the spider's own settings merged, for
crawlers built without a crawler process (``Crawler(...)`` in a script), and
raises SettingsError there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsarchive.settings_check import check_settings, setting_problems

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

__all__ = ["SettingsCheck"]


class SettingsCheck:
    """Refuse unknown NEWSARCHIVE_* names and values a crawl cannot use (see newsarchive.settings_check)."""

    @classmethod
    def update_pre_crawler_settings(cls, settings: BaseSettings) -> None:
        """Exit with ``error: <the first problem>`` (status 1) when *settings* hold a bad one."""
        problems = setting_problems(settings)
        if problems:
            raise SystemExit(f"error: {problems[0]}")

    def update_settings(self, settings: BaseSettings) -> None:
        """Raise SettingsError when *settings* (the spider's merged in) hold a bad one."""
        check_settings(settings)
