"""Turn page bytes into text and an lxml tree, once, the way Scrapy would.

Decoding follows Scrapy's order through w3lib (BOM, HTTP header, ``<meta>``,
then sniffing) so that offline extraction equals ``response.text`` for pages
that declare their charset correctly. Pages saved from browsers or served by
misconfigured servers often declare the wrong one (a UTF-8 page saying
``gb2312``, a GBK page served as ``ISO-8859-1``); those are re-decoded with the
candidate that yields clean text, and pages no charset reads are refused.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

import lxml.html  # type: ignore[import-untyped]
from lxml import etree
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    to_unicode,
)

# text_content(el): the text of every text node under *el*, as ``el.text_content()``
# gives it; the compiled twin joins libxml2's text nodes directly (0.1 us for a headline
# against 0.7 us for lxml.html's XPath ``string()`` call).
from newsarchive._native import text_content
from newsarchive.errors import UndecodablePage

__all__ = ["Document", "decode_html", "parse_document", "text_content"]

logger = logging.getLogger(__name__)

# A parser that never touches the network or expands external entities. Elements
# are lxml.html's HtmlElement (text_content(), cssselect()...), chosen by a C-level
# default lookup: lxml.html's own lookup runs Python code for every element proxy
# created, which made walking a tree cost about 2.5 times more.
_PARSER = etree.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    collect_ids=False,
    default_doctype=False,
)
# The same parser for UTF-8 bytes: libxml2 reads them directly, which is about a
# tenth faster than handing it a Python str (the page's <meta charset> is overridden).
_UTF8_PARSER = etree.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    no_network=True,
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
)
for _parser in (_PARSER, _UTF8_PARSER):
    _parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml.html.HtmlElement,
            comment=lxml.html.HtmlComment,
            pi=lxml.html.HtmlProcessingInstruction,
            entity=lxml.html.HtmlEntity,
        )
    )
_UTF8_NAMES = frozenset({"utf-8", "utf8", "UTF-8", "u8"})

# Charsets that Chinese pages declare, read as what browsers read them as.
_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "cp936", "hz"})
_SINGLE_BYTE = frozenset({"cp1252", "latin-1", "iso8859-1", "iso-8859-1", "ascii", "us-ascii"})
# The 300 most frequent Chinese characters: real text is mostly made of them; mojibake
# (UTF-8 bytes read as GBK: "浜ら€氳繍杈撻儴") almost never is.
_COMMON_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子"
    "说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当"
    "使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你"
    "明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
    "料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农"
    "指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济"
    "阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议"
    "声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算"
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _hanzi_quality(text: str) -> float:
    """Return the share of common characters among the Chinese ones in *text* (1.0 if none)."""
    sample = text[:20000]
    hanzi = _CJK.findall(sample)
    if len(hanzi) < 20:
        return 1.0
    common = sum(1 for c in hanzi if c in _COMMON_HANZI)
    return common / len(hanzi)


def _bad_share(text: str) -> float:
    """Return replacement characters per non-ASCII character in *text*."""
    bad = text.count("\ufffd")
    if not bad:
        return 0.0
    non_ascii = sum(1 for c in text if ord(c) > 127) or 1
    return bad / non_ascii


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _sniff(body: bytes) -> str | None:
    """Guess the charset of a page that declares none: UTF-8, then GB18030, then detection.

    A few broken bytes (a character cut in half) do not disqualify a candidate
    whose text is otherwise clean Chinese.
    """
    if _strict(body, "utf-8") is not None:
        return "utf-8"
    if _strict(body, "gb18030") is not None:
        return "gb18030"
    best, best_score = None, -1.0
    for cand in ("utf-8", "gb18030"):
        text = body.decode(cand, errors="replace")
        score = _score(text)
        if score > best_score:
            best, best_score = cand, score
    if best is not None and best_score > 0.3:
        return best
    return _detect(body)


def _score(text: str) -> float:
    """Higher for cleaner text: common-character share, less replacement characters."""
    return _hanzi_quality(text) - 20 * _bad_share(text)


def _detect(body: bytes) -> str | None:
    from charset_normalizer import from_bytes  # only for pages nothing else reads

    best = from_bytes(body[:200_000]).best()
    return best.encoding if best is not None else None


def _repair(body: bytes, text: str, encoding: str) -> tuple[str, str]:
    """Return (text, encoding) re-decoded when the declared *encoding* gave mojibake."""
    norm = codecs.lookup(encoding).name if encoding else encoding
    candidates: list[str] = []
    if norm in _GB_FAMILY or norm in ("big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr"):
        # A page saved as UTF-8 that still declares gb2312 (browsers re-save this way).
        utf = _strict(body, "utf-8")
        if utf is not None:
            logger.debug("declared %s but the bytes are UTF-8", encoding)
            return utf, "utf-8"
        if text.count("\ufffd") == 0:
            return text, encoding
        candidates = ["utf-8"]
    elif norm == "utf-8":
        if "\ufffd" not in text:
            return text, encoding
        candidates = ["gb18030", "big5"]
    elif norm in _SINGLE_BYTE or encoding in _SINGLE_BYTE:
        utf = _strict(body, "utf-8")
        if utf is not None:
            return utf, "utf-8"
        candidates = ["gb18030"]
    else:
        if "\ufffd" not in text:
            return text, encoding
        candidates = ["utf-8", "gb18030"]

    best_text, best_enc = text, encoding
    best_bad, best_quality = _bad_share(text), _hanzi_quality(text)
    if norm in _SINGLE_BYTE:
        # Latin text has no Chinese characters to judge by: switch only to clean Chinese.
        best_bad, best_quality = 0.0, 0.3
    for cand in candidates:
        other = body.decode(cand, errors="replace")
        bad, quality = _bad_share(other), _hanzi_quality(other)
        if quality - 20 * bad > best_quality - 20 * best_bad:
            best_text, best_enc, best_bad, best_quality = other, cand, bad, quality
    if best_bad > 0.02 or best_quality < 0.15:
        guess = _detect(body)
        if guess:
            other = body.decode(guess, errors="replace")
            if _score(other) > best_quality - 20 * best_bad:
                best_text, best_enc = other, guess
                best_bad, best_quality = _bad_share(other), _hanzi_quality(other)
    if best_bad > 0.02 or best_quality < 0.15:
        raise UndecodablePage(
            f"page bytes decode to mojibake as {encoding} and every other candidate charset; "
            "save the page again or pass its Content-Type with the right charset"
        )
    if best_enc != encoding:
        logger.debug("declared %s gave mojibake; decoded as %s", encoding, best_enc)
    return best_text, best_enc


# Declared charsets under which valid UTF-8 bytes are read as UTF-8 (see _repair).
_UTF8_MISDECLARED = _GB_FAMILY | {"big5", "big5hkscs", "shift_jis", "euc_jp", "euc_kr"}


def _norm(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _declared(body: bytes, content_type: str | None) -> str | None:
    """Return the charset the header or a <meta> declares, a GB name as gb18030.

    gb2312 and gbk pages use gb18030's characters in practice (and w3lib before
    2.6 read them so); gb18030 decodes every gbk byte sequence the same way.
    """
    declared = http_content_type_encoding(content_type) or html_body_declared_encoding(body)
    if declared is not None and _norm(declared) in _GB_FAMILY and _norm(declared) != "hz":
        return "gb18030"
    return declared


def _same_decoding(known: tuple[str, str], encoding: str) -> bool:
    """Say whether Scrapy's (text, encoding) is what decoding with *encoding* gives."""
    text, used = known
    if used == encoding:
        return True
    # Scrapy read a GB page as gbk or gb2312: the same text unless a character was
    # outside them (gb18030's four-byte sequences), which left a replacement mark.
    return encoding == "gb18030" and _norm(used) in _GB_FAMILY and "\ufffd" not in text


