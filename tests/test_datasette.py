"""``newsarchive datasette``: the real Datasette serving a crawled archive on 127.0.0.1, read over HTTP."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

import pytest

from newsarchive.archive import load_records
from newsarchive.cli import main

pytest.importorskip("datasette")

START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(base: str, path: str) -> str:
    with urllib.request.urlopen(base + urllib.parse.quote(path, safe="/?=&_.:%"), timeout=20) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(crawled_archive, tmp_path_factory):
    """The base URL of ``newsarchive datasette`` serving the crawled archive; stopped at the end."""
    port = _free_port()
    log = tmp_path_factory.mktemp("datasette") / "datasette.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "newsarchive", "datasette", "--port", str(port), str(crawled_archive),
             "--", "--setting", "default_page_size", "7"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                _get(base, "/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("datasette did not start:\n" + log.read_text("utf-8", "replace"))
                time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_index_lists_the_articles_and_hides_internal_tables(served):
    base, _ = served
    page = _get(base, "/news")
    assert "articles_view" in page and ">articles<" in page
    for internal in ("_migrations", "simhash_bands", "articles_fts"):
        assert internal not in page


def test_the_view_shows_paragraphs_as_text(served, crawled_archive):
    base, _ = served
    record = load_records(crawled_archive)[0]
    rows = json.loads(_get(base, "/news/articles_view.json?_shape=array&_size=max"))
    row = next(r for r in rows if r["canonical_url"] == record["canonical_url"])
    assert row["text"] == "\n".join(record["paragraphs"])
    assert row["published_date"] == record["published_date"] == (record["published_at"] or "")[:10]
    page = _get(base, "/news/articles_view?_size=max")
    assert record["title"] in page
    assert record["paragraphs"][0] in page
    assert "[&#34;" not in page and '["' not in page  # no JSON array text


def test_the_articles_table_shows_paragraphs_as_text_too(served, crawled_archive):
    base, _ = served
    record = load_records(crawled_archive)[0]
    page = _get(base, "/news/articles?_size=max")
    assert record["paragraphs"][0] in page
    assert "[&#34;" not in page and "[&quot;" not in page


def test_facets_count_articles_per_site_and_day(served, crawled_archive):
    base, _ = served
    records = load_records(crawled_archive)
    data = json.loads(_get(base, "/news/articles_view.json?_size=0"))
    facets = data["facet_results"]
    facets = facets.get("results", facets)  # Datasette 1.0 nests them
    by_site = {f["value"]: f["count"] for f in facets["site"]["results"]}
    assert by_site == dict(Counter(r["site"] for r in records))
    by_day = {f["value"]: f["count"] for f in facets["published_date"]["results"]}
    days = Counter(r["published_date"] for r in records if r["published_date"])
    assert by_day == dict(days.most_common(len(by_day)))
    assert "section" in facets


@pytest.mark.parametrize("word", ["公交", "市"])
def test_the_search_query_finds_short_chinese_words(served, crawled_archive, word):
    base, _ = served
    rows = json.loads(_get(base, f"/news/search.json?q={word}&_shape=array"))
    expected = {
        r["canonical_url"] for r in load_records(crawled_archive)
        if word in "\n".join([r["title"], *r["paragraphs"], r["author"] or "", r["source"] or ""])
    }
    assert 0 < len(expected) < 100  # the query's limit
    assert {r["canonical_url"] for r in rows} == expected
    assert all(f"[{word}]" in r["snippet"] for r in rows)
    page = _get(base, f"/news/search?q={word}")
    assert rows[0]["title"] in page


def test_the_json_api_gives_every_article(served, crawled_archive):
    base, _ = served
    rows = json.loads(_get(base, "/news/articles.json?_shape=array&_size=max"))
    assert {r["canonical_url"] for r in rows} == {r["canonical_url"] for r in load_records(crawled_archive)}


def test_arguments_after_the_double_dash_reach_datasette(served):
    base, _ = served
    assert len(json.loads(_get(base, "/news/articles.json?_shape=array"))) == 7  # default_page_size


def test_sigterm_stops_the_server(served):
    base, proc = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) is not None
    with pytest.raises((urllib.error.URLError, ConnectionError)):
        _get(base, "/-/versions.json")


def test_a_jsonl_archive_is_refused(tmp_path, capsys):
    path = tmp_path / "news.jsonl"
    path.write_text("", encoding="utf-8")
    assert main(["datasette", str(path)]) == 1
    assert "Datasette reads SQLite" in capsys.readouterr().err
