"""newsarchive.extract.cmsguess: each trace of the table on its sample, and the guess on the fixture sites."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.extract import cmsguess
from newsarchive.extract.cmsguess import MIN_SCORE, guess_cms
from newsarchive.extract.document import decode_html
from newsarchive.extract.patterns.cms import CMS_RULES, GENERATOR_META

SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"


@pytest.mark.parametrize("rule", CMS_RULES, ids=[f"{r.family}:{r.what}" for r in CMS_RULES])
def test_every_rule_finds_its_sample(rule):
    assert rule.pattern.search(rule.sample), rule.sample


@pytest.mark.parametrize("rule", CMS_RULES, ids=[f"{r.family}:{r.what}" for r in CMS_RULES])
def test_no_rule_of_another_family_claims_a_sample(rule):
    others = [r for r in CMS_RULES if r.family != rule.family and r.pattern.search(rule.sample)]
    assert others == []


# (text, what must not count for any family): traces other sites share.
NOT_A_TRACE = [
    '<a href="/e/77ed89c69891/">',  # 163.com's /e/<hash>/ paths are not EmpireCMS's /e/ scripts
    "<p>我们网站用 WordPress 5 改版了。</p>",  # the name in running text is no generator
    '<a href="/news/2021/1105/123.html">',
    '<a href="/bdxw/30.html">',
    '<a href="/?from=menu">',
]


@pytest.mark.parametrize("text", NOT_A_TRACE)
def test_shared_shapes_are_no_trace(text):
    assert [r.what for r in CMS_RULES if r.pattern.search(text)] == []


@pytest.mark.parametrize(
    ("meta", "generator"),
    [
        ('<meta name="generator" content="MetInfo V7.0.0" data-variable="x">', "MetInfo V7.0.0"),
        ('<meta content="MSHTML 6.00.6000.20973" name="GENERATOR">', "MSHTML 6.00.6000.20973"),
    ],
)
def test_generator_meta_in_either_attribute_order(meta, generator):
    match = GENERATOR_META.search(meta)
    assert match is not None and (match.group(1) or match.group(2)) == generator
    assert guess_cms([("http://x.cn/", meta)]).generator == generator


def test_each_rule_counts_once_and_evidence_names_the_page():
    page = '<script src="/plus/count.php?view=yes&aid=1"></script><script src="/plus/count.php?aid=2"></script>'
    guess = guess_cms([("http://x.cn/a/1.html", page), ("http://x.cn/a/2.html", page)])
    assert (guess.family, guess.score) == ("DedeCMS", 3)
    assert [(e.what, e.found, e.url) for e in guess.evidence] == [
        ("its /plus/ scripts", "/plus/count.php", "http://x.cn/a/1.html")
    ]


def test_one_shared_trace_names_no_family():
    guess = guess_cms([("http://x.cn/", '<link href="/statics/css/reset.css">')])
    assert guess.family is None
    assert guess.scores == (("PHPCMS", 1),)
    assert guess.score < MIN_SCORE


def test_the_url_of_a_page_read_counts_as_a_trace():
    guess = guess_cms([
        ("http://x.gov.cn/xwzx/202204/t20220417_2304511.html", "<p>正文</p>"),
        ("http://x.gov.cn/xwzx/", '<script>createPageHTML(3, 0, "index", "html");</script>'),
    ])
    assert guess.family == "TRS WCM"
    assert {e.url for e in guess.evidence} == {"http://x.gov.cn/xwzx/202204/t20220417_2304511.html", "http://x.gov.cn/xwzx/"}


def _site_pages(site: str) -> list[tuple[str, str]]:
    """The site's home page and listing pages (no articles): what a survey reads first."""
    www = SITES / site / "www"
    pages = []
    for path in sorted(www.rglob("*.htm*")):
        rel = "/" + path.relative_to(www).as_posix()
        if path.name.startswith(("index", "list", "node_")) or rel == "/index.html":
            text, _ = decode_html(path.read_bytes(), None)
            pages.append(("http://127.0.0.1" + rel, text))
    return pages


# The fixture sites' families, by their site.toml's cms line; the sites on no CMS are None.
FAMILIES = {
    "aspnews": None,
    "cardfeed": None,
    "company": "PbootCMS",
    "dedecms": "DedeCMS",
    "empirecms": "EmpireCMS",
    "gov": "TRS WCM",
    "hanweb": "Hanweb",
    "metinfo": "MetInfo",
    "pbootcms": "PbootCMS",
    "phpcms": "PHPCMS",
    "phpdyn": "PHPCMS",
    "portal": "Founder",
    "shortlast": None,
    "wpblog": "WordPress",
    "wpnews": "WordPress",
}


def test_every_fixture_site_has_an_expected_family():
    assert sorted(FAMILIES) == sorted(p.parent.name for p in SITES.glob("*/site.toml"))


@pytest.mark.parametrize(("site", "family"), sorted(FAMILIES.items()))
def test_fixture_sites_family(site, family):
    guess = guess_cms(_site_pages(site))
    assert guess.family == family, guess.scores
    if family is not None:
        assert guess.evidence and all(e.family == family for e in guess.evidence)


def test_all_lists_the_classes_and_functions_the_module_defines():
    defined = {
        name for name, value in vars(cmsguess).items()
        if not name.startswith("_") and getattr(value, "__module__", None) == cmsguess.__name__
    }
    assert sorted(cmsguess.__all__) == sorted(defined)
