"""Find a listing's main article list and the date printed beside each of its links.

Links are grouped by their template path and the strongest group wins; Hanweb
jpage lists also give the records they keep in a <script type="text/xml">.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import lxml.html  # type: ignore[import-untyped]
from lxml import etree

from newsarchive.extract.anchors import (
    _absolute,
    _clean_text,
    _iter_tags,
    _Link,
    _scan,
    _select_by,
)
from newsarchive.extract.dates import parse_cn_datetime
from newsarchive.extract.document import Document, text_content
from newsarchive.extract.patterns.links import (
    ARTICLE_URL,
    DIR_PAGE_SUFFIX,
    HANWEB_RECORD,
    LINK_DATE_HINT,
    LINK_DATE_YEAR,
    LINK_MONTH_DAY,
    LINK_URL_DATE,
    PAGE_NUMBER_TEXT,
    PAGER_TEXT,
    SIDE_HEADING,
)
from newsarchive.extract.patterns.tags import HEADING_TAGS
from newsarchive.extract.urlkind import (
    PageKind,
    SiteHosts,
    is_root_url,
    site_hosts,
    url_kind,
)
from newsarchive.normalize import without_tracking

__all__ = ["ArticleLink", "find_article_links"]


# A card's parts that never hold its date: headlines, and counts (阅读 1.2万 reads as a date).
_NOT_DATE_PARTS = frozenset({*HEADING_TAGS, "strong", "script", "style", "img"})

#: Characters of a text beside a link that is only its date: "2024-03-28", "发布时间：2021-11-05 10:30".
_DATE_ALONE_MAX = 24
#: Title-like anchor text length (characters) of a listing's article links.
TITLE_MIN, TITLE_MAX = 6, 80
#: A link group is part of the main list when it has this many title-like links...
_GROUP_MIN = 3
#: ...and at least this share of the best group's score.
_GROUP_SHARE = 0.4
#: Score factor of a group whose links are headlines (in or around <h1>-<h6>).
_HEADLINE_BONUS = 1.2
#: Steps up from a link within which its list item (the block of that link alone) is looked for.
_ITEM_REACH = 4
#: Steps up from a list's link within which the pager must sit to mark the main list.
_PAGER_REACH = 6
#: Steps up from a list's link within which a heading before its box is looked for.
_HEADING_REACH = 6


@dataclass(frozen=True, slots=True)
class ArticleLink:
    """A link from a listing to an article: its *url*, anchor *text*, and the date printed beside it.

    *published* is the naive local datetime of that date (None when the listing
    prints none); *precision* is "day", "minute" or "second".
    """

    url: str
    text: str
    published: datetime | None = None
    precision: str | None = None


def _title_like(text: str) -> bool:
    return TITLE_MIN <= len(text) <= TITLE_MAX and not PAGE_NUMBER_TEXT.match(text)


def _plain_sibling(child: etree._Element, anchor: etree._Element) -> bool:
    """Return True for an element beside *anchor* that holds text and no link (<span>11-05</span>)."""
    return (
        child is not anchor
        and isinstance(child.tag, str)
        and child.tag not in ("script", "style", "a")
        and child.find(".//a") is None
    )


def _text_beside(container: etree._Element, anchor: etree._Element) -> str:
    """Return the text of *container* outside *anchor* and outside other links."""
    parts: list[str] = [container.text or ""]
    for child in container:
        if _plain_sibling(child, anchor):
            parts.append(text_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _segments_beside(container: etree._Element, anchor: etree._Element) -> Iterator[str]:
    """Yield the short texts beside *anchor*: its tail, then its siblings' text, then the rest.

    In a container holding other links too (a flat list: <a>..</a><span>11-05</span><br>
    <a>..</a><span>11-04</span>), only the siblings up to the neighbouring links count.
    """
    yield anchor.tail or ""
    if len(container.findall(".//a")) > 1:
        for sibling in anchor.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag == "a" or sibling.find(".//a") is not None:
                break
            if sibling.tag not in ("script", "style"):
                yield text_content(sibling)
            yield sibling.tail or ""
        for sibling in anchor.itersiblings(preceding=True):
            if not isinstance(sibling.tag, str):
                continue
            if sibling.tag == "a" or sibling.find(".//a") is not None:
                break
            if sibling.tag not in ("script", "style"):
                yield text_content(sibling)
        return
    for child in container:
        if _plain_sibling(child, anchor):
            yield text_content(child)
    yield _text_beside(container, anchor)


def _parse_listing_date(text: str, now: datetime) -> tuple[datetime, str, bool] | None:
    """Return (datetime, precision, has_year) of a date in *text*, or None."""
    if len(text) > 200 or not LINK_DATE_HINT.search(text):
        return None
    found = parse_cn_datetime(text, now=now)
    if found is None:
        return None
    return found[0], found[1], bool(LINK_DATE_YEAR.search(text)) or not LINK_MONTH_DAY.search(text)


def _date_in_url(url: str) -> tuple[datetime, bool] | None:
    """Return the date an article URL's path holds and whether it names the day, or None.

    "/2021/1105/12.html" and "t20211105_1.html" name a day; "/202111/" only a month,
    whose last day is returned (the latest the article can be from).
    """
    best: tuple[datetime, bool] | None = None
    for m in LINK_URL_DATE.finditer(urlsplit(url).path):
        year, month = int(m.group("y")), int(m.group("m"))
        day = int(m.group("d")) if m.group("d") else None
        try:
            if day is None:
                found = (datetime(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1), False)
            else:
                found = (datetime(year, month, day), True)
        except ValueError:
            continue
        if best is None or (found[1] and not best[1]):
            best = found
    return best


def _with_url_year(found: tuple[datetime, str, bool], url: str) -> tuple[datetime, str]:
    """Return a listing date, its year taken from *url*'s date when the listing printed none."""
    dt, precision, has_year = found
    if not has_year:
        from_url = _date_in_url(url)
        if from_url is not None and from_url[0].month == dt.month and (not from_url[1] or from_url[0].day == dt.day):
            dt = dt.replace(year=from_url[0].year)
    return dt, precision


