"""SeenSet and DigestDupeFilter: a crawl's seen URLs and requests in 8-byte digests."""

from __future__ import annotations

import pickle

import pytest
from newsarchive.middlewares.dupefilter import DigestDupeFilter
from newsarchive.spiders.news import NewsSpider
from scrapy import Request
from scrapy.utils.test import get_crawler

from newsarchive import _native, _pure, settings
from newsarchive import seen as seen_module
from newsarchive.seen import SeenSet, digest64

URLS = [f"http://www.example.gov.cn/xwzx/2021/1105/{n}.html" for n in range(2000)]


@pytest.fixture(params=["compiled", "pure"])
def implementation(request, monkeypatch):
    if request.param == "pure":
        monkeypatch.setattr(seen_module, "U64Set", _pure.U64Set)
    elif _native.compiled is None:
        pytest.skip("the compiled speedups are not built")
    return request.param


def test_seen_set_keeps_what_was_added(implementation):
    seen = SeenSet()
    assert all(seen.add(u) for u in URLS)
    assert not seen.add(URLS[7])
    assert len(seen) == len(URLS)
    assert all(u in seen for u in URLS)
    assert URLS[0] + "?x" not in seen
    assert "通辽新闻".encode() not in seen
    assert seen.add("通辽新闻".encode())
    assert "通辽新闻".encode() in seen


def test_seen_set_pickles_as_its_digests_for_either_implementation(implementation, monkeypatch):
    seen = SeenSet(URLS)
    data = pickle.dumps(seen)
    assert len(data) < 16 * len(URLS) + 200  # 8 bytes a URL, not the URLs
    # A JOBDIR written with the compiled module is read without it, and back.
    if implementation == "pure" and _native.compiled is None:
        pytest.skip("the compiled speedups are not built")
    other = _pure if implementation == "compiled" else _native.compiled
    monkeypatch.setattr(seen_module, "U64Set", other.U64Set)
    back = pickle.loads(data)
    assert len(back) == len(URLS)
    assert all(u in back for u in URLS)
    assert sorted(back.packed()[i : i + 8] for i in range(0, len(back.packed()), 8)) == sorted(
        seen.packed()[i : i + 8] for i in range(0, len(seen.packed()), 8)
    )


def test_digest64_is_the_same_in_every_process():
    # Pickled spider state and requests.seen are read by a later process: no per-process hash seed.
    assert digest64("http://example.com/a.html") == 0x4D993696A5433556
    assert digest64(b"http://example.com/a.html") == 0x4D993696A5433556


def _filter(jobdir=None):
    crawler = get_crawler(NewsSpider, {
        "JOBDIR": str(jobdir) if jobdir else None,
        "NEWSARCHIVE_RESUME": False,
        "NEWSARCHIVE_ARCHIVE": ":memory:",
        "REQUEST_FINGERPRINTER_CLASS": settings.REQUEST_FINGERPRINTER_CLASS,
    })
    return DigestDupeFilter.from_crawler(crawler)


def test_dupefilter_drops_the_same_canonical_url_twice(tmp_path):
    df = _filter()
    assert not df.request_seen(Request("http://www.example.com/a.html?utm_source=x"))
    # The crawl's fingerprinter reads the canonical URL: tracking parameters are not a new page.
    assert df.request_seen(Request("http://WWW.example.com/a.html"))
    assert not df.request_seen(Request("http://www.example.com/b.html"))
    df.close("finished")


def test_dupefilter_resumes_from_its_job_directory(tmp_path):
    df = _filter(tmp_path)
    for u in URLS[:50]:
        assert not df.request_seen(Request(u))
    df.close("shutdown")
    seen_file = tmp_path / "requests.seen"
    assert seen_file.stat().st_size < 100 + 8 * 50
    again = _filter(tmp_path)
    assert all(again.request_seen(Request(u)) for u in URLS[:50])
    assert not again.request_seen(Request(URLS[60]))
    again.close("finished")


def test_dupefilter_ignores_a_torn_last_record_and_a_file_in_another_format(tmp_path):
    df = _filter(tmp_path)
    df.request_seen(Request(URLS[0]))
    df.request_seen(Request(URLS[1]))
    df.close("shutdown")
    seen_file = tmp_path / "requests.seen"
    seen_file.write_bytes(seen_file.read_bytes()[:-3])  # a kill in the middle of a write
    again = _filter(tmp_path)
    assert again.request_seen(Request(URLS[0]))
    assert not again.request_seen(Request(URLS[1]))
    again.close("shutdown")
    seen_file.write_bytes(b"\x00\x14" + b"\xab" * 20)  # Scrapy's own format: start afresh
    fresh = _filter(tmp_path)
    assert not fresh.request_seen(Request(URLS[0]))
    fresh.close("finished")
