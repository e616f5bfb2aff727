"""An archive as a picture: articles per published day for each site, and how often each field is filled.

Drawn with matplotlib (the ``chart`` extra) as PNG or SVG, or as an HTML page
that holds the SVG and the same figures as tables. Site names in Chinese need a
CJK font; without one a site is labelled by its host, so no label turns into
empty boxes.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsarchive.archive.opening import open_archive
from newsarchive.errors import ArchiveError

__all__ = ["CHART_FORMATS", "ChartData", "chart_data", "cjk_font", "write_chart"]

#: The chart formats, by file suffix.
CHART_FORMATS = ("png", "svg", "html")

# Fields every record has: a fill rate of 100% says nothing.
_ALWAYS_FILLED = frozenset(
    {"url", "canonical_url", "site", "fetched_at", "content_hash", "simhash", "version", "title"}
)
# Families that cover Chinese, most common first (Linux, macOS, Windows).
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Droid Sans Fallback", "AR PL UMing CN", "PingFang SC",
    "Heiti SC", "Microsoft YaHei", "SimHei",
)
# At most this many sites get a series of their own; the rest are drawn as "other sites".
MAX_SITES = 8


@dataclass(slots=True)
class ChartData:
    """What the chart shows: articles per day for each site label, fill rates for each field."""

    per_day: dict[str, Counter[str]] = field(default_factory=dict)
    fill: dict[str, dict[str, float]] = field(default_factory=dict)  # site label -> field -> percent
    undated: int = 0
    articles: int = 0


def cjk_font() -> str | None:
    """Return the name of an installed font family that covers Chinese, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FAMILIES if name in installed), None)


def chart_data(path: str | Path, *, cjk: bool = False) -> ChartData:
    """Return the chart's figures for the archive at *path* (latest versions).

    A site whose name is not ASCII is labelled by its host unless *cjk* (a CJK
    font can draw it). Past :data:`MAX_SITES` the smallest sites share one label.
    """
    articles: list[tuple[str, str | None, dict[str, Any]]] = []
    sites: Counter[str] = Counter()
    hosts: dict[str, str] = {}
    with open_archive(path, readonly=True) as archive:
        for article in archive.iter_articles():
            sites[article.site] += 1
            hosts.setdefault(article.site, urlsplit(article.canonical_url).netloc or article.site)
            articles.append((article.site, article.published_at, article.to_record()))
    kept = {site for site, _ in sites.most_common(MAX_SITES)}
    if len(sites) > MAX_SITES:
        kept = {site for site, _ in sites.most_common(MAX_SITES - 1)}

    def label(site: str) -> str:
        if site not in kept:
            return "other sites"
        return site if cjk or site.isascii() else hosts[site]

    data = ChartData(articles=len(articles))
    counts: Counter[str] = Counter()
    filled: dict[str, Counter[str]] = {}
    for site, published_at, record in articles:
        name = label(site)
        counts[name] += 1
        per_field = filled.setdefault(name, Counter())
        for key, value in record.items():
            if key not in _ALWAYS_FILLED and value not in (None, "", []):
                per_field[key] += 1
        if published_at:
            data.per_day.setdefault(name, Counter())[published_at[:10]] += 1
        else:
            data.undated += 1
    fields = [f for f in (articles[0][2] if articles else {}) if f not in _ALWAYS_FILLED]
    # Both panels list the sites in one order, largest first, so a site keeps its colour.
    order = [name for name, _ in counts.most_common()]
    data.per_day = {name: data.per_day.get(name, Counter()) for name in order}
    for name in order:
        data.fill[name] = {f: round(100.0 * filled[name][f] / counts[name], 1) for f in fields}
    return data


