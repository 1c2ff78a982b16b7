"""A list's ETag is kept only once the cycle that read the list has applied what it found.

Otherwise a cycle that fails after its listing (a write answered 500) leaves the new ETag behind,
the next incremental cycle is answered 304, and the change waits for the next full
reconciliation, up to `reconcile_interval` later.
"""

from __future__ import annotations

import pytest

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed import GitHubIssueSeed
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import World, tier_labels

pytestmark = pytest.mark.e2e

NEW_FIRE = GitHubIssueSeed(150, "Checkout down for every customer", labels=("escalation", "outage"))


class TestEtagAfterAFailedCycle:
    """A new fire arrives; the run that lists it fails to write; the next run must write."""

    def test_the_next_run_lists_again_and_labels_the_new_fire(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """The failed run's ETag is not kept: the next run gets a 200 and tiers the issue."""
        assert [world.once().status for _ in range(2)] == [0, 0]  # settled, ETags stored
        sandbox.open_issue("acme/web", NEW_FIRE)
        sandbox.inject(
            Fault(FaultKind.STATUS, route="github.issue.labels.add", status=500, count=9)
        )

        failed = world.once()
        sandbox.clear_faults()
        after = world.once()

        assert failed.status == 1
        assert after.status == 0, after.stderr
        assert tier_labels(sandbox.snapshot().issue("acme/web#150")) == ["tier/fire"]
