"""Choose the body container among the scan's scored blocks, and the siblings that join it."""

from __future__ import annotations

import heapq
from typing import Any

from newsarchive.extract.body.hints import POSITIVE_FACTOR, hint_factor, in_chrome
from newsarchive.extract.body.scan import EL, END, SCORE, START, TOT, TOTLINK, Frame
from newsarchive.extract.document import text_content
from newsarchive.extract.patterns import body as P
from newsarchive.extract.patterns.tags import PARAGRAPH_TAGS

__all__ = ["choose"]

# Container scoring after the walk (readability's constants, measured in characters of Chinese).
_SIBLING_SHARE = 0.4           # a sibling joins the winner if it scores this share of it
_SIBLING_MIN = 8.0             # ... and never less than this
_SIBLING_UNLIKE_SHARE = 0.75   # ... or this share when its tag or class differs
_CHROME_FACTOR = 0.25          # inside a footer / comments / sidebar, or reads as legal text
_FOOTER_MAX_CHARS = 400
_BEFORE_TITLE_FACTOR = 0.3     # a container that ends before the headline is not the body
_TITLE_DISTANCE = 100.0        # blocks after the headline at which a container's score halves
_NAMED_CHILD_SHARE = 0.8       # a named child with this share of its unnamed parent's score wins
_LEADERS = 8                   # candidates whose hints and ancestors are read


def _final_score(frame: Frame, title_order: int, memo: dict[Any, bool]) -> float:
    """Return *frame*'s score weighed by link density, class/id hints and position."""
    el = frame[EL]
    tot = frame[TOT] or 1
    score = frame[SCORE] * (1.0 - frame[TOTLINK] / tot) * hint_factor(el)
    if in_chrome(el, memo):
        score *= _CHROME_FACTOR
    if frame[TOT] <= _FOOTER_MAX_CHARS:
        # A short block of legal text (本站郑重声明 / 版权所有 / 违法和不良信息举报电话)
        # can out-punctuate a one-paragraph article.
        text = text_content(el)
        if any(word in text for word in P.FOOTER_WORDS):
            score *= _CHROME_FACTOR
    if title_order:
        if frame[END] < title_order:
            score *= _BEFORE_TITLE_FACTOR
        elif frame[START] > title_order:
            # The body follows the headline closely; far below it are footers and lists.
            score /= 1.0 + (frame[START] - title_order) / _TITLE_DISTANCE
    return float(score)


def choose(candidates: list[Frame], title_order: int) -> tuple[Any, list[Any]]:
    """Return the body node and the roots to read paragraphs from."""
    if not candidates:
        return None, []
    # Rank cheaply first; hints and ancestry are read only for the leaders.
    leaders = heapq.nlargest(
        _LEADERS, candidates, key=lambda f: f[SCORE] * (1.0 - f[TOTLINK] / (f[TOT] or 1))
    )
    memo: dict[Any, bool] = {}
    finals = {f[EL]: _final_score(f, title_order, memo) for f in leaders}
    best = max(leaders, key=lambda f: finals[f[EL]])
    best_el = best[EL]
    best_score = finals[best_el]
    if best_score <= 0:
        return None, []
    if hint_factor(best_el) < POSITIVE_FACTOR:
        # An unnamed container (<article>) wins on the sum of its children, a sign-up ask
        # and the standfirst included; a child the page names as the body
        # (class="article-body") that scores nearly as much is the body.
        for f in leaders:
            el = f[EL]
            if (
                el.getparent() is best_el
                and finals[el] >= best_score * _NAMED_CHILD_SHARE
                and hint_factor(el) >= POSITIVE_FACTOR
            ):
                best, best_el, best_score = f, el, finals[el]
                break
    parent = best_el.getparent()
    if parent is None or best_el.tag in ("body", "html"):
        return best_el, [best_el]
    roots = []
    named = hint_factor(best_el) >= POSITIVE_FACTOR
    threshold = max(best_score * _SIBLING_SHARE, _SIBLING_MIN)
    # No hint lifts a score by more than POSITIVE_FACTOR: weaker frames cannot join.
    floor = threshold / POSITIVE_FACTOR
    by_el = {f[EL]: f for f in candidates if f[SCORE] >= floor}
    for sibling in parent:
        if sibling is best_el:
            roots.append(sibling)
            continue
        frame = by_el.get(sibling)
        if frame is not None:
            s = finals.get(sibling)
            if s is None:
                s = _final_score(frame, title_order, memo)
            # Parts of one article look alike (<div class="part"> twice); a different
            # block (comments, a site blurb) must nearly match the winner to join.
            # When the page names its body (class="content", itemprop="articleBody"),
            # an unlike sibling must be named so too.
            if s >= threshold and (
                (sibling.tag == best_el.tag and sibling.get("class") == best_el.get("class"))
                or (
                    s >= best_score * _SIBLING_UNLIKE_SHARE
                    and (not named or hint_factor(sibling) >= POSITIVE_FACTOR)
                )
            ):
                roots.append(sibling)
                continue
        if sibling.tag in PARAGRAPH_TAGS and _is_prose(sibling):
            # A stray <p> beside the container: keep it.
            roots.append(sibling)
    if len(roots) == 1:
        return best_el, roots
    return parent, roots


def _is_prose(el: Any) -> bool:
    """Return True if *el* reads as a paragraph of prose (long, punctuated, few links)."""
    text = text_content(el)
    n = len(text.strip())
    if n < 60:
        return False
    link = sum(len(text_content(a)) for a in el.iter("a"))
    return link < n * 0.25 and len(P.PUNCT.findall(text)) >= 2