def write_chart(path: str | Path, out: str | Path) -> ChartData:
    """Draw the chart of the archive at *path* into *out* (``.png``, ``.svg`` or ``.html``).

    Returns the figures drawn. Raises ArchiveError for another suffix.
    """
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in CHART_FORMATS:
        raise ArchiveError(f"cannot draw a chart as {out.name!r}: name it *.png, *.svg or *.html")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    font = cjk_font()
    data = chart_data(path, cjk=font is not None)
    with plt.rc_context():
        plt.rcParams["svg.fonttype"] = "none"  # SVG keeps text as text
        plt.rcParams["font.size"] = 9
        if font:
            plt.rcParams["font.sans-serif"] = [font, "DejaVu Sans"]
        figure = _draw(data)
        try:
            if fmt == "png":
                # The series names also as PNG text, for a reader (or a test) that cannot look.
                meta = {"Title": "newsarchive stats", "Description": "series: " + ", ".join(data.fill)}
                figure.savefig(out, format="png", dpi=110, metadata=meta)
            else:
                buffer = io.StringIO()
                figure.savefig(buffer, format="svg")
                svg = buffer.getvalue()
                out.write_text(svg if fmt == "svg" else _page(path, data, svg), encoding="utf-8")
        finally:
            plt.close(figure)
    return data


def _draw(data: ChartData) -> Any:
    import matplotlib
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    figure, (days, fill) = plt.subplots(
        2, 1, figsize=(10, 8), gridspec_kw={"height_ratios": [3, 2]}, layout="constrained"
    )
    every_day = sorted({d for counts in data.per_day.values() for d in counts})
    x = [dt.date.fromisoformat(d) for d in every_day]
    bottom = [0] * len(x)
    colours = matplotlib.color_sequences["tab10"]
    for n, (name, counts) in enumerate(data.per_day.items()):
        heights = [counts.get(d, 0) for d in every_day]
        days.bar(x, heights, bottom=bottom, label=f"{name} ({sum(heights)})", width=0.8,
                 color=colours[n % len(colours)])
        bottom = [b + h for b, h in zip(bottom, heights)]
    days.set_title(f"Articles per published day, by site ({data.articles} articles, "
                   f"{data.undated} without a date)")
    days.set_ylabel("articles")
    locator = days.xaxis.get_major_locator()
    days.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    days.yaxis.get_major_locator().set_params(integer=True)
    if data.per_day:
        days.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="site (articles)")
    fields = list(next(iter(data.fill.values()), {}))
    height = 0.8 / max(1, len(data.fill))
    for n, (name, rates) in enumerate(data.fill.items()):
        positions = [i + n * height for i in range(len(fields))]
        bars = fill.barh(positions, [rates[f] for f in fields], height=height, label=name,
                         color=colours[n % len(colours)])
        fill.bar_label(bars, fmt="%.0f%%", padding=2, fontsize=7)
    fill.set_yticks([i + 0.4 - height / 2 for i in range(len(fields))], fields)
    fill.invert_yaxis()
    fill.set_xlim(0, 110)
    fill.set_xlabel("% of the site's articles with the field")
    fill.set_title("Fields filled")
    if data.fill:
        fill.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, title="site")
    return figure


def _page(path: str | Path, data: ChartData, svg: str) -> str:
    """Return an HTML page with *svg* and the figures as tables."""
    e = html.escape
    start = svg.find("<svg")
    rows = "".join(
        f"<tr><td>{e(name)}</td><td>{sum(counts.values())}</td>"
        f"<td>{e(min(counts, default=''))}</td><td>{e(max(counts, default=''))}</td></tr>"
        for name, counts in data.per_day.items()
    )
    fields = list(next(iter(data.fill.values()), {}))
    fill_rows = "".join(
        f"<tr><td>{e(name)}</td>" + "".join(f"<td>{rates[f]}</td>" for f in fields) + "</tr>"
        for name, rates in data.fill.items()
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>newsarchive stats: {e(Path(path).name)}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child{text-align:left}"
        "</style></head><body>\n"
        f"<h1>{e(Path(path).name)}</h1>\n{svg[start:]}\n"
        "<h2>Articles per site</h2><table><tr><th>site</th><th>dated articles</th>"
        f"<th>first day</th><th>last day</th></tr>{rows}</table>\n"
        "<h2>Fields filled (%)</h2><table><tr><th>site</th>"
        + "".join(f"<th>{e(f)}</th>" for f in fields)
        + f"</tr>{fill_rows}</table>\n</body></html>\n"
    )
