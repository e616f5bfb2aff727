"""Serve the fixture sites in fixtures/sites/ over HTTP on 127.0.0.1, one server per site.

Command line::

    python tests/mockserver.py [--sites dedecms,gov] [--variant grown|edited|counters_robots|counters_broken]

prints ONE first line of JSON ``{"<site>": "http://127.0.0.1:PORT/", ...}`` and serves until
terminated (SIGTERM or SIGINT). In Python, ``MockServer`` runs the same command in a subprocess::

    with MockServer(sites=["dedecms"]) as mock:
        url = mock.urls["dedecms"]
        ...
        mock.requests("dedecms")   # [{"method": "GET", "path": "/", "query": ""}, ...]

What each site serves is described by its ``site.toml`` (see fixtures/README.md): files under
``www/`` (with ``grown/`` or ``edited/`` laid over them for a variant), a Content-Type per path
pattern, the CMS's view-counter endpoint, and ``?query`` pages mapped to files. Two control
endpoints per site are never logged: ``GET /_mock/requests`` (the request log as JSON) and
``POST /_mock/reset`` (clear the log, put counters back to their starting values).
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import json
import mimetypes
import signal
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
SITES_DIR = ROOT / "fixtures" / "sites"
VARIANTS = ("grown", "edited", "counters_robots", "counters_broken")

# Answers of the view-counter scripts, as each CMS prints them.
_COUNTER_BODIES = {
    "dedecms": "document.write('%d');",
    "empirecms": "document.write('%d');",
    "phpcms": "$('#hits').html('%d');",
}
# Path of each CMS's counter script.
_COUNTER_PATHS = {
    "dedecms": "/plus/count.php",
    "empirecms": "/e/public/ViewClick/",
    "phpcms": "/api.php",
}


def site_names(sites_dir: Path = SITES_DIR) -> list[str]:
    """Return the names of the fixture sites (directories with a site.toml), sorted."""
    return sorted(p.parent.name for p in sites_dir.glob("*/site.toml"))


def query_file_name(path: str, query: str) -> str:
    """Return the file that holds the page for *path* with *query*, relative to the site root.

    ``/list.php`` + ``page=2`` -> ``list.php__page=2.html``; a directory path uses ``index``:
    ``/news/`` + ``page=2`` -> ``news/index__page=2.html``; several parameters are joined
    with ``__`` in the order given: ``a=1&b=2`` -> ``__a=1__b=2``.
    """
    rel = unquote(path).lstrip("/")
    if rel == "" or rel.endswith("/"):
        rel += "index"
    return rel + "__" + "__".join(query.split("&")) + ".html"


def url_path_of_file(rel: str) -> str:
    """Return the URL path (with query) that serves site-relative file *rel*.

    The inverse of ``query_file_name`` plus directory indexes: ``list.php__page=2.html`` ->
    ``/list.php?page=2``, ``news/index__page=2.html`` -> ``/news/?page=2``,
    ``a/xinwen/index.html`` -> ``/a/xinwen/``, ``index__news/77.html.html`` -> ``/?news/77.html``.
    """
    if "__" in rel and rel.endswith(".html"):
        # A query may hold slashes (PbootCMS /?news/77.html -> index__news/77.html.html).
        before, _, query = rel[: -len(".html")].partition("__")
        head, _, base = before.rpartition("/")
        base = "" if base == "index" else base
        return "/" + (head + "/" if head else "") + base + "?" + query.replace("__", "&")
    head, _, name = rel.rpartition("/")
    prefix = "/" + (head + "/" if head else "")
    if name == "index.html":
        return prefix
    return prefix + name


@dataclass
class Site:
    """One fixture site as the server sees it: roots, content types, counters, log."""

    name: str
    roots: tuple[Path, ...]
    content_types: tuple[tuple[str, str], ...]
    counter_kind: str | None
    counter_start: dict[str, int]
    # The HTTP status every counter request gets instead of its count (a variant's `counter_status`).
    counter_status: int | None = None
    # The origin the pages' absolute links are written on (site.toml `origin`), served as the server's own.
    origin: str | None = None
    counters: dict[str, int] = field(default_factory=dict)
    log: list[dict[str, str]] = field(default_factory=list)
    # When each request of the log arrived (time.monotonic()), for tests of request rates.
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls, directory: Path, variant: str | None = None) -> Site:
        """Return the site in *directory*, with *variant*'s overlay and counters if it has one."""
        config = tomllib.loads((directory / "site.toml").read_text(encoding="utf-8"))
        roots = [directory / "www"]
        counter = config.get("counter", {})
        start = {str(k): int(v) for k, v in counter.get("values", {}).items()}
        counter_status = None
        if variant is not None:
            overlay = directory / variant
            if overlay.is_dir():
                roots.insert(0, overlay)
            facts = config.get("variants", {}).get(variant, {})
            start.update({str(k): int(v) for k, v in facts.get("counters", {}).items()})
            counter_status = facts.get("counter_status")
        rules = tuple((r["match"], r["type"]) for r in config.get("content_types", ()))
        return cls(
            name=config.get("name", directory.name),
            roots=tuple(roots),
            content_types=rules,
            counter_kind=counter.get("kind"),
            counter_start=start,
            counter_status=int(counter_status) if counter_status is not None else None,
            origin=config.get("origin"),
            counters=dict(start),
        )

    def content_type(self, path: str) -> str:
        """Return the Content-Type for URL *path*: the first matching rule, else by extension."""
        for pattern, ctype in self.content_types:
            if fnmatch.fnmatchcase(path, pattern):
                return ctype
        guessed, _ = mimetypes.guess_type(path)
        return guessed or "application/octet-stream"

    def find_file(self, rel: str) -> Path | None:
        """Return the file for site-relative *rel* from the first root that has it, or None."""
        for root in self.roots:
            candidate = (root / rel).resolve()
            if not candidate.is_relative_to(root.resolve()):
                return None
            if candidate.is_dir():
                candidate = candidate / "index.html"
            if candidate.is_file():
                return candidate
        return None

    def resolve(self, path: str, query: str = "") -> Path | None:
        """Return the file served for URL *path* and *query*, or None (a 404).

        A query is mapped to a file by ``query_file_name``; when there is no such file the
        query is ignored, as a static server would (``?from=index``, ``?utm_source=...``).
        """
        found = self.find_file(query_file_name(path, query)) if query else None
        return found or self.find_file(unquote(path).lstrip("/"))

    def count(self, ident: str, add: bool) -> int | None:
        """Return the counter of *ident* as served now; *add* counts this view afterwards."""
        with self.lock:
            if ident not in self.counters:
                return None
            value = self.counters[ident]
            if add:
                self.counters[ident] = value + 1
            return value

    def reset(self) -> None:
        """Clear the request log and put the counters back to their starting values."""
        with self.lock:
            self.log.clear()
            self.times.clear()
            self.counters = dict(self.counter_start)


