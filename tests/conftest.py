"""Shared pytest fixtures and options."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite fixtures' expected records from the extractor's output (review the diff!)",
    )


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES
