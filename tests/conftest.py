"""Shared pytest fixtures and options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests import processkit
from tests.rediskit import redis_url  # noqa: F401 - fixture: a redis-server of the test's own

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite fixtures' expected records from the extractor's output (review the diff!)",
    )


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# --- Fixture sites served over HTTP (tests/mockserver.py; see fixtures/README.md) ---


@pytest.fixture(scope="session")
def mock_sites():
    """All fixture sites, base variant, served for the whole session.

    Yields a ``tests.mockserver.MockServer``: ``.urls`` maps site name -> base URL,
    ``.requests(name)`` returns that site's request log, ``.reset(name)`` clears the log and
    counters (call it first in a test that counts requests or reads counters).
    """
    from tests.mockserver import MockServer

    with MockServer() as server:
        yield server


@pytest.fixture
def start_mock():
    """Factory for a test's own server: ``start_mock(sites=["dedecms"], variant="grown")``.

    Returns a started ``MockServer``; every server started is stopped when the test ends.
    """
    from tests.mockserver import MockServer

    started = []

    def _start(sites=None, variant=None):
        server = MockServer(sites=sites, variant=variant).__enter__()
        started.append(server)
        return server

    yield _start
    for server in reversed(started):
        server.__exit__(None, None, None)


@pytest.fixture
def procs():
    """Start crawl subprocesses; whatever is still running at the end is killed."""
    started: list[subprocess.Popen] = []

    def start(*args: str, cwd: Path, log: Path) -> subprocess.Popen:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "crawl", *args, "-v", "--log-file", str(log)],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=processkit.WAIT)


@pytest.fixture(scope="session")
def crawled_archive(mock_sites, tmp_path_factory) -> Path:
    """A SQLite archive of two fixture sites (dedecms, gov) crawled by ``newsarchive crawl``.

    For the tests that read an archive (search, Datasette, charts): treat it as read-only.
    """
    from tests.clikit import run_cli

    work = tmp_path_factory.mktemp("crawled")
    archive = work / "news.sqlite"
    result = run_cli("crawl", mock_sites.url("dedecms"), mock_sites.url("gov"), "-o", str(archive),
                     "--delay", "0", cwd=work)
    assert result.returncode == 0, result.stderr[-3000:]
    return archive