def _date_beside(anchor: etree._Element, url: str, now: datetime) -> tuple[datetime, str] | None:
    """Return the date printed next to *anchor* in its list item, or None.

    A printed date without a year ("11-05") is read against *now*; when the URL
    holds a date (/2021/1105/) that date is believed instead, since the year
    guessed from *now* is wrong for any listing older than a year.
    """
    if len(anchor):
        # A card: the whole item is the link, its time (3小时前, 2025-03-18) inside it.
        for part in anchor.iterdescendants():
            if isinstance(part.tag, str) and len(part) == 0 and part.tag not in _NOT_DATE_PARTS:
                found = _parse_listing_date(text_content(part), now)
                if found is not None and len(_clean_text(text_content(part))) <= 24:
                    return _with_url_year(found, url)
    el = anchor
    for _ in range(3):
        container = el.getparent()
        if container is None or container.tag in ("body", "html"):
            break
        # A date standing alone (<span>2024-03-28</span>) wins over one inside a teaser
        # beside it ("3月22日是世界水日，……").
        in_text: tuple[datetime, str, bool] | None = None
        for text in _segments_beside(container, el):
            found = _parse_listing_date(text, now)
            if found is not None and len(_clean_text(text)) <= _DATE_ALONE_MAX:
                return _with_url_year(found, url)
            in_text = in_text or found
        if in_text is not None:
            return _with_url_year(in_text, url)
        # Climb only while the container holds this one link (its list item).
        if len(container.findall(".//a")) > 1:
            break
        el = container
    from_url = _date_in_url(url)
    return (from_url[0], "day") if from_url is not None else None


def _item_of(anchor: etree._Element) -> etree._Element:
    """Return the list item of *anchor*: its highest ancestor (up to _ITEM_REACH levels)
    whose links all go where *anchor* goes, or *anchor* itself.

    <div class="m-item"><h3><a href="/1.html">标题</a></h3><p>摘要</p><span>03-18</span></div>
    gives the <div>; in a flat list (<li><a>..</a><a>..</a></li>) the anchor is its own item.
    """
    href = anchor.get("href")
    item = anchor
    for _ in range(_ITEM_REACH):
        parent = item.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if any(a.get("href") != href for a in parent.iter("a")):
            break
        item = parent
    return item


def _item_weight(link: _Link) -> float:
    """Return how much a list item says about its link: 1, plus up to 2 for a summary or info line.

    The item is the link's own block (_item_of), so a teaser beside a headline in an
    <h3> counts, as does a card's text inside its anchor besides its headline.
    """
    item = _item_of(link.element)
    extra = len(_clean_text(text_content(item))) - len(link.text)
    parent = link.element.getparent()
    if item is link.element and parent is not None:
        extra = max(extra, len(_text_beside(parent, link.element).strip()))
    return 1.0 + min(max(extra, 0), 100) / 50


