"""The fixture-site mock server: headers, bytes, counters, overlays, request log, errors."""

from __future__ import annotations

import gzip
import html as _html
import json
import re
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from tests.mockserver import (
    SITES_DIR,
    Site,
    base_urls,
    query_file_name,
    serve_sites,
    site_names,
    url_path_of_file,
)

DEDE = SITES_DIR / "dedecms"


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, method=method)

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


@pytest.fixture
def tiny_sites(tmp_path: Path):
    """Three one-page sites written in the test, one per counter kind, served in-process."""
    for kind, ctype in [("dedecms", "text/html; charset=gbk"), ("empirecms", "text/html"),
                        ("phpcms", "text/html; charset=utf-8")]:
        root = tmp_path / kind
        (root / "www" / "news").mkdir(parents=True)
        (root / "www" / "news" / "index.html").write_bytes("<p>第一页</p>".encode("gbk"))
        (root / "www" / "news" / "index__page=2.html").write_bytes("<p>第二页</p>".encode("gbk"))
        (root / "www" / "list.php").write_bytes(b"<p>list 1</p>")
        (root / "www" / "list.php__catid=6__page=3.html").write_bytes(b"<p>list 3</p>")
        (root / "site.toml").write_text(
            f'name = "{kind}"\n'
            f'[[content_types]]\nmatch = "*.html"\ntype = "{ctype}"\n'
            f'[[content_types]]\nmatch = "*.php"\ntype = "text/html"\n'
            f'[counter]\nkind = "{kind}"\n[counter.values]\n"8" = 100\n',
            encoding="utf-8",
        )
    servers = serve_sites(["dedecms", "empirecms", "phpcms"], sites_dir=tmp_path)
    yield base_urls(servers)
    for server in servers.values():
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def dede():
    servers = serve_sites(["dedecms"])
    yield base_urls(servers)["dedecms"], servers["dedecms"].site
    servers["dedecms"].shutdown()
    servers["dedecms"].server_close()


def test_every_site_has_a_config_and_a_document_root():
    names = site_names()
    assert "dedecms" in names
    for name in names:
        assert (SITES_DIR / name / "www" / "robots.txt").is_file(), name
        assert (SITES_DIR / name / "expected.jsonl").is_file(), name


def test_gbk_page_is_served_byte_for_byte_with_its_charset_header(dede):
    url, _ = dede
    status, headers, body = _get(url + "a/xinwen/2021/1105/12.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=gbk"
    assert body == (DEDE / "www/a/xinwen/2021/1105/12.html").read_bytes()
    assert "桐溪县首批高标准农田建设项目通过验收".encode("gbk") in body


@pytest.mark.parametrize(
    ("path", "status", "ctype", "file"),
    [
        ("", 200, "text/html; charset=gbk", "www/index.html"),
        ("a/xinwen/", 200, "text/html; charset=gbk", "www/a/xinwen/index.html"),
        ("a/xinwen/list_1_2.html", 200, "text/html; charset=gbk", "www/a/xinwen/list_1_2.html"),
        ("a/xinwen/2021/1110/15.html?from=index", 200, "text/html; charset=gbk",
         "www/a/xinwen/2021/1110/15.html"),
        ("robots.txt", 200, "text/plain", "www/robots.txt"),
        ("a/xinwen/2021/1105/999.html", 404, "text/html; charset=utf-8", None),
    ],
    ids=["home", "directory-index", "listing-page-2", "tracking-query-ignored", "robots", "missing"],
)
def test_paths_map_to_files_with_their_content_type(dede, path, status, ctype, file):
    url, _ = dede
    got_status, headers, body = _get(url + path)
    assert (got_status, headers["Content-Type"]) == (status, ctype)
    if file is not None:
        assert body == (DEDE / file).read_bytes()


@pytest.mark.parametrize("path", ["/../site.toml", "/a/../../site.toml", "/%2e%2e/site.toml"])
def test_paths_outside_the_document_root_are_404(dede, path):
    import http.client

    url, _ = dede
    conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=10)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    assert resp.status == 404
    assert b"counter" not in body


