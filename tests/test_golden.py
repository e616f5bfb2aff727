"""Golden tests: every fixture page's extracted record, field by field.

Cases come from ``fixtures/pages/*.json`` (one page each) and from every fixture
site's ``expected.jsonl`` (offline URL ``http://<site.toml host><path>``). A site
whose counter script writes the view count is answered from its site.toml
counter values, through the counter URL the extractor found.
A one-page fixture whose expected values are ``{"not_an_article": true}`` (a
listing, home or search page) must raise NotAnArticle.
``pytest --update-golden`` rewrites the expected values of fixtures/pages only.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache

import pytest

from newsarchive.errors import NotAnArticle
from newsarchive.extract import extract_article
from tests.golden import COMPARED, GoldenCase, counter_answer, golden_cases

CASES = golden_cases()
_BY_ID = {case.id: case for case in CASES}
_EXTRA = ("paragraphs_include", "paragraphs_exclude")


def _params() -> list[tuple[str, str]]:
    params = []
    for case in CASES:
        for field in (*COMPARED, *_EXTRA):
            if field in case.expected:
                params.append((case.id, field))
    return params


@cache
def _record(case_id: str) -> dict:
    case = _BY_ID[case_id]
    fetched = None
    if case.json_path is not None:
        data = json.loads(case.json_path.read_text(encoding="utf-8"))
        fetched = datetime.fromisoformat(data["fetched_at"]) if data.get("fetched_at") else None
    article = extract_article(
        case.html_path.read_bytes(),
        case.url,
        content_type=case.content_type,
        now=fetched or datetime(2025, 1, 1, 12, 0),
    )
    record = article.to_record()
    record["counter_url"] = article.counter_url
    if record["view_count"] is None and case.counters:
        record["view_count"] = counter_answer(article.counter_url, case.counters)
    return record


_REFUSED = [case.id for case in CASES if case.expected.get("not_an_article")]


@pytest.mark.parametrize("case_id", _REFUSED)
def test_golden_not_an_article(case_id: str) -> None:
    case = _BY_ID[case_id]
    with pytest.raises(NotAnArticle):
        extract_article(case.html_path.read_bytes(), case.url, content_type=case.content_type)


def _update(case: GoldenCase, field: str, value: object) -> None:
    assert case.json_path is not None
    data = json.loads(case.json_path.read_text(encoding="utf-8"))
    data["expected"][field] = value
    case.json_path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("case_id", "field"), _params(), ids=[f"{c}:{f}" for c, f in _params()])
def test_golden_field(case_id: str, field: str, request: pytest.FixtureRequest) -> None:
    case = _BY_ID[case_id]
    record = _record(case_id)
    expected = case.expected[field]
    if field == "paragraphs_include":
        text = "\n".join(record["paragraphs"])
        missing = [s for s in expected if s not in text]
        assert not missing, f"paragraphs lack {missing}"
        return
    if field == "paragraphs_exclude":
        text = "\n".join(record["paragraphs"])
        present = [s for s in expected if s in text]
        assert not present, f"paragraphs hold boilerplate {present}"
        return
    got = record[field]
    if field == "paragraphs":
        got = list(got)
    if got != expected and request.config.getoption("--update-golden") and case.json_path is not None:
        _update(case, field, got)
        pytest.skip(f"rewrote {case.json_path.name}: {field} = {got!r}")
    assert got == expected


def test_golden_cases_found() -> None:
    # Guards against a loader that silently finds nothing.
    assert any(c.id.startswith("pages/") for c in CASES)
    assert any(c.id.startswith("sites/") for c in CASES)
    assert _REFUSED
    assert all(c.html_path.is_file() for c in CASES), [c.id for c in CASES if not c.html_path.is_file()]
