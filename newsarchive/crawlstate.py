"""Where a crawl keeps its state beside the archive, and what its marker says.

One owner for the names: the resume directory (``<archive>.job``, Scrapy's
JOBDIR under NEWSARCHIVE_RESUME) and the marker of a crawl that began and has
not finished (``<archive>.incomplete``), which says ``running <pid>`` while a
crawl runs and ``stopped`` once it stopped gracefully.
"""
from __future__ import annotations

import os
from pathlib import Path

__all__ = ["STOPPED", "incomplete_marker", "job_dir_for", "marker_pid", "write_running"]

#: What the marker of a crawl stopped gracefully says (one that was killed says "running").
STOPPED = "stopped"


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