def test_directory_without_slash_is_redirected(dede):
    url, _ = dede
    status, headers, _ = _get(url + "a/xinwen")
    assert status == 301
    assert headers["Location"] == "/a/xinwen/"


def test_head_sends_headers_without_body(dede):
    url, _ = dede
    status, headers, body = _get(url + "a/xinwen/", method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) == len((DEDE / "www/a/xinwen/index.html").read_bytes())


def test_request_log_lists_requests_but_not_control_endpoints(dede):
    url, site = dede
    site.reset()
    _get(url + "a/minsheng/?x=1")
    _get(url + "nope.html")
    _get(url + "_mock/requests")
    _, _, body = _get(url + "_mock/requests")
    assert json.loads(body) == [
        {"method": "GET", "path": "/a/minsheng/", "query": "x=1"},
        {"method": "GET", "path": "/nope.html", "query": ""},
    ]


@pytest.mark.parametrize(
    ("site", "query", "answers"),
    [
        ("dedecms", "/plus/count.php?view=yes&aid=8&mid=1",
         ["document.write('100');", "document.write('101');"]),
        ("dedecms", "/plus/count.php?aid=8&mid=1", ["", ""]),
        ("empirecms", "/e/public/ViewClick/?classid=2&id=8&addclick=1",
         ["document.write('100');", "document.write('101');"]),
        ("empirecms", "/e/public/ViewClick/?classid=2&id=8&addclick=0",
         ["document.write('100');", "document.write('100');"]),
        ("phpcms", "/api.php?op=count&id=8&modelid=1",
         ["$('#hits').html('100');", "$('#hits').html('101');"]),
    ],
    ids=["dede-view", "dede-no-view", "empire-addclick", "empire-no-addclick", "phpcms"],
)
def test_counter_endpoints_answer_like_the_cms(tiny_sites, site, query, answers):
    got = [_get(tiny_sites[site] + query.lstrip("/"))[2].decode() for _ in answers]
    assert got == answers


def test_counter_unknown_id_is_404(tiny_sites):
    assert _get(tiny_sites["dedecms"] + "plus/count.php?view=yes&aid=9999&mid=1")[0] == 404


def test_reset_restores_counters(tiny_sites):
    url = tiny_sites["phpcms"]
    _get(url + "api.php?op=count&id=8&modelid=1")
    urllib.request.urlopen(urllib.request.Request(url + "_mock/reset", data=b"", method="POST"))
    assert _get(url + "api.php?op=count&id=8&modelid=1")[2] == b"$('#hits').html('100');"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/list.php", "list.php__page=2.html"),
        ("/news/", "news/index__page=2.html"),
        ("/", "index__page=2.html"),
    ],
)
def test_query_file_name(path, expected):
    assert query_file_name(path, "page=2") == expected
    assert url_path_of_file(expected) == path + "?page=2"


@pytest.mark.parametrize(
    ("rel", "url"),
    [("a/xinwen/index.html", "/a/xinwen/"), ("index.html", "/"), ("a/1.html", "/a/1.html"),
     ("news/shownews.php__lang=cn__id=3.html", "/news/shownews.php?lang=cn&id=3"),
     ("index__news/77.html.html", "/?news/77.html"), ("index__list_12/__page=2.html", "/?list_12/&page=2")],
)
def test_url_path_of_file(rel, url):
    assert url_path_of_file(rel) == url


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("news/?page=2", "<p>第二页</p>".encode("gbk")),
        ("news/", "<p>第一页</p>".encode("gbk")),
        ("list.php", b"<p>list 1</p>"),
        ("list.php?catid=6&page=3", b"<p>list 3</p>"),
        ("list.php?catid=6&page=4", b"<p>list 1</p>"),
    ],
    ids=["dir-page-2", "dir-page-1", "php", "php-two-params", "unknown-query-falls-back"],
)
def test_query_pages_map_to_files(tiny_sites, path, body):
    status, headers, got = _get(tiny_sites["empirecms"] + path)
    assert (status, got) == (200, body)
    assert headers["Content-Type"] == "text/html"


