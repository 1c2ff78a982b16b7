"""/metrics (Prometheus text) and /healthz (JSON) as routes of the HTTP listener."""

from __future__ import annotations

import json

from syncd.entrypoints.listener import Answer, Limits, Listener, Request, Route
from syncd.entrypoints.metrics.prometheus import PrometheusMetrics


def metrics_routes(metrics: PrometheusMetrics) -> tuple[Route, ...]:
    """`GET /metrics` and `GET /healthz` (HEAD too: a load balancer's health probe)."""

    def exposition(request: Request) -> Answer:
        body, content_type = metrics.exposition(request.headers.get("accept", ""))
        return Answer(200, content_type, body)

    def healthz(request: Request) -> Answer:
        health = metrics.health()
        body = json.dumps(health.document, indent=1).encode() + b"\n"
        return Answer(200 if health.ok else 503, "application/json", body)

    return Route("/metrics", {"GET": exposition}), Route("/healthz", {"GET": healthz})


class MetricsServer(Listener):
    """A listener serving only the metrics routes (what `--metrics-port` starts)."""

    def __init__(
        self, metrics: PrometheusMetrics, host: str, port: int, limits: Limits | None = None
    ) -> None:
        super().__init__(
            metrics_routes(metrics), host, port, limits or Limits(), option="--metrics-port"
        )
