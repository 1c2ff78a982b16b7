"""Tests of the metrics, /healthz and their server."""
