"""Where a crawl keeps its state beside the archive, what its marker says, and recovery at start.

One owner for the names: the resume directory (``<archive>.job``, Scrapy's
JOBDIR under NEWSARCHIVE_RESUME) and the marker of a crawl that began and has
not finished (``<archive>.incomplete``), which says ``running <pid>`` while a
crawl runs and ``stopped`` once it stopped gracefully.

One owner for what happens with them: ``begin_crawl`` (recover from the last
crawl's end, then mark this one running) and ``end_crawl`` (remove the marker
when the crawl finished, mark a graceful stop). The ``newsarchive`` CLI and the
crawl-state add-on of a plain ``scrapy crawl`` both call them.
"""
from __future__ import annotations

import json
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path

from newsarchive.archive.lock import ArchiveLock
from newsarchive.diskqueue import torn_problem
from newsarchive.errors import ArchiveLocked, NewsArchiveError

__all__ = [
    "DISCARDED_AFTER_KILL",
    "JOB_FILES",
    "KILLED",
    "STOPPED",
    "STOP_AFTER_KNOWN",
    "Recovery",
    "begin_crawl",
    "end_crawl",
    "incomplete_marker",
    "job_dir_for",
    "job_state_problem",
    "locked_by_another",
    "marker_pid",
    "recover",
    "remove_finished_job_dir",
    "write_running",
]

#: What the marker of a crawl stopped gracefully says (one that was killed says "running").
STOPPED = "stopped"
#: How a crawl whose marker still says "running" ended (see Recovery.how).
KILLED = "killed"
#: Why the archive's own saved crawl state was discarded after a kill (see Recovery.discarded).
DISCARDED_AFTER_KILL = "the last crawl was killed"
#: The setting a crawl after an unfinished one overrides to 0 (unless given on the command line).
STOP_AFTER_KNOWN = "NEWSARCHIVE_STOP_AFTER_KNOWN_PAGES"
#: Files Scrapy keeps in a JOBDIR; a directory holding anything else is never removed.
JOB_FILES = frozenset({"requests.seen", "requests.queue", "spider.state"})


def job_dir_for(archive: str | Path) -> str:
    """Return the JOBDIR kept beside *archive*: "archive/news.sqlite" -> "archive/news.sqlite.job"."""
    return f"{archive}.job"


def incomplete_marker(archive: str | Path) -> Path:
    """Return the file saying a crawl into *archive* began and has not finished:
    ``news.sqlite`` -> ``news.sqlite.incomplete``."""
    path = Path(archive)
    return path.with_name(path.name + ".incomplete")


def write_running(marker: Path) -> None:
    """Mark the crawl of this process as running in *marker*."""
    marker.write_text(f"running {os.getpid()}\n", encoding="utf-8")


def marker_pid(marker: Path) -> int | None:
    """Return the pid a ``running <pid>`` *marker* names, or None (no marker, or another text)."""
    try:
        words = marker.read_text(encoding="utf-8").split()
    except OSError:
        return None
    return int(words[1]) if len(words) == 2 and words[0] == "running" and words[1].isdigit() else None


def locked_by_another(archive: str | Path) -> bool:
    """Return True when another harvest holds *archive*'s writer lock right now."""
    lock = ArchiveLock(Path(archive))
    try:
        lock.acquire(timeout=0)
    except ArchiveLocked:
        return True
    except NewsArchiveError:
        return False  # no lock file can be made here: opening the archive will say why
    lock.release()
    return False


# -- a JOBDIR's state ----------------------------------------------------------------


