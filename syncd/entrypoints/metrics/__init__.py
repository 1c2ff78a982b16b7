"""Metrics for `syncd run --metrics-port`: what the service reports, and the HTTP server.

The service reports to a `Metrics` port: `NullMetrics` (nothing kept) without `--metrics-port`,
`PrometheusMetrics` (a dedicated registry, no global state) with it. `metrics_routes` are
`GET /metrics` (Prometheus text) and `GET /healthz` (see syncd.entrypoints.metrics.health) for the
HTTP listener (syncd.entrypoints.listener); `MetricsServer` is a listener serving just those.
"""

from syncd.entrypoints.listener import ListenFailed
from syncd.entrypoints.metrics.prometheus import DURATION_BUCKETS, PrometheusMetrics
from syncd.entrypoints.metrics.server import MetricsServer, metrics_routes
from syncd.service_layer.metrics import Metrics, NullMetrics, Traffic, error_kind

__all__ = [
    "DURATION_BUCKETS",
    "ListenFailed",
    "Metrics",
    "MetricsServer",
    "NullMetrics",
    "PrometheusMetrics",
    "Traffic",
    "error_kind",
    "metrics_routes",
]