class _Handler(BaseHTTPRequestHandler):
    """Answer one request for the site bound to the server."""

    server_version = "Apache/2.4.41"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    @property
    def site(self) -> Site:
        return self.server.site  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: tests read the request log, not stderr."""

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if parts.path == "/_mock/reset":
            self.site.reset()
            self._send(HTTPStatus.OK, b'{"ok": true}', "application/json", head=False)
            return
        self._log("POST", parts.path, parts.query)
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"method not allowed", "text/plain", head=False)

    def _log(self, method: str, path: str, query: str) -> None:
        with self.site.lock:
            self.site.log.append({"method": method, "path": path, "query": query})
            self.site.times.append(time.monotonic())

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve(self, *, head: bool) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path or "/", parts.query
        if path.startswith("/_mock/"):
            if path == "/_mock/requests":
                with self.site.lock:
                    body = json.dumps(self.site.log, ensure_ascii=False).encode("utf-8")
                self._send(HTTPStatus.OK, body, "application/json", head=head)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"no such control endpoint", "text/plain", head=head)
            return
        self._log(self.command, path, query)
        kind = self.site.counter_kind
        if kind is not None and path == _COUNTER_PATHS[kind]:
            self._serve_counter(kind, query, head=head)
            return
        rel = unquote(path).lstrip("/")
        if rel and not path.endswith("/") and any((r / rel).is_dir() for r in self.site.roots):
            # As Apache does: a directory asked for without its slash is redirected.
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", path + "/" + ("?" + query if query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        found = self.site.resolve(path, query)
        if found is None:
            self._send(HTTPStatus.NOT_FOUND, _NOT_FOUND, "text/html; charset=utf-8", head=head)
            return
        if path.endswith("/") or "." not in path.rsplit("/", 1)[-1]:
            ctype_path = path.rstrip("/") + "/index.html"
        else:
            ctype_path = path
        self._send(HTTPStatus.OK, self._body_of(found), self.site.content_type(ctype_path), head=head)

    def _body_of(self, found: Path) -> bytes:
        """Return the file's bytes, its absolute links on the site's origin moved to this server."""
        data = found.read_bytes()
        origin = self.site.origin
        if not origin:
            return data
        host, port = self.server.server_address[:2]
        here = f"http://{host}:{port}".encode("ascii")
        if data[:2] == b"\x1f\x8b":
            return gzip.compress(gzip.decompress(data).replace(origin.encode("ascii"), here), mtime=0)
        return data.replace(origin.encode("ascii"), here)

    def _serve_counter(self, kind: str, query: str, *, head: bool) -> None:
        if self.site.counter_status is not None:
            status = self.site.counter_status
            self._send(status, f"<h1>{status}</h1>".encode("ascii"), "text/html", head=head)
            return
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        if kind == "dedecms":
            ident, add = params.get("aid", ""), True
        elif kind == "empirecms":
            ident, add = params.get("id", ""), params.get("addclick") == "1"
        else:
            if params.get("op") != "count":
                self._send(HTTPStatus.NOT_FOUND, _NOT_FOUND, "text/html; charset=utf-8", head=head)
                return
            ident, add = params.get("id", ""), True
        value = self.site.count(ident, add and not head)
        if value is None:
            self._send(HTTPStatus.NOT_FOUND, b"", "text/html", head=head)
            return
        body = b""
        if kind != "dedecms" or params.get("view") == "yes":
            body = (_COUNTER_BODIES[kind] % value).encode("ascii")
        self._send(HTTPStatus.OK, body, "text/html", head=head)


_NOT_FOUND = b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>"


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: Site) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site


def serve_sites(
    names: Iterable[str], variant: str | None = None, sites_dir: Path = SITES_DIR
) -> dict[str, _SiteServer]:
    """Start one server per site in *names* on 127.0.0.1 (port 0), each in a daemon thread."""
    servers: dict[str, _SiteServer] = {}
    for name in names:
        directory = sites_dir / name
        if not (directory / "site.toml").is_file():
            known = ", ".join(site_names(sites_dir))
            raise SystemExit(f"error: no fixture site {name!r} (known: {known})")
        server = _SiteServer(Site.load(directory, variant))
        threading.Thread(target=server.serve_forever, args=(0.05,), name=f"mock-{name}", daemon=True).start()
        servers[name] = server
    return servers


def base_urls(servers: dict[str, _SiteServer]) -> dict[str, str]:
    """Return site name -> ``http://127.0.0.1:PORT/`` for running *servers*."""
    return {name: f"http://127.0.0.1:{s.server_address[1]}/" for name, s in servers.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: start the servers, print their URLs, serve until terminated."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sites", help="comma-separated site names (default: all)")
    parser.add_argument("--variant", choices=VARIANTS, help="lay this overlay over www/")
    args = parser.parse_args(argv)
    names = args.sites.split(",") if args.sites else site_names()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    servers = serve_sites(names, args.variant)
    print(json.dumps(base_urls(servers)), flush=True)
    stop.wait()
    for server in servers.values():
        server.shutdown()
        server.server_close()
    return 0