def decode_html(
    body: bytes, content_type: str | None = None, known: tuple[str, str] | None = None
) -> tuple[str, str]:
    """Return (text, encoding) for *body*, in Scrapy's order: BOM, header, <meta>, sniffing.

    gb2312 and gbk are read as their superset gb18030. When the
    declared charset yields replacement characters or mojibake (UTF-8 read as
    GBK or the reverse, GBK served as ISO-8859-1), the page is decoded with the
    candidate that reads cleanly. Raises UndecodablePage when none does.
    *known* is (text, encoding) as Scrapy's ``response.text`` and ``response.encoding``
    gave them: when that encoding is the declared one this function decodes with,
    the text is taken instead of decoding the page a second time.
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding is not None and bom is not None:
        return to_unicode(body[len(bom) :], bom_encoding), bom_encoding
    # w3lib's html_to_unicode, step by step, so the declaration is looked up once.
    declared = _declared(body, content_type)
    if declared is None:
        # _sniff's first two guesses, kept: decoding a 400 kB page costs 0.5 ms.
        for guess in ("utf-8", "gb18030"):
            clean = _strict(body, guess)
            if clean is not None:
                return clean, guess
    encoding = declared or _sniff(body) or "utf8"
    if encoding in ("utf-16", "utf-32"):
        encoding += "-be"
    if body.isascii():
        return to_unicode(body, encoding), encoding
    if declared is not None and _norm(encoding) in _UTF8_MISDECLARED:
        # A page saved as UTF-8 that still declares gb2312: _repair would take the
        # UTF-8 reading anyway, so try it before decoding as the declared charset.
        utf = _strict(body, "utf-8")
        if utf is not None:
            logger.debug("declared %s but the bytes are UTF-8", encoding)
            return utf, "utf-8"
    if known is not None and declared is not None and _same_decoding(known, encoding):
        text = known[0]  # Scrapy decoded with the declared charset through the same w3lib call
    else:
        text = to_unicode(body, encoding)
    if declared is None and encoding in ("utf-8", "gb18030") and "\ufffd" not in text:
        return text, encoding
    return _repair(body, text, encoding)


@dataclass(frozen=True, slots=True)
class Document:
    """A decoded page: its *url*, *text*, *encoding* and parsed *tree*."""

    url: str
    text: str
    encoding: str
    tree: etree._Element


def parse_document(
    html: bytes | str, url: str, content_type: str | None = None, known: tuple[str, str] | None = None
) -> Document:
    """Decode *html* (bytes or str) and parse it into a Document for *url*.

    *known* is Scrapy's decoding of the same bytes (see decode_html). Raises
    UndecodablePage when *html* is bytes that no charset reads cleanly.
    """
    source: bytes | str
    parser = _PARSER
    if isinstance(html, bytes):
        text, encoding = decode_html(html, content_type, known)
        source = text
        if (encoding in _UTF8_NAMES or codecs.lookup(encoding).name == "utf-8") and "\ufffd" not in text:
            # Valid UTF-8 (nothing was replaced): the bytes are the text.
            source = html[3:] if html[:3] == codecs.BOM_UTF8 else html
            parser = _UTF8_PARSER
    else:
        text, encoding = html, "utf-8"
        source = text
    # A NUL byte decodes to U+0000 in every ASCII-compatible charset, and bytes.find is
    # a memchr; "\x00" in a UCS-2 str stops at every ASCII character's zero high byte.
    if isinstance(html, bytes) and not encoding.lower().startswith(("utf-16", "utf-32")):
        has_nul = b"\x00" in html
    else:
        has_nul = "\x00" in text
    if has_nul:
        text = source = text.replace("\x00", "")
        parser = _PARSER
    if text[:300].lstrip()[:5].lower() == "<?xml":
        # lxml refuses str input that carries an encoding declaration (XHTML pages).
        text = source = _XML_DECL.sub("", text, count=1)
        parser = _PARSER
    try:
        tree = lxml.html.document_fromstring(source, parser=parser, base_url=url)
    except (etree.ParserError, ValueError):
        tree = lxml.html.document_fromstring("<html><body></body></html>", parser=_PARSER)
    return Document(url=url, text=text, encoding=encoding, tree=tree)
