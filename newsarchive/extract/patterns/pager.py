"""What a listing's pager says about the listing's size, read by the survey: data only.

Each table names what it matches and a real sample (tests/test_pagerstyle.py checks
every sample). The next page itself is found by newsarchive.extract.pagination.
"""

from __future__ import annotations

import re

__all__ = ["CURSOR_PARAM", "LAST_PAGE_TEXT", "PAGE_TOTAL", "RECORD_TOTAL"]

#: Anchor text of a pager's link to its last page: 末页, 尾页, 最后一页, last.
LAST_PAGE_TEXT = re.compile(r"^(?:末页|尾页|最后一页|最末页|last(?:\s*page)?)\s*[>»›]*$", re.IGNORECASE)
#: The number of pages a pager states: 共3页, 共 12 页, 页次：1/3 (the number after the slash).
PAGE_TOTAL = re.compile(r"共\s*(\d{1,5})\s*页|页次\s*[:：]?\s*\d{1,5}\s*/\s*(\d{1,5})")
#: The number of records a pager states: 共60条, 共 238 条记录, 共有 45 篇.
RECORD_TOTAL = re.compile(r"共有?\s*(\d{1,7})\s*(?:条|篇|项)")
#: Query parameters that go on by cursor or offset, not by page number: ?cursor=5a00ad8b, ?offset=20.
CURSOR_PARAM = re.compile(r"(?:^|&)(?:cursor|offset|after|last_?id|max_?id|since_?id)=", re.IGNORECASE)