def _pager_ancestors(links: list[_Link]) -> set[etree._Element]:
    """Return the ancestors of the pager's links (page numbers, 下一页, 上一页)."""
    found: set[etree._Element] = set()
    for link in links:
        if link.nav or not (PAGER_TEXT.match(link.text) or PAGE_NUMBER_TEXT.match(link.text)):
            continue
        found.update(link.element.iterancestors())
    return found


def _distance_to(element: etree._Element, ancestors: set[etree._Element]) -> int | None:
    """Return how many steps up from *element* the first of *ancestors* is, or None."""
    if not ancestors:
        return None
    for steps, parent in enumerate(element.iterancestors(), start=1):
        if parent in ancestors:
            return steps if parent.tag not in ("body", "html") else None
    return None


def _side_heading(element: etree._Element) -> bool:
    """Return True when the box holding *element* is headed like a side block ("点击排行", "最新文章").

    Looks at the short, link-free elements just before each ancestor of the
    link's list, up to _HEADING_REACH levels up.
    """
    el = element.getparent()
    for _ in range(_HEADING_REACH):
        if el is None or el.tag in ("body", "html"):
            return False
        previous = el.getprevious()
        for sibling in (previous, previous.getprevious() if previous is not None else None):
            if sibling is None or not isinstance(sibling.tag, str) or sibling.tag == "li":
                continue
            if sibling.find(".//a") is None:
                text = _clean_text(text_content(sibling))
                if text and len(text) <= 12 and SIDE_HEADING.search(text):
                    return True
        el = el.getparent()
    return False


def _in_heading(anchor: etree._Element) -> bool:
    """Return True when *anchor* sits in a heading (<h3><a>) or wraps one (<a><h3>)."""
    parent = anchor.getparent()
    return (parent is not None and parent.tag in HEADING_TAGS) or any(
        isinstance(el.tag, str) and el.tag in HEADING_TAGS for el in anchor.iterdescendants()
    )


def _listing_directory(url: str) -> str:
    """Return the directory a listing's own articles live under: "/bdxw_2/" -> "/bdxw/".

    The page number some CMSs put on the directory (PbootCMS /bdxw_2/) is dropped.
    """
    path = urlsplit(url).path
    directory = path[: path.rfind("/") + 1]
    return DIR_PAGE_SUFFIX.sub("/", directory)


def _select_main_groups(
    links: list[_Link], current: str, hosts: SiteHosts, *, several: bool, prefer: tuple[str, ...] | None = None
) -> list[_Link]:
    """Return the links of the page's main article list (*several*: every strong list, for home pages).

    Links are grouped by their template path (tag and first class of five
    ancestors); a group scores its distinct title-like links, weighted by how
    much each list item says (summaries, info lines) and, below the site root,
    by the share of links under the listing's own directory, since a sidebar of
    "latest articles" links to every section. *prefer* is the main list's
    template on the channel's page before this one: a group of that template is
    the list, however short (a last page of three items beside two sidebars of ten).
    """
    groups: dict[tuple[str, ...], list[_Link]] = {}
    for link in links:
        if link.noise or link.nav or link.url == current or not hosts.allows(link.url):
            continue
        if url_kind(link.url) is PageKind.LISTING:
            continue
        groups.setdefault(link.template, []).append(link)
    if prefer is not None and prefer in groups and any(_title_like(m.text) for m in groups[prefer]):
        return [m for m in groups[prefer] if _title_like(m.text) or ARTICLE_URL.search(m.url)]
    directory = _listing_directory(current)
    pager = _pager_ancestors(links)
    distances = {
        t: _distance_to(members[0].element, pager)
        for t, members in groups.items()
        if any(_title_like(m.text) for m in members)
    }
    nearest = min((d for d in distances.values() if d is not None), default=None)
    scored: list[tuple[float, tuple[str, ...]]] = []
    for template, members in groups.items():
        weights: dict[str, float] = {}
        for m in members:
            if _title_like(m.text):
                weights[m.url] = max(weights.get(m.url, 0.0), _item_weight(m))
        if not weights:
            continue
        shaped = sum(1 for url in weights if ARTICLE_URL.search(url))
        score = sum(weights.values()) + 0.25 * shaped
        if directory != "/":
            inside = sum(1 for url in weights if urlsplit(url).path.startswith(directory))
            score *= 0.25 + 0.75 * inside / len(weights)
        near_pager = nearest is not None and distances.get(template) == nearest and nearest <= _PAGER_REACH
        if near_pager:
            # The list the pager belongs to: its page numbers sit right below it.
            score *= 3
        elif len(weights) < 2 and not several:
            # A lone link is rarely a listing's main list (an announcement bar),
            # but a listing's last page may hold a single article.
            score *= 0.5
        if sum(1 for m in members if _in_heading(m.element)) * 2 > len(members):
            # Headline links: a blog entry links its date, title and 继续阅读 alike.
            score *= _HEADLINE_BONUS
        if _side_heading(members[0].element):
            score *= 0.3
        scored.append((score, template))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    chosen = {
        t
        for s, t in scored
        if s == best or (several and s >= _GROUP_MIN and s >= best * _GROUP_SHARE)
    }
    # Groups in page order (of their first link), not in set order, which varies by process.
    return [
        m
        for t, members in groups.items()
        if t in chosen
        for m in members
        if _title_like(m.text) or ARTICLE_URL.search(m.url)
    ]


