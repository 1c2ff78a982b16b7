"""The history the report reads is kept as the service settles: placements, shifts, fire times."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from syncd.adapters.state import Store
from syncd.adapters.state.placements import PLACEMENT_RETENTION
from syncd.domain.placements import Placed, Placement
from syncd.service_layer.metrics import NullMetrics
from syncd.service_layer.service import Service
from tests.service.world import START, World

FIRE = ("escalation", "outage")
YEAR = timedelta(days=365)


class KeptMetrics(NullMetrics):
    """Metrics that keep the shifts begun and the fires' times to assignment."""

    def __init__(self) -> None:
        self.shifts: list[tuple[str, str]] = []
        self.fires: list[float] = []

    def shift_started(self, member: str, source: str) -> None:
        """Keep one shift segment."""
        self.shifts.append((member, source))

    def fire_assigned(self, seconds: float) -> None:
        """Keep one fire's time to assignment."""
        self.fires.append(seconds)


def placements(world: World) -> list[Placement]:
    """Every placement the world's state file holds."""
    assert world.store is not None
    return world.store.placements.between(START - YEAR, START + YEAR)


class TestPlacementsKept:
    def test_a_fire_is_kept_with_its_creation_placement_and_assignment(self, world: World) -> None:
        """A fire opened 10 minutes before the cycle: placed and assigned to alice at the cycle."""
        key = world.web.open_issue(labels=FIRE)
        world.clock.advance(600)

        world.service.cycle(full=True)

        [kept] = placements(world)
        assert (kept.key, kept.tier, kept.member) == (key, "fire", "alice")
        assert kept.assignee == "alice-gh"
        assert kept.placed_at == START + timedelta(minutes=10)
        assert kept.created == START
        assert kept.time_to_assign == 600

    def test_a_second_cycle_keeps_nothing_more(self, world: World) -> None:
        """Settling an issue already placed and assigned changes no placement."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle(full=True)
        first = placements(world)

        world.clock.advance(3600)
        world.service.cycle(full=True)

        assert placements(world) == first

    def test_a_new_tier_is_a_new_placement_and_the_first_one_stays(self, world: World) -> None:
        """An issue that becomes a fire later has two placements: triage, then fire."""
        key = world.web.open_issue()
        world.service.cycle(full=True)
        world.clock.advance(3600)
        world.web.edit(key, labels=(*world.web.labels(key), "outage"))

        world.service.cycle(full=True)

        assert [(p.tier, p.placed_at - START) for p in placements(world)] == [
            ("triage", timedelta(0)),
            ("fire", timedelta(hours=1)),
        ]

    def test_an_item_flagged_for_the_team_is_kept_with_its_time(self, world: World) -> None:
        """An estimate above the limit flags the issue; the placement says when."""
        world.web.open_issue(labels=("escalation", "integration"), estimate=3 * 8 * 3600.0)

        world.service.cycle(full=True)

        [kept] = placements(world)
        assert kept.flagged_at == START

    def test_shifts_begun_and_fire_times_go_to_the_metrics(self, world: World) -> None:
        """The shifts journaled since start are counted once each; a fire's time is observed."""
        assert world.store is not None
        metrics = KeptMetrics()
        trackers = {"web": world.web, "support": world.support}
        service = Service(
            world.config, trackers, world.store, world.clock, world.sleeps.append, metrics=metrics
        )
        world.web.open_issue(labels=FIRE)
        world.clock.advance(90)

        service.cycle(full=True)
        world.clock.advance(2 * 86400)  # Wednesday: bob's shift has begun
        service.cycle()
        service.cycle()

        assert metrics.shifts == [("alice", "rotation"), ("bob", "rotation")]
        assert metrics.fires == [90.0]


class TestPlacementRetention:
    def test_placements_are_kept_over_a_year_and_pruned_after(self, tmp_path: Path) -> None:
        """A placement a year old stays at pruning; one older than the retention goes."""
        old = Placement("web", "acme/web#1", "fire", START - PLACEMENT_RETENTION, START - YEAR * 2)
        year = Placement("web", "acme/web#2", "fire", START - YEAR, START - YEAR)
        with Store.open(tmp_path / "syncd.db") as store:
            for placement in (old, year):
                store.placements.note(Placed(placement))

            store.prune(START + timedelta(seconds=1))

            assert store.placements.between(START - YEAR * 3, START) == [year]
