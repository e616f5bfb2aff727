"""Fingerprints: content_hash is exact, simhash keeps re-posts close and other articles far."""

from __future__ import annotations

import itertools
import re
import time

import pytest

from newsarchive.dedupe import content_hash, hamming, simhash
from tests.archive_samples import TEMPLATE_HEAD, TEMPLATE_TAIL, TEXTS

NEAR = 3  # the archive's near-duplicate threshold (bits)


def _edits() -> list[tuple[str, str, tuple[str, tuple[str, ...]]]]:
    """(slug, edit name, edited text) for every sample text."""
    out = []
    for slug, (title, paras) in TEXTS.items():
        middle = len(paras) // 2
        out += [
            (slug, "retitled", ("【转载】" + title + "（图）", paras)),
            (slug, "title-shortened", (title.split(" ")[0], paras)),
            (
                slug,
                "sentence-added",
                (title, paras[:middle] + ("记者从有关部门获悉，相关工作正在按计划有序推进，预计月底前全部完成。",) + paras[middle:]),
            ),
            (slug, "editor-line-added", (title, paras + ("（责任编辑：王小明）",))),
            (slug, "typo-fixed", (title, (paras[0].replace("，", "、", 1),) + paras[1:])),
            (slug, "paragraphs-merged", (title, ("".join(paras[:2]),) + paras[2:])),
        ]
    return out


@pytest.mark.parametrize(
    ("slug", "edit", "edited"), _edits(), ids=[f"{s}-{e}" for s, e, _ in _edits()]
)
def test_repost_stays_within_three_bits(slug, edit, edited):
    original = simhash(*TEXTS[slug])
    assert hamming(original, simhash(*edited)) <= NEAR


PAIRS = list(itertools.combinations(TEXTS, 2))


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_different_articles_are_far_apart(a, b):
    assert hamming(simhash(*TEXTS[a]), simhash(*TEXTS[b])) >= 16


@pytest.mark.parametrize(("a", "b"), PAIRS, ids=[f"{a}-{b}" for a, b in PAIRS])
def test_different_articles_on_one_template_are_far_apart(a, b):
    # Same site, same boilerplate around the body: the shared template must not pull
    # different articles together.
    def templated(slug):
        title, paras = TEXTS[slug]
        return simhash(title, TEMPLATE_HEAD + paras + TEMPLATE_TAIL)

    assert hamming(templated(a), templated(b)) >= 12


def test_simhash_format_and_determinism():
    title, paras = TEXTS["harvest"]
    value = simhash(title, paras)
    assert re.fullmatch(r"[0-9a-f]{16}", value)
    assert simhash(title, list(paras)) == value
    # White space and paragraph breaks are not features.
    assert simhash(title, ["".join(paras)]) == value
    assert simhash(title + "  ", [p + "\u3000" for p in paras]) == value


@pytest.mark.parametrize(
    ("title", "paragraphs"),
    [("", []), ("a", []), ("ab", []), ("标题", ["😀表情"]), ("x", ["𠀀𠀁𠀂 in the supplementary plane"])],
    ids=["empty", "one-char", "two-chars", "emoji", "non-bmp"],
)
def test_simhash_handles_short_and_unusual_text(title, paragraphs):
    value = simhash(title, paragraphs)
    assert re.fullmatch(r"[0-9a-f]{16}", value)
    if not title and not paragraphs:
        assert value == "0" * 16


def test_short_different_texts_are_not_near():
    # Short texts fill few bins; densification must not make them look alike.
    assert hamming(simhash("通知", ["明天停水"]), simhash("公告", ["今晚停电"])) > NEAR


def test_content_hash_is_exact():
    title, paras = TEXTS["school"]
    assert content_hash(title, paras) == content_hash(title, list(paras))
    assert len(content_hash(title, paras)) == 64
    assert content_hash(title, paras) != content_hash(title, paras[:-1])
    assert content_hash(title, paras) != content_hash(title + "。", paras)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("0" * 16, "0" * 16, 0), ("0" * 16, "f" * 16, 64), ("0" * 15 + "7", "0" * 16, 3)],
    ids=["same", "all", "three"],
)
def test_hamming(a, b, expected):
    assert hamming(a, b) == expected


def test_simhash_is_fast():
    # It runs once per article in the pipeline: a 3,000-character article must
    # take well under a millisecond (generous bound for a loaded CI machine).
    title, _ = TEXTS["festival"]
    body = "".join(p for _, paras in TEXTS.values() for p in paras)[:3000]
    paragraphs = [body[i : i + 150] for i in range(0, 3000, 150)]
    simhash(title, paragraphs)
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(20):
            simhash(title, paragraphs)
        best = min(best, (time.perf_counter() - start) / 20)
    assert best < 0.004
