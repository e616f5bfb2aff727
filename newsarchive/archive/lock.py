"""The writer's lock: one harvest at a time writes an archive (an flock on ``<archive>.lock``)."""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import time
from pathlib import Path
from typing import Self

from newsarchive.errors import ArchiveError, ArchiveLocked

__all__ = ["ArchiveLock", "lock_path_for"]

logger = logging.getLogger(__name__)

# How often a waiting writer tries the lock again (seconds).
_POLL = 0.05


def lock_path_for(archive: Path) -> Path:
    """Return the lock file of *archive*: ``news.sqlite`` -> ``news.sqlite.lock``."""
    return archive.with_name(archive.name + ".lock")


class ArchiveLock:
    """An exclusive ``fcntl.flock`` on ``<archive>.lock``, holding the owner's pid.

    The kernel drops the lock when the process dies (even on SIGKILL), so a
    stale lock file never blocks the next harvest; only a live writer does.
    """

    def __init__(self, archive: Path) -> None:
        self.archive = archive
        self.path = lock_path_for(archive)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Return True while this object holds the lock."""
        return self._fd is not None

    def acquire(self, timeout: float = 0.0) -> None:
        """Take the lock, waiting up to *timeout* seconds; raise ArchiveLocked if another holds it."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ArchiveError(
                f"cannot create lock file {self.path}: {exc.strerror}; check the directory is writable"
            ) from exc
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    os.close(fd)
                    raise ArchiveError(f"cannot lock {self.path}: {exc.strerror}") from exc
                if time.monotonic() >= deadline:
                    holder = _read_pid(fd)
                    os.close(fd)
                    raise ArchiveLocked(
                        f"archive {self.archive} is being written by another harvest "
                        f"(pid {holder}); wait for it to finish, or run cron jobs under flock"
                    ) from None
                time.sleep(_POLL)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        self._fd = fd
        logger.debug("locked %s (pid %d)", self.path, os.getpid())

    def release(self) -> None:
        """Release the lock (the lock file stays; its content is cleared)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    """Return the pid written in the lock file, or "unknown" while it is being rewritten."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"
