"""The ``reextract`` command: read the archived articles again from their stored pages, with today's extractor.

Each article's latest version names its response record in the WARC files
beside the archive (``warc_file``, ``warc_offset``); the page is read from
there, never fetched, and extracted as a crawl would extract it now (with
``--site``'s profile, in ``--timezone``). A record whose fields come out
different becomes a new version with ``reextracted_at`` set (its
``fetched_at`` stays the fetch's: the page is the one fetched then). What the
crawl knew and the page does not say is kept: the URL, canonical URL, site,
listing page and, when the page prints no count, the view count its counter
answered. ``--dry-run`` changes nothing and prints what would change, field by
field, with counts.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING

from newsarchive.archive import UNCHANGED, finish_article, open_archive
from newsarchive.archive._common import changed_fields
from newsarchive.cli.common import DAY_HELP, CliError, day_argument, wrap
from newsarchive.errors import ArchiveError, NotAnArticle, UndecodablePage
from newsarchive.extract.facade import extract_article
from newsarchive.items import Article, utc_timestamp
from newsarchive.normalize import normalize_article
from newsarchive.warc import resolve_warc_file
from newsarchive.warcread import read_response

if TYPE_CHECKING:
    from pathlib import Path

    from newsarchive.cli.common import Subparsers
    from newsarchive.sites import SiteProfile

__all__ = ["add_parser", "reextract_article", "run_reextract"]

_EXAMPLES = """\
examples:
  newsarchive reextract archive/news.sqlite --dry-run
  newsarchive reextract archive/news.sqlite --site profiles/example.toml --since 2024-01-01

Exit status: 0 when every stored page was read (also when nothing changed), 1 when the
archive cannot be opened or a page's WARC record is missing, 2 on a bad argument.
"""

# Fields the crawl knew that the page itself does not say: kept as archived.
_KEPT = ("url", "canonical_url", "site", "listing_url", "fetched_at",
         "warc_file", "warc_offset", "warc_record_id")
# Longest value shown in a --dry-run line, in characters.
_SHOWN = 60


def add_parser(commands: Subparsers, verbose: argparse.ArgumentParser) -> None:
    """Add the ``reextract`` subcommand to *commands*, with *verbose*'s -v."""
    command = commands.add_parser(
        "reextract",
        parents=[verbose],
        help="extract the archived articles again from their stored pages (WARC)",
        description=wrap(
            "Read each archived article's page from the WARC files beside ARCHIVE and extract "
            "it again with today's rules (and --site's profile). A record that comes out "
            "different becomes a new version marked as a re-extraction (reextracted_at). "
            "Nothing is fetched. Prints one summary line."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    command.add_argument("archive", metavar="ARCHIVE", help="a .sqlite/.db or .jsonl archive")
    command.add_argument(
        "--since",
        metavar="DATE",
        type=day_argument("UTC"),
        help=f"only articles fetched on or after DATE ({DAY_HELP}; the UTC day)",
    )
    command.add_argument(
        "--dry-run",
        action="store_true",
        help="change nothing: print each field that would change, and counts per field",
    )
    command.add_argument(
        "--site",
        metavar="NAME|PATH",
        help="site profile whose selectors the extraction uses (as crawl --site)",
    )
    command.add_argument(
        "--timezone",
        metavar="ZONE",
        default="Asia/Shanghai",
        help="IANA zone for times a page states without one (NEWSARCHIVE_TIMEZONE; "
        "default Asia/Shanghai)",
    )
    command.set_defaults(handler=run_reextract)


def reextract_article(
    archive: str | Path, old: Article, *, profile: SiteProfile | None = None, timezone: str = "Asia/Shanghai"
) -> Article | None:
    """Return *old* as today's extractor reads its stored page, or None when it has no stored page.

    Raises ArchiveError when the WARC record is missing, NotAnArticle or
    UndecodablePage when the page no longer reads as an article.
    """
    if old.warc_file is None or old.warc_offset is None:
        return None
    stored = read_response(resolve_warc_file(archive, old.warc_file), old.warc_offset)
    if old.warc_record_id and stored.record_id != old.warc_record_id:
        raise ArchiveError(
            f"{old.warc_file} holds {stored.record_id} at byte {old.warc_offset}, not the record "
            f"{old.warc_record_id} that {old.url} names"
        )
    fetched = datetime.fromisoformat(old.fetched_at) if old.fetched_at else None
    fresh = extract_article(
        stored.body,
        stored.url or old.url,
        content_type=stored.header("Content-Type"),
        listing_url=old.listing_url,
        profile=profile,
        now=fetched,  # "3小时前" counts from the fetch, not from today
        timezone=timezone,
    )
    kept = {name: getattr(old, name) for name in _KEPT}
    if fresh.view_count is None:
        kept["view_count"] = old.view_count  # the counter's answer: not on the page
    article = normalize_article(dataclasses.replace(fresh, **kept, version=old.version, reextracted_at=None))
    return finish_article(dataclasses.replace(article, content_hash="", simhash=""))


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def run_reextract(args: argparse.Namespace) -> int:
    """Re-extract as *args* ask, print the changes (--dry-run) and the summary; return the exit status."""
    from newsarchive.sites import load_profile

    profile = load_profile(args.site) if args.site else None
    started = time.monotonic()
    counts: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    missing: list[str] = []
    with open_archive(args.archive, readonly=args.dry_run) as archive:
        articles = list(archive.iter_articles())
        stamp = utc_timestamp()
        for old in articles:
            if args.since and (old.fetched_at or "")[:10] < args.since.isoformat():
                continue
            try:
                new = reextract_article(archive.path, old, profile=profile, timezone=args.timezone)
            except ArchiveError as exc:
                missing.append(f"{old.url}: {exc}")
                counts["missing"] += 1
                continue
            except (NotAnArticle, UndecodablePage) as exc:
                print(f"note: {old.url} no longer reads as an article ({exc}); its record is kept",
                      file=sys.stderr)
                counts["not_article"] += 1
                continue
            if new is None:
                counts["no_page"] += 1
                continue
            changed = changed_fields(old.to_record(), new.to_record())
            if not changed:
                counts[UNCHANGED] += 1
                continue
            fields.update(changed)
            counts["changed"] += 1
            if args.dry_run:
                for name in changed:
                    print(f"{old.url}\t{name}\t{_shown(getattr(old, name))} -> {_shown(getattr(new, name))}")
                continue
            archive.add_reextraction(dataclasses.replace(new, reextracted_at=stamp))
    elapsed = time.monotonic() - started
    verb = "would change" if args.dry_run else "re-extracted"
    print(
        f"{args.archive}: {counts['changed']} {verb}, {counts[UNCHANGED]} unchanged, "
        f"{counts['no_page']} without a stored page, {counts['not_article']} no longer articles, "
        f"{counts['missing']} missing in the WARC files in {elapsed:.1f}s"
    )
    if fields:
        print("fields: " + ", ".join(f"{name} {n}" for name, n in sorted(fields.items(), key=lambda i: -i[1])))
    for line in missing[:5]:
        print(f"note: {line}", file=sys.stderr)
    if missing:
        raise CliError(
            f"{len(missing)} stored page(s) could not be read from the WARC files beside "
            f"{args.archive}; are the files of its .warc folder all there?"
        )
    return 0
