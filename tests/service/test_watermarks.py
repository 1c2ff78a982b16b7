"""The watermark end to end: no change is ever skipped, and a capped cycle leaves the rest."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from syncd.config.model import AssignMode
from syncd.domain.conditions import Clock, Elapsed
from syncd.errors import TrackerUnavailable
from syncd.service_layer.tracker import Fetch
from tests.builders import a_config, a_github_tracker, a_jira_tracker, a_rule, cmp
from tests.fakes import FakeTracker
from tests.service.world import World, make_world, two_trackers

FIRE = ("escalation", "outage")


def after_next_fetch(tracker: FakeTracker, act: Callable[[], None]) -> None:
    """Run `act` (a person's edit) right after the next fetch, before syncd's writes."""
    original = tracker.fetch
    pending = [act]

    def fetch(since: datetime | None) -> Fetch:
        result = original(since)
        while pending:
            pending.pop()()
        return result

    tracker.fetch = fetch  # type: ignore[method-assign]


def skewed(world: World, seconds: float) -> FakeTracker:
    """Replace web with a tracker whose clock is `seconds` ahead of syncd's (behind if < 0)."""
    world.web = FakeTracker("web", lambda: world.clock() + timedelta(seconds=seconds))
    world.service = world.new_service()
    return world.web


class TestNoChangeSkipped:
    def test_a_change_between_the_fetch_and_the_writes_is_seen_next_cycle(
        self, world: World
    ) -> None:
        """A person adds `outage` to another issue while syncd writes: the next cycle tiers it."""
        first = world.web.open_issue()
        other = world.web.open_issue()
        world.service.cycle(full=True)
        world.clock.advance(60)
        world.web.edit(first, title="still slow")
        after_next_fetch(world.web, lambda: world.web.edit(other, labels=(*FIRE, "tier/triage")))

        world.service.cycle(full=False)
        world.clock.advance(60)
        world.service.cycle(full=False)

        assert "tier/fire" in world.web.labels(other)

    @pytest.mark.parametrize("skew", [-60.0, 60.0])
    def test_a_tracker_clock_a_minute_off_loses_no_change(
        self, tmp_path: Path, skew: float
    ) -> None:
        """With the tracker's clock a minute ahead or behind, an edit is still picked up."""
        world = make_world(tmp_path, two_trackers())
        web = skewed(world, skew)
        key = web.open_issue()
        world.service.cycle(full=True)
        world.clock.advance(30)
        web.edit(key, labels=(*web.labels(key), "outage"))

        world.service.cycle(full=False)

        assert "tier/fire" in web.labels(key)

    def test_a_change_during_a_capped_cycle_is_handled_later(self, tmp_path: Path) -> None:
        """Cap 1: while the backlog drains, a person's new outage label is still acted on."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=1))
        keys = [world.web.open_issue() for _ in range(3)]
        world.service.cycle(full=True)
        world.clock.advance(60)
        world.web.edit(keys[2], labels=("escalation", "outage"))

        for _ in range(6):
            world.clock.advance(60)
            world.service.cycle(full=False)

        assert "tier/fire" in world.web.labels(keys[2])
        assert all(any(x.startswith("tier/") for x in world.web.labels(k)) for k in keys)


class TestCappedReconciliation:
    def stale_world(self, tmp_path: Path) -> World:
        """Cap 2; issues turn `old` at three days of age, which only a full pass notices."""
        old = a_rule("old", Elapsed(Clock.AGE, cmp(f"> {3 * 86400}")), AssignMode.NONE)
        web = a_github_tracker("web", max_writes_per_cycle=2)
        config = a_config(rules=(old,), trackers=(web, a_jira_tracker("support")))
        return make_world(tmp_path, config)

    def test_a_capped_reconciliation_is_finished_by_the_next_cycles(self, tmp_path: Path) -> None:
        """Three issues age into `old` at once (two writes each); the cycles after the capped
        full pass finish it instead of leaving it to the next hourly reconciliation."""
        world = self.stale_world(tmp_path)
        keys = [world.web.open_issue() for _ in range(3)]
        for full in (True, False, False):  # settled, the watermark past every issue
            world.service.cycle(full=full)
            world.clock.advance(600)
        world.clock.advance(4 * 86400)

        world.service.cycle(full=True)
        for _ in range(2):
            world.clock.advance(60)
            world.service.cycle(full=False)

        assert all("tier/old" in world.web.labels(key) for key in keys)

    def test_a_reconciliation_cut_short_by_a_failure_is_redone(self, tmp_path: Path) -> None:
        """A 5xx in the middle of a full pass: the next attempt lists everything again."""
        world = self.stale_world(tmp_path)
        world.web.open_issue()
        world.service.cycle(full=True)
        world.clock.advance(4 * 86400)
        world.web.fail_next(1, TrackerUnavailable("502"), ops=["remove_label"])
        world.service.cycle(full=True)

        world.clock.advance(15 * 60)  # past the backoff
        world.service.cycle(full=False)

        assert world.web.fetches[-1] is None
