"""Tag sets: which elements hold no reader-visible text, which start a line, which are paragraphs.

Data only. Each set says what its members are for; the extractors read them
instead of keeping copies of their own.
"""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

__all__ = ["BLOCK_TAGS", "BREAK_TAGS", "CELL_TAGS", "HEADING_TAGS", "HIDDEN_TEXT_TAGS", "PARAGRAPH_TAGS", "SKIP_TAGS", "TEXT_CONTAINER_TAGS"]

# Subtrees that never hold article text: <script>, <style>, form widgets, embeds.
SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "select", "option", "textarea", "button",
        "template", "svg", "canvas", "object", "embed", "video", "audio", "map", "input",
        "head", "title", "meta", "link", "frameset", "frame",
        etree.Comment, etree.ProcessingInstruction, etree.Entity,
    }
)

# Elements whose own text a reader never sees as the page's text (the walk's page-text
# pieces leave it out): a subset of SKIP_TAGS; <title> is the tab's, not the page's.
HIDDEN_TEXT_TAGS = frozenset(
    {"script", "style", "noscript", "textarea", "option", "select", "title", "template", "button"}
)
assert HIDDEN_TEXT_TAGS <= SKIP_TAGS

# Elements that start a new line of text (everything else is inline: a, span, font, b...).
BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tbody", "thead", "tfoot",
        "tr", "td", "th", "caption", "section", "article", "header", "footer", "aside", "nav",
        "main", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure",
        "figcaption", "center", "form", "hr", "address", "fieldset", "details", "summary",
        "body", "html", "br",
    }
)

# Blocks whose text is one paragraph: their score goes to the container around them
# (<div class="content"><p>…</p><p>…</p></div>). Other blocks (div, td, section) hold
# their own text runs (<td>第一段<br>第二段</td>) and are scored as containers themselves.
PARAGRAPH_TAGS = frozenset(
    {"p", "li", "dt", "dd", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
     "figcaption", "caption", "address", "summary", "th"}
)

# Table cells and rows: a row's cells become one line, cells separated by a space
# (<tr><td>姓名</td><td>职务</td></tr> -> "姓名 职务").
CELL_TAGS = frozenset({"td", "th"})

# Line breaks inside a block: <br>, <hr>.
BREAK_TAGS = frozenset({"br", "hr"})

# Containers that gather running text: a body's <p>s add up in their <div> or <td>
# (the link analysis asks which container holds the most running text).
TEXT_CONTAINER_TAGS = frozenset(
    {"div", "td", "th", "article", "section", "main", "body", "li", "dd", "dt", "blockquote", "form", "center", "table", "ul", "ol"}
)
assert TEXT_CONTAINER_TAGS <= BLOCK_TAGS

# Headline elements, in rank order (a tuple: callers list a page's headings in this order).
HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
