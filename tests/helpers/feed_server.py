"""A local HTTP server for the feed tests: 127.0.0.1, a free port, one thread per request.

Routes are set per test: `server.serve(path, body, content_type=..., ...)` for a document (with
ETag / Last-Modified and 304 on a matching conditional request), or `server.route(path, handler)`
for anything odd (slow, endless, compressed bombs, status sequences). Every request is recorded
(`server.requests`) with its headers, so tests can check what the client sent.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class FeedServer:
    httpd: ThreadingHTTPServer
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def serve(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml",
        validators: bool = True,
        gzip_body: bool = False,
    ) -> str:
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        modified = formatdate(1_764_000_000, usegmt=True)

        def handler(request: BaseHTTPRequestHandler) -> None:
            if validators and (
                request.headers.get("If-None-Match") == etag
                or request.headers.get("If-Modified-Since") == modified
            ):
                request.send_response(304)
                request.send_header("ETag", etag)
                request.end_headers()
                return
            payload = gzip.compress(body) if gzip_body else body
            request.send_response(200)
            request.send_header("Content-Type", content_type)
            request.send_header("Content-Length", str(len(payload)))
            if gzip_body:
                request.send_header("Content-Encoding", "gzip")
            if validators:
                request.send_header("ETag", etag)
                request.send_header("Last-Modified", modified)
            request.end_headers()
            request.wfile.write(payload)

        return self.route(path, handler)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def start() -> FeedServer:
    server: FeedServer

    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
            handler = server.routes.get(self.path)
            if handler is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler(self)

        def log_message(self, *args: object) -> None:
            pass

    class _Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that hung up on an endless body is what the tests want

    httpd = _Server(("127.0.0.1", 0), _Handler)
    server = FeedServer(httpd)
    threading.Thread(target=httpd.serve_forever, name="feed-server", daemon=True).start()
    return server


# ---------------------------------------------------------------------- odd responses


def sequence(*handlers: Handler) -> Handler:
    """The n-th request gets the n-th handler (the last one from then on)."""
    calls = [0]
    lock = threading.Lock()

    def handler(request: BaseHTTPRequestHandler) -> None:
        with lock:
            index = min(calls[0], len(handlers) - 1)
            calls[0] += 1
        handlers[index](request)

    return handler


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(code)
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.send_header("Content-Length", "0")
        request.end_headers()

    return handler


def document(body: bytes, content_type: str = "application/rss+xml") -> Handler:
    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    return handler


def redirect(target: str, code: int = 302) -> Handler:
    return status(code, {"Location": target})


def slow(seconds: float, stopping: threading.Event) -> Handler:
    """Headers at once, then nothing for `seconds` (or until the server stops)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Length", "100")
        request.end_headers()
        request.wfile.flush()
        stopping.wait(seconds)

    return handler


def trickle(stopping: threading.Event, interval: float = 0.05) -> Handler:
    """A byte every `interval`, for ever: each read is quick, only a total timeout stops it."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.end_headers()
        request.wfile.write(b"<?xml version='1.0'?><rss>")
        while not stopping.is_set():
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(interval)

    return handler


def endless(stopping: threading.Event) -> Handler:
    """A body that never ends (no Content-Length, connection close), as fast as it can be read."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(b"<?xml version='1.0'?><rss><channel>")
        chunk = b"<item><title>again</title></item>" * 2000
        while not stopping.is_set():
            request.wfile.write(chunk)
        request.close_connection = True

    return handler


def gzip_bomb(decoded_megabytes: int) -> Handler:
    """A small gzip body that decodes to `decoded_megabytes` MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # gzip framing
    megabyte = b"\0" * (1024 * 1024)
    payload = b"".join(packer.compress(megabyte) for _ in range(decoded_megabytes)) + packer.flush()

    def handler(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("Content-Encoding", "gzip")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    return handler
