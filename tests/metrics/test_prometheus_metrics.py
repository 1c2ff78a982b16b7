"""The Prometheus metrics: fed by the service, read back through the official text parser."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from syncd.adapters.state import CycleOutcome, CycleRow, Store
from syncd.entrypoints.metrics import NullMetrics, PrometheusMetrics, Traffic, error_kind
from syncd.errors import AuthFailed, RateLimited, WriteRejected
from syncd.service_layer.service import Service
from tests.builders import a_config, a_github_tracker, a_jira_tracker
from tests.fakes import FakeClock, FakeTracker, Ticks

START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def samples(metrics: PrometheusMetrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, by name and sorted labels, parsed as Prometheus would."""
    text = metrics.exposition()[0].decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(metrics: PrometheusMetrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, tuple(sorted(labels.items()))))


def a_row(outcome: CycleOutcome, seconds: float = 2.0, **overrides: object) -> CycleRow:
    fields: dict[str, object] = {
        "tracker": "web",
        "started": START,
        "finished": START + timedelta(seconds=seconds),
        "outcome": outcome,
        "writes": 0,
        "errors": 0,
        "message": "",
    }
    fields.update(overrides)
    return CycleRow(**fields)  # type: ignore[arg-type]


class TestPrometheusMetrics:
    def test_a_cycle_counts_its_outcome_duration_and_traffic(self) -> None:
        """One ok cycle of 2 s with 3 requests, one of them a 304, shows in every counter."""
        metrics = PrometheusMetrics()

        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(3, 1), {"fire": 2})

        assert value(metrics, "syncd_cycles_total", tracker="web", outcome="ok") == 1
        assert value(metrics, "syncd_cycle_duration_seconds_count", tracker="web") == 1
        assert value(metrics, "syncd_cycle_duration_seconds_sum", tracker="web") == 2.0
        assert value(metrics, "syncd_api_requests_total", tracker="web") == 3
        assert value(metrics, "syncd_api_not_modified_total", tracker="web") == 1
        assert value(metrics, "syncd_queue_size", tracker="web", tier="fire") == 2

    def test_a_tier_gone_from_the_queue_mapping_loses_its_series(self) -> None:
        """After a reload drops a tier, its stale gauge is removed, not left at its old value."""
        metrics = PrometheusMetrics()
        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(), {"fire": 2, "old": 1})

        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(), {"fire": 0})

        assert value(metrics, "syncd_queue_size", tracker="web", tier="fire") == 0
        assert value(metrics, "syncd_queue_size", tracker="web", tier="old") is None

    def test_writes_and_errors_are_counted_by_action_and_kind(self) -> None:
        """Each answered write adds to its action, each error to its kind."""
        metrics = PrometheusMetrics()

        metrics.wrote("web", "add_label")
        metrics.wrote("web", "add_label")
        metrics.wrote("web", "comment")
        metrics.failed("web", "auth")

        assert value(metrics, "syncd_writes_total", tracker="web", action="add_label") == 2
        assert value(metrics, "syncd_writes_total", tracker="web", action="comment") == 1
        assert value(metrics, "syncd_errors_total", tracker="web", kind="auth") == 1

    def test_a_pause_is_counted_and_its_end_exposed_until_a_cycle_clears_it(self) -> None:
        """The pause's end is a Unix timestamp; a later ok cycle sets it back to 0."""
        metrics = PrometheusMetrics()
        until = START + timedelta(minutes=2)

        metrics.paused("web", until)
        paused = value(metrics, "syncd_paused_until_timestamp", tracker="web")
        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(), {})

        assert value(metrics, "syncd_rate_limit_pauses_total", tracker="web") == 1
        assert paused == until.timestamp()
        assert value(metrics, "syncd_paused_until_timestamp", tracker="web") == 0

    def test_seconds_since_last_success_is_computed_when_scraped(self) -> None:
        """The gauge grows with the clock between scrapes; before a success it counts from start."""
        ticks = Ticks()
        metrics = PrometheusMetrics(monotonic=ticks)
        metrics.track(["web", "support"])
        ticks.now += 5
        metrics.cycle_finished(a_row(CycleOutcome.OK), Traffic(), {})
        metrics.cycle_finished(a_row(CycleOutcome.ERROR, tracker="support"), Traffic(), {})

        ticks.now += 30

        assert value(metrics, "syncd_seconds_since_last_success", tracker="web") == 30
        assert value(metrics, "syncd_seconds_since_last_success", tracker="support") == 35

    def test_two_instances_share_no_state(self) -> None:
        """Each has its own registry: counting in one leaves the other empty."""
        first, second = PrometheusMetrics(), PrometheusMetrics()

        first.wrote("web", "assign")

        assert value(second, "syncd_writes_total", tracker="web", action="assign") is None


