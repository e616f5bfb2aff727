"""newsarchive reextract: a crawl's stored pages read again with a changed extraction (a site profile)."""

from __future__ import annotations

import json
import sqlite3

import pytest
import pytest_twisted

from newsarchive.archive import load_records
from newsarchive.cli import main
from newsarchive.warc import warc_dir_for
from tests.crawlkit import crawl_settings, run_crawl

# The editor line under each article of the empirecms site: "[责任编辑：陈丽]" on every page;
# a record whose author is 陈丽 already stays as it is.
PROFILE = 'author = "td.editor"\n'
EDITOR = "陈丽"


async def _crawl(mock_sites, archive):
    await run_crawl(crawl_settings(archive), start_urls=mock_sites.urls["empirecms"])
    return load_records(archive)


@pytest.mark.parametrize("backend", ["sqlite", "jsonl"])
@pytest_twisted.ensureDeferred
async def test_reextract_makes_new_versions_from_the_stored_pages(backend, mock_sites, tmp_path, capsys):
    archive = tmp_path / f"news.{backend}"
    before = await _crawl(mock_sites, archive)
    changing = [r for r in before if r["author"] != EDITOR]
    assert before and changing
    profile = tmp_path / "editor.toml"
    profile.write_text(PROFILE, encoding="utf-8")
    mock_sites.reset("empirecms")

    assert main(["reextract", str(archive), "--site", str(profile), "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    changes = [line.split("\t") for line in out if "\t" in line]
    assert {field for _, field, _ in changes} == {"author"}
    assert sorted(url for url, _, _ in changes) == sorted(r["url"] for r in changing)
    assert all(change.endswith(f" -> '{EDITOR}'") for _, _, change in changes)
    assert out[-1] == f"fields: author {len(changing)}"
    assert load_records(archive) == before  # a dry run changes nothing

    assert main(["reextract", str(archive), "--site", str(profile)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{archive}: {len(changing)} re-extracted, {len(before) - len(changing)} unchanged")
    after = {r["canonical_url"]: r for r in load_records(archive)}
    assert len(after) == len(before)
    assert all(r["author"] == EDITOR for r in after.values())
    for old in changing:
        new = after[old["canonical_url"]]
        assert new["version"] == old["version"] + 1 and new["reextracted_at"]
        # The same fetch, read again: its time, page record and view count stay.
        for field in ("fetched_at", "warc_file", "warc_offset", "warc_record_id", "view_count",
                      "title", "paragraphs", "site", "listing_url"):
            assert new[field] == old[field], field
    assert mock_sites.requests("empirecms") == []  # nothing fetched
    all_versions = load_records(archive, all_versions=True)
    assert len(all_versions) == len(before) + len(changing)
    if backend == "sqlite":
        with sqlite3.connect(archive) as conn:
            changed = [json.loads(c) for (c,) in conn.execute("SELECT changed FROM versions")]
        assert changed == [["author"]] * len(changing)

    # Read again with the same profile: nothing more changes.
    assert main(["reextract", str(archive), "--site", str(profile)]) == 0
    assert capsys.readouterr().out.startswith(f"{archive}: 0 re-extracted, {len(before)} unchanged")

    assert main(["reextract", str(archive), "--since", "2999-01-01"]) == 0
    assert capsys.readouterr().out.startswith(f"{archive}: 0 re-extracted, 0 unchanged")
    for path in warc_dir_for(archive).iterdir():
        path.unlink()
    assert main(["reextract", str(archive)]) == 1
    err = capsys.readouterr().err
    assert f"{len(before)} stored page(s) could not be read from the WARC files" in err
    assert len(load_records(archive, all_versions=True)) == len(before) + len(changing)
