"""newsarchive crawl --from-warc on WARC files written by GNU wget (``--warc-file``), sharded over two processes.

wget's files differ from ours: a ``request`` record before each response,
``resource`` and ``metadata`` records for its own log and manifest,
WARC-Target-URIs written in angle brackets. The fixture sites chosen here link
every page plainly (no script-built pagination, no view counter), so wget's
mirror holds every page the live crawl read.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import pytest_twisted

from newsarchive.archive import load_records
from tests.crawlkit import COMPARED_FIELDS, crawl_settings, run_crawl
from tests.processkit import run_to_end

SITES = ("pbootcms", "metinfo")
FIELDS = ("url", "listing_url", *COMPARED_FIELDS)


def _same(records):
    return {r["url"]: {f: r[f] for f in FIELDS} for r in records}


def _mirror_with_wget(url: str, folder: Path) -> Path:
    """Mirror *url* with wget into *folder*; return the WARC file it wrote."""
    warc = folder / "site"
    subprocess.run(
        ["wget", "--recursive", "--level=3", f"--warc-file={warc}", "--no-verbose", "--quota=20m",
         "--timeout=10", "--tries=1", "--directory-prefix", str(folder / "mirror"), url],
        cwd=folder, capture_output=True, timeout=60, check=False,  # exit 8: some links were 404
    )
    path = warc.with_name("site.warc.gz")
    assert path.is_file(), f"wget wrote no {path}"
    return path


@pytest_twisted.ensureDeferred
async def test_wget_warc_files_replayed_over_two_processes_give_the_live_crawls_articles(start_mock, tmp_path):
    if shutil.which("wget") is None:
        pytest.skip("wget is not installed (apt-get install wget)")
    mock = start_mock(sites=list(SITES))
    starts = [mock.urls[site] for site in SITES]
    live = tmp_path / "live.sqlite"
    await run_crawl(crawl_settings(live, NEWSARCHIVE_WARC=False), start_urls=",".join(starts))
    files = []
    for site in SITES:
        folder = tmp_path / site
        folder.mkdir()
        files.append(str(_mirror_with_wget(mock.urls[site], folder)))
    mock.__exit__(None, None, None)  # no server any more: nothing can be fetched

    replayed = tmp_path / "replayed.sqlite"
    done = run_to_end(*starts, "--from-warc", *files, "--processes", "2", "-o", str(replayed), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    expected = _same(load_records(live))
    assert len(expected) >= 20
    assert done.stdout.startswith(f"{replayed}: {len(expected)} new"), done.stdout
    records = load_records(replayed)
    assert _same(records) == expected
    assert {r["warc_file"] for r in records} == set(files)
