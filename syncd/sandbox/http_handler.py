"""The sandbox's HTTP plumbing: each request turned into a `Sandbox.respond` call and back."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import Protocol
from urllib.parse import parse_qs

from syncd.sandbox.exchange import Request, Response


class _Clock(Protocol):
    def now(self) -> datetime: ...


class Served(Protocol):
    """What the handler needs of the sandbox: its answers and its clock."""

    @property
    def store(self) -> _Clock: ...

    def respond(self, handler: BaseHTTPRequestHandler) -> Response | None: ...


def request_of(handler: BaseHTTPRequestHandler, prefix: str, path: str, query: str) -> Request:
    """The request as the sandbox's APIs see it: the path under `prefix`, the query parsed."""
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length > 0 else b""
    # Object URLs must use the host and port the client asked for (PyGithub asserts on it).
    host = handler.headers.get("Host") or "127.0.0.1"
    return Request(
        method=handler.command,
        path=path.rstrip("/") or "/",
        query=parse_qs(query, keep_blank_values=True),
        headers={k.lower(): v for k, v in handler.headers.items()},
        body=body,
        origin=f"http://{host}",
        prefix=prefix,
    )


class Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a `Sandbox.respond` call."""

    protocol_version = "HTTP/1.1"  # keep-alive, as the real services and clients use
    server_version = "syncd-sandbox"
    # Headers and body leave in two writes; with Nagle on, the body waits for the client's
    # delayed ACK (40 ms on Linux), which made every answer with a body take 44 ms.
    disable_nagle_algorithm = True

    def _serve(self) -> None:
        sandbox: Served = self.server.sandbox  # type: ignore[attr-defined]
        response = sandbox.respond(self)
        if response is None:
            # A dropped connection: close the socket without a byte of answer.
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up first (a latency fault outlasting its timeout): nobody to tell.
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve  # noqa: N815 - stdlib names

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The `Date` header from the sandbox clock, as a real server's comes from its own."""
        if timestamp is not None:
            return super().date_time_string(timestamp)
        sandbox: Served = self.server.sandbox  # type: ignore[attr-defined]
        return format_datetime(sandbox.store.now().astimezone(UTC), usegmt=True)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the per-request stderr line; Stats counts requests instead."""
