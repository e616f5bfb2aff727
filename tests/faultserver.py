"""A local HTTP server that misbehaves on purpose, one fault per path.

Runs in a thread of the test process on 127.0.0.1, port 0, speaking HTTP/1.1
over raw sockets so that it can do what well-behaved servers never do: hang,
reset the connection, send less than its Content-Length, stream forever. Each
path answers with a ``Reply`` (or a list of them: the n-th request to the path
gets the n-th reply, the last one repeating). Every request is logged with its
arrival time (``server.requests``), so tests can assert on what reached the
server, how often and how far apart.

    with FaultServer() as server:
        server.route("/a.html", [status(503), page(ARTICLE_HTML)])
        server.url("/a.html")  -> "http://127.0.0.1:PORT/a.html"
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

__all__ = [
    "FaultServer",
    "Reply",
    "article_html",
    "chunked_forever",
    "hang",
    "listing_html",
    "page",
    "redirect",
    "reset",
    "status",
    "truncated",
]

_REASONS = {
    200: "OK", 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect",
    404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable",
}

# A reply writes itself to the client socket; *stop* is set when the server shuts down.
Reply = Callable[[socket.socket, threading.Event], None]


def _head(code: int, headers: Sequence[tuple[str, str]]) -> bytes:
    lines = [f"HTTP/1.1 {code} {_REASONS.get(code, 'Status')}"]
    lines += [f"{k}: {v}" for k, v in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def page(
    body: bytes | str,
    content_type: str | None = "text/html; charset=utf-8",
    *,
    code: int = 200,
    headers: Sequence[tuple[str, str]] = (),
) -> Reply:
    """Reply with *body* (str is sent as UTF-8), a correct Content-Length, then close."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        hdrs = [("Content-Length", str(len(data))), ("Connection", "close"), *headers]
        if content_type is not None:
            hdrs.insert(0, ("Content-Type", content_type))
        sock.sendall(_head(code, hdrs) + data)

    return reply


def status(code: int, *, headers: Sequence[tuple[str, str]] = ()) -> Reply:
    """Reply with an error page of status *code* and *headers*."""
    return page(f"<html><body><h1>{code}</h1></body></html>", code=code, headers=headers)


def redirect(location: str, code: int = 302) -> Reply:
    """Reply with a *code* redirect to *location* (relative or absolute)."""
    return page(b"", content_type=None, code=code, headers=[("Location", location)])


def hang(seconds: float = 30.0) -> Reply:
    """Accept the request, then send nothing for *seconds* (or until shutdown)."""

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        stop.wait(seconds)

    return reply


def reset(after: bytes = b"") -> Reply:
    """Send *after* (e.g. a partial status line), then reset the connection (TCP RST)."""

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        if after:
            sock.sendall(after)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    return reply


