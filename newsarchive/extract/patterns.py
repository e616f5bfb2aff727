"""Regexes, XPaths and label words the extractors try, in order: data only, compiled once."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------

# Day of week that some pages print between date and time: 2019年09月07日 星期六 13:43
_WEEKDAY = r"(?:\s*[(（]?\s*(?:星期|周|礼拜)[一二三四五六日天七][)）]?)?"
# A clock time after a date: 13:43, 13:43:45, 13时43分, 下午 3:05, 10：30
_CLOCK = (
    r"(?:\s*(?:[T日]|&nbsp;)?\s*(?P<ampm>上午|下午|晚上|早上|中午|凌晨|傍晚)?\s*"
    r"(?P<H>[01]?\d|2[0-3])\s*[:：时点]\s*(?P<M>[0-5]?\d)(?!\d)"
    r"(?:\s*[:：分]\s*(?P<S>[0-5]?\d)(?![\d.]*\d))?(?:\s*(?P<pm>[AaPp]\.?[Mm]\.?)(?![A-Za-z]))?)?"
)

#: A full date with optional time: 2021-11-05 10:30:00, 2021/11/05, 2021.11.05, 2021年11月5日 10:30
DATETIME_FULL = re.compile(
    r"(?<![\d.])(?P<y>(?:19|20)\d{2})\s*(?P<sep>[-/.年])\s*(?P<m>1[0-2]|0?[1-9])\s*[-/.月]\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*日?" + _WEEKDAY + _CLOCK
)

#: A month and day without a year, as listings print them: 11-05, 11/05 10:30, 11月5日
DATETIME_MONTH_DAY = re.compile(
    r"(?<![\d.\-/])(?P<m>1[0-2]|0?[1-9])\s*[-/月]\s*(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.\-/])\s*日?"
    + _WEEKDAY + _CLOCK
)

_MONTHS_EN = (
    r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CLOCK_EN = (
    r"(?:,?\s*(?:at\s+)?(?P<H>[01]?\d|2[0-3]):(?P<M>[0-5]\d)(?::(?P<S>[0-5]\d))?"
    r"\s*(?P<pm>[AaPp]\.?[Mm]\.?)?(?![A-Za-z]))?"
)
#: English dates: March 5, 2021 10:30 AM / Mar. 5th 2021 / 5 March 2021
DATETIME_EN = (
    re.compile(
        r"\b" + _MONTHS_EN + r"\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
        + _CLOCK_EN,
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+" + _MONTHS_EN + r",?\s+(?P<y>(?:19|20)\d{2})\b"
        + _CLOCK_EN,
        re.IGNORECASE,
    ),
)
MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}

#: ISO 8601 as metas and <time datetime> give it: 2021-11-05T10:30:00+08:00, 2021-11-05 10:30:00Z
DATETIME_ISO = re.compile(
    r"^\s*(?P<y>(?:19|20)\d{2})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T\s]+(?P<H>\d{2}):?(?P<M>\d{2})(?::?(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)

#: Relative times: 3小时前, 5分钟前, 2天前, 30秒前
RELATIVE_AGO = re.compile(
    r"(?P<n>\d{1,4})\s*(?P<unit>秒钟?|分钟|分|小时|个小时|钟头|天|日|周|星期|个月|月|年)\s*(?:之)?前"
)
#: 刚刚 / 刚才: now.
RELATIVE_JUST_NOW = re.compile(r"刚刚|刚才|just now", re.IGNORECASE)
#: 今天 / 昨天 / 前天 with an optional clock: 昨天 10:20
RELATIVE_DAY = re.compile(
    r"(?P<word>今天|今日|昨天|昨日|前天)\s*(?:(?P<H>[01]?\d|2[0-3])\s*[:：]\s*(?P<M>[0-5]\d))?"
)
RELATIVE_DAY_OFFSET = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}

#: Dates in URL paths, most specific first:
#: t20220417_123.html, /2021-11-05/, art/2025/10/29/, /2021/1105/, /20211105/, /202204/
URL_DATES = (
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-_/]?(?P<m>1[0-2]|0[1-9])[-_/]?(?P<d>3[01]|[12]\d|0[1-9])(?!\d)"),
    re.compile(r"/(?P<y>(?:19|20)\d{2})/(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/"),
)

# Labels that introduce the publish time in the text under a headline:
# 发布时间：2021-11-05 10:30 / 发布日期: / 时间： / 日期： / 发表于 / 更新时间
PUBLISH_LABELS = re.compile(
    r"(?:发布|發布|发表|發表|出版|刊发|上传|录入|添加|更新|提交)?\s*(?:时间|時間|日期|于|於)\s*[:：]?"
    r"|Published|Posted|Updated|Date",
    re.IGNORECASE,
)
# Labels of dates that are not the publish time: a passage date, an event, a deadline.
NON_PUBLISH_LABELS = re.compile(
    r"(?:截止|截至|报名|活动|会议|举办|开始|结束|有效期|成立|出生|签发|通过|施行|实施|生效|印发|修订|修正|访问|登录|评论|回复|注册)"
    r"\s*(?:时间|日期)?\s*[:：]?\s*$"
)

# <meta> names / properties that carry the publish time, most reliable first.
META_DATE_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "published_time",
    "publication_date",
    "og:release_date",
    "article:published",
    "datepublished",
    "sailthru.date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "firstpublishedtime",
    "weibo:article:create_at",
    "created",
    "article:modified_time",
    "lastmodifiedtime",
)
#: JSON-LD / microdata keys for the publish time: "datePublished": "2021-11-05T10:30:00+08:00"
JSONLD_DATE = re.compile(r'"(?:datePublished|dateCreated|pubDate|publishDate)"\s*:\s*"([^"]{8,40})"')
#: Page-script variables naming the publish time: var publishtime = "2019-09-07 13:43:45";
SCRIPT_DATE = re.compile(
    r"""(?:publish_?time|pub_?time|pubDate|publishDate|article_?time|ptime|newsTime|create_?time)["']?\s*[:=]\s*["']"""
    r"""((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}[^"']{0,12})["']""",
    re.IGNORECASE,
)

# Class / id fragments of the element holding the date line under a headline:
# <div class="post_info">, <span class="pubtime">, <div id="pubtime_baidu">
DATE_CONTAINER_HINTS = re.compile(
    r"time|date|pub|info|meta|source|byline|author|attr|detail|fbsj|sj|riqi|from|ly|tit|xx",
    re.IGNORECASE,
)
