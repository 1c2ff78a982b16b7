"""The HTTP side of metrics: `GET /metrics` (Prometheus text) and `GET /healthz` in a thread."""

from __future__ import annotations

import json
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import structlog

from syncd.entrypoints.metrics.prometheus import PrometheusMetrics
from syncd.errors import SyncdError

log = structlog.get_logger("syncd.metrics")


class ListenFailed(SyncdError):
    """The metrics server cannot listen on the address asked for."""


class MetricsServer:
    """/metrics and /healthz over HTTP in a daemon thread; `close()` shuts it down."""

    def __init__(self, metrics: PrometheusMetrics, host: str, port: int) -> None:
        try:
            self._http = _Server((host, port), metrics)
        except (OSError, OverflowError) as exc:
            raise ListenFailed(f"--metrics-port: cannot listen on {host}:{port}: {exc}") from exc
        self.host, self.port = host, int(self._http.server_address[1])
        # A short poll makes shutdown quick (the default waits up to half a second).
        serve = partial(self._http.serve_forever, poll_interval=0.1)
        self._thread = threading.Thread(target=serve, name="syncd-metrics", daemon=True)
        self._thread.start()
        log.info("serving metrics", url=f"http://{host}:{self.port}/metrics")

    def close(self) -> None:
        """Stop serving and free the port."""
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MetricsServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a slow scraper must not hold up the exit

    def __init__(self, address: tuple[str, int], metrics: PrometheusMetrics) -> None:
        self.metrics = metrics
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        """Answer /metrics, /healthz, or 404."""
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        """As GET, status and headers, without the body (a load balancer's health probe)."""
        self._serve(with_body=False)

    def _serve(self, *, with_body: bool) -> None:
        self._with_body = with_body
        path = urlsplit(self.path).path
        if path == "/metrics":
            body, content_type = self.server.metrics.exposition(self.headers.get("Accept", ""))
            self._answer(200, content_type, body)
        elif path == "/healthz":
            health = self.server.metrics.health()
            body = json.dumps(health.document, indent=1).encode() + b"\n"
            self._answer(200 if health.ok else 503, "application/json", body)
        else:
            self._answer(404, "text/plain; charset=utf-8", b"not found: try /metrics or /healthz\n")

    def _answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self._with_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Scrapes every few seconds would drown the log; they are not logged."""
