"""Writes a tracker refuses for good: remembered, not retried blindly, and no tracker failure."""

from __future__ import annotations

from structlog.testing import capture_logs

from syncd.adapters.state import CycleOutcome
from syncd.errors import NotFound, TrackerUnavailable, WriteRejected
from tests.service.world import World

FIRE = ("escalation", "outage")


def label_attempts(world: World, key: str) -> int:
    """How often syncd tried to add tier/fire to `key` (refused or not)."""
    tries = [*world.web.writes, *world.web.refused]
    return sum(1 for w in tries if (w.op, w.key, w.arg) == ("add_label", key, "tier/fire"))


class TestRefusedWrites:
    def test_a_refused_write_is_not_retried_while_the_issue_is_unchanged(
        self, world: World
    ) -> None:
        """A 422 on the tier label is tried once; later incremental cycles leave it alone."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))

        world.service.cycle(full=True)
        for _ in range(3):
            world.clock.advance(60)
            world.service.cycle(full=False)

        assert label_attempts(world, key) == 1

    def test_the_trackers_cycle_stays_ok_and_counts_the_refusal(self, world: World) -> None:
        """The tracker worked: outcome ok (healthz 200), one error counted, the cycle not failed."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))

        report = world.service.cycle(full=True)

        web = report.trackers[0]
        assert web.outcome is CycleOutcome.OK
        assert web.errors == 1
        assert not report.failed

    def test_the_refusal_is_logged_as_an_error_once(self, world: World) -> None:
        """One error line names tracker, issue and rule; the quiet cycles after add none."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))

        with capture_logs() as logs:
            world.service.cycle(full=True)
            world.clock.advance(60)
            world.service.cycle(full=False)

        errors = [e for e in logs if e["log_level"] == "error"]
        assert len(errors) == 1
        assert (errors[0]["tracker"], errors[0]["issue"]) == ("web", key)
        assert errors[0]["rule"] == "tiers.rules[0]"

    def test_the_issues_other_writes_land_on_the_next_cycle(self, world: World) -> None:
        """The assign waits one cycle behind the refused label, then lands; the label stays off."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))
        world.service.cycle(full=True)
        after_first = world.web.assignees(key)

        world.clock.advance(60)
        world.service.cycle(full=False)
        world.clock.advance(60)
        world.service.cycle(full=False)

        assert after_first == ()
        assert world.web.assignees(key) == ("alice-gh",)
        assert label_attempts(world, key) == 1

    def test_a_person_changing_the_issue_lets_syncd_try_again(self, world: World) -> None:
        """After a person edits the issue (past syncd's own echo), the refused write is retried."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))
        world.service.cycle(full=True)
        world.clock.advance(60)
        world.service.cycle(full=False)
        world.web.accept(key, "add_label")

        world.clock.advance(10 * 60)
        world.web.edit(key, title="Checkout page is down")
        world.service.cycle(full=False)

        assert label_attempts(world, key) == 2
        assert "tier/fire" in world.web.labels(key)
        assert world.store is not None
        assert world.store.rejections.of("web") == {}

    def test_a_full_reconciliation_tries_the_write_again(self, world: World) -> None:
        """The hourly full pass retries a refusal even though nobody touched the issue."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))
        world.service.cycle(full=True)
        world.clock.advance(60)
        world.service.cycle(full=False)

        world.clock.advance(3600)
        world.service.cycle(full=True)

        assert label_attempts(world, key) == 2

    def test_an_issue_gone_from_the_tracker_is_not_written_every_cycle(self, world: World) -> None:
        """A 404 on the comment of a flagged item is remembered like a 422."""
        key = world.web.open_issue(title="Export", estimate=3 * 8 * 3600.0, estimate_text="3d")
        world.web.refuse(key, "comment", NotFound("404 issue transferred"))

        world.service.cycle(full=True)
        for _ in range(3):
            world.clock.advance(60)
            world.service.cycle(full=False)

        assert sum(1 for w in world.web.refused if w.op == "comment") == 1

    def test_a_transient_write_failure_still_fails_the_cycle_and_is_retried(
        self, world: World
    ) -> None:
        """A network error on a write is no refusal: outcome error, nothing remembered."""
        key = world.web.open_issue(labels=FIRE)
        world.web.fail_next(1, TrackerUnavailable("reset by peer"), ops=["add_label"])

        report = world.service.cycle(full=True)

        assert report.trackers[0].outcome is CycleOutcome.ERROR
        assert world.store is not None
        assert world.store.rejections.of("web") == {}
        world.clock.advance(15 * 60)  # past the backoff
        world.service.cycle(full=False)
        assert "tier/fire" in world.web.labels(key)
