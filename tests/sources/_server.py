"""A real HTTP server on 127.0.0.1 with scripted replies, for network tests without internet.

Routes map a path (plus, optionally, query parameters that must match) to a script of
:class:`Reply` steps served in order; the last step repeats. A step can delay, truncate
its body below the declared ``Content-Length``, or send any status and headers, so that
timeouts, 5xx storms, 429 with ``Retry-After``, HTML error pages and cut connections are
all produced by a genuine socket exchange. Every request is recorded.

Use ``with LocalServer() as server:`` or ``yield from serve()`` in a fixture.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    """One scripted response.

    Attributes
    ----------
    status
        HTTP status code.
    body
        Bytes of the body (``str`` is encoded as UTF-8).
    content_type
        ``Content-Type`` header.
    headers
        Extra headers.
    delay
        Seconds to wait before answering (to trigger read timeouts).
    truncate_to
        Send only this many body bytes, with ``Content-Length`` of the whole body, then
        close the connection.
    send_date
        Send a ``Date`` header (the current time unless ``headers`` has one).
    drip
        Seconds between body bytes: a server that drip-feeds its reply, each byte in time
        for any read timeout.
    validators
        Send ``ETag`` (from the body's SHA-256) and ``Last-Modified`` (this HTTP-date), and
        answer ``304 Not Modified`` without a body to a request whose ``If-None-Match``
        matches the ETag or whose ``If-Modified-Since`` is not before it.
    """

    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/csv; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate_to: int | None = None
    send_date: bool = True
    drip: float = 0.0
    validators: str | None = None

    @property
    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes


@dataclass
class _Route:
    method: str
    path: str
    query: Mapping[str, str]
    replies: list[Reply]
    served: int = 0

    def matches(self, method: str, path: str, query: Mapping[str, list[str]]) -> bool:
        return (
            method == self.method
            and path == self.path
            and all(query.get(name) == [value] for name, value in self.query.items())
        )

    def next_reply(self) -> Reply:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class LocalServer:
    """Threaded HTTP/1.1 server on an ephemeral 127.0.0.1 port serving scripted routes."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._lock = threading.Lock()
        self.requests: list[RecordedRequest] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        # A short poll interval makes shutdown (once per test) take milliseconds, not 0.5 s.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:54321`` (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def route(
        self,
        path: str,
        *replies: Reply,
        method: str = "GET",
        query: Mapping[str, str] | None = None,
    ) -> None:
        """Serve ``replies`` in order (the last repeats) at ``path`` (and ``query``)."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        with self._lock:
            self._routes.append(_Route(method, path, dict(query or {}), list(replies)))

    def hits(self, path: str, *, method: str | None = None) -> int:
        """How many requests reached ``path``."""
        with self._lock:
            return sum(
                r.path == path and (method is None or r.method == method) for r in self.requests
            )

    def _dispatch(self, method: str, path: str, query: Mapping[str, list[str]]) -> Reply:
        with self._lock:
            for route in reversed(self._routes):
                if route.matches(method, path, query):
                    return route.next_reply()
        return Reply(status=404, body=f"no route for {method} {path}", content_type="text/plain")

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in one segment: no Nagle/delayed-ACK stall per request.
            disable_nagle_algorithm = True
            wbufsize = 1 << 16

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query, keep_blank_values=True)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server._record(
                    RecordedRequest(
                        method=self.command,
                        path=parts.path,
                        query=query,
                        headers={k.lower(): v for k, v in self.headers.items()},
                        body=body,
                    )
                )
                reply = server._dispatch(self.command, parts.path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.payload
                status, extra = reply.status, dict(reply.headers)
                if reply.validators is not None:
                    etag = '"' + hashlib.sha256(payload).hexdigest()[:24] + '"'
                    extra |= {"ETag": etag, "Last-Modified": reply.validators}
                    if _not_modified(self.headers, etag, reply.validators):
                        status, payload = 304, b""
                self.send_response_only(status)
                if reply.send_date and not any(n.lower() == "date" for n in reply.headers):
                    self.send_header("Date", self.date_time_string())
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra.items():
                    self.send_header(name, value)
                if reply.truncate_to is not None:
                    self.send_header("Connection", "close")
                    self.close_connection = True
                self.end_headers()
                cut = len(payload) if reply.truncate_to is None else reply.truncate_to
                if reply.drip:
                    for position in range(cut):
                        self.wfile.write(payload[position : position + 1])
                        self.wfile.flush()
                        time.sleep(reply.drip)
                    return
                self.wfile.write(payload[:cut])
                self.wfile.flush()

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def log_message(self, format: str, *args: object) -> None:
                """Keep test output quiet."""

            def handle(self) -> None:
                # A client that timed out closes the socket while a delayed reply is
                # still being written; that is the scenario under test, not an error.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

        return Handler


def _not_modified(headers: Mapping[str, str], etag: str, last_modified: str) -> bool:
    """RFC 9110 precedence: If-None-Match decides when present, else If-Modified-Since."""
    match = headers.get("If-None-Match")
    if match is not None:
        return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
    since = headers.get("If-Modified-Since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False


def closed_port_url() -> str:
    """Base URL of a 127.0.0.1 port that nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def serve() -> Iterator[LocalServer]:
    """Generator for a pytest fixture: a started server, stopped afterwards."""
    with LocalServer() as server:
        yield server


@dataclass
class FakeTime:
    """A monotonic clock that only moves when something sleeps on it."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
