"""The writes waiting per tracker and when they will be done: a gauge and /healthz detail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.domain.write_budget import WriteBudget
from syncd.entrypoints.metrics import PrometheusMetrics
from syncd.service_layer.service import Service
from tests.builders import a_config, a_github_tracker
from tests.fakes import FakeClock, FakeTracker
from tests.metrics.test_prometheus_metrics import START, value


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "syncd.db") as opened:
        yield opened


def _spent_cycle(store: Store, metrics: PrometheusMetrics) -> None:
    """Three issues needing a write each under a budget of two an hour: one left waiting."""
    clock = FakeClock(START)
    web = FakeTracker("web", clock)
    for _ in range(3):
        web.open_issue()
    config = a_config(trackers=(a_github_tracker("web", write_budget=WriteBudget(80, 2)),))
    Service(config, {"web": web}, store, clock, lambda s: None, metrics=metrics).cycle(full=True)


class TestBacklogMetrics:
    def test_the_gauges_say_how_many_wait_and_until_when(self, store: Store) -> None:
        """One write waits; the budget sees it done an hour after the first write."""
        metrics = PrometheusMetrics()

        _spent_cycle(store, metrics)

        done_by = (START + timedelta(hours=1)).timestamp()
        assert value(metrics, "syncd_writes_waiting", tracker="web") == 1
        assert value(metrics, "syncd_writes_done_by_timestamp", tracker="web") == done_by

    def test_healthz_names_the_backlog_and_stays_healthy(self, store: Store) -> None:
        """A backlog is no trouble: healthy, with writes_waiting and writes_done_by per tracker."""
        metrics = PrometheusMetrics()

        _spent_cycle(store, metrics)

        health = metrics.health()
        detail = health.document["trackers"]["web"]  # type: ignore[index]
        assert health.ok
        assert (detail["writes_waiting"], detail["writes_done_by"]) == (1, "2026-11-02T17:00:00Z")
