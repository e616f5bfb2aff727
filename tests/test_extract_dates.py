"""Publish-time parsing and each date strategy on one-line snippets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsarchive.extract.dates import format_published_at, parse_cn_datetime

NOW = datetime(2022, 4, 20, 12, 0)

PARSE_CASES = [
    ("2021/11/05", datetime(2021, 11, 5), "day"),
    ("2021-11-05 10:30:00", datetime(2021, 11, 5, 10, 30), "second"),
    ("2021年11月05日 10:30", datetime(2021, 11, 5, 10, 30), "minute"),
    ("2021年11月5日10:30", datetime(2021, 11, 5, 10, 30), "minute"),
    ("2021.11.05", datetime(2021, 11, 5), "day"),
    ("2019年09月07日 星期六 13:43", datetime(2019, 9, 7, 13, 43), "minute"),
    ("发布时间：2019-09-23 14:34:05 点击：", datetime(2019, 9, 23, 14, 34, 5), "second"),
    ("2020年10月04日 20时30分", datetime(2020, 10, 4, 20, 30), "minute"),
    ("11-05", datetime(2021, 11, 5), "day"),
    ("04-19 08:15", datetime(2022, 4, 19, 8, 15), "minute"),
    ("3小时前", datetime(2022, 4, 20, 9, 0), "minute"),
    ("25分钟前", datetime(2022, 4, 20, 11, 35), "minute"),
    ("2天前", datetime(2022, 4, 18), "day"),
    ("昨天 10:20", datetime(2022, 4, 19, 10, 20), "minute"),
    ("前天", datetime(2022, 4, 18), "day"),
    ("刚刚", datetime(2022, 4, 20, 12, 0), "minute"),
    ("March 5, 2021", datetime(2021, 3, 5), "day"),
    ("Mar. 5, 2021 10:30 PM", datetime(2021, 3, 5, 22, 30), "minute"),
    ("5 March 2021", datetime(2021, 3, 5), "day"),
]


@pytest.mark.parametrize(("text", "expected", "precision"), PARSE_CASES, ids=[c[0] for c in PARSE_CASES])
def test_parse_cn_datetime(text, expected, precision):
    assert parse_cn_datetime(text, now=NOW) == (expected, precision)


@pytest.mark.parametrize(
    "text",
    ["", "没有日期", "1985-06-01", "2023-01-01", "第3期", "v1.2.3"],
    ids=["empty", "no-date", "before-1990", "future", "issue-number", "version"],
)
def test_parse_cn_datetime_rejects(text):
    assert parse_cn_datetime(text, now=NOW) is None


FORMAT_CASES = [
    (datetime(2021, 11, 5, 10, 30, 59), "minute", "2021-11-05T10:30:00+08:00"),
    (datetime(2021, 11, 5, 10, 30, 5), "second", "2021-11-05T10:30:05+08:00"),
    (datetime(2021, 11, 5), "day", "2021-11-05"),
    (datetime(2021, 11, 5, 2, 30, tzinfo=timezone.utc), "minute", "2021-11-05T10:30:00+08:00"),
]


@pytest.mark.parametrize(("dt", "precision", "expected"), FORMAT_CASES, ids=["minute", "second", "day", "utc"])
def test_format_published_at(dt, precision, expected):
    assert format_published_at(dt, precision, "Asia/Shanghai") == expected


def test_format_published_at_other_zone():
    assert format_published_at(datetime(2021, 3, 5, 9, 0), "minute", "Europe/London") == (
        "2021-03-05T09:00:00+00:00"
    )
