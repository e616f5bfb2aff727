"""The raw pages kept: a crawl's WARC files, the records' pointers into them, rotation, and cut files."""

from __future__ import annotations

import gzip
import json

import pytest
import pytest_twisted

from newsarchive import statkeys
from newsarchive.archive import load_records
from newsarchive.warc import WarcWriter, resolve_warc_file, warc_dir_for
from newsarchive.warcread import check_warc, iter_responses, read_response
from tests.crawlkit import crawl_settings, run_crawl


def _exchange(writer, url, body=b"<html>page</html>", headers=(("Content-Type", "text/html"),)):
    return writer.write_exchange(
        url=url, method="GET", request_headers=[("User-Agent", "t")], status=200,
        protocol="HTTP/1.1", response_headers=list(headers), body=body,
    )


def test_a_record_is_read_back_at_its_pointer_with_its_headers(tmp_path):
    writer = WarcWriter(tmp_path, prefix="news")
    first = _exchange(writer, "http://x.cn/a.html", body="<p>通辽</p>".encode("gbk"),
                      headers=[("Content-Type", "text/html; charset=gbk")])
    second = _exchange(writer, "http://x.cn/b.html", body=b"<p>b</p>")
    writer.close()
    stored = read_response(tmp_path / first.file, first.offset)
    assert (stored.url, stored.status, stored.record_id) == ("http://x.cn/a.html", 200, first.record_id)
    assert stored.body.decode("gbk") == "<p>通辽</p>"
    assert stored.header("content-type") == "text/html; charset=gbk"
    assert read_response(tmp_path / second.file, second.offset).url == "http://x.cn/b.html"


def test_a_gzip_body_is_kept_as_sent_and_read_decoded(tmp_path):
    writer = WarcWriter(tmp_path, prefix="news")
    body = gzip.compress(b"<html>zipped</html>")
    pointer = _exchange(writer, "http://x.cn/z.html", body=body,
                        headers=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")])
    writer.close()
    raw = gzip.decompress((tmp_path / pointer.file).read_bytes())
    # The record holds the gzip bytes; chunking (undone by the downloader) is not claimed.
    assert body in raw and b"Transfer-Encoding" not in raw
    assert f"Content-Length: {len(body)}".encode() in raw
    assert read_response(tmp_path / pointer.file, pointer.offset).body == b"<html>zipped</html>"


def test_files_rotate_past_the_size_limit(tmp_path):
    writer = WarcWriter(tmp_path, prefix="news", max_size=3000)
    pointers = [_exchange(writer, f"http://x.cn/{i}.html", body=bytes(range(256)) * 4) for i in range(8)]
    writer.close()
    assert len(writer.files) > 1 and all(p.stat().st_size < 3000 + 2500 for p in writer.files)
    assert [read_response(tmp_path / p.file, p.offset).url for p in pointers] == [
        f"http://x.cn/{i}.html" for i in range(8)
    ]


def test_a_file_cut_mid_record_is_detected_and_the_records_before_it_are_read(tmp_path):
    writer = WarcWriter(tmp_path, prefix="news")
    pointers = [_exchange(writer, f"http://x.cn/{i}.html") for i in range(3)]
    writer.close()
    path = writer.files[0]
    whole = check_warc(path)
    assert whole.torn_at is None and whole.records == 7  # warcinfo + 3 x (response, request)
    path.write_bytes(path.read_bytes()[: pointers[2].offset + 40])
    cut = check_warc(path)
    assert cut.torn_at == pointers[2].offset and cut.records == 5
    assert [r.url for r in iter_responses(path)] == ["http://x.cn/0.html", "http://x.cn/1.html"]
    with pytest.raises(Exception, match="cut short"):
        read_response(path, pointers[2].offset)


@pytest.mark.parametrize("backend", ["sqlite", "jsonl"])
@pytest_twisted.ensureDeferred
async def test_every_article_points_at_its_response_record(backend, mock_sites, tmp_path):
    archive = tmp_path / f"news.{backend}"
    crawler = await run_crawl(
        crawl_settings(archive), start_urls=mock_sites.urls["empirecms"],
    )
    records = load_records(archive)
    assert records
    files = sorted(warc_dir_for(archive).glob("*.warc.gz"))
    assert len(files) == 1 and files[0].name.startswith("news-")
    for record in records:
        stored = read_response(resolve_warc_file(archive, record["warc_file"]), record["warc_offset"])
        assert stored.record_id == record["warc_record_id"]
        assert stored.url == record["url"] and stored.status == 200
    urls = [r.url for r in iter_responses(files[0])]
    # Listing pages, robots.txt and the view counters are kept too, not only articles.
    assert any("ViewClick" in url for url in urls)
    assert any(url.endswith("/robots.txt") for url in urls)
    assert len(urls) > len(records)
    stats = crawler.stats.get_stats()
    assert stats[statkeys.WARC_RECORDS] == len(urls)
    assert stats[statkeys.WARC_BYTES] == files[0].stat().st_size


@pytest_twisted.ensureDeferred
async def test_no_warc_when_switched_off(mock_sites, tmp_path):
    archive = tmp_path / "news.sqlite"
    await run_crawl(crawl_settings(archive, NEWSARCHIVE_WARC=False), start_urls=mock_sites.urls["empirecms"])
    assert not warc_dir_for(archive).exists()
    assert all(r["warc_file"] is None for r in load_records(archive))
    assert json.dumps(load_records(archive)[0], ensure_ascii=False)
