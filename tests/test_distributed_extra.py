"""Without the [distributed] extra, crawl --redis and archive-worker say in one line what to install."""

from __future__ import annotations

import sys

import pytest

from newsarchive.cli import main


@pytest.mark.parametrize(
    "argv",
    [
        ["crawl", "http://127.0.0.1:9/", "--redis", "redis://127.0.0.1:9/0"],
        ["archive-worker", "--redis", "redis://127.0.0.1:9/0", "-o", "county.sqlite"],
    ],
    ids=["crawl-redis", "archive-worker"],
)
@pytest.mark.parametrize("hidden", [("scrapy_redis",), ("redis", "scrapy_redis")], ids=["no-scrapy-redis", "neither"])
def test_a_missing_distributed_extra_is_one_line_naming_the_install(argv, hidden, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)
    for name in hidden:
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "pip install 'newsarchive[distributed]'" in lines[0]
    assert " and ".join(hidden) in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "county.sqlite").exists()
