"""Requests of a first and a second daily harvest: what incremental crawling saves.

Builds a small portal of ``--articles`` articles (default 300) in two sections
with 20-item listings paginated by ``下一页``, serves it on 127.0.0.1, and runs
``newsarchive crawl`` into a fresh archive (day 1). It then publishes ``--new``
more articles (default 15) at the top of the listings, as tomorrow's site
would, and runs the same command into the same archive (day 2). The server
logs every request, so the table shows what each harvest asked for::

    python benchmarks/daily_harvest.py --articles 300 --new 15

Article pages never change between the days: day 2 should fetch the listing
pages up to the first one that holds only known articles, and the new
articles, nothing else.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 20
SECTIONS = (("xinwen", "新闻"), ("minsheng", "民生"))
_TOWNS = ("红山", "松山", "元宝山", "宁城", "林西", "克什克腾", "翁牛特", "喀喇沁", "敖汉", "巴林左")
_TOPICS = ("农田水利", "冬季供暖", "老旧小区改造", "乡村振兴", "文化惠民", "义务教育", "医保报销", "道路养护")
_CLAUSES = (
    "记者从{t}区有关部门了解到，今年以来{p}工作稳步推进",
    "{t}区组织干部深入基层，逐户走访了解群众在{p}方面的需求",
    "截至目前，{t}区已累计投入资金{n}万元，惠及群众{m}户",
    "据介绍，{p}项目共分{k}个标段，预计年底前全部完工",
    "{t}区相关负责人表示，将把{p}作为民生实事抓紧抓实",
    "在{t}区的施工现场，{n}余名工人正在加紧作业",
    "下一步，{t}区将进一步完善{p}长效机制，确保群众满意",
    "{p}工作开展以来，{t}区共收集群众意见建议{m}条",
)


def _article(aid: int) -> tuple[str, str, list[str]]:
    """Return (title, date line, paragraphs) of article *aid*: the same on every day."""
    rnd = random.Random(aid)
    town, topic = rnd.choice(_TOWNS), rnd.choice(_TOPICS)
    title = f"{town}区{topic}工作取得新进展（第{aid}期）"
    day = 1 + aid // 12
    when = f"2021-{1 + (day // 28) % 12:02d}-{1 + day % 28:02d} {8 + aid % 10:02d}:{aid % 60:02d}"
    paragraphs = []
    for _ in range(rnd.randint(4, 7)):
        clauses = rnd.sample(_CLAUSES, 3)
        paragraphs.append(
            "，".join(
                c.format(t=town, p=topic, n=rnd.randint(10, 9999), m=rnd.randint(100, 99999), k=rnd.randint(2, 9))
                for c in clauses
            )
            + "。"
        )
    return title, when, paragraphs


def _article_page(aid: int, section: str, label: str) -> bytes:
    title, when, paragraphs = _article(aid)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head><meta charset='utf-8'><title>{title}_示例融媒</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a><a href='/{SECTIONS[0][0]}/'>新闻</a>"
        f"<a href='/{SECTIONS[1][0]}/'>民生</a></div>"
        f"<div class='position'>您现在的位置：<a href='/'>首页</a> &gt; <a href='/{section}/'>{label}</a></div>"
        f"<h1>{title}</h1><div class='info'>发布时间：{when} 来源：示例融媒</div>"
        f"<div class='content'>{body}</div><div class='editor'>责任编辑：王敏</div>"
        "<div class='footer'>版权所有 示例融媒 蒙ICP备00000000号</div></body></html>"
    ).encode()


def _ids(section_index: int, total: int) -> list[int]:
    """Article ids of one section, newest (highest) first."""
    return [aid for aid in range(total, 0, -1) if aid % len(SECTIONS) == section_index]


def _listing_page(section_index: int, page: int, total: int) -> bytes | None:
    slug, label = SECTIONS[section_index]
    ids = _ids(section_index, total)
    pages = max(1, -(-len(ids) // PER_PAGE))
    if page > pages:
        return None
    items = "".join(
        f"<li><a href='/{slug}/{aid}.html'>{_article(aid)[0]}</a><span>{_article(aid)[1][:10]}</span></li>"
        for aid in ids[(page - 1) * PER_PAGE : page * PER_PAGE]
    )
    nxt = f"<a href='/{slug}/list_{page + 1}.html'>下一页</a>" if page < pages else ""
    return (
        f"<html><head><meta charset='utf-8'><title>{label}_示例融媒</title></head><body>"
        f"<div class='nav'><a href='/'>首页</a><a href='/{SECTIONS[0][0]}/'>新闻</a>"
        f"<a href='/{SECTIONS[1][0]}/'>民生</a></div>"
        f"<ul class='list'>{items}</ul><div class='pages'>{nxt}</div></body></html>"
    ).encode()


class _Site:
    def __init__(self, total: int) -> None:
        self.total = total
        self.log: list[str] = []
        self.lock = threading.Lock()

    def page(self, path: str) -> bytes | None:
        if path == "/robots.txt":
            return b"User-agent: *\nDisallow:\n"
        if path == "/":
            links = "".join(f"<a href='/{slug}/'>{label}</a>" for slug, label in SECTIONS)
            return f"<html><body><div class='nav'>{links}</div></body></html>".encode()
        for i, (slug, _) in enumerate(SECTIONS):
            prefix = f"/{slug}/"
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix) :]
            if rest in ("", "index.html"):
                return _listing_page(i, 1, self.total)
            if rest.startswith("list_") and rest.endswith(".html"):
                return _listing_page(i, int(rest[5:-5]), self.total)
            if rest.endswith(".html") and rest[:-5].isdigit():
                aid = int(rest[:-5])
                if aid <= self.total and aid % len(SECTIONS) == i:
                    return _article_page(aid, slug, SECTIONS[i][1])
        return None


def _serve(site: _Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                site.log.append(self.path)
            body = site.page(self.path.split("?", 1)[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _kind(path: str) -> str:
    if path == "/robots.txt":
        return "robots.txt"
    if path == "/":
        return "home"
    last = path.rsplit("/", 1)[-1]
    return "article" if last[:-5].isdigit() else "listing"


def _harvest(base: str, archive: Path) -> str:
    cmd = [sys.executable, "-m", "newsarchive", "crawl", base, "-o", str(archive),
           "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"error: the crawl failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    return out.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="articles on day 1 (default 300)")
    parser.add_argument("--new", type=int, default=15, help="articles added for day 2 (default 15)")
    args = parser.parse_args(argv)
    site = _Site(args.articles)
    server = _serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "news.sqlite"
        for day, total in ((1, args.articles), (2, args.articles + args.new)):
            site.total = total
            site.log.clear()
            summary = _harvest(base, archive)
            kinds = Counter(_kind(p) for p in site.log)
            rows.append((day, total, len(site.log), kinds["listing"], kinds["article"], summary))
    server.shutdown()
    print(f"{'day':>3} {'articles on site':>16} {'requests':>8} {'listings':>8} {'articles':>8}  summary")
    for day, total, requests, listings, articles, summary in rows:
        print(f"{day:>3} {total:>16} {requests:>8} {listings:>8} {articles:>8}  {summary}")
    print(f"day 2 / day 1 requests: {rows[1][2] / rows[0][2]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
