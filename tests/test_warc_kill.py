"""A crawl SIGKILLed while it writes WARC files: no record points past what the files hold, a cut file is
detected, and the next crawl writes a new file."""

from __future__ import annotations

import gzip
import signal

import pytest

from newsarchive.warc import resolve_warc_file, warc_dir_for
from newsarchive.warcread import check_warc, read_response
from tests.processkit import SLOW, WAIT, archived, assert_complete, crawled, run_to_end, wait_for

pytestmark = pytest.mark.slow


def _assert_every_pointer_resolves(archive):
    records = archived(archive)
    for record in records:
        stored = read_response(resolve_warc_file(archive, record["warc_file"]), record["warc_offset"])
        assert (stored.url, stored.record_id) == (record["url"], record["warc_record_id"])
    return records


def test_sigkill_leaves_no_pointer_to_a_missing_record_and_the_rerun_starts_a_new_file(
    start_mock, procs, tmp_path
):
    # SQLite: its batches commit later than JSON Lines writes a line, so a pointer waits longest.
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / "news.sqlite"
    log = tmp_path / "crawl.log"
    proc = procs(mock.url("dedecms"), "-o", str(archive), *SLOW, cwd=tmp_path, log=log)
    wait_for(lambda: crawled(log) >= 5 or proc.poll() is not None, "5 article pages")
    assert proc.poll() is None, "the crawl ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=WAIT)
    assert proc.returncode == -signal.SIGKILL
    [killed] = sorted(warc_dir_for(archive).glob("*.warc.gz"))
    if archive.exists():
        _assert_every_pointer_resolves(archive)
    # A kill in the middle of a record's write: half of a gzip member at the file's end.
    whole = check_warc(killed)
    member = gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" + b"x" * 4000)
    with open(killed, "ab") as f:
        f.write(member[: len(member) // 2])
    cut = check_warc(killed)
    assert cut.torn_at == whole.good_bytes and cut.records == whole.records

    rerun = run_to_end(mock.url("dedecms"), "-o", str(archive), "--delay", "0", "-v",
                       "--log-file", str(tmp_path / "rerun.log"), cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    text = (tmp_path / "rerun.log").read_text(encoding="utf-8")
    assert f"WARC file {killed} ends with a record cut short at byte {whole.good_bytes}" in text
    files = sorted(warc_dir_for(archive).glob("*.warc.gz"))
    assert len(files) == 2 and killed in files
    assert_complete(archive)
    records = _assert_every_pointer_resolves(archive)
    assert {r["warc_file"] for r in records} <= {f.name for f in files}
