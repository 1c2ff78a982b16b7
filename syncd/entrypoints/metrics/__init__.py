"""Metrics for `syncd run --metrics-port`: what the service reports, and the HTTP server.

The service reports to a `Metrics` port: `NullMetrics` (nothing kept) without `--metrics-port`,
`PrometheusMetrics` (a dedicated registry, no global state) with it. `metrics_routes` are
`GET /metrics` (Prometheus text) and `GET /healthz` (see syncd.entrypoints.metrics.health) for the
HTTP listener (syncd.entrypoints.listener); `MetricsServer` is a listener serving just those.
"""

import importlib
from typing import TYPE_CHECKING

from syncd.entrypoints.listener import ListenFailed
from syncd.service_layer.metrics import Metrics, NullMetrics, Traffic, error_kind

if TYPE_CHECKING:
    from syncd.entrypoints.metrics.prometheus import DURATION_BUCKETS, PrometheusMetrics
    from syncd.entrypoints.metrics.server import MetricsServer, metrics_routes

# prometheus_client is imported on first use: `syncd run --once` without a listener never needs it.
_LAZY = {
    "DURATION_BUCKETS": "syncd.entrypoints.metrics.prometheus",
    "PrometheusMetrics": "syncd.entrypoints.metrics.prometheus",
    "MetricsServer": "syncd.entrypoints.metrics.server",
    "metrics_routes": "syncd.entrypoints.metrics.server",
}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


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
