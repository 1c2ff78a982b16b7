"""The stand-up digest (every working day at handoff_time, in its order) and coverage-gap
warnings (once per uncovered shift, also after a reload; `syncd check` lists them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from syncd.config.model import Skip
from syncd.entrypoints.commands.check import coverage
from tests.notify.notify_world import NotifyWorld, notify_config, seen

TUESDAY_0900 = datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[NotifyWorld]:
    """A notification world with stand-ups only; its state file is closed afterwards."""
    made = NotifyWorld(tmp_path, notify_config(handoff=False))
    yield made
    made.store.close()


def keys(event: dict[str, object], section: str) -> list[str]:
    """The issue keys a stand-up section lists, in order."""
    return [str(item["key"]) for item in cast("list[dict[str, object]]", event[section])]


class TestStandup:
    def test_the_digest_comes_at_handoff_time_on_working_days_only(
        self, world: NotifyWorld
    ) -> None:
        """Not before 09:00, once on Tuesday, none on Saturday."""
        world.tick(TUESDAY_0900 - timedelta(minutes=1))
        world.tick(TUESDAY_0900 + timedelta(seconds=30))
        world.tick(TUESDAY_0900 + timedelta(hours=3))
        world.tick(datetime(2026, 11, 7, 15, 0, tzinfo=UTC))

        assert [(e["day"], e["late"]) for e in world.events("standup")] == [("2026-11-03", False)]

    def test_fires_by_reporters_then_queue_oldest_first_then_flagged_then_acknowledged(
        self, world: NotifyWorld
    ) -> None:
        """The SPEC's order, each section sorted as it says."""
        old = datetime(2026, 10, 1, tzinfo=UTC)
        world.see(
            seen("acme/web#1", "fire", reporters=2),
            seen("acme/web#2", "fire", reporters=9),
            seen("acme/web#3", "queue"),
            seen("acme/web#4", "queue", created=old),
            seen("acme/web#5", "queue", flagged=True),
            seen("acme/web#6", "acknowledged"),
            seen("acme/web#7", "triage"),
        )
        world.tick(TUESDAY_0900)

        [event] = world.events("standup")
        assert keys(event, "fires") == ["acme/web#2", "acme/web#1"]
        assert keys(event, "queue") == ["acme/web#4", "acme/web#3"]
        assert keys(event, "flagged") == ["acme/web#5"]
        assert keys(event, "acknowledged") == ["acme/web#6", "acme/web#7"]
        assert world.slack.texts() == [
            "Stand-up Tue 03 Nov: <@U024BE7LH> on shift; 2 fires, 2 queue,"
            " 1 flagged for the team, 2 acknowledged"
        ]


def everyone_away(config_days: tuple[date, date]) -> list[Skip]:
    """alice, bob and carol all skipped over the given days (inclusive)."""
    return [Skip(person, *config_days, reason="offsite") for person in ("alice", "bob", "carol")]


class TestCoverage:
    def test_an_uncovered_shift_is_warned_about_once_also_after_a_reload(
        self, world: NotifyWorld
    ) -> None:
        """Everyone away 10-11 Nov: one warning naming the fallback, not repeated."""
        away = everyone_away((date(2026, 11, 10), date(2026, 11, 11)))
        rotation = replace(world.config.rotation, skips=tuple(away))
        world.restart(replace(world.config, rotation=rotation))
        world.tick(datetime(2026, 11, 2, 13, 0, tzinfo=UTC))
        world.restart()
        world.tick(datetime(2026, 11, 2, 13, 5, tzinfo=UTC))

        [gap] = world.events("coverage_gap")
        assert (gap["start"], gap["fallback"]) == ("2026-11-10T14:00:00Z", "lead")
        assert "Nobody on the rotation is eligible from Tue 10 Nov 09:00 EST" in str(
            world.slack.sent[-1]["blocks"]
        )

    def test_a_gap_beyond_coverage_days_waits_until_it_comes_into_view(
        self, world: NotifyWorld
    ) -> None:
        """Three weeks out with coverage_days 14: no warning yet; a week later, one."""
        away = everyone_away((date(2026, 11, 23), date(2026, 11, 24)))
        rotation = replace(world.config.rotation, skips=tuple(away))
        world.restart(replace(world.config, rotation=rotation))
        world.tick(datetime(2026, 11, 2, 13, 0, tzinfo=UTC))
        assert world.events("coverage_gap") == []

        world.tick(datetime(2026, 11, 9, 13, 0, tzinfo=UTC))
        assert len(world.events("coverage_gap")) == 1

    def test_check_lists_the_gap_as_a_warning(self, world: NotifyWorld) -> None:
        """`syncd check`'s coverage lines: when, why, and who covers, in the rotation's zone."""
        away = everyone_away((date(2026, 11, 10), date(2026, 11, 11)))
        config = replace(world.config, rotation=replace(world.config.rotation, skips=tuple(away)))

        lines = coverage(config, datetime(2026, 11, 2, 13, 0, tzinfo=UTC))

        assert len(lines) == 1
        assert lines[0].startswith(
            "Tue 10 Nov 09:00 EST until Thu 12 Nov 09:00 EST: nobody eligible"
        )
        assert lines[0].endswith("; fallback lead covers")
