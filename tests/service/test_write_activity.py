"""What syncd remembers of each write: the issue's `updated` before it, and when it landed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from syncd.domain.conditions import Clock, Elapsed
from tests.builders import a_config, a_github_tracker, a_jira_tracker, a_rule, cmp
from tests.service.world import START, World, make_world, two_trackers

TWO_DAYS = 2 * 86400


class TestActivityTimes:
    def test_a_write_stores_the_issues_updated_and_the_time_it_landed(self, world: World) -> None:
        """After the first write, `seen_updated` is the fetched `updated`, `wrote_at` our clock."""
        opened = START - timedelta(days=1)
        key = world.web.open_issue(labels=("escalation", "outage"), updated=opened)

        world.service.cycle(full=True)

        assert world.record(key).seen_updated == opened
        assert world.record(key).wrote_at == START

    def test_a_write_over_syncds_own_echo_keeps_the_earlier_updated(self, tmp_path: Path) -> None:
        """Capped to one write a cycle, the second write (a minute later) keeps `seen_updated`."""
        world = make_world(tmp_path, two_trackers(max_writes_per_cycle=1))
        opened = START - timedelta(days=1)
        key = world.web.open_issue(labels=("escalation", "outage"), updated=opened)
        world.service.cycle(full=True)

        world.clock.advance(60)
        world.service.cycle(full=False)

        assert world.web.assignees(key) == ("alice-gh",)
        assert world.record(key).seen_updated == opened
        assert world.record(key).wrote_at == START + timedelta(seconds=60)

    def test_a_person_edit_after_the_echo_window_becomes_the_seen_updated(
        self, world: World
    ) -> None:
        """A person's edit an hour later is activity: the next write records its `updated`."""
        key = world.web.open_issue(labels=("escalation",))
        world.service.cycle(full=True)
        world.clock.advance(3600)
        world.web.edit(key, labels=(*world.web.labels(key), "outage"))
        edited = world.clock()

        world.service.cycle(full=False)

        assert "tier/fire" in world.web.labels(key)
        assert world.record(key).seen_updated == edited


class TestIdleRules:
    def test_an_idle_rule_does_not_flap_across_cycles(self, tmp_path: Path) -> None:
        """An issue idle for three days goes stale once; syncd's own writes do not unstale it."""
        stale = a_rule("stale", Elapsed(Clock.IDLE, cmp(f"> {TWO_DAYS}")))
        config = a_config(
            rules=(stale,), trackers=(a_github_tracker("web"), a_jira_tracker("support"))
        )
        world = make_world(tmp_path, config)
        key = world.web.open_issue(updated=START - timedelta(days=3))
        world.service.cycle(full=True)
        settled = len(world.web.writes)

        for _ in range(3):
            world.clock.advance(600)
            world.service.cycle(full=False)
        world.service.cycle(full=True)

        assert "tier/stale" in world.web.labels(key)
        assert len(world.web.writes) == settled