@pytest.mark.parametrize(
    ("variant", "path", "file"),
    [
        ("grown", "a/xinwen/", "grown/a/xinwen/index.html"),
        ("grown", "a/xinwen/2021/1112/19.html", "grown/a/xinwen/2021/1112/19.html"),
        ("grown", "a/about/lianxi.html", "www/a/about/lianxi.html"),
        ("edited", "a/xinwen/2021/1103/9.html", "edited/a/xinwen/2021/1103/9.html"),
        ("edited", "a/xinwen/", "www/a/xinwen/index.html"),
        (None, "a/xinwen/2021/1103/9.html", "www/a/xinwen/2021/1103/9.html"),
    ],
    ids=["grown-listing", "grown-new-article", "grown-falls-back", "edited-article",
         "edited-falls-back", "base"],
)
def test_variant_overlays_replace_and_add_files(variant, path, file):
    servers = serve_sites(["dedecms"], variant)
    try:
        status, _, body = _get(base_urls(servers)["dedecms"] + path)
    finally:
        servers["dedecms"].shutdown()
        servers["dedecms"].server_close()
    assert status == 200
    assert body == (DEDE / file).read_bytes()


def test_grown_new_article_is_missing_from_base(dede):
    url, _ = dede
    assert _get(url + "a/xinwen/2021/1112/19.html")[0] == 404


def test_edited_variant_changes_the_counter():
    servers = serve_sites(["dedecms"], "edited")
    try:
        url = base_urls(servers)["dedecms"]
        changed = _get(url + "plus/count.php?view=yes&aid=6&mid=1")[2]
        same = _get(url + "plus/count.php?view=yes&aid=12&mid=1")[2]
    finally:
        servers["dedecms"].shutdown()
        servers["dedecms"].server_close()
    assert (changed, same) == (b"document.write('468');", b"document.write('177');")


def test_command_line_prints_urls_first_and_stops_on_sigterm():
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "mockserver.py"), "--sites", "dedecms"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        urls = json.loads(proc.stdout.readline())
        assert list(urls) == ["dedecms"]
        assert urls["dedecms"].startswith("http://127.0.0.1:")
        assert _get(urls["dedecms"] + "robots.txt")[0] == 200
    finally:
        proc.terminate()
        code = proc.wait(timeout=10)
        proc.stdout.close()
    assert code == 0


def test_command_line_rejects_an_unknown_site():
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "mockserver.py"), "--sites", "nosuch"],
        check=False, capture_output=True, text=True, timeout=30,
    )
    assert proc.returncode == 1
    assert "no fixture site 'nosuch'" in proc.stderr


def test_start_mock_fixture_serves_a_variant_and_logs(start_mock):
    server = start_mock(sites=["dedecms"], variant="grown")
    status, _, body = _get(server.url("dedecms", "/a/xinwen/2021/1111/17.html"))
    assert status == 200
    assert body == (DEDE / "grown/a/xinwen/2021/1111/17.html").read_bytes()
    assert server.requests("dedecms") == [
        {"method": "GET", "path": "/a/xinwen/2021/1111/17.html", "query": ""}
    ]


def test_mock_sites_fixture_serves_every_site(mock_sites):
    assert sorted(mock_sites.urls) == site_names()
    for name, url in mock_sites.urls.items():
        assert _get(url + "robots.txt")[0] == 200, name


# --- The fixture sites agree with their expected records ---------------------------------
# These guard the rendered bytes against slips in fixtures/build/: every expected value must be
# visible on the page it describes (or, for script-written counts, in the counter table).


def _site_records():
    for name in site_names():
        root = SITES_DIR / name
        for variant, fname in [(None, "expected.jsonl"), ("grown", "expected-grown.jsonl"),
                               ("edited", "expected-edited.jsonl")]:
            if (root / fname).is_file():
                for line in (root / fname).read_text(encoding="utf-8").splitlines():
                    rec = json.loads(line)
                    yield pytest.param(name, variant, rec, id=f"{name}-{variant or 'www'}-{rec['path']}")


_TAG = re.compile(r"<[^>]+>")


