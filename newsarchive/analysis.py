"""newsarchive.load(): an archive as a pandas DataFrame whose column types never depend on the data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.archive.export import Selection, iter_records
from newsarchive.archive.tabular import TYPED_FIELDS, import_optional

if TYPE_CHECKING:
    import pandas  # type: ignore[import-untyped]

__all__ = ["DTYPES", "load"]

#: The column types of load()'s DataFrame, the same for every archive, empty or not.
#: published_date is the page's local day as a naive datetime64 at midnight (pandas has
#: no plain date type of its own): group, filter ("2021-11-05") or .dt.date it; the time
#: of day is in published_at_utc, NaT for a date-only value. Text columns are pandas'
#: nullable "string", counts nullable "Int64", paragraphs Python lists.
DTYPES: dict[str, str] = {
    **{name: "string" for name in TYPED_FIELDS},
    "published_date": "datetime64[ns]",
    "published_at_utc": "datetime64[ns, UTC]",
    "fetched_at": "datetime64[ns, UTC]",
    "reextracted_at": "datetime64[ns, UTC]",
    "view_count": "Int64",
    "warc_offset": "Int64",
    "version": "Int64",
    "paragraphs": "object",
}


def load(path: str | Path, *, all_versions: bool = False) -> pandas.DataFrame:
    """Return the archive at *path* (.jsonl, .sqlite or .db) as a pandas DataFrame.

    One row per article (its latest version; every stored version with
    *all_versions*), the columns of the record plus ``published_at_utc``, typed as
    DTYPES says whatever the archive holds. Needs pandas (``pip install
    'newsarchive[analysis]'``); raises ImportError saying so when it is missing.

        >>> df = newsarchive.load("archive/news.sqlite")              # doctest: +SKIP
        >>> df.groupby("published_date").size()                       # doctest: +SKIP
    """
    pd = import_optional("pandas", "newsarchive.load()")
    from newsarchive.archive.tabular import published_at_utc

    columns: dict[str, list[Any]] = {name: [] for name in TYPED_FIELDS}
    for record in iter_records(path, Selection(all_versions=all_versions)):
        record["published_at_utc"] = published_at_utc(record.get("published_at"))
        for name in TYPED_FIELDS:
            columns[name].append(record.get(name))
    frame = pd.DataFrame({name: pd.Series(values, dtype="object") for name, values in columns.items()})
    for name, dtype in DTYPES.items():
        if name == "published_date":
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d").astype(dtype)
        elif dtype.startswith("datetime64"):
            frame[name] = pd.to_datetime(frame[name], utc=True, format="ISO8601").astype(dtype)
        elif dtype != "object":
            frame[name] = frame[name].astype(dtype)
    return frame
