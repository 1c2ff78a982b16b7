"""When a start reconciles: when the last complete reconciliation is old or under other rules."""

from __future__ import annotations

from dataclasses import replace

from syncd.errors import WriteRejected
from tests.service.world import START, World

FIRE = ("escalation", "outage")


class TestReconciliationSchedule:
    def test_a_restart_right_after_a_full_pass_fetches_incrementally(self, world: World) -> None:
        """A second start (a cron `--once`) within `reconcile_interval` lists only changes."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle()
        world.clock.advance(5 * 60)

        world.service = world.new_service()
        report = world.service.cycle()

        assert world.web.fetches[0] is None
        assert world.web.fetches[-1] is not None
        assert not report.full

    def test_a_start_after_the_reconcile_interval_reconciles(self, world: World) -> None:
        """An hour (reconcile_interval) after the last full pass, a start lists everything."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle()
        world.clock.advance(3600)

        world.service = world.new_service()
        report = world.service.cycle()

        assert world.web.fetches[-1] is None
        assert report.full

    def test_a_running_service_reconciles_once_the_interval_has_passed(self, world: World) -> None:
        """The long-running loop needs no forced cycle: the remembered time decides."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle()
        world.clock.advance(30 * 60)
        world.service.cycle()
        world.clock.advance(30 * 60)
        world.service.cycle()

        assert [since is None for since in world.web.fetches] == [True, False, True]

    def test_a_start_under_changed_rules_reconciles_at_once(self, world: World) -> None:
        """Rules edited between two cron runs: every issue is planned again under them."""
        world.web.open_issue(labels=FIRE)
        world.service.cycle()
        world.clock.advance(60)

        world.config = replace(world.config, digest="another file")
        world.service = world.new_service()
        world.service.cycle()

        assert world.web.fetches[-1] is None

    def test_a_refused_write_is_retried_only_by_a_due_reconciliation(self, world: World) -> None:
        """Refusals outlive a restart within the interval, and are forgotten by the next pass."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label refused"))
        world.service.cycle()
        world.clock.advance(60)
        world.service = world.new_service()
        world.service.cycle()
        tried_after_restart = len(world.web.refused)
        world.clock.advance(3600)
        world.service = world.new_service()
        world.service.cycle()

        assert tried_after_restart == 1
        assert len(world.web.refused) == 2

    def test_the_time_of_the_full_pass_is_kept_per_tracker(self, world: World) -> None:
        """Each tracker's completed reconciliation is stored with the config's digest."""
        world.service.cycle()

        assert world.store is not None
        last = world.store.reconciliations.last("support")
        assert last is not None
        assert (last.at, last.digest) == (START, world.config.digest)
