"""NewsRequest: a Request that names its spider callbacks without searching the spider."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy.http import Request

if TYPE_CHECKING:
    import scrapy

__all__ = ["NewsRequest"]


class NewsRequest(Request):
    """A Request whose callback and errback are methods of the spider that sends it.

    With a JOBDIR (the news spider's resume state), Scrapy writes every scheduled
    request to disk through to_dict(), which finds the names of the callback and
    errback with inspect.getmembers(spider): 0.07 ms a request on the news
    spider, measured, more than a tenth of an article page's extraction. A
    spider's bound method knows its name; to_dict() hands Scrapy that name, which
    Scrapy stores as it is and request_from_dict() looks up on the spider again.
    """

    def to_dict(self, *, spider: scrapy.Spider | None = None) -> dict[str, Any]:
        callback, errback = self.callback, self.errback
        try:
            self.callback = _method_name(callback, spider)
            self.errback = _method_name(errback, spider)
            return super().to_dict(spider=spider)
        finally:
            self.callback, self.errback = callback, errback


def _method_name(func: Any, spider: scrapy.Spider | None) -> Any:
    """Return the name of *func* when it is *spider*'s own method of that name, else *func*."""
    if spider is None or getattr(func, "__self__", None) is not spider:
        return func
    name = getattr(func, "__name__", None)
    if name and getattr(type(spider), name, None) is getattr(func, "__func__", None):
        return name
    return func
