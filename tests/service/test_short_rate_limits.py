"""A short rate limit within a cycle is waited out; a long or endless one pauses the tracker."""

from __future__ import annotations

import threading
from datetime import timedelta

from syncd.adapters.state import CycleOutcome
from syncd.errors import RateLimited
from syncd.service_layer.service import Service
from tests.service.world import START, World

FIRE = ("escalation", "outage")


def limited(seconds: float) -> RateLimited:
    """A rate limit lifting `seconds` after START (the world's clock does not move by itself)."""
    return RateLimited("secondary rate limit", START + timedelta(seconds=seconds))


class TestShortRateLimits:
    def test_a_short_limit_on_the_listing_is_waited_out_in_the_same_cycle(
        self, world: World
    ) -> None:
        """The fetch is made again after the wait: the cycle completes and the issue is placed."""
        key = world.web.open_issue(labels=FIRE)
        world.web.fail_next(1, limited(5), ops=["fetch"])

        report = world.service.cycle(full=True)

        assert report.trackers[0].outcome is CycleOutcome.OK
        assert "tier/fire" in world.web.labels(key)
        assert world.sleeps[0] == 5.0
        assert world.web.fetches == [None]

    def test_a_short_limit_on_a_write_is_waited_out_and_the_write_made_once(
        self, world: World
    ) -> None:
        """The refused label is added after the wait, once; the issue's other writes follow."""
        key = world.web.open_issue(labels=FIRE)
        world.web.fail_next(1, limited(2), ops=["add_label"])

        report = world.service.cycle(full=True)

        adds = [w for w in world.web.writes if w.op == "add_label" and w.arg == "tier/fire"]
        assert report.trackers[0].outcome is CycleOutcome.OK
        assert len(adds) == 1
        assert world.web.assignees(key) == ("alice-gh",)
        assert 2.0 in world.sleeps
        assert world.record(key).sent_labels == ()

    def test_a_limit_longer_than_the_poll_interval_pauses_without_waiting(
        self, world: World
    ) -> None:
        """Over the poll interval (60 s here) the tracker pauses until then, as before."""
        world.web.open_issue(labels=FIRE)
        world.web.fail_next(1, limited(61), ops=["fetch"])

        report = world.service.cycle(full=True)

        assert report.trackers[0].outcome is CycleOutcome.PAUSED
        assert report.trackers[0].paused_until == START + timedelta(seconds=61)
        assert world.sleeps == []
        assert report.trackers[1].outcome is CycleOutcome.OK

    def test_a_tracker_that_keeps_limiting_pauses_once_the_cycle_waited_its_minute(
        self, world: World
    ) -> None:
        """Short limits again and again: at most the poll interval of waiting, then a pause."""
        world.web.open_issue(labels=FIRE)
        world.web.fail_next(1000, limited(10), ops=["fetch"])

        report = world.service.cycle(full=True)

        assert report.trackers[0].outcome is CycleOutcome.PAUSED
        assert world.sleeps == [10.0] * 6

    def test_a_retry_after_of_zero_is_waited_as_a_second_and_bounded_too(
        self, world: World
    ) -> None:
        """`Retry-After: 0` forever is neither hammered nor retried forever."""
        world.web.fail_next(1000, limited(0), ops=["fetch"])

        report = world.service.cycle(full=True)

        assert report.trackers[0].outcome is CycleOutcome.PAUSED
        assert world.sleeps == [1.0] * 60

    def test_a_stop_during_the_wait_ends_the_cycle_at_once(self, world: World) -> None:
        """SIGTERM ends the wait (Event.wait); nothing more is fetched or written."""
        world.web.open_issue(labels=FIRE)
        world.support.open_issue(labels=FIRE, key="SUP-1")
        world.web.fail_next(1, limited(5), ops=["fetch"])
        stop = threading.Event()

        def sleep(seconds: float) -> bool:
            stop.set()  # the signal arrives during the wait
            return stop.wait(seconds)

        assert world.store is not None
        trackers = {"web": world.web, "support": world.support}
        service = Service(
            world.config, trackers, world.store, world.clock, sleep, stop_requested=stop.is_set
        )

        report = service.cycle(full=True)

        assert [r.outcome for r in report.trackers] == [CycleOutcome.PAUSED]
        assert world.web.fetches == []
        assert world.writes() == 0
