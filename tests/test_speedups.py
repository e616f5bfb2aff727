"""The compiled speedups give exactly what their pure-Python twins (newsarchive._pure) give.

Each compiled function runs beside its Python twin on every fixture page, on
hand-written edge cases and on random trees, and every value is compared:
scores as floats bit for bit, elements by identity.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive import _native, _pure, _walkspec, dedupe, normalize
from newsarchive.extract.body import lines as body_lines
from newsarchive.extract.body import scan as body_scan
from newsarchive.extract.document import parse_document

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PAGES = sorted(FIXTURES.rglob("*.html"))
speedups = _native.compiled

needs_speedups = pytest.mark.skipif(speedups is None, reason="NEWSARCHIVE_PURE_PYTHON is set")


def test_the_compiled_module_is_built():
    # `make test` installs the project with its [build-system] requires, which compiles
    # newsarchive/_speedups.pyx; a missing module means every crawl runs ~2x slower.
    if os.environ.get("NEWSARCHIVE_PURE_PYTHON", "").strip() not in ("", "0"):
        pytest.skip("NEWSARCHIVE_PURE_PYTHON is set")
    assert speedups is not None, "newsarchive._speedups is not built: run `pip install -e .` with a C compiler"


def test_native_exposes_one_set_of_twins():
    twins = ("Pieces", "U64Set", "collect_lines", "find_all", "minhash_bits", "normalize_chars", "scan_blocks", "text_content")
    chosen = speedups if speedups is not None else _pure
    for name in twins:
        assert getattr(_native, name) is getattr(chosen, name), name


def test_pure_python_forces_the_python_twins():
    code = "from newsarchive import _native, _pure; print(_native.compiled is None, _native.scan_blocks is _pure.scan_blocks)"
    env = {**os.environ, "NEWSARCHIVE_PURE_PYTHON": "1"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "True"]


def _frame_values(frame):
    # The parent link is the Python walk's stack; the compiled walk keeps its own.
    assert len(frame) == len(_walkspec.FRAME_FIELDS)
    return [repr(v) if i == _walkspec.SCORE else v for i, v in enumerate(frame) if i != _walkspec.UP]


def _assert_same_scan(roots, bound=body_scan.TITLE_BOUND):
    py_candidates, py_title_frames, page = _pure.scan_blocks(roots, bound)
    assert speedups is not None
    candidates, title_frames, pieces = speedups.scan_blocks(roots, bound)
    assert pieces.texts == page.texts
    assert len(pieces) == len(page)
    assert pieces.starts() == page.starts()
    for i in range(len(pieces)):
        assert pieces.element(i) is page.element(i)
        assert pieces.is_tail(i) == page.is_tail(i)
        assert pieces.owner(i) is page.owner(i)
    for root in roots:
        for el in root.iter():
            assert pieces.index_of(el) == page.index_of(el), el
            assert pieces.index_after(el) == page.index_after(el), el
    for tags in [("title",), ("meta",), ("script",), ("link",), ("time",), ("h1", "h2", "h3", "h4", "h5", "h6")]:
        listed = pieces.tagged(tags)
        walked = page.tagged(tags)
        assert len(listed) == len(walked) == len(list(roots[0].iter(*tags)))
        assert all(a is b for a, b in zip(listed, walked)), tags
    assert [_frame_values(f) for f in candidates] == [_frame_values(f) for f in py_candidates]
    assert [_frame_values(f) for f in title_frames] == [_frame_values(f) for f in py_title_frames]
    # The same frame object sits in both lists, as in the Python walk.
    shared_py = sum(1 for f in py_title_frames if any(f is c for c in py_candidates))
    shared = sum(1 for f in title_frames if any(f is c for c in candidates))
    assert shared == shared_py


def _roots(tree):
    return [tree, *(el for el in tree.itersiblings() if isinstance(el.tag, str))]


@needs_speedups
@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_scan_blocks_equals_the_python_walk_on_fixture_pages(path: Path):
    doc = parse_document(path.read_bytes(), "http://example.com/" + path.name)
    _assert_same_scan(_roots(doc.tree))


EDGE_CASES = {
    "comments-kept": "<html><body><!-- a -->x<div>甲乙丙丁，戊己。<!-- b -->尾</div><?pi x?>z</body></html>",
    "nested-html": "<html><body><p>一，二。三</p></body></html><html><body><p>四五六七八九十，。</p></body></html>",
    "hidden-and-shown": (
        "<html><head><title>题</title><meta name=a>头尾</head><body><noscript><img>文<p>藏，</p>"
        "</noscript>后<script>var a = '，。';</script>脚<select><option>选</option></select>"
        "<svg><text>图中字</text></svg>尾巴<iframe>框</iframe></body></html>"
    ),
    "blank-texts": (
        "<html><body><div>\u3000\u00a0 </div><p>\x1c\x1d </p><p>\u2028</p><p> \u200b </p>"
        "<div>  <span>\t</span>\n</div></body></html>"
    ),
    "links-and-breaks": (
        "<html><body><div>第一段，很长很长的文字。<br>第二段、又一段. 这里<a href=x>链接文字很长很长很长</a>"
        "尾巴，。<hr>再来</div><td>格子一<br/>格子二</td></body></html>"
    ),
    "wrappers": (
        "<html><body><section><section><p>" + "甲乙丙丁，" * 30 + "</p></section></section>"
        "<div><div><p>短</p></div><p>" + "长文字，" * 40 + "</p></div></body></html>"
    ),
    "namespaced-tags": "<html><body><o:p>办公，室</o:p><p>正文<o:p></o:p>内容，。</p></body></html>",
    "entities": "<html><body><p>&nbsp;&amp;&lt;中文&#12288;文字，。&copy;</p></body></html>",
    "empty": "<html></html>",
    "tags-everywhere": (
        "<html><head><title>一</title><meta name=a content=b><script>x</script><link rel=c></head>"
        "<body><h2>标题</h2><noscript><h1>藏</h1><meta name=d></noscript><p><time>2021</time>"
        "<script>y</script></p><svg><title>图</title></svg></body></html><html><h1>第二个</h1></html>"
    ),
    "tail-after-html": "<html><body><p>正文。</p></body></html>尾",
}


@needs_speedups
@pytest.mark.parametrize("html", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_scan_blocks_equals_the_python_walk_on_edge_cases(html):
    _assert_same_scan(_roots(parse_document(html, "http://example.com/").tree))
    # lxml.html's own parser keeps comments and processing instructions.
    _assert_same_scan(_roots(lxml.html.document_fromstring(html)))


_TAGS = st.sampled_from(
    ["p", "div", "span", "a", "br", "td", "tr", "table", "li", "ul", "h1", "h3", "script", "style", "title",
     "meta", "link", "time",
     "noscript", "font", "b", "section", "article", "select", "option", "iframe", "hr", "body"]
)
_TEXTS = st.lists(
    st.sampled_from(["", " ", "\n  ", "\u3000", "\u00a0", "中文", "，", "。", "、", ",", ". ", "x", "甲乙丙丁戊己庚辛壬癸", "<", "&amp;"]),
    max_size=6,
).map("".join)


@st.composite
def _html(draw, depth=0):
    parts = [draw(_TEXTS)]
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        tag = draw(_TAGS)
        parts.append(f"<{tag}>{draw(_html(depth + 1))}</{tag}>{draw(_TEXTS)}")
    if draw(st.booleans()):
        parts.append("<!--c-->")
    return "".join(parts)


@needs_speedups
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html(), st.integers(0, 60))
def test_scan_blocks_equals_the_python_walk_on_random_trees(fragment, bound):
    html = f"<html><body>{fragment}</body></html>"
    _assert_same_scan(_roots(parse_document(html, "http://example.com/").tree), bound)
    _assert_same_scan(_roots(lxml.html.document_fromstring(html)), bound)


def _minhash_both(text):
    assert speedups is not None
    utf16 = text.encode("utf-16-le")
    native = speedups.minhash_bits(utf16, dedupe._MIX, dedupe._BIT, dedupe._EMPTY_BIN)
    return native, _pure.minhash_bits(utf16, dedupe._MIX, dedupe._BIT, dedupe._EMPTY_BIN)


@needs_speedups
@pytest.mark.parametrize("path", PAGES[::7], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_minhash_bits_equals_the_python_sketch_on_page_texts(path: Path):
    # Long texts (over 1,024 and 2,048 grams) take the Python code's sampled path.
    text = "".join(parse_document(path.read_bytes(), "http://example.com/").text.split())
    native, py = _minhash_both(text)
    assert native == py


@needs_speedups
@settings(max_examples=300, deadline=None)
@given(st.text(min_size=3, max_size=3000))
def test_minhash_bits_equals_the_python_sketch_on_random_text(text):
    # Any code point: astral characters are two UTF-16 units, as in the Python code.
    native, py = _minhash_both(text)
    assert native == py


_CHARS = st.sampled_from(
    list(" \t\n\r\f\v\x00\x01\x1c\x1f\x85\u00a0\u00ad\u1680\u2000\u200a\u200b\u200d\u2028\u2029"
         "\u202f\u205f\u2060\u3000\ufeff\uff10\uff19\uff21\uff3a\uff41\uff5a\uff1a\uff0c")
    + ["a", "中", "，", "&", "\U0001F600", "  "]
)


@needs_speedups
@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_CHARS, max_size=40).map("".join)))
def test_normalize_chars_equals_the_python_normaliser(text):
    assert speedups is not None
    assert speedups.normalize_chars(text) == _pure.normalize_chars(text)


@pytest.mark.parametrize("twins", ["compiled", "pure"])
def test_normalize_chars_on_samples(twins):
    assert normalize.normalize_text("x") == "x"  # normalize.py handed over its table
    if twins == "compiled" and speedups is None:
        pytest.skip("NEWSARCHIVE_PURE_PYTHON is set")
    chars = (speedups if twins == "compiled" else _pure).normalize_chars
    assert chars("\u3000\u3000２０２１年ＡＢＣ\u00a0新闻 ") == "2021年ABC 新闻"
    assert chars("a \u200b b\x85") == "a b"
    text = "已经规范的文字。"
    assert chars(text) is text


@needs_speedups
@pytest.mark.parametrize("path", PAGES[::3], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_text_content_equals_lxml_on_every_element(path: Path):
    assert speedups is not None
    tree = parse_document(path.read_bytes(), "http://example.com/").tree
    for el in tree.iter():
        assert speedups.text_content(el) == el.text_content()


@needs_speedups
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html())
def test_text_content_equals_lxml_on_random_trees(fragment):
    assert speedups is not None
    tree = lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>")
    for el in tree.iter(lxml.etree.Element):  # elements only: lxml refuses a comment too
        assert speedups.text_content(el) == el.text_content()


@needs_speedups
@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["阅", "读", "量", "浏", "览", "i", "e", "w", "a", " ", "：", "\U0001F600", "x"]), max_size=80).map("".join),
    st.lists(st.lists(st.sampled_from(["阅", "读", "量", "浏", "览", "i", "e", "w", "a", "\U0001F600"]), min_size=1, max_size=3).map("".join), min_size=2, max_size=6).map(tuple),
    st.integers(-2, 90),
)
def test_find_all_equals_the_alternation_regex(text, needles, start):
    assert speedups is not None
    assert speedups.find_all(text, needles, start) == _pure.find_all(text, needles, start)


def _assert_same_lines(roots, title_node=None):
    assert speedups is not None
    native = speedups.collect_lines(roots, title_node, body_lines._skip_kind, body_lines._holds_most_of)
    assert native == _pure.collect_lines(roots, title_node, body_lines._skip_kind, body_lines._holds_most_of)


@needs_speedups
@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_collect_lines_equals_the_python_walk_on_fixture_pages(path: Path):
    doc = parse_document(path.read_bytes(), "http://example.com/" + path.name)
    tree = doc.tree
    # The whole page, and each block that holds text, with and without a headline inside.
    _assert_same_lines(_roots(tree))
    headings = list(tree.iter("h1", "h2"))
    for el in tree.iter("div", "td", "article", "section", "body"):
        _assert_same_lines([el])
        _assert_same_lines([el], headings[0] if headings else None)
    _assert_same_lines(list(tree.iter("p"))[:20])


@needs_speedups
@pytest.mark.parametrize("html", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_collect_lines_equals_the_python_walk_on_edge_cases(html):
    for tree in (parse_document(html, "http://example.com/").tree, lxml.html.document_fromstring(html)):
        _assert_same_lines(_roots(tree))
        for el in tree.iter("div", "p", "td", "body"):
            _assert_same_lines([el], el)


@needs_speedups
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_html(), st.sampled_from(["", ' class="share"', ' style="display:none"', ' class="content"', " hidden"]))
def test_collect_lines_equals_the_python_walk_on_random_trees(fragment, attrs):
    html = f"<html><body><div{attrs}>{fragment}</div><div>{fragment}</div></body></html>"
    for tree in (parse_document(html, "http://example.com/").tree, lxml.html.document_fromstring(html)):
        _assert_same_lines(_roots(tree))
        h1 = next(tree.iter("h1"), None)
        for el in tree.iter("div", "body"):
            _assert_same_lines([el], h1)
