"""An archive's raw pages as one WACZ file (Web Archive Collection Zipped), for ReplayWeb.page and pywb.

The WACZ holds the archive's WARC files (its ``ARCHIVE.warc/`` folder, and the
files elsewhere that records of a ``--from-warc`` crawl point at), a CDXJ
index of them and ``pages/pages.jsonl`` with one page per archived article
(its URL, headline and fetch time), so a replay tool lists the articles. It is
made by webrecorder's ``wacz`` package (``wacz create``), in a subprocess: that
tool prints its progress and its error messages on its own. A WARC file cut
short by a killed crawl goes in with its complete records only (a copy of
them), so the WACZ's index never names a record that is not whole.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from newsarchive.archive.opening import open_archive
from newsarchive.errors import ArchiveError
from newsarchive.warc import resolve_warc_file, warc_dir_for
from newsarchive.warcread import check_warc, read_response

__all__ = ["export_wacz", "warc_files_of"]

logger = logging.getLogger(__name__)

# Longest the wacz tool may take, in seconds (it indexes every record once).
_TIMEOUT = 3600


def warc_files_of(archive: str | Path) -> tuple[list[Path], list[dict[str, str]]]:
    """Return the WARC files of *archive* (its folder's, then others its records name) and
    its pages (url, title, ts: the WARC-Date of its record) for pages.jsonl, one per
    article (latest version) whose page is kept."""
    files = sorted(warc_dir_for(archive).glob("*.warc.gz")) if warc_dir_for(archive).is_dir() else []
    known = {path.resolve() for path in files}
    pages = []
    with open_archive(archive, readonly=True) as store:
        for article in store.iter_articles(all_versions=True):
            if article.warc_file:
                path = resolve_warc_file(archive, article.warc_file)
                if path.resolve() not in known and path.is_file():
                    known.add(path.resolve())
                    files.append(path)
        for article in store.iter_articles():
            if article.warc_file is None or article.warc_offset is None:
                continue
            page = {"url": article.url, "title": article.title}
            try:
                # The WARC-Date of the very record: wacz matches a page to a capture by it.
                page["ts"] = read_response(resolve_warc_file(archive, article.warc_file), article.warc_offset).date
            except ArchiveError as exc:
                logger.warning("page %s: %s", article.url, exc)
            pages.append(page)
    return files, pages


def export_wacz(archive: str | Path, out: str | Path, *, title: str | None = None) -> int:
    """Write the WACZ of *archive* to *out*; return how many pages it lists.

    Raises ArchiveError when the archive has no WARC files (crawled with
    --no-warc) or the wacz tool fails (its message included).
    """
    archive = Path(archive)
    files, pages = warc_files_of(archive)
    if not files:
        raise ArchiveError(
            f"archive {archive} has no WARC files (in {warc_dir_for(archive)}): it was crawled "
            "without keeping the raw pages (--no-warc)"
        )
    with tempfile.TemporaryDirectory(prefix="newsarchive-wacz-") as work:
        folder = Path(work)
        inputs = [_whole_records(path, folder) for path in files]
        listing = folder / "pages.jsonl"
        with listing.open("w", encoding="utf-8") as f:
            f.write(json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "Articles"}) + "\n")
            for page in pages:
                f.write(json.dumps(page, ensure_ascii=False) + "\n")
        command = [
            sys.executable, "-m", "wacz", "create", "-o", str(Path(out).resolve()),
            "-p", str(listing), "--title", title or archive.name,
            *map(str, inputs),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    if done.returncode != 0 or not Path(out).is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise ArchiveError(
            f"cannot write WACZ {out}: the wacz tool failed ({detail[-1] if detail else done.returncode})"
        )
    logger.info("wrote %s: %d WARC files, %d pages", out, len(files), len(pages))
    return len(pages)


def _whole_records(path: Path, folder: Path) -> Path:
    """Return *path*, or a copy of its complete records in *folder* when a kill cut it short."""
    found = check_warc(path)
    if found.torn_at is None:
        return path
    logger.warning("%s; the WACZ gets those", found.describe(path))
    copy = folder / path.name
    with path.open("rb") as src, copy.open("wb") as dst:
        shutil.copyfileobj(_Prefix(src, found.good_bytes), dst)
    return copy


class _Prefix:
    """A file object reading only the first *size* bytes of *f*."""

    def __init__(self, f: object, size: int) -> None:
        self._f = f
        self._left = size

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n < 0 else min(n, self._left)
        data: bytes = self._f.read(n)  # type: ignore[attr-defined]
        self._left -= len(data)
        return data