def find_article_links(
    doc: Document,
    *,
    now: datetime,
    hosts: SiteHosts | None = None,
    selector: str | None = None,
    template: tuple[str, ...] | None = None,
    _links: list[_Link] | None = None,
) -> tuple[ArticleLink, ...]:
    """Return the article links of the listing *doc*, in page order, each with its listing date.

    Links in navigation, footers, side blocks and pagers are left out, as are
    other sites' links (*hosts* defaults to *doc*'s own site). A profile
    *selector* (XPath or CSS) naming the anchors, or their containers, wins
    over the generic rules; *template* names the main list's template on the
    channel's previous page (see main_list_template). Dates like "11-05" are read relative to *now*. Tracking
    parameters are dropped from the URLs ("/article/5a00ad8b?from=list&spm=a1" ->
    "/article/5a00ad8b"): they never change the page, and the same article listed with
    two of them is one link.
    """
    hosts = hosts or site_hosts([doc.url])
    current = _absolute(doc.url, doc.url) or doc.url
    chosen: list[_Link]
    if selector:
        anchors: list[etree._Element] = []
        for el in _select_by(doc.tree, selector):
            anchors.extend([el] if el.tag == "a" else el.iter("a"))
        wanted = set(anchors)
        chosen = [
            link
            for link in (_links if _links is not None else _scan(doc))
            if link.element in wanted and hosts.allows(link.url)
        ]
    else:
        links = _links if _links is not None else _scan(doc)
        chosen = _select_main_groups(links, current, hosts, several=is_root_url(current), prefer=template)
        chosen.extend(_hanweb_records(doc, hosts))
    order = {id(link.element): i for i, link in enumerate(_links or [])}
    chosen.sort(key=lambda link: order.get(id(link.element), len(order)))
    # One entry per URL: an image link and a title link often lead to the same
    # article; keep the first position, the longest text and the first date found.
    merged: dict[str, ArticleLink] = {}
    for link in chosen:
        if link.url == current:
            continue
        url = without_tracking(link.url)
        before = merged.get(url)
        if before is not None and before.published is not None and len(before.text) >= len(link.text):
            continue
        found = _date_beside(link.element, url, now)
        text = link.text if before is None or len(link.text) > len(before.text) else before.text
        if found is None and before is not None:
            merged[url] = ArticleLink(url, text, before.published, before.precision)
        elif found is None:
            merged[url] = ArticleLink(url, text)
        else:
            merged[url] = ArticleLink(url, text, found[0], found[1])
    return tuple(merged.values())


def _recordset_texts(doc: Document) -> list[str]:
    """Return the texts holding a Hanweb jpage <recordset>: text/xml scripts, or the whole
    answer of its data proxy (an XML <datastore> the HTML parser cannot read)."""
    texts = [
        script.text or ""
        for script in _iter_tags(doc.tree, "script")
        if (script.get("type") or "").lower() == "text/xml"
    ]
    if not texts and "<recordset" in doc.text[:4096]:
        texts = [doc.text]
    return texts


def _hanweb_records(doc: Document, hosts: SiteHosts) -> list[_Link]:
    """Return the links in a Hanweb jpage <recordset> (CDATA HTML inside a text/xml script)."""
    records: list[str] = []
    for text in _recordset_texts(doc):
        records.extend(HANWEB_RECORD.findall(text))
    if not records:
        return []
    fragment = lxml.html.document_fromstring("<html><body>" + "".join(records) + "</body></html>")
    sub = Document(url=doc.url, text="", encoding=doc.encoding, tree=fragment)
    return [link for link in _scan(sub) if hosts.allows(link.url) and link.text]
