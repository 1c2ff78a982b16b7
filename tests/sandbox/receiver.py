"""A webhook receiver for tests: a stdlib HTTP server on 127.0.0.1 that records every POST."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass(frozen=True)
class Received:
    """One request as it arrived: path, headers (names as sent) and the raw body."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, object]:
        """The body parsed."""
        parsed = json.loads(self.body)
        assert isinstance(parsed, dict)
        return parsed


class Receiver:
    """Records requests in arrival order and answers each with `status`."""

    def __init__(self, status: int = 202) -> None:
        self.status = status
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.receiver = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,))

    @property
    def url(self) -> str:
        """e.g. http://127.0.0.1:40123."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def record(self, request: Received) -> None:
        """Keep one request."""
        with self._lock:
            self.received.append(request)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        receiver: Receiver = self.server.receiver  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        receiver.record(Received(self.path, dict(self.headers.items()), body))
        self.send_response(receiver.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""
