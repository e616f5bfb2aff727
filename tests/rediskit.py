"""A real redis-server for the tests of shared harvests (``newsarchive crawl --redis``).

``redis_url`` (a pytest fixture; import it into the test module) starts Debian's
``redis-server`` on a unix socket in the test's tmp_path, without persistence,
and stops it when the test ends, whatever happened. Tests are skipped with the
reason when the machine has no redis-server (``.ci/run`` installs it).
``Harvest`` starts the archiver and worker subprocesses and kills what is left.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

WAIT = 60  # seconds: the longest any single wait may take
# Fast crawls: no politeness delay beyond what a test asks for.
QUICK = ["--delay", "0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "NEWSARCHIVE_SITEMAPS=0"]


@pytest.fixture
def redis_url(tmp_path: Path):
    """Yield ``unix://…/redis.sock`` of a redis-server of the test's own, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    folder = tmp_path / "redis"
    folder.mkdir()
    sock = folder / "redis.sock"
    proc = subprocess.Popen(
        [binary, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(sock.exists, "redis-server's socket")
        yield f"unix://{sock}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def wait_for(condition, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.05)


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


class Harvest:
    """The processes of one shared harvest: ``archiver()``, ``worker()``; all killed by ``close()``."""

    def __init__(self, redis_url: str, folder: Path, run: str = "news") -> None:
        self.redis_url = redis_url
        self.folder = folder
        self.run = run
        self.procs: list[subprocess.Popen] = []

    def _start(self, command: list[str], name: str) -> subprocess.Popen:
        out = (self.folder / f"{name}.out").open("w")
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", *command],
            cwd=self.folder, stdout=out, stderr=subprocess.STDOUT, text=True,
        )
        out.close()
        proc.name = name  # type: ignore[attr-defined]
        self.procs.append(proc)
        return proc

    def archiver(self, archive: Path, *extra: str, name: str = "archiver") -> subprocess.Popen:
        return self._start(
            ["archive-worker", "--redis", self.redis_url, "--run-id", self.run, "-o", str(archive), *extra], name
        )

    def worker(self, *args: str, name: str) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        return self._start(
            ["crawl", *args, "-v", "--redis", self.redis_url, "--run-id", self.run, "--log-file", str(log)], name
        )

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.out").read_text(encoding="utf-8", errors="replace")

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

    def wait(self, proc: subprocess.Popen, timeout: float = WAIT) -> int:
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{proc.name} still runs after {timeout}s:\n{self.output(proc.name)}") from None  # type: ignore[attr-defined]
        return code

    def close(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