class MockServer:
    """Run ``tests/mockserver.py`` in a subprocess for the length of a ``with`` block."""

    def __init__(self, sites: Iterable[str] | None = None, variant: str | None = None) -> None:
        self.sites = list(sites) if sites is not None else None
        self.variant = variant
        self.urls: dict[str, str] = {}
        self._proc: subprocess.Popen[str] | None = None

    def __enter__(self) -> Self:
        cmd = [sys.executable, str(Path(__file__).resolve())]
        if self.sites is not None:
            cmd += ["--sites", ",".join(self.sites)]
        if self.variant is not None:
            cmd += ["--variant", self.variant]
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        line = self._proc.stdout.readline()
        if not line:
            code = self._proc.wait()
            raise RuntimeError(f"mock server exited with code {code} before printing its URLs")
        self.urls = json.loads(line)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._proc is not None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
            if self._proc.stdout is not None:
                self._proc.stdout.close()
            self._proc = None

    def url(self, site: str, path: str = "/") -> str:
        """Return the absolute URL of *path* on *site*."""
        return self.urls[site].rstrip("/") + "/" + path.lstrip("/")

    def requests(self, site: str) -> list[dict[str, str]]:
        """Return *site*'s request log: ``[{"method", "path", "query"}, ...]`` in arrival order."""
        with urllib.request.urlopen(self.url(site, "/_mock/requests"), timeout=10) as resp:
            return json.loads(resp.read().decode("utf-8"))  # type: ignore[no-any-return]

    def reset(self, site: str | None = None) -> None:
        """Clear the request log and counters of *site* (default: every site)."""
        for name in [site] if site is not None else list(self.urls):
            req = urllib.request.Request(self.url(name, "/_mock/reset"), data=b"", method="POST")
            with urllib.request.urlopen(req, timeout=10):
                pass


if __name__ == "__main__":
    sys.exit(main())
