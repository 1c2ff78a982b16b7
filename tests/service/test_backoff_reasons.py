"""During a backoff or a pause, the cycle's report, the log and /healthz say why."""

from __future__ import annotations

from datetime import timedelta

from structlog.testing import capture_logs

from syncd.adapters.state import CycleOutcome
from syncd.entrypoints.metrics.health import health_of
from syncd.errors import AuthFailed, RateLimited
from tests.service.world import START, World


class TestBackoffReasons:
    def test_a_cycle_skipped_by_the_backoff_carries_the_error_behind_it(self, world: World) -> None:
        """The skipped cycle's message is the last failure, then when the backoff ends (UTC Z)."""
        world.web.open_issue(labels=("escalation", "outage"))
        world.web.fail_next(1, AuthFailed("GitHub listing: HTTP 401: Bad credentials"))
        world.service.cycle(full=True)
        world.clock.advance(1)

        report = world.service.cycle(full=False)

        web = report.trackers[0]
        assert web.outcome is CycleOutcome.ERROR
        cause = "GitHub listing: HTTP 401: Bad credentials"
        assert web.message.startswith(f"{cause} (backing off until ")
        assert web.message.endswith("Z)")

    def test_healthz_shows_the_error_behind_a_backoff(self, world: World) -> None:
        """/healthz's reason during the backoff is the error, not only "backing off"."""
        world.web.fail_next(1, AuthFailed("HTTP 401: Bad credentials"))
        world.service.cycle(full=True)
        world.clock.advance(1)
        world.service.cycle(full=False)
        assert world.store is not None

        health = health_of(["web", "support"], world.store.last_cycles())

        assert "web: HTTP 401: Bad credentials" in str(health.document["reason"])

    def test_the_paused_log_line_says_why(self, world: World) -> None:
        """`tracker paused` names the rate limit's message, and its end in ISO 8601 UTC with Z."""
        until = START + timedelta(minutes=10)
        world.web.fail_next(1, RateLimited("secondary rate limit", until), ops=["fetch"])

        with capture_logs() as logs:
            world.service.cycle(full=True)
            world.clock.advance(60)
            world.service.cycle(full=False)

        paused = [e for e in logs if e["event"] == "tracker paused"]
        assert [e["reason"] for e in paused] == ["secondary rate limit"] * 2
        assert paused[0]["until"] == until.strftime("%Y-%m-%dT%H:%M:%SZ")
