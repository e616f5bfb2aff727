"""Serve a generated portal on 127.0.0.1 and measure the server's own ceiling.

nginx (Debian's package) is preferred: it is started with a generated
``nginx.conf`` and ``-p``/``-c`` inside the portal's folder, never touching the
system configuration. If nginx is missing, ``apt-get install -y nginx-light``
is tried once (root only); failing that, a threaded Python server stands in
and says so, since it is slower and may become the bottleneck.

UTF-8 sections are served with ``charset=utf-8`` in Content-Type; GBK sections
(``/local/``, ``/finance/``) with a bare ``text/html``, so the crawler must read
their ``<meta charset="gbk">``, as on many real portals.

Standalone: ``python benchmarks/server.py --articles 1000`` serves the portal,
prints its URL and the ceiling, and serves until interrupted (``--ceiling-only``
stops after measuring).
"""

from __future__ import annotations

import argparse
import asyncio
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Server", "measure_ceiling", "serve"]

GBK_SECTIONS = ("local", "finance")

_NGINX_CONF = """\
worker_processes 1;
daemon off;
master_process on;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    open_file_cache max=200000 inactive=60s;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    types {{ text/html html htm; text/plain txt; text/css css; application/javascript js; }}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {www};
        index index.html;
        location ~ ^/({gbk})/ {{ }}
        location / {{ charset utf-8; }}
    }}
}}
"""


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: its *base_url* (ends with '/'), *kind* ('nginx' or 'python') and *pid*."""

    base_url: str
    kind: str
    pid: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_listening(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start within {timeout:.0f} s")


def find_nginx(install: bool = True) -> str | None:
    """Return the nginx binary, installing Debian's nginx-light first if *install* and root."""
    for cand in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if cand and os.access(cand, os.X_OK):
            return cand
    if install and os.geteuid() == 0 and shutil.which("apt-get"):
        print("nginx not found: installing Debian's nginx-light ...", file=sys.stderr)
        for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "nginx-light"]):
            if subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False).returncode:
                return None
        return find_nginx(install=False)
    return None


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        ctype = super().guess_type(path)
        rel = os.path.relpath(str(path), self.directory)
        if ctype == "text/html" and rel.split(os.sep, 1)[0] not in GBK_SECTIONS:
            return "text/html; charset=utf-8"
        return ctype


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve(www: Path, work: Path, *, prefer: str = "nginx") -> Iterator[Server]:
    """Serve *www* on 127.0.0.1 until the block exits; nginx files go in *work*.

    SIGTERM is turned into SystemExit while serving, so a terminated benchmark
    still stops its nginx instead of leaving it running.
    """
    work.mkdir(parents=True, exist_ok=True)
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = _free_port()
    nginx = find_nginx() if prefer == "nginx" else None
    if nginx:
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (work / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = work / "nginx.conf"
        conf.write_text(_NGINX_CONF.format(work=work, www=www.resolve(), port=port,
                                           gbk="|".join(GBK_SECTIONS)), "utf-8")
        proc = subprocess.Popen([nginx, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            _wait_listening(port)
        except RuntimeError:
            proc.kill()
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise RuntimeError(f"nginx failed to start: {err.strip()} (see {work}/error.log)") from None
        try:
            yield Server(f"http://127.0.0.1:{port}/", "nginx", proc.pid)
        finally:
            proc.send_signal(signal.SIGQUIT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        return
    if prefer == "nginx":
        print("nginx unavailable: falling back to Python's threaded http.server "
              "(slower; check the ceiling line)", file=sys.stderr)

    def handler(*args: object, **kw: object) -> _Handler:
        return _Handler(*args, directory=str(www), **kw)  # type: ignore[arg-type]

    httpd = _QuietServer(("127.0.0.1", port), handler)  # type: ignore[arg-type]
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield Server(f"http://127.0.0.1:{port}/", "python", os.getpid())
    finally:
        httpd.shutdown()
        httpd.server_close()


_WRK_LUA = """\
local paths = {}
for line in io.lines("%s") do if #line > 0 then paths[#paths + 1] = line end end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _ceiling_wrk(wrk: str, base_url: str, pages: Path, seconds: float, connections: int) -> dict[str, object]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_WRK_LUA % pages.resolve())
    try:
        out = subprocess.run([wrk, "-t1", f"-c{connections}", f"-d{int(seconds)}s", "-s", f.name, base_url],
                             capture_output=True, text=True, timeout=seconds + 30, check=False).stdout
    finally:
        os.unlink(f.name)
    rps = mbps = 0.0
    for line in out.splitlines():
        if line.startswith("Requests/sec:"):
            rps = float(line.split()[1])
        elif line.startswith("Transfer/sec:"):
            val = line.split()[1]
            scale = {"KB": 1e-3, "MB": 1.0, "GB": 1e3}.get(val[-2:], 1e-6)
            mbps = float(val[:-2]) * scale if val[-2:] in ("KB", "MB", "GB") else float(val[:-1]) * 1e-6
    return {"tool": f"wrk -t1 -c{connections}", "requests_per_s": round(rps), "MB_per_s": round(mbps, 1)}


async def _ceiling_py(host: str, port: int, paths: list[str], seconds: float, connections: int) -> tuple[int, int]:
    done = nbytes = 0
    stop = time.monotonic() + seconds

    async def worker(k: int) -> None:
        nonlocal done, nbytes
        reader, writer = await asyncio.open_connection(host, port)
        i = k
        while time.monotonic() < stop:
            path = paths[i % len(paths)]
            i += connections
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            done += 1
            nbytes += length
        writer.close()

    await asyncio.gather(*(worker(k) for k in range(connections)))
    return done, nbytes


def measure_ceiling(base_url: str, pages: Path, *, seconds: float = 5.0, connections: int = 32) -> dict[str, object]:
    """Return the server's request rate on the portal's page mix, with wrk if present.

    The fallback client is a small asyncio loop in Python; it is itself slower
    than nginx, so its figure is a lower bound of the server's ceiling.
    """
    wrk = shutil.which("wrk")
    if wrk:
        return _ceiling_wrk(wrk, base_url, pages, seconds, connections)
    host, port = base_url.split("//", 1)[1].rstrip("/").split(":")
    paths = [p for p in pages.read_text("utf-8").splitlines() if p]
    t0 = time.perf_counter()
    done, nbytes = asyncio.run(_ceiling_py(host, int(port), paths, seconds, connections))
    dt = time.perf_counter() - t0
    return {"tool": f"python asyncio client, {connections} connections (lower bound)",
            "requests_per_s": round(done / dt), "MB_per_s": round(nbytes / dt / 1e6, 1)}


def main(argv: list[str] | None = None) -> int:
    """Command line: generate (if needed) and serve a portal, print URL and ceiling."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from gen_portal import generate_portal, portal_dir

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--server", choices=("nginx", "python"), default="nginx")
    ap.add_argument("--ceiling-only", action="store_true")
    args = ap.parse_args(argv)
    out = portal_dir(args.articles)
    generate_portal(args.articles, out)
    with serve(out / "www", out / f"server-{args.server}", prefer=args.server) as srv:
        print(f"serving {out / 'www'} at {srv.base_url} ({srv.kind})", flush=True)
        print(f"ceiling: {measure_ceiling(srv.base_url, out / 'pages.txt')}", flush=True)
        if not args.ceiling_only:
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
