"""Write budgets (SPEC §5): sliding windows kept in the state file, fires first when writes wait."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from syncd.adapters.state import Store
from syncd.domain.write_budget import WriteBudget
from tests.builders import WORK_DAY
from tests.fakes import Write
from tests.service.world import START, World, make_world, two_trackers


def _restart(world: World) -> None:
    """Close the state file and start a new service over it, as a crash loop would."""
    assert world.store is not None
    world.store.close()
    world.store = Store.open(world.tmp / "syncd.db")
    world.service = world.new_service()


class TestBudgetAcrossRestarts:
    """The spent budget lives in the state file: a restart cannot burst."""

    def test_a_restart_waits_for_the_hour_spent_before_it(self, tmp_path: Path) -> None:
        """2 writes an hour: the first cycle writes 2, a restart writes none, an hour later 1."""
        world = make_world(tmp_path, two_trackers(write_budget=WriteBudget(80, 2)))
        for _ in range(3):
            world.web.open_issue()

        world.service.cycle(full=True)
        first = len(world.web.writes)
        _restart(world)
        world.clock.advance(600)
        world.service.cycle()
        after_restart = len(world.web.writes)
        world.clock.advance(3600)
        world.service.cycle()

        assert (first, after_restart, len(world.web.writes)) == (2, 2, 3)

    def test_a_full_minute_waits_within_the_cycle(self, tmp_path: Path) -> None:
        """2 writes a minute: the third waits the minute out in the same cycle (no stop)."""
        world = make_world(tmp_path, two_trackers(write_budget=WriteBudget(2, 100)))
        for _ in range(3):
            world.web.open_issue()

        world.service.cycle(full=True)

        assert (len(world.web.writes), world.sleeps) == (3, [60.0])

    def test_the_backlog_and_its_end_are_kept(self, tmp_path: Path) -> None:
        """The writes left by a spent budget, and when the budget sees them done, are stored."""
        world = make_world(tmp_path, two_trackers(write_budget=WriteBudget(80, 2)))
        for _ in range(3):
            world.web.open_issue()

        world.service.cycle(full=True)

        assert world.store is not None
        backlog = world.store.spending.backlogs()["web"]
        assert (backlog.waiting, backlog.done_by) == (1, START + timedelta(hours=1))


class TestFiresFirst:
    """When writes must wait, fires go first: most reporters first, then the oldest."""

    def test_under_a_cap_the_fire_with_most_reporters_is_written_first(
        self, tmp_path: Path
    ) -> None:
        """Triage issues opened earlier wait behind two later fires; the bigger fire leads."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=4))
        for _ in range(3):
            world.web.open_issue()
        world.clock.advance(60)
        small = world.web.open_issue(labels=("escalation", "outage"), reporters=1)
        big = world.web.open_issue(labels=("escalation", "outage"), reporters=9)

        world.service.cycle(full=True)

        assert world.web.writes == [
            Write("add_label", big, "tier/fire"),
            Write("assign", big, "alice-gh"),
            Write("add_label", small, "tier/fire"),
            Write("assign", small, "alice-gh"),
        ]


class TestOneRequestForTheLabels:
    """A newly placed issue's tier label and flag label go in one additive request."""

    def test_the_tier_and_flag_labels_of_a_new_issue_are_one_batch(self, tmp_path: Path) -> None:
        """A 3d-estimate issue: tier/triage and needs-team in one request, then the comment."""
        world = make_world(tmp_path, two_trackers())
        key = world.web.open_issue(estimate=3 * WORK_DAY, estimate_text="3d")

        world.service.cycle(full=True)

        assert world.web.label_batches == [(key, ("tier/triage", "needs-team"))]
        assert {"tier/triage", "needs-team"} <= set(world.web.labels(key))
        assert world.record(key).flagged


class TestFireReserve:
    """A fire found once the backlog has spent the hour still goes at once (SPEC §5)."""

    def test_a_late_fire_spends_the_reserve_the_backlog_left(self, tmp_path: Path) -> None:
        """10 an hour, 1 reserved for fires: 9 triage writes, then a new fire is written."""
        world = make_world(tmp_path, two_trackers(write_budget=WriteBudget(80, 10)))
        triage = [world.web.open_issue() for _ in range(12)]
        world.service.cycle(full=True)
        triage_written = len(world.web.writes)
        world.clock.advance(60)
        fire = world.web.open_issue(labels=("escalation", "outage"))

        world.service.cycle()

        assert triage_written == 9
        assert Write("add_label", fire, "tier/fire") in world.web.writes
        assert not any(w.key in triage[9:] for w in world.web.writes)
