"""Metrics for `syncd run --metrics-port`: what the service reports, and the HTTP server.

The service reports to a `Metrics` port: `NullMetrics` (nothing kept) without `--metrics-port`,
`PrometheusMetrics` (a dedicated registry, no global state) with it. `MetricsServer` serves
`GET /metrics` (Prometheus text) and `GET /healthz` (see syncd.entrypoints.metrics.health) in a
daemon thread.
"""

from syncd.entrypoints.metrics.prometheus import DURATION_BUCKETS, PrometheusMetrics
from syncd.entrypoints.metrics.server import ListenFailed, MetricsServer
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
]
