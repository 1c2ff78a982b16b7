"""Real network failures on 127.0.0.1, for the tests of what syncd says about them."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# RFC 6761: names under .invalid never resolve, so the lookup fails without a network.
UNKNOWN_HOST = "syncd-test.invalid"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then freed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers; yields the port."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])


class _Redirect(BaseHTTPRequestHandler):
    location = ""
    status = 302

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Location", self.location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a test's output is not the place for an access log."""


@contextmanager
def http_server(location: str = "", status: int = 302) -> Iterator[int]:
    """A plain-HTTP server answering every GET with `status` and `location`; yields the port."""
    handler = type("Handler", (_Redirect,), {"location": location, "status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
