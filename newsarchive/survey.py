"""A site survey's report: what the pages a survey read say about the site, added up.

Pure: the observations the survey spider made (its start page, its sections' first
listing pages, a sample of articles) in, a SurveyReport out, and the report as
JSON or as text. No Scrapy, no network, nothing written.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsarchive.extract.survey import PAGINATION_STYLES

if TYPE_CHECKING:
    from newsarchive.extract.cmsguess import CmsGuess
    from newsarchive.extract.survey import Pagination
    from newsarchive.items import Article

__all__ = [
    "FIELDS",
    "ListingSeen",
    "SampleSeen",
    "SectionReport",
    "SectionSeen",
    "SurveyReport",
    "build_report",
    "draft_profile",
    "format_report",
    "report_to_json",
]

#: The article fields whose fill rate a survey measures, in the record's order.
FIELDS = ("title", "published_at", "view_count", "paragraphs", "author", "source", "section")
#: A profile key for each field (the body's selector is `body`).
_PROFILE_KEY = {"paragraphs": "body"}
#: Share of the sample a field must be filled on for the draft profile to leave it alone.
GOOD_FILL = 0.5


@dataclass(frozen=True, slots=True)
class ListingSeen:
    """One listing page read: its *url*, its place in the listing (*page* 1, 2), its kind,
    its article links (URL, ISO date or None) and its pagination."""

    url: str
    page: int
    kind: str
    links: tuple[tuple[str, str | None], ...]
    pagination: Pagination | None


@dataclass(frozen=True, slots=True)
class SectionSeen:
    """A section the start page links (or the start page itself, when it is the listing):
    its *url*, the menu's *name* for it and the listing pages read; *failed* names why
    its first page could not be read."""

    url: str
    name: str
    pages: tuple[ListingSeen, ...] = ()
    failed: str | None = None


@dataclass(frozen=True, slots=True)
class SampleSeen:
    """A sampled article: its *url*, the section it was taken from, and its record
    (None when it could not be read, *failed* saying why)."""

    url: str
    section: str
    article: Article | None = None
    failed: str | None = None


@dataclass(frozen=True, slots=True)
class SectionReport:
    """A news section: its pagination, its articles per page and the estimated total.

    *estimate_kind* is "exact" (every page was read), "about" (pages × items per page,
    the last page's count known when it was read) or "at least" (the pager shows no
    last page: the count of the pages read).
    """

    url: str
    name: str
    style: str
    via: tuple[str, ...]
    per_page: int
    last_page: int | None
    estimate: int
    estimate_kind: str
    first_date: str | None
    last_date: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class SurveyReport:
    """What a survey of *url* found; see build_report."""

    url: str
    cms: CmsGuess
    sections: tuple[SectionReport, ...]
    skipped: tuple[tuple[str, str, str], ...]
    first_date: str | None
    last_date: str | None
    sample: tuple[SampleSeen, ...]
    fill: dict[str, int] = field(default_factory=dict)
    profile: str = ""
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()


def _filled(article: Article, name: str) -> bool:
    value = getattr(article, name)
    return value is not None and value != "" and value != ()


def _estimate(pages: tuple[ListingSeen, ...]) -> tuple[int, int | None, str]:
    """Return (articles, last page, kind) for a section whose listing *pages* were read in order."""
    # A page whose list a script fills from a JSON endpoint holds no links itself.
    first = next(p for p in pages if p.links)
    per_page = len(first.links)
    last_read = pages[-1]
    read = sum(len(p.links) for p in pages)
    pager = first.pagination
    stated = max((p.pagination.last_page or 0) for p in pages if p.pagination) or None
    if last_read.pagination is None or last_read.pagination.next_url is None:
        return read, len(pages) if stated is None else max(stated, len(pages)), "exact"
    if pager is not None and pager.records:
        return pager.records, stated, "about"
    if stated is not None and stated > len(pages):
        return per_page * stated, stated, "about"
    return read, stated, "at least"


def _dates(pages: tuple[ListingSeen, ...]) -> list[str]:
    return sorted(d[:10] for p in pages for _, d in p.links if d)


def _section_report(seen: SectionSeen) -> SectionReport:
    pages = seen.pages
    estimate, last_page, kind = _estimate(pages)
    pager = pages[0].pagination
    dates = _dates(pages)
    return SectionReport(
        url=seen.url,
        name=seen.name,
        style=pager.style if pager else "none",
        via=tuple(dict.fromkeys(v for p in pages if p.pagination for v in p.pagination.via)),
        per_page=next(len(p.links) for p in pages if p.links),
        last_page=last_page,
        estimate=estimate,
        estimate_kind=kind,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        next_url=pager.next_url if pager else None,
    )


def build_report(
    url: str,
    cms: CmsGuess,
    sections: list[SectionSeen],
    sample: list[SampleSeen],
    *,
    generated: str = "",
    sitemaps: tuple[str, ...] = (),
    feeds: tuple[str, ...] = (),
) -> SurveyReport:
    """Return the report of a survey of *url*: its news *sections* (those whose first page
    is a listing with article links; the others are *skipped* with the reason), the
    dates seen on listings and sampled articles, each field's fill count over the
    *sample*, and a draft site profile (see draft_profile). *generated* dates the draft;
    *sitemaps* (named by robots.txt) and *feeds* (named by the start page) are passed on.
    """
    reports: list[SectionReport] = []
    skipped: list[tuple[str, str, str]] = []
    for seen in sections:
        if seen.failed is not None:
            skipped.append((seen.url, seen.name, seen.failed))
        elif not seen.pages or seen.pages[0].kind != "listing":
            kind = seen.pages[0].kind if seen.pages else "unread"
            skipped.append((seen.url, seen.name, f"not a listing: reads as {kind}"))
        elif not any(page.links for page in seen.pages):
            skipped.append((seen.url, seen.name, "a listing without article links"))
        else:
            reports.append(_section_report(seen))
    read = [s.article for s in sample if s.article is not None]
    fill = {name: sum(1 for a in read if _filled(a, name)) for name in FIELDS}
    dates = [d for s in sections for d in _dates(s.pages)]
    dates += [a.published_at[:10] for a in read if a.published_at]
    dates.sort()
    report = SurveyReport(
        url=url,
        cms=cms,
        sections=tuple(reports),
        skipped=tuple(skipped),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        sample=tuple(sample),
        fill=fill,
        sitemaps=tuple(sitemaps),
        feeds=tuple(feeds),
    )
    return dataclasses.replace(report, profile=draft_profile(report, generated=generated))


def draft_profile(report: SurveyReport, *, generated: str = "") -> str:
    """Return a draft site profile (TOML) for *report*'s site: its start URL, and a commented
    entry for each field the generic rules left empty on most of the sample (and for the
    article links when a section listed none), to be filled with a selector.

    Every entry is a comment, so the draft loads as it is (newsarchive.sites.load_profile).
    """
    read = [s for s in report.sample if s.article is not None]
    lines = [
        f"# Draft site profile for {report.url}" + (f" (newsarchive survey, {generated})" if generated else ""),
        "# Uncomment an entry and give a selector (XPath when it starts with /, ( or ./, CSS",
        "# otherwise) for each field the generic rules got wrong; check with newsarchive extract URL.",
        f"start_urls = [{json.dumps(report.url)}]",
    ]
    empty_lists = [name for url, name, reason in report.skipped if reason == "a listing without article links"]
    if empty_lists:
        lines.append(f"# no article link found on: {', '.join(empty_lists)}")
        lines.append('# article_links = "ul.list li a"')
    wanted = [name for name in FIELDS if read and report.fill.get(name, 0) < GOOD_FILL * len(read)]
    for name in wanted:
        key = _PROFILE_KEY.get(name, name)
        missing = [s.url for s in read if s.article is not None and not _filled(s.article, name)]
        lines.append(f"# {name}: empty on {len(missing)} of {len(read)} sampled articles, e.g. {missing[0]}")
        lines.append(f'# {key} = ""')
    if not wanted:
        lines.append(f"# every field was filled on most of the {len(read)} sampled articles: no selector needed")
    return "\n".join(lines) + "\n"


def report_to_json(report: SurveyReport) -> dict[str, Any]:
    """Return *report* as plain JSON values (the survey command's --json output)."""
    read = [s for s in report.sample if s.article is not None]
    return {
        "url": report.url,
        "cms": {
            "family": report.cms.family,
            "score": report.cms.score,
            "generator": report.cms.generator,
            "evidence": [{"what": e.what, "found": e.found, "url": e.url} for e in report.cms.evidence],
            "scores": dict(report.cms.scores),
        },
        "sections": [
            {
                "url": s.url,
                "name": s.name,
                "pagination": s.style,
                "via": list(s.via),
                "next_page": s.next_url,
                "per_page": s.per_page,
                "last_page": s.last_page,
                "articles": s.estimate,
                "articles_estimate": s.estimate_kind,
                "first_date": s.first_date,
                "last_date": s.last_date,
            }
            for s in report.sections
        ],
        "skipped": [{"url": u, "name": n, "reason": r} for u, n, r in report.skipped],
        "dates": {"first": report.first_date, "last": report.last_date},
        "sitemaps": list(report.sitemaps),
        "feeds": list(report.feeds),
        "sample": [
            {
                "url": s.url,
                "section": s.section,
                "failed": s.failed,
                "filled": [n for n in FIELDS if s.article is not None and _filled(s.article, n)],
            }
            for s in report.sample
        ],
        "fields_filled": {n: round(100 * report.fill.get(n, 0) / len(read)) if read else 0 for n in FIELDS},
        "profile": report.profile,
    }


def _estimate_text(section: SectionReport) -> str:
    prefix = {"exact": "", "about": "about ", "at least": "≥ "}[section.estimate_kind]
    return f"{prefix}{section.estimate}"


def format_report(report: SurveyReport) -> str:
    """Return *report* as the text the survey command prints."""
    cms = report.cms
    out = [f"survey of {report.url}", ""]
    if cms.family:
        traces = "; ".join(f'{e.what} "{e.found}"' for e in cms.evidence)
        out.append(f"CMS family: {cms.family} (score {cms.score}: {traces})")
    else:
        others = ", ".join(f"{name} {score}" for name, score in cms.scores) or "no trace"
        out.append(f"CMS family: unknown ({others})")
    if cms.generator:
        out.append(f"generator: {cms.generator}")
    out.append("")
    out.append(f"sections: {len(report.sections)} with article lists")
    for s in report.sections:
        via = f" via {', '.join(s.via)}" if s.via else ""
        last = f"; last page {s.last_page}" if s.last_page else ""
        dates = f", {s.first_date} .. {s.last_date}" if s.first_date else ""
        out.append(f"  {s.name}  {s.url}")
        out.append(f"    pagination: {PAGINATION_STYLES.get(s.style, s.style)}{via}{last}")
        out.append(f"    articles: {_estimate_text(s)} ({s.per_page} a page{dates})")
    for url, name, reason in report.skipped:
        out.append(f"  skipped {name}  {url}: {reason}")
    total = sum(s.estimate for s in report.sections)
    at_least = any(s.estimate_kind != "exact" for s in report.sections)
    out.append(f"articles listed: {'about ' if at_least else ''}{total} (sections may share articles)")
    if report.first_date:
        out.append(f"dates seen: {report.first_date} .. {report.last_date}")
    # The crawl reads both as extra discovery (NEWSARCHIVE_SITEMAPS): posts no menu leads to.
    out.append("sitemaps: " + (", ".join(report.sitemaps) or "none named by robots.txt (a crawl also tries /sitemap.xml)"))
    out.append("feeds: " + (", ".join(report.feeds) or "none named by the start page"))
    read = [s for s in report.sample if s.article is not None]
    failed = [s for s in report.sample if s.article is None]
    out.append("")
    out.append(f"sample: {len(read)} articles read" + (f", {len(failed)} failed" if failed else ""))
    if read:
        rates = ", ".join(f"{n} {round(100 * report.fill.get(n, 0) / len(read))}%" for n in FIELDS)
        out.append(f"fields filled: {rates}")
    for miss in failed:
        out.append(f"  failed {miss.url}: {miss.failed}")
    out.append("")
    out.append("draft site profile:")
    out.extend(f"  {line}" if line else "" for line in report.profile.splitlines())
    return "\n".join(out) + "\n"
