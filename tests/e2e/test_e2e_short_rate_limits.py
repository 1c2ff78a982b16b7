"""Rate limits during `syncd run --once`: a short one is waited out, a long one exits 1."""

from __future__ import annotations

import json

import pytest

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import Outcome, World, wrong_issues

pytestmark = pytest.mark.e2e


def warnings(outcome: Outcome, event: str) -> list[dict[str, object]]:
    """The JSON log lines of one run with this event."""
    lines = [json.loads(line) for line in outcome.stdout.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == event]


class TestShortRateLimits:
    def test_a_one_second_limit_in_the_middle_of_the_cycle_costs_no_run(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """A 429 with `Retry-After: 1` on a label write: one run exits 0 with every issue right."""
        sandbox.inject(
            Fault(FaultKind.RATELIMIT, route="github.issue.labels.add", status=429, retry_after=1)
        )
        on_call = world.identities(world.on_call())

        outcome = world.once()

        assert outcome.status == 0
        assert sandbox.stats().faults == 1
        assert wrong_issues(sandbox.snapshot(), on_call) == []
        assert [e["tracker"] for e in warnings(outcome, "rate limited: waiting")] == ["web"]

    def test_a_limit_longer_than_the_poll_interval_exits_one_saying_until_when(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """An hour's `Retry-After` on Jira's search: exit 1, naming the tracker and the UTC time."""
        sandbox.inject(Fault(FaultKind.RATELIMIT, route="jira.cloud.search.jql", retry_after=3600))

        outcome = world.once()

        assert outcome.status == 1
        lines = warnings(outcome, "not synced: rate limited")
        assert [line["tracker"] for line in lines] == ["support"]
        assert str(lines[0]["until"]).endswith("Z")  # ISO 8601 UTC, as every machine time
        assert warnings(outcome, "rate limited: waiting") == []
