"""The ``extract`` command: one page's article record as JSON, from a saved file or a URL."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsarchive import settings as project_settings
from newsarchive.cli.common import CliError, is_url, wrap, write_json
from newsarchive.errors import NotAnArticle, UndecodablePage
from newsarchive.items import utc_timestamp

if TYPE_CHECKING:
    from newsarchive.cli.common import Subparsers

__all__ = ["add_parser", "run_extract"]

logger = logging.getLogger(__name__)

_EXTRACT_EXAMPLES = """\
examples:
  newsarchive extract saved/page.html --url http://www.example.cn/news/2021/1105/123.html
  newsarchive extract http://www.example.cn/news/2021/1105/123.html
"""


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``extract`` subcommand to *commands*, with *verbose*'s -v."""
    extract = commands.add_parser(
        "extract",
        parents=[verbose],
        help="print one page's article record as JSON",
        description=wrap(
            "Extract the article record from one page and print it as JSON. A FILE is read "
            "offline, as bytes (give --url so links, the site and relative dates resolve); "
            "a URL is fetched, and its view-counter endpoint asked when the page has one."
        ),
        epilog=_EXTRACT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("source", metavar="FILE|URL", help="a saved page, or an http(s) URL")
    extract.add_argument("--url", metavar="U", help="the address the FILE was fetched from")
    extract.add_argument(
        "--content-type",
        metavar="T",
        help="the page's Content-Type header, e.g. 'text/html; charset=gbk'",
    )
    extract.set_defaults(handler=run_extract)


def _fetch(url: str) -> tuple[bytes, str, str | None]:
    """Return (body, final URL, Content-Type) of *url*, fetched as the crawler would."""
    request = urllib.request.Request(url, headers={"User-Agent": project_settings.USER_AGENT})
    timeout = float(project_settings.DOWNLOAD_TIMEOUT)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.geturl(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise CliError(
            f"cannot fetch {url}: HTTP {exc.code} {exc.reason} "
            "(check the address; save the page and pass the file instead)"
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CliError(
            f"cannot fetch {url}: {reason} (check the address and the network, "
            "or save the page and pass the file)"
        ) from exc


def _fetch_count(counter_url: str) -> int | None:
    """Return the view count *counter_url* answers (the crawl asks the same), or None."""
    from newsarchive.extract.document import decode_html
    from newsarchive.extract.meta import parse_counter_response

    if not getattr(project_settings, "NEWSARCHIVE_FETCH_COUNTERS", True):
        return None
    try:
        body, _, content_type = _fetch(counter_url)
    except CliError as exc:
        logger.warning("view count unknown: %s", exc)
        return None
    text, _ = decode_html(body, content_type)
    return parse_counter_response(text)


def run_extract(args: argparse.Namespace) -> int:
    """Print the record of the page *args* name; return the exit status."""
    from newsarchive.archive import finish_article
    from newsarchive.extract import extract_article
    from newsarchive.extract.document import parse_document
    from newsarchive.extract.links import PageKind, classify_page

    fetched = datetime.now(UTC).replace(microsecond=0)
    content_type = args.content_type
    if is_url(args.source):
        body, url, header = _fetch(args.source)
        content_type = content_type or header
        url = args.url or url
    else:
        path = Path(args.source)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise CliError(
                f"cannot read {args.source!r}: no such file "
                "(check the path, or give a URL starting with http://)"
            ) from None
        except OSError as exc:
            raise CliError(f"cannot read {args.source!r}: {exc.strerror or exc}") from None
        url = args.url or path.resolve().as_uri()
    document = parse_document(body, url, content_type)
    if classify_page(document) is PageKind.LISTING:
        raise CliError(
            f"{url} is not an article page: it is a listing of article links "
            "(give one article's address, or crawl the listing with: newsarchive crawl)"
        )
    try:
        article = extract_article(document, url, content_type=content_type, now=fetched)
    except NotAnArticle as exc:
        raise CliError(
            f"{url} is not an article page: {exc} (give an article's address, not a listing)"
        ) from None
    except UndecodablePage as exc:
        raise CliError(
            f"cannot decode {url}: {exc} (pass --content-type 'text/html; charset=gbk' "
            "or the charset the page uses)"
        ) from None
    if is_url(args.source) and article.view_count is None and article.counter_url:
        article = dataclasses.replace(article, view_count=_fetch_count(article.counter_url))
    article = finish_article(dataclasses.replace(
        article, fetched_at=utc_timestamp(fetched), content_hash="", simhash=""
    ))
    write_json(article.to_record())
    return 0
