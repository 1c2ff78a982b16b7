"""/healthz and /metrics: the health rules, and the HTTP server that serves both."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta

import pytest

from syncd.adapters.state import CycleOutcome
from syncd.entrypoints.metrics import ListenFailed, MetricsServer, PrometheusMetrics, Traffic
from syncd.entrypoints.metrics.health import health_of
from tests.metrics.test_prometheus_metrics import START, a_row


def get(url: str) -> tuple[int, str, str]:
    """Status, content type and body of a GET, also for 4xx/5xx answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


class TestHealthRules:
    def test_healthy_when_every_last_cycle_succeeded(self) -> None:
        """All ok: healthy, status ok."""
        rows = {"web": a_row(CycleOutcome.OK), "support": a_row(CycleOutcome.OK)}

        health = health_of(["web", "support"], rows)

        assert (health.ok, health.document["status"]) == (True, "ok")

    def test_a_rate_limit_pause_is_healthy_and_says_until_when(self) -> None:
        """A paused tracker keeps the service healthy; the reason names it and the end."""
        until = START + timedelta(minutes=2)
        rows = {"web": a_row(CycleOutcome.OK), "support": a_row(
            CycleOutcome.PAUSED, tracker="support", paused_until=until)}  # fmt: skip

        health = health_of(["web", "support"], rows)

        assert (health.ok, health.document["status"]) == (True, "paused")
        assert "support: rate limited until 2026-11-02T16:02:00Z" in str(health.document["reason"])

    def test_a_failed_tracker_is_unhealthy_and_named(self) -> None:
        """An error wins over everything else and the reason carries the tracker's message."""
        rows = {"web": a_row(CycleOutcome.ERROR, message="connection refused")}

        health = health_of(["web", "support"], rows)

        assert (health.ok, health.document["status"]) == (False, "failing")
        assert health.document["reason"] == "web: connection refused"

    def test_before_every_tracker_finished_a_cycle_it_is_starting(self) -> None:
        """A tracker without a cycle yet makes the answer "starting", which is not healthy."""
        health = health_of(["web", "support"], {"web": a_row(CycleOutcome.OK)})

        assert (health.ok, health.document["status"]) == (False, "starting")
        trackers = health.document["trackers"]
        assert isinstance(trackers, dict)
        assert trackers["support"]["outcome"] == "starting"

    def test_before_the_service_is_built_it_is_starting(self) -> None:
        """No tracker known yet (the server starts first): not healthy."""
        health = health_of([], {})

        assert (health.ok, health.document["status"]) == (False, "starting")


@pytest.fixture
def served() -> Iterator[tuple[PrometheusMetrics, MetricsServer]]:
    metrics = PrometheusMetrics(scrub=lambda text: text.replace("hunter2", "***"))
    metrics.track(["web"])
    with MetricsServer(metrics, "127.0.0.1", 0) as server:
        yield metrics, server


class TestMetricsServer:
    def test_healthz_is_503_until_the_first_cycle_then_200(
        self, served: tuple[PrometheusMetrics, MetricsServer]
    ) -> None:
        """Readiness: 503 "starting" at first, 200 with a JSON body after an ok cycle."""
        metrics, server = served
        url = f"http://127.0.0.1:{server.port}/healthz"

        before = get(url)
        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(), {})
        after = get(url)

        assert (before[0], json.loads(before[2])["status"]) == (503, "starting")
        assert (after[0], after[1], json.loads(after[2])["status"]) == (
            200,
            "application/json",
            "ok",
        )

    def test_healthz_masks_secrets_in_messages(
        self, served: tuple[PrometheusMetrics, MetricsServer]
    ) -> None:
        """A secret that slipped into an error message is masked in the 503 body."""
        metrics, server = served
        metrics.cycle_finished(
            a_row(CycleOutcome.ERROR, message="token hunter2 refused"), Traffic(), {}
        )

        status, _, body = get(f"http://127.0.0.1:{server.port}/healthz")

        assert status == 503
        assert "hunter2" not in body
        assert "web: token *** refused" in body

    def test_metrics_are_served_in_the_prometheus_text_format(
        self, served: tuple[PrometheusMetrics, MetricsServer]
    ) -> None:
        """/metrics answers 200 in text format 0.0.4 with syncd's families."""
        metrics, server = served
        metrics.wrote("web", "assign")

        status, content_type, body = get(f"http://127.0.0.1:{server.port}/metrics")

        assert status == 200
        assert content_type.startswith("text/plain; version=0.0.4")
        assert 'syncd_writes_total{action="assign",tracker="web"} 1.0' in body

    def test_an_unknown_path_is_404(self, served: tuple[PrometheusMetrics, MetricsServer]) -> None:
        """Only /metrics and /healthz exist."""
        _, server = served

        status, _, _ = get(f"http://127.0.0.1:{server.port}/admin")

        assert status == 404

    def test_a_taken_port_is_a_clear_error(self) -> None:
        """Listening on a port in use raises ListenFailed naming the address."""
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]

            with pytest.raises(ListenFailed, match=f"127.0.0.1:{port}"):
                MetricsServer(PrometheusMetrics(), "127.0.0.1", port)

    def test_close_frees_the_port(self) -> None:
        """After close() nothing answers on the port any more."""
        server = MetricsServer(PrometheusMetrics(), "127.0.0.1", 0)
        port = server.port

        server.close()

        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2)


class TestHealthzHead:
    def test_head_answers_as_get_does_without_a_body(self) -> None:
        """HEAD /healthz: GET's status, content type and length, and no body."""
        metrics = PrometheusMetrics()
        with MetricsServer(metrics, "127.0.0.1", 0) as server:
            url = f"http://127.0.0.1:{server.port}/healthz"
            status, content_type, body = get(url)
            head = urllib.request.Request(url, method="HEAD")
            try:
                with urllib.request.urlopen(head, timeout=5) as answer:
                    got = answer.status, answer.headers, answer.read()
            except urllib.error.HTTPError as error:
                got = error.code, error.headers, error.read()

        assert (got[0], got[1]["Content-Type"]) == (status, content_type)
        assert got[1]["Content-Length"] == str(len(body.encode()))
        assert got[2] == b""
