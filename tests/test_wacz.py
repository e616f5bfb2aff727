"""An archive's raw pages exported as WACZ, checked by the real ``wacz validate`` command."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest_twisted

from newsarchive.archive import load_records
from newsarchive.cli import main
from newsarchive.warc import warc_dir_for
from tests.crawlkit import crawl_settings, run_crawl

WACZ = Path(sys.executable).with_name("wacz")


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(WACZ), "validate", "-f", str(path)], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest_twisted.ensureDeferred
async def test_the_wacz_of_a_crawl_is_valid_and_lists_its_articles(mock_sites, tmp_path, capsys):
    archive = tmp_path / "news.sqlite"
    await run_crawl(crawl_settings(archive), start_urls=mock_sites.urls["empirecms"])
    [warc] = warc_dir_for(archive).glob("*.warc.gz")
    # A later crawl killed mid-record left a cut file: the WACZ gets its whole records.
    cut = warc.with_name("news-20990101000000-00001-1.warc.gz")
    cut.write_bytes(warc.read_bytes() + gzip.compress(b"WARC/1.0\r\n" + os.urandom(3000))[:200])
    out = tmp_path / "news.wacz"
    assert main(["export", str(archive), "--wacz", str(out)]) == 0
    assert capsys.readouterr().err.endswith(f"the raw pages of {len(load_records(archive))} articles\n")

    checked = _validate(out)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Validation succeeded" in checked.stdout
    with zipfile.ZipFile(out) as wacz:
        names = set(wacz.namelist())
        assert {f"archive/{warc.name}", f"archive/{cut.name}"} <= names
        assert len(wacz.read(f"archive/{cut.name}")) == warc.stat().st_size
        pages = [json.loads(line) for line in wacz.read("pages/pages.jsonl").decode().splitlines()[1:]]
    assert sorted(p["url"] for p in pages) == sorted(r["url"] for r in load_records(archive))
    assert all(p["ts"].endswith("Z") and p["title"] for p in pages)


def test_an_archive_without_raw_pages_has_no_wacz(tmp_path, capsys):
    archive = tmp_path / "news.jsonl"
    archive.write_text("", encoding="utf-8")
    assert main(["export", str(archive), "--wacz", str(tmp_path / "x.wacz")]) == 1
    assert "has no WARC files" in capsys.readouterr().err
    assert not (tmp_path / "x.wacz").exists()