def _page_text(site: Site, url_path: str, charset: str) -> str:
    parts = urlsplit(url_path)
    found = site.resolve(parts.path, parts.query)
    assert found is not None, f"no file serves {url_path}"
    data = found.read_bytes()
    if data[:2] == b"\x1f\x8b":  # a gzip sitemap that lists the article
        data = gzip.decompress(data)
    return _html.unescape(data.decode(charset))


def _views_forms(n: int) -> list[str]:
    forms = [str(n), f"{n:,}"]
    if n >= 10000:
        forms.append(f"{n / 10000:g}万")
    return forms


@pytest.mark.parametrize(("name", "variant", "rec"), list(_site_records()))
def test_expected_record_matches_its_page(name, variant, rec):
    root = SITES_DIR / name
    config = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    site = Site.load(root, variant)
    text = _page_text(site, rec["path"], config["charset"])
    assert f">{rec['title']}<" in text  # the whole text of the headline element
    for para in rec["paragraphs"]:
        assert f"{para}</p>" in text
    plain = _TAG.sub("", text)
    if rec["author"] is not None:
        assert re.search(r"(?:作者|记者|编辑)\s*[:：]?\s*" + re.escape(rec["author"]), plain)
    else:
        assert not re.search(r"(?:作者|记者|编辑)\s*[:：]\s*[\u4e00-\u9fff]", plain)
    if rec["source"] is not None:
        assert re.search(r"来源\s*[:：]\s*" + re.escape(rec["source"]), plain)
    else:
        assert "来源" not in plain
    if rec["section"] is not None:
        assert rec["section"] in plain
    pub = rec["published_at"]
    if pub is not None:
        y, m, d = pub[:4], pub[5:7], pub[8:10]
        assert any(form in text for form in (f"{y}-{m}-{d}", f"{y}/{m}/{d}", f"{y}.{m}.{d}",
                                             f"{y}年{m}月{d}日")), pub
        if len(pub) > 10:
            assert pub[11:16] in text
    if rec["view_count"] is not None:
        if site.counter_kind is not None:
            query = parse_qs(urlsplit(rec["path"]).query)  # dynamic URLs: ?...&id=128
            ident = query["id"][0] if "id" in query else rec["path"].rsplit("/", 1)[-1].split(".")[0]
            assert site.counter_start[ident] == rec["view_count"]
        else:
            assert any(form in text for form in _views_forms(rec["view_count"]))
    listing = _page_text(site, rec["listing_path"], config["charset"])
    assert rec["path"].rsplit("/", 1)[-1] in listing


@pytest.mark.parametrize("name", site_names())
def test_duplicates_name_pages_the_site_serves(name):
    root = SITES_DIR / name
    config = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    site = Site.load(root)
    lines = (root / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    paths = {json.loads(line)["path"] for line in lines}
    for dup in config.get("duplicates", []):
        assert dup["kind"] in {"url", "exact", "near"}
        assert dup["keep"] in paths
        parts = urlsplit(dup["drop"])
        assert site.resolve(parts.path, parts.query) is not None


@pytest.mark.parametrize(
    ("name", "variant", "files"),
    [(n, None, ("expected.jsonl",)) for n in site_names()]
    + [(n, "grown", ("expected.jsonl", "expected-grown.jsonl"))
       for n in site_names() if (SITES_DIR / n / "grown").is_dir()],
)
def test_every_article_page_has_an_expected_record(name, variant, files):
    root = SITES_DIR / name
    config = tomllib.loads((root / "site.toml").read_text(encoding="utf-8"))
    pattern = re.compile(config["article_path"])
    dirs = [root / "www"] + ([root / variant] if variant else [])
    served = {url_path_of_file(p.relative_to(d).as_posix()) for d in dirs for p in d.rglob("*")
              if p.is_file()}
    articles = {u for u in served if pattern.match(u)}
    recorded = {unquote(json.loads(line)["path"]) for f in files
                for line in (root / f).read_text(encoding="utf-8").splitlines()}
    assert articles == recorded
    assert len(articles) >= 10
