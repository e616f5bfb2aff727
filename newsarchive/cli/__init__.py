"""The newsarchive command line: crawl, survey, extract, export, stats.

Building the parser (``build_parser``) is separate from running a command
(``main``), so each can be tested alone. stdout carries data, stderr logs and
errors; exit status 0 means success, 1 failure, 2 a usage error. Scrapy is
imported only inside the ``crawl`` and ``survey`` commands, so the others start fast.

One module a command, each adding its own subparser and handler: ``crawl``
(newsarchive.cli.crawl), ``survey`` (newsarchive.cli.survey), ``extract``
(newsarchive.cli.extract), and the two that read an archive, ``export`` and ``stats`` (newsarchive.cli.archive);
newsarchive.cli.app puts them together.
"""

from __future__ import annotations

from newsarchive.cli.app import build_parser, main

__all__ = ["build_parser", "main"]
