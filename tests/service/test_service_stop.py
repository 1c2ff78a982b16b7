"""A stop that ends a tracker's listing (FetchStopped): nothing applied, nothing failed."""

from __future__ import annotations

from structlog.testing import capture_logs

from syncd.adapters.state import CycleOutcome
from syncd.errors import FetchStopped
from tests.service.world import World


class TestStoppedListing:
    """What a cycle makes of a fetch that ended on a stop."""

    def test_a_stopped_listing_applies_nothing_and_records_no_cycle(self, world: World) -> None:
        """No write, the watermark and the last cycle row stay, and the next tracker waits."""
        world.web.open_issue(labels=("escalation", "outage"))
        world.service.cycle(full=True)
        assert world.store is not None
        before = world.store.last_cycles()
        watermark = world.store.watermark("web")
        writes = world.writes()
        support_fetches = len(world.support.fetches)
        world.clock.advance(60)
        world.web.open_issue(labels=("escalation", "outage"))
        world.web.fail_next(1, FetchStopped("listing issues of acme/web: stopped"), ops=["fetch"])

        with capture_logs() as logs:
            report = world.service.cycle(full=False)

        assert report.trackers == ()
        assert not report.failed
        assert world.writes() == writes
        assert world.store.watermark("web") == watermark
        assert world.store.last_cycles() == before
        assert len(world.support.fetches) == support_fetches
        events = [entry["event"] for entry in logs]
        assert "stopping: listing interrupted, nothing applied" in events
        assert not {"tracker failed", "tracker cycle crashed"} & set(events)

    def test_a_stopped_listing_starts_no_backoff(self, world: World) -> None:
        """The next cycle (after a restart, or a test's) lists the tracker at once and syncs it."""
        world.service.cycle(full=True)
        world.clock.advance(60)
        key = world.web.open_issue(labels=("escalation", "outage"))
        world.web.fail_next(1, FetchStopped("listing issues of acme/web: stopped"), ops=["fetch"])
        world.service.cycle(full=False)
        world.clock.advance(1)

        report = world.service.cycle(full=False)

        assert [r.outcome for r in report.trackers] == [CycleOutcome.OK, CycleOutcome.OK]
        assert "tier/fire" in world.web.labels(key)
