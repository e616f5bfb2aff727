"""``newsarchive stats --chart``: articles per day per site and fill rates as PNG, SVG or HTML."""

from __future__ import annotations

import dataclasses
import zlib
from collections import Counter

import lxml.etree
import lxml.html
import pytest

from newsarchive.archive import SqliteArchive, finish_article, load_records
from newsarchive.archive.chart import chart_data, cjk_font, write_chart
from newsarchive.cli import main
from newsarchive.items import Article

pytest.importorskip("matplotlib")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_text(data: bytes) -> dict[str, str]:
    """Return the tEXt/zTXt/iTXt chunks of the PNG *data* as {keyword: text}."""
    assert data.startswith(PNG_SIGNATURE)
    found, at = {}, len(PNG_SIGNATURE)
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _translated, _, value = rest.partition(b"\0")
            found[key.decode("latin-1")] = (zlib.decompress(value) if compressed else value).decode("utf-8")
        at += 12 + length
    return found


def _sites(archive) -> list[str]:
    return sorted({r["site"] for r in load_records(archive)})


def test_png_is_a_valid_image_naming_every_site(crawled_archive, tmp_path, capsys):
    out = tmp_path / "chart.png"
    assert main(["stats", str(crawled_archive), "--chart", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and data.rstrip().endswith(b"IEND\xaeB`\x82")
    series = _png_text(data)["Description"]
    for site in _sites(crawled_archive):
        assert site in series
    assert '"articles"' in capsys.readouterr().out  # the summary is still printed


def test_svg_holds_the_series_names_and_field_names_as_text(crawled_archive, tmp_path):
    out = tmp_path / "chart.svg"
    assert main(["stats", str(crawled_archive), "--chart", str(out)]) == 0
    svg = lxml.etree.parse(str(out))
    assert svg.getroot().tag == "{http://www.w3.org/2000/svg}svg"
    texts = " ".join(t.strip() for t in svg.getroot().itertext())
    records = load_records(crawled_archive)
    for site, count in Counter(r["site"] for r in records).items():
        assert f"{site} ({count})" in texts  # the day panel's legend: site (articles)
    for name in ("published_at", "author", "view_count", "section"):
        assert name in texts


def test_html_embeds_the_svg_and_the_figures_as_tables(crawled_archive, tmp_path):
    out = tmp_path / "chart.html"
    assert main(["stats", str(crawled_archive), "--chart", str(out)]) == 0
    page = lxml.html.parse(str(out)).getroot()
    assert page.xpath("//svg") or page.xpath("//*[local-name()='svg']")
    first_cells = page.xpath("//table[1]//tr/td[1]/text()")
    assert sorted(first_cells) == _sites(crawled_archive)


def test_fill_rates_are_the_share_of_each_sites_articles_with_the_field(crawled_archive):
    records = load_records(crawled_archive)
    data = chart_data(crawled_archive)
    for site in _sites(crawled_archive):
        mine = [r for r in records if r["site"] == site]
        with_author = sum(1 for r in mine if r["author"])
        assert data.fill[site]["author"] == round(100.0 * with_author / len(mine), 1)
        assert sum(data.per_day[site].values()) == sum(1 for r in mine if r["published_at"])


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.pdf"])
def test_an_unknown_suffix_is_a_usage_error(crawled_archive, tmp_path, capsys, name):
    assert main(["stats", str(crawled_archive), "--chart", str(tmp_path / name)]) == 2
    assert "name it *.png, *.svg or *.html" in capsys.readouterr().err
    assert not (tmp_path / name).exists()


def test_a_chinese_site_name_is_drawn_or_replaced_by_its_host(tmp_path):
    # filterwarnings=error: a label drawn without a CJK font ("Glyph missing") fails here.
    path = tmp_path / "news.sqlite"
    with SqliteArchive(path) as archive:
        for n in range(3):
            url = f"http://www.tlnews.example.cn/{n}.html"
            article = Article(url=url, canonical_url=url, site="通辽新闻网", title=f"新闻{n}",
                              paragraphs=("正文。",), published_at=f"2024-05-0{n + 1}")
            archive.add(finish_article(dataclasses.replace(article), fetched_at="2024-05-09T00:00:00+00:00"))
    data = write_chart(path, tmp_path / "chart.png")
    expected = "通辽新闻网" if cjk_font() else "www.tlnews.example.cn"
    assert list(data.per_day) == [expected]
    assert expected in _png_text((tmp_path / "chart.png").read_bytes())["Description"]