def job_state_problem(jobdir: str | Path) -> str | None:
    """Return why the Scrapy job directory *jobdir* cannot be resumed from, or None when it can.

    Scrapy writes requests.queue/active.json when a crawl closes; a crawl
    killed (SIGKILL, power cut) leaves queue files without it, or (resumed from
    an earlier stop) with a record cut short mid-write, and resuming fails or
    loses requests. The request queues are ``newsarchive.diskqueue``'s files
    (SCHEDULER_DISK_QUEUE), each record checksummed, and ``torn_problem`` names
    a torn one; a queue file in another format (queuelib's, written by an
    older version or another SCHEDULER_DISK_QUEUE) is not ours: the state is discarded.
    """
    path = Path(jobdir)
    state = path / "spider.state"
    if state.exists():
        try:
            with state.open("rb") as f:
                pickle.load(f)
        except Exception as exc:  # noqa: BLE001 - any unpickling failure means torn
            return f"spider.state unreadable ({type(exc).__name__})"
    queue = path / "requests.queue"
    if not queue.is_dir():
        return None
    files = [p for p in queue.rglob("*") if p.is_file() and p.name != "active.json"]
    active = queue / "active.json"
    if not active.exists():
        return "requests.queue has no active.json (the crawl did not close)" if files else None
    try:
        json.loads(active.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"requests.queue/active.json unreadable ({exc})"
    for file in files:
        if file.name == "info.json":
            try:
                json.loads(file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                return f"{file.relative_to(path)} unreadable ({exc})"
        elif not file.name.startswith("q"):  # q00000...: the FIFO start queue's chunks
            problem = torn_problem(file)
            if problem is not None:
                return f"{file.relative_to(path)}: {problem}"
    return None


def _holds_only_job_files(path: Path) -> bool:
    return path.is_dir() and {p.name for p in path.iterdir()} <= JOB_FILES


# -- recovery at start, and the end ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recovery:
    """What recovery at the start of a crawl found and did.

    *how* is how the last crawl into the archive ended when it did not finish:
    ``"killed"`` (its marker still said running) or ``"stopped"`` (gracefully),
    else None. *discarded* says why the saved crawl state (the JOBDIR) was
    removed, or is None when it was kept (or there was none).
    """

    how: str | None = None
    discarded: str | None = None

    def describe(self, archive: str | Path) -> str | None:
        """Return one sentence telling what recovery did for *archive*, or None when nothing.

        The CLI prints it as a note; the crawl-state add-on logs it under ``scrapy crawl``.
        """
        if self.how is not None:
            how = "was killed" if self.how == KILLED else "was stopped"
            # A torn state in a JOBDIR given with -s is discarded too: say why.
            discarded = (
                f"; its saved crawl state was discarded ({self.discarded})"
                if self.discarded not in (None, DISCARDED_AFTER_KILL) else ""
            )
            return (
                f"the last crawl into {archive} {how} before it finished{discarded}; "
                "this one reads every listing page"
            )
        if self.discarded is not None:
            return (
                f"the saved crawl state beside {archive} was discarded ({self.discarded}); "
                "this crawl reads every listing page"
            )
        return None

    @property
    def read_every_listing(self) -> bool:
        """True when this crawl must read every listing page: the last one may have
        missed articles on later pages while the first pages list only archived ones."""
        return self.how is not None or self.discarded is not None


def recover(archive: str | Path, jobdir: str | Path | None) -> Recovery:
    """Recover from the last crawl into *archive*, before this one opens its JOBDIR *jobdir*.

    The resume directory beside the archive (``<archive>.job``) is this
    archive's own unless *jobdir* names another. After a kill the own one may be
    torn mid-write, so it is removed; and a *jobdir* (the own one when None)
    whose queue is torn is removed whatever the marker says, when it holds
    nothing but Scrapy's files.
    Archived articles are never fetched again, so a discarded state costs only
    the listing pages read again.
    """
    own_job = Path(job_dir_for(archive))
    own = jobdir is None or Path(jobdir) == own_job
    try:
        text = incomplete_marker(archive).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        how = None
    else:
        how = STOPPED if text == STOPPED else KILLED
    discarded = None
    if how == KILLED and own and own_job.exists():
        shutil.rmtree(own_job, ignore_errors=True)
        discarded = DISCARDED_AFTER_KILL
    # The CLI passes no *jobdir* when the crawl keeps its state beside the archive.
    state = own_job if jobdir is None else Path(jobdir)
    if state.is_dir():
        problem = job_state_problem(state)
        if problem is not None and _holds_only_job_files(state):
            shutil.rmtree(state, ignore_errors=True)
            discarded = f"it cannot be resumed from: {problem}"
    return Recovery(how=how, discarded=discarded)


def begin_crawl(archive: str | Path, jobdir: str | Path | None) -> Recovery:
    """Recover from the last crawl into *archive* (see recover) and mark this one running.

    Call it holding the archive's lock, or after checking that no other harvest
    holds it (locked_by_another): a running harvest's marker says "running" too.
    Raises OSError when the marker cannot be written.
    """
    recovery = recover(archive, jobdir)
    write_running(incomplete_marker(archive))
    return recovery


def end_crawl(archive: str | Path, *, finished: bool, stopped: bool = False) -> None:
    """Record how the crawl into *archive* ended.

    *finished*: it read everything it was asked to; the marker goes. *stopped*:
    it stopped gracefully part-way, so its saved state can be resumed; the
    marker says so. Otherwise (a forced stop) the marker is left saying
    "running", and the next crawl treats this one as killed.
    """
    marker = incomplete_marker(archive)
    if finished:
        marker.unlink(missing_ok=True)
    elif stopped:
        marker.write_text(f"{STOPPED}\n", encoding="utf-8")


def remove_finished_job_dir(archive: str | Path, jobdir: str | Path | None) -> bool:
    """Remove the archive's own JOBDIR *jobdir* after a finished crawl; return True if removed.

    A finished crawl's seen-request filter would hide the next harvest's
    listing pages. Another JOBDIR, or one holding other files, is left alone.
    """
    if jobdir is None or Path(jobdir) != Path(job_dir_for(archive)):
        return False
    path = Path(jobdir)
    if not _holds_only_job_files(path):
        return False
    shutil.rmtree(path, ignore_errors=True)
    return True
