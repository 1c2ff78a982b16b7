"""Housekeeping at full reconciliations, and refused assignees tried again after a day."""

from __future__ import annotations

from datetime import timedelta

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow
from syncd.adapters.state.history import AUDIT_RETENTION, CYCLE_RETENTION
from tests.service.world import START, World

FIRE = ("escalation", "outage")


def old_rows(world: World) -> None:
    """A cycle row and an audit entry each just past their retention."""
    assert world.store is not None
    cycle_time = START - CYCLE_RETENTION - timedelta(hours=1)
    world.store.record_cycle(CycleRow("web", cycle_time, cycle_time, CycleOutcome.OK, 0, 0))
    audit_time = START - AUDIT_RETENTION - timedelta(hours=1)
    world.store.audit(AuditEntry(audit_time, "web", "acme/web#9", "add_label", "x", "r", "y", "ok"))


def assign_attempts(world: World, identity: str) -> int:
    """How often syncd tried to assign `identity` on web."""
    return sum(1 for w in world.web.writes if (w.op, w.arg) == ("assign", identity))


class TestPruning:
    def test_a_full_reconciliation_prunes_old_cycles_and_audit(self, world: World) -> None:
        """Rows past their retention are gone after a full cycle; the new cycle rows stay."""
        old_rows(world)
        assert world.store is not None

        world.service.cycle(full=True)

        assert world.store.audit_since(START - timedelta(days=365)) == []
        assert set(world.store.last_cycles()) == {"web", "support"}
        assert world.store.last_cycles()["web"].started == START

    def test_an_incremental_cycle_does_not_prune(self, world: World) -> None:
        """Housekeeping waits for the full reconciliation."""
        world.service.cycle(full=True)
        old_rows(world)
        assert world.store is not None

        world.service.cycle(full=False)

        assert len(world.store.audit_since(START - timedelta(days=365))) == 1


class TestUnassignableExpiry:
    def test_a_refused_person_is_tried_again_after_a_day(self, world: World) -> None:
        """alice refused on day 1 (lead got it); a day later, now a collaborator, she gets one."""
        world.web.unassignable.add("alice-gh")
        first = world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        world.web.unassignable.discard("alice-gh")

        world.clock.advance(25 * 3600)
        second = world.web.open_issue(labels=FIRE)
        world.service.cycle(full=False)

        assert world.web.assignees(first) == ("acme-lead",)
        assert world.web.assignees(second) == ("alice-gh",)

    def test_within_the_day_the_refused_person_is_not_tried_again(self, world: World) -> None:
        """Still refused: one attempt on day 1, none for a new issue a few hours later."""
        world.web.unassignable.add("alice-gh")
        world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)

        world.clock.advance(3 * 3600)
        world.web.open_issue(labels=FIRE)
        world.service.cycle(full=False)

        assert assign_attempts(world, "alice-gh") == 1

    def test_one_cycle_tries_a_refused_person_once_for_many_issues(self, world: World) -> None:
        """Three new fire issues and alice refused: one attempt on her, lead gets all three."""
        world.web.unassignable.add("alice-gh")
        keys = [world.web.open_issue(labels=FIRE) for _ in range(3)]

        world.service.cycle(full=True)

        assert assign_attempts(world, "alice-gh") == 1
        assert [world.web.assignees(key) for key in keys] == [("acme-lead",)] * 3