class TestErrorKind:
    def test_each_error_class_has_its_kind(self) -> None:
        """Tracker errors map to short kinds; anything else is an internal error."""
        until = START

        kinds = [
            error_kind(e)
            for e in (AuthFailed("x"), WriteRejected("x"), RateLimited("x", until), KeyError("x"))
        ]

        assert kinds == ["auth", "rejected", "rate_limited", "internal"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "syncd.db") as opened:
        yield opened


class TestServiceFeedsMetrics:
    def make(
        self, store: Store, metrics: PrometheusMetrics
    ) -> tuple[Service, FakeTracker, FakeTracker]:
        clock = FakeClock(START)
        web, support = FakeTracker("web", clock), FakeTracker("support", clock)
        config = a_config(trackers=(a_github_tracker("web"), a_jira_tracker("support")))
        service = Service(
            config, {"web": web, "support": support}, store, clock, lambda s: None, metrics=metrics
        )
        return service, web, support

    def test_a_cycle_reports_writes_by_action_and_the_queue_by_tier(self, store: Store) -> None:
        """An outage gets a tier label and an assignee: one add_label, one assign, fire = 1."""
        metrics = PrometheusMetrics()
        service, web, _ = self.make(store, metrics)
        web.open_issue(labels=("escalation", "outage"))

        service.cycle(full=True)

        assert value(metrics, "syncd_writes_total", tracker="web", action="add_label") == 1
        assert value(metrics, "syncd_writes_total", tracker="web", action="assign") == 1
        assert value(metrics, "syncd_queue_size", tracker="web", tier="fire") == 1
        assert value(metrics, "syncd_queue_size", tracker="web", tier="triage") == 0
        assert value(metrics, "syncd_cycles_total", tracker="support", outcome="ok") == 1

    def test_a_failing_tracker_counts_an_error_and_a_paused_one_a_pause(self, store: Store) -> None:
        """Auth failure on web and a rate limit on support show as an error and a pause."""
        metrics = PrometheusMetrics()
        service, web, support = self.make(store, metrics)
        web.fail_next(1, AuthFailed("bad credentials"), ops=["fetch"])
        support.fail_next(1, RateLimited("slow down", START + timedelta(minutes=2)), ["fetch"])

        service.cycle(full=True)

        assert value(metrics, "syncd_errors_total", tracker="web", kind="auth") == 1
        assert value(metrics, "syncd_cycles_total", tracker="web", outcome="error") == 1
        assert value(metrics, "syncd_rate_limit_pauses_total", tracker="support") == 1
        assert value(metrics, "syncd_cycles_total", tracker="support", outcome="paused") == 1

    def test_a_rejected_write_counts_as_a_rejected_error(self, store: Store) -> None:
        """A 422-like refusal of one write is an error of kind `rejected`."""
        metrics = PrometheusMetrics()
        service, web, _ = self.make(store, metrics)
        web.open_issue(labels=("escalation", "outage"))
        web.fail_next(1, WriteRejected("no"), ops=["add_label"])

        service.cycle(full=True)

        assert value(metrics, "syncd_errors_total", tracker="web", kind="rejected") == 1

    def test_the_null_object_takes_every_report_and_keeps_nothing(self, store: Store) -> None:
        """Without --metrics-port the service runs the same with NullMetrics."""
        clock = FakeClock(START)
        web = FakeTracker("web", clock)
        web.open_issue(labels=("escalation", "outage"))
        config = a_config(trackers=(a_github_tracker("web"),))
        service = Service(config, {"web": web}, store, clock, lambda s: None, metrics=NullMetrics())

        report = service.cycle(full=True)

        assert report.writes == 2
        assert "tier/fire" in web.labels(next(iter(web.issues)))
