"""The tables both twins of the page walk read: tag codes, the frame layout, skip answers.

Defined here once; newsarchive/_speedups.pyx reads them when it is imported and
newsarchive/_pure/ uses them directly, so the compiled and the Python walk
cannot disagree on a number. The tag -> code table itself is built from the
body extractor's tag sets and handed to both by ``newsarchive._native.configure``.
"""

from __future__ import annotations

__all__ = [
    "CHARS",
    "EL",
    "END",
    "FRAME_FIELDS",
    "FRAME_INDEX",
    "F_BLOCK",
    "F_CELL",
    "F_COLLECT",
    "F_HIDDEN",
    "KIND",
    "KIND_MASK",
    "K_BREAK",
    "K_CONTAINER",
    "K_INLINE",
    "K_LINK",
    "K_PARAGRAPH",
    "K_ROOT",
    "K_SKIP",
    "LINK",
    "NBLOCK",
    "NEWRUN",
    "PUNCT",
    "RUNS",
    "SCORE",
    "START",
    "S_ALWAYS",
    "S_BY_NAME",
    "S_KEEP",
    "TOT",
    "TOTLINK",
    "UP",
    "new_frame",
]

# How the walks treat an element, the low bits of its tag's code (>= K_PARAGRAPH: a block).
K_INLINE = 0      # <span>, <font>, <b>: its text goes to the enclosing block
K_SKIP = 1        # <script>, <style>, <select>: a subtree that never holds article text
K_LINK = 2        # <a>: its text counts as link text
K_BREAK = 3       # <br>, <hr>: a new text run inside the block
K_PARAGRAPH = 4   # <p>, <li>: one paragraph, scored for the container around it
K_CONTAINER = 5   # <div>, <td>: scored itself, and passes a share up
K_ROOT = 6        # <body>, <html>: credited only with the paragraphs directly inside
KIND_MASK = 7

# Flags beside the kind in a tag's code.
F_HIDDEN = 8      # its own text is never shown (script, style, title, button...)
F_COLLECT = 16    # PageText.tagged() lists its elements (title, meta, script, h1...)
F_BLOCK = 32      # starts a new line of body text
F_CELL = 64       # a table cell: the row's cells make one line, joined by a space

assert KIND_MASK >= K_ROOT and KIND_MASK & F_HIDDEN == 0

# What the body's skip check answers for an element inside the body container.
S_KEEP = 0        # read its text
S_ALWAYS = 1      # never article text (a script, a hidden element)
S_BY_NAME = 2     # only its class/id says so: kept when it holds most of the body

# The scoring walk keeps one frame per block element: a list rather than an object, as
# one is built for every block of every page (measured: a fifth of the Python walk's
# time). Its fields, in order, with the value a new frame starts from.
FRAME_FIELDS: tuple[tuple[str, object], ...] = (
    ("el", None),         # the element
    ("up", None),         # the frame of the nearest block ancestor (the Python walk's stack), or None
    ("kind", K_CONTAINER),  # K_PARAGRAPH, K_CONTAINER or K_ROOT
    ("start", 0),         # order of the block in the walk
    ("chars", 0),         # own text, with its inline descendants' (<span>, <a>)
    ("link", 0),          # ... of which inside <a>
    ("punct", 0),         # punctuation marks in the own text
    ("runs", 0),          # own text runs separated by <br> or child blocks
    ("newrun", True),     # True when the next own text starts a new run
    ("nblock", 0),        # block children
    ("tot", 0),           # whole subtree text
    ("totlink", 0),       # ... of which inside <a>
    ("score", 0.0),       # container score
    ("end", 0),           # order of the last block inside it
)
FRAME_INDEX = {name: i for i, (name, _) in enumerate(FRAME_FIELDS)}
_NEW_FRAME = [value for _, value in FRAME_FIELDS]
(
    EL, UP, KIND, START, CHARS, LINK, PUNCT, RUNS, NEWRUN, NBLOCK, TOT, TOTLINK, SCORE, END,
) = (FRAME_INDEX[name] for name, _ in FRAME_FIELDS)


def new_frame(el: object, up: list[object] | None, kind: int, order: int) -> list[object]:
    """Return the frame of block *el* opened as the walk's *order*-th block, inside frame *up*."""
    frame = _NEW_FRAME.copy()
    frame[EL] = el
    frame[UP] = up
    frame[KIND] = kind
    frame[START] = frame[END] = order
    return frame