def truncated(body: bytes | str, declared: int, content_type: str = "text/html; charset=utf-8") -> Reply:
    """Declare Content-Length *declared* but send only *body*, then close."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        hdrs = [("Content-Type", content_type), ("Content-Length", str(declared)), ("Connection", "close")]
        sock.sendall(_head(200, hdrs) + data)

    return reply


def chunked_forever(chunk: bytes = b"<p>" + "无尽的正文".encode() * 2000 + b"</p>\n") -> Reply:
    """Stream a chunked body that never ends, until the client hangs up; counts bytes sent."""

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        hdrs = [("Content-Type", "text/html; charset=utf-8"), ("Transfer-Encoding", "chunked")]
        sock.sendall(_head(200, hdrs) + b"c\r\n<html><body>\r\n")
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        sent = 0
        try:
            while not stop.is_set() and sent < 1 << 30:
                sock.sendall(frame)
                sent += len(frame)
        except OSError:
            pass
        reply.sent = sent  # type: ignore[attr-defined]

    return reply


def sized(total: int, *, declare: bool, content_type: str = "text/html; charset=utf-8") -> Reply:
    """Send a *total*-byte page, with or without a Content-Length; stop when the client hangs up."""

    def reply(sock: socket.socket, stop: threading.Event) -> None:
        hdrs = [("Content-Type", content_type), ("Connection", "close")]
        if declare:
            hdrs.append(("Content-Length", str(total)))
        sock.sendall(_head(200, hdrs))
        block = b"<p>" + b"x" * 65530 + b"</p>"
        sent = 0
        try:
            while sent < total and not stop.is_set():
                part = block[: total - sent]
                sock.sendall(part)
                sent += len(part)
        except OSError:
            pass
        reply.sent = sent  # type: ignore[attr-defined]

    return reply


@dataclass
class _Route:
    replies: list[Reply]
    hits: int = 0


@dataclass
class FaultServer:
    """The server; a context manager. ``routes`` maps a path (query included or not) to replies."""

    routes: dict[str, _Route] = field(default_factory=dict)
    requests: list[dict[str, object]] = field(default_factory=list)
    default: Reply = field(default_factory=lambda: status(404))

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                server._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        """Return the absolute URL of *path* on this server."""
        return self.base + path

    def route(self, path: str, replies: Reply | Sequence[Reply]) -> str:
        """Serve *replies* at *path* (the n-th request gets the n-th); return its URL."""
        listed = [replies] if callable(replies) else list(replies)
        self.routes[path] = _Route(listed)
        return self.url(path)

    def hits(self, path: str) -> list[dict[str, object]]:
        """Return the logged requests for *path* (query included when it has one)."""
        with self._lock:
            return [r for r in self.requests if r["target"] == path or r["path"] == path]

    def _read_head(self, sock: socket.socket) -> bytes | None:
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return None
            if not chunk:
                return None
            data += chunk
            if len(data) > 1 << 20:
                return None
        return data.split(b"\r\n\r\n", 1)[0]

    def _handle(self, sock: socket.socket) -> None:
        head = self._read_head(sock)
        if head is None:
            return
        lines = head.decode("latin-1").split("\r\n")
        try:
            method, target, _ = lines[0].split(" ", 2)
        except ValueError:
            return
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts = urlsplit(target)
        entry = {
            "method": method,
            "target": parts.path + (f"?{parts.query}" if parts.query else ""),
            "path": parts.path,
            "query": parts.query,
            "time": time.monotonic(),
            "headers": headers,
        }
        with self._lock:
            self.requests.append(entry)
            route = self.routes.get(str(entry["target"])) or self.routes.get(parts.path)
            if route is not None:
                reply = route.replies[min(route.hits, len(route.replies) - 1)]
                route.hits += 1
            else:
                reply = self.default
        try:
            reply(sock, self._stop)
        except OSError:
            pass


def listing_html(links: Sequence[tuple[str, str]], title: str = "本地新闻", extra: str = "") -> str:
    """Return a listing page linking to *links* ((href, text) pairs), dated like a CMS list."""
    items = "\n".join(
        f'<li><a href="{href}" target="_blank">{text}</a><span>2024-01-0{1 + i % 9}</span></li>'
        for i, (href, text) in enumerate(links)
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}_测试新闻网</title></head>"
        f"<body><div class=\"nav\"><a href=\"/\">首页</a></div><h2>{title}</h2>"
        f"<ul class=\"list\">\n{items}\n</ul>{extra}</body></html>"
    )


def article_html(title: str, paragraphs: Sequence[str], *, charset: str | None = "utf-8", date: str = "2024-01-05 10:30") -> str:
    """Return an article page: headline, date line, body paragraphs, footer boilerplate."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}_测试新闻网</title></head><body>"
        f"<div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/news/\">新闻</a></div>"
        f"<div class=\"article\"><h1>{title}</h1>"
        f"<div class=\"info\">发布时间：{date} 来源：测试日报</div>"
        f"<div class=\"content\">{body}</div></div>"
        f"<div class=\"footer\">版权所有 测试新闻网</div></body></html>"
    )
