"""Settling issues an event source named: plan, apply and record them without any listing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from syncd.adapters.state import AuditEntry
from syncd.errors import TrackerUnavailable
from tests.service.world import START, World, make_world, two_trackers

FIRE = ("escalation", "outage")


def audit_of(world: World) -> list[AuditEntry]:
    """Every audit entry of the world's state file, its time left out (clocks may differ)."""
    assert world.store is not None
    return [replace(entry, time=START) for entry in world.store.audit_since(START)]


class TestSettlingOneIssue:
    def test_settling_one_issue_never_lists_the_tracker(self, world: World) -> None:
        """An issue settled by name: no fetch of either tracker, and its writes are made."""
        key = world.web.open_issue(labels=FIRE)

        settled = world.service.settle("web", [world.web.issues[key]])

        assert world.web.fetches == []
        assert world.support.fetches == []
        assert world.web.writes
        assert settled.applied.complete
        assert settled.applied.failure is None

    def test_settling_writes_exactly_what_a_cycle_would(self, tmp_path: Path) -> None:
        """The same issue, settled in one world and cycled in another: same writes, same audit."""
        cycled = make_world(tmp_path / "cycled", two_trackers())
        settled = make_world(tmp_path / "settled", two_trackers())
        for world in (cycled, settled):
            world.web.open_issue(labels=FIRE)

        cycled.service.cycle(full=True)
        settled.service.settle("web", list(settled.web.issues.values()))

        assert settled.web.writes == cycled.web.writes
        assert audit_of(settled) == audit_of(cycled)
        assert settled.record("acme/web#1") == cycled.record("acme/web#1")

    def test_settling_leaves_the_listings_bookkeeping_alone(self, world: World) -> None:
        """No watermark, no reconciliation recorded: the next cycle still lists everything."""
        key = world.web.open_issue(labels=FIRE)

        world.service.settle("web", [world.web.issues[key]])
        world.service.cycle()

        assert world.web.fetches == [None]

    def test_a_tracker_failing_mid_settle_is_returned_not_raised(self, world: World) -> None:
        """A write failing (tracker down) ends the settle; the failure and the counts come back."""
        key = world.web.open_issue(labels=FIRE)
        world.web.fail_next(1, TrackerUnavailable("502 from GitHub"), ops={"assign"})

        settled = world.service.settle("web", [world.web.issues[key]])

        assert isinstance(settled.applied.failure, TrackerUnavailable)
        assert not settled.applied.complete
        assert settled.applied.writes == len(world.web.writes) + 1
