"""``newsarchive crawl`` on a terminal: the summary and errors, Scrapy's log in ARCHIVE.log.

Each test runs the command as a user does, in a subprocess, with the real spider.
"""

from __future__ import annotations

import re
import socket

import pytest

from tests.clikit import SUMMARY, run_cli

pytestmark = pytest.mark.slow

# A line of Scrapy's log: "2026-01-05 10:30:00 [scrapy.core.engine] INFO: Spider opened".
LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] [A-Z]+: ", re.MULTILINE)


def dead_port_url() -> str:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/news/"


def assert_quiet(text: str) -> None:
    assert not LOG_LINE.search(text), text[-3000:]
    assert "Traceback" not in text, text[-3000:]


def test_a_crawl_shows_its_summary_only_and_logs_beside_the_archive(start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    archive = tmp_path / "news.sqlite"
    result = run_cli("crawl", mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == ""
    assert SUMMARY.match(result.stdout.strip()), result.stdout  # one line
    log = (tmp_path / "news.sqlite.log").read_text(encoding="utf-8")
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in log
    assert "crawl report: " in log

    # The next crawl appends its log to the same file.
    again = run_cli("crawl", mock.url("dedecms"), "-o", str(archive), "--delay", "0", cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stderr == ""
    log = (tmp_path / "news.sqlite.log").read_text(encoding="utf-8")
    assert log.count("Spider closed (finished)") == 2


def test_a_crawl_of_a_dead_port_shows_one_error_line_and_no_traceback(tmp_path):
    url = dead_port_url()
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.jsonl"), "--delay", "0",
                     "-s", "RETRY_TIMES=1", cwd=tmp_path)
    assert result.returncode == 1
    assert_quiet(result.stdout + result.stderr)
    assert SUMMARY.match(result.stdout.strip()), result.stdout
    assert result.stderr.strip().splitlines() == [(
        f"error: the start page {url} could not be reached: connection refused; "
        "check the address and port, and that the site is up"
    )]
    log = (tmp_path / "news.jsonl.log").read_text(encoding="utf-8")
    assert "Connection was refused" in log
    assert "Spider closed (finished)" in log


def test_verbose_brings_the_log_back_to_stderr(tmp_path):
    url = dead_port_url()
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.sqlite"), "--delay", "0",
                     "-s", "RETRY_TIMES=0", "-v", cwd=tmp_path)
    assert result.returncode == 1
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in result.stderr
    assert re.search(r"\[[\w.]+\] DEBUG: ", result.stderr)
    assert result.stderr.strip().splitlines()[-1].startswith(f"error: the start page {url} ")
    assert not (tmp_path / "news.sqlite.log").exists()


def test_log_file_dash_writes_the_log_to_stderr_and_a_path_takes_it(tmp_path):
    url = dead_port_url()
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.sqlite"), "--delay", "0",
                     "-s", "RETRY_TIMES=0", "--log-file", "-", cwd=tmp_path)
    assert result.returncode == 1
    assert "[scrapy.core.engine] INFO: Spider closed (finished)" in result.stderr
    assert not re.search(r"\[[\w.]+\] DEBUG: ", result.stderr)  # INFO, as the project sets
    assert not (tmp_path / "news.sqlite.log").exists()

    log = tmp_path / "logs" / "crawl.log"
    log.parent.mkdir()
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.sqlite"), "--delay", "0",
                     "-s", "RETRY_TIMES=0", "-s", f"LOG_FILE={log}", cwd=tmp_path)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")
    assert not (tmp_path / "news.sqlite.log").exists()


def test_workers_of_processes_log_into_the_archives_log(start_mock, tmp_path):
    mock = start_mock(sites=["dedecms"])
    sections = [mock.url("dedecms", p) for p in ("/a/xinwen/", "/a/minsheng/")]
    archive = tmp_path / "news.sqlite"
    result = run_cli("crawl", *sections, "-o", str(archive), "--processes", "2",
                     "--delay", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_quiet(result.stdout + result.stderr)
    assert SUMMARY.match(result.stdout.strip().splitlines()[-1]), result.stdout
    log = (tmp_path / "news.sqlite.log").read_text(encoding="utf-8")
    assert log.count("Spider closed (finished)") == 2
    assert not list((tmp_path / "news.sqlite.parts").glob("*.log"))


def test_a_log_file_in_a_new_folder_is_made_and_one_that_cannot_be_written_stops_first(tmp_path):
    url = dead_port_url()
    log = tmp_path / "logs" / "daily" / "crawl.log"
    result = run_cli("crawl", url, "-o", str(tmp_path / "news.sqlite"), "--delay", "0",
                     "-s", "RETRY_TIMES=0", "--log-file", str(log), cwd=tmp_path)
    assert result.returncode == 1
    assert_quiet(result.stderr)
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")

    (tmp_path / "other.sqlite.log").mkdir()  # where the log would go is a folder
    result = run_cli("crawl", url, "-o", str(tmp_path / "other.sqlite"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [(
        "error: cannot write the crawl's log to "
        f"{str(tmp_path / 'other.sqlite.log')!r}: Is a directory "
        "(give --log-file another file, or --log-file - for stderr)"
    )]
    # Nothing was started: no archive, no marker of an unfinished crawl.
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("other.sqlite") and p.is_file()]
