"""Guess which CMS family a site runs on from the traces its pages and URLs carry.

Pure: page sources and their URLs in, a guess with its evidence out. The rules
are the table newsarchive.extract.patterns.cms.CMS_RULES; this module adds them up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsarchive.extract.patterns.cms import CMS_RULES, GENERATOR_META

__all__ = ["CmsEvidence", "CmsGuess", "guess_cms"]

#: Score a family needs to be named: one trace only it leaves (3), or two of its
#: URL schemes; a single shared trace (a theme folder, a bare-query link) is not enough.
MIN_SCORE = 3
# Markup inside a trace ("Powered by <a href=…>DedeCMS</a>"), left out of the evidence.
_TAG = re.compile(r"<[^>]*>")
#: Characters of a matched trace kept as evidence.
_EVIDENCE_CHARS = 80


@dataclass(frozen=True, slots=True)
class CmsEvidence:
    """One trace: the rule's *what*, the text it *found* and the page *url* it was found on."""

    family: str
    what: str
    found: str
    url: str
    weight: int


@dataclass(frozen=True, slots=True)
class CmsGuess:
    """The family named (None when no family scores MIN_SCORE), its score and its evidence.

    *scores* lists every family that left a trace, best first; *generator* is the
    first generator meta seen, whatever product it names.
    """

    family: str | None
    score: int
    evidence: tuple[CmsEvidence, ...]
    scores: tuple[tuple[str, int], ...] = ()
    generator: str | None = None


def guess_cms(pages: Iterable[tuple[str, str]]) -> CmsGuess:
    """Return the CMS family the (url, source) *pages* of one site point to.

    Each rule counts once however many pages match it; a URL is searched along
    with its page's source, so the address of a page read counts too. Ties go to
    the family listed first in CMS_RULES. For instance a page with
    ``<script src="/plus/count.php?view=yes&aid=12">`` and ``Powered by DedeCMS`` is
    DedeCMS with a score of 6.
    """
    found: dict[int, CmsEvidence] = {}
    generator: str | None = None
    for url, source in pages:
        text = f"{url}\n{source}"
        if generator is None:
            meta = GENERATOR_META.search(source)
            if meta:
                generator = (meta.group(1) or meta.group(2) or "").strip() or None
        for index, rule in enumerate(CMS_RULES):
            if index in found:
                continue
            match = rule.pattern.search(text)
            if match:
                text_found = " ".join(_TAG.sub(" ", match.group(0)).split())[:_EVIDENCE_CHARS]
                found[index] = CmsEvidence(rule.family, rule.what, text_found, url, rule.weight)
    totals: dict[str, int] = {}
    first_rule: dict[str, int] = {}
    for index, trace in sorted(found.items()):
        totals[trace.family] = totals.get(trace.family, 0) + trace.weight
        first_rule.setdefault(trace.family, index)
    ranked = tuple(sorted(totals.items(), key=lambda item: (-item[1], first_rule[item[0]])))
    if not ranked or ranked[0][1] < MIN_SCORE:
        return CmsGuess(None, ranked[0][1] if ranked else 0, (), ranked, generator)
    named, score = ranked[0]
    evidence = tuple(e for _, e in sorted(found.items()) if e.family == named)
    return CmsGuess(named, score, evidence, ranked, generator)
