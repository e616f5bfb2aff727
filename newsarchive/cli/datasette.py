"""The ``datasette`` command: browse an archive in Datasette, set up for articles.

Datasette runs in a child process with metadata and a one-file plugin written to
a temporary folder: internal tables hidden, facets on site, section and published
day, the view ``articles_view`` (paragraphs as text), and a canned query "search"
that uses the archive's search index (Datasette's own search box escapes a query
as one token, which finds no Chinese word of two or more characters in an index
whose tokens are single characters).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.cli.common import CliError, existing_archive

if TYPE_CHECKING:
    from types import FrameType

    from newsarchive.cli.common import Subparsers

__all__ = ["add_parser", "datasette_metadata", "run"]

#: Tables an analyst has no use for: schema bookkeeping and the near-duplicate band index.
HIDDEN_TABLES = ("_migrations", "simhash_bands")

# The plugin Datasette loads from --plugins-dir: the archive's SQL functions on each
# connection, and the paragraphs of table articles shown as text rather than JSON.
_PLUGIN = '''\
"""newsarchive for Datasette: newsarchive_fts_query(q), newsarchive_snippet(p, q), paragraphs as text."""
from datasette import hookimpl

from newsarchive.archive.fulltext import paragraphs_text, register_query_functions


@hookimpl
def prepare_connection(conn):
    register_query_functions(conn)


@hookimpl
def render_cell(value, column, table):
    if table == "articles" and column == "paragraphs" and isinstance(value, str):
        return paragraphs_text(value)
    return None
'''

_SEARCH_SQL = """\
select a.title, a.site, a.published_date,
  newsarchive_snippet(a.paragraphs, :q) as snippet, a.canonical_url
from articles_fts join articles as a on a.rowid = articles_fts.rowid
where articles_fts match newsarchive_fts_query(:q)
order by bm25(articles_fts, 5.0, 1.0, 2.0, 2.0), a.canonical_url
limit 100"""

_EXAMPLES = """\
examples:
  newsarchive datasette archive/news.sqlite
  newsarchive datasette --port 8002 archive/news.sqlite -- --setting default_page_size 50

With arguments for Datasette after --, give the options of this command before
ARCHIVE. Open the printed address; the search form is the canned query "search"
(/DATABASE/search?q=公交), the articles with their text are the view articles_view.
"""


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``datasette`` subcommand to *commands*, with *verbose*'s -v."""
    command = commands.add_parser(
        "datasette",
        parents=[verbose],
        help="browse an archive in Datasette: facets, articles as text, search",
        description="Serve ARCHIVE (SQLite) with Datasette until interrupted.",
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("archive", metavar="ARCHIVE", help="a .sqlite or .db archive")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    command.add_argument("--port", metavar="P", type=int, default=8001, help="port (default 8001; 0: any free one)")
    command.add_argument(
        "datasette_args", nargs="*", metavar="-- DATASETTE_ARGS", help="after --: passed on to `datasette serve` (then put --port before ARCHIVE)"
    )
    command.set_defaults(handler=run)


def datasette_metadata(database: str) -> dict[str, Any]:
    """Return Datasette's metadata for the archive served as *database* (its file's stem)."""
    facets = ["site", "section", "published_date"]
    return {
        "title": f"newsarchive: {database}",
        "databases": {
            database: {
                "tables": {
                    **{name: {"hidden": True} for name in HIDDEN_TABLES},
                    "articles": {"facets": ["site", "section"], "label_column": "title",
                                 "sort_desc": "published_at"},
                    "articles_view": {"facets": facets, "sort_desc": "published_at",
                                      "description": "Articles with their paragraphs as text, "
                                                     "one per line; published_date is the page's local day."},
                },
                "queries": {
                    "search": {
                        "title": "Search articles",
                        "description": "Articles containing every word of q (Chinese words of any "
                                       "length, English words in any case), best first.",
                        "sql": _SEARCH_SQL,
                    }
                },
            }
        },
    }


def run(args: argparse.Namespace) -> int:
    """Serve the archive *args* name with Datasette until interrupted; return the exit status."""
    from newsarchive.archive import SqliteArchive, backend_for

    path = Path(existing_archive(args.archive))
    if backend_for(path) is not SqliteArchive:
        raise CliError(f"Datasette reads SQLite: {path} is JSON Lines; crawl into a .sqlite archive (-o NAME.sqlite)")
    if importlib.util.find_spec("datasette") is None:
        raise CliError("datasette is not installed; install it with: pip install datasette")
    _prepare(path)
    with tempfile.TemporaryDirectory(prefix="newsarchive-datasette-") as folder:
        config = Path(folder)
        (config / "metadata.json").write_text(
            json.dumps(datasette_metadata(path.stem), ensure_ascii=False, indent=2), encoding="utf-8"
        )
        plugins = config / "plugins"
        plugins.mkdir()
        (plugins / "newsarchive_datasette.py").write_text(_PLUGIN, encoding="utf-8")
        command = [
            sys.executable, "-m", "datasette", "serve", str(path),
            "--metadata", str(config / "metadata.json"), "--plugins-dir", str(plugins),
            "--host", args.host, "--port", str(args.port), *args.datasette_args,
        ]
        return _serve(command)


def _prepare(path: Path) -> None:
    """Bring an archive from before the search index and ``articles_view`` up to date.

    A writer applies the migrations. A running crawl holds the lock, and its own
    writer has applied them; a read-only copy is served as it is.
    """
    from newsarchive.archive import SqliteArchive
    from newsarchive.errors import ArchiveError, ArchiveLocked

    try:
        SqliteArchive(path).close()
    except ArchiveLocked:
        pass
    except ArchiveError as exc:
        print(f"note: {path} cannot be updated ({exc}); the search query and articles_view "
              "need an archive written by this version", file=sys.stderr)


def _serve(command: list[str]) -> int:
    """Run *command* until it ends; SIGTERM and Ctrl-C stop it first, so no server is left behind."""
    child = subprocess.Popen(command)

    def forward(signum: int, frame: FrameType | None) -> None:
        child.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        try:
            code = child.wait()
        except KeyboardInterrupt:  # the terminal sent SIGINT to the child as well
            code = child.wait(timeout=10)
        # Stopped by the signal we passed on (or Ctrl-C): a normal end of serving.
        return 0 if code in (0, -signal.SIGTERM, -signal.SIGINT) else code
    finally:
        signal.signal(signal.SIGTERM, previous)
        if child.poll() is None:
            child.kill()
            child.wait()
