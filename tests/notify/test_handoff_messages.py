"""Handoff messages: the first start, each change of the person on shift, late ones, and what
they list; each sent once, to Slack and to the JSON webhook."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from syncd.config.model import Member, Override, Skip
from syncd.errors import NotifyFailed
from tests.notify.notify_world import (
    MONDAY_11,
    WEDNESDAY_HANDOFF,
    NotifyWorld,
    notify_config,
    seen,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[NotifyWorld]:
    """A notification world without stand-ups; its state file is closed afterwards."""
    made = NotifyWorld(tmp_path, notify_config(standup=False))
    yield made
    made.store.close()


class TestHandoffMessages:
    def test_the_first_start_announces_the_running_shift_once(self, world: NotifyWorld) -> None:
        """One 'on shift now' message at the first cycle, none at the next cycles."""
        world.tick(MONDAY_11)
        world.tick(MONDAY_11 + timedelta(minutes=1))

        assert world.slack.texts() == [
            "On shift now: <@U024BE7LH> is on shift until Wed 04 Nov 09:00 EST. Next: *bob*."
        ]
        [event] = world.events("handoff")
        assert (event["person"], event["first"], event["late"]) == ("alice", True, False)
        assert (event["start"], event["end"]) == ("2026-11-02T14:00:00Z", "2026-11-04T14:00:00Z")

    def test_a_shift_boundary_is_told_within_the_cycle_after_it(self, world: NotifyWorld) -> None:
        """The first cycle after Wednesday's 09:00 hands off to bob, not late, from alice."""
        world.tick(MONDAY_11)
        world.tick(WEDNESDAY_HANDOFF + timedelta(seconds=66))

        handoff = world.events("handoff")[-1]
        assert (handoff["person"], handoff["previous"], handoff["next"]) == (
            "bob",
            "alice",
            "carol",
        )
        assert (handoff["first"], handoff["late"]) == (False, False)
        assert world.slack.texts()[-1].startswith("Handoff: *bob* is on shift until Fri 06 Nov")

    def test_a_handoff_missed_while_down_is_sent_late_and_says_so(self, world: NotifyWorld) -> None:
        """Down over Wednesday's handoff: Thursday's first cycle tells it, marked late."""
        world.tick(MONDAY_11)
        world.restart()
        world.tick(datetime(2026, 11, 5, 15, 0, tzinfo=UTC))

        handoff = world.events("handoff")[-1]
        assert (handoff["person"], handoff["late"]) == ("bob", True)
        assert world.slack.texts()[-1].endswith("(sent late)")
        blocks = str(world.slack.sent[-1]["blocks"])
        assert "Handoff (late)" in blocks

    def test_an_override_starting_and_ending_are_two_handoffs(self, world: NotifyWorld) -> None:
        """carol covers Monday 13:00-15:00 in alice's shift: to carol, then back to alice."""
        start = datetime(2026, 11, 2, 18, 0, tzinfo=UTC)
        cover = Override("carol", start, start + timedelta(hours=2), "dentist")
        rotation = replace(world.config.rotation, overrides=(cover,))
        world.restart(replace(world.config, rotation=rotation))
        world.tick(MONDAY_11)
        world.tick(start + timedelta(minutes=1))
        world.tick(start + timedelta(hours=2, minutes=1))

        people = [(e["person"], e["previous"]) for e in world.events("handoff")]
        assert people == [("alice", None), ("carol", "alice"), ("alice", "carol")]

    def test_the_handoff_lists_open_escalations_by_tier_with_links(
        self, world: NotifyWorld
    ) -> None:
        """Tiers in rule order; each item linked, its assignee mentioned; ignored ones left out."""
        world.see(
            seen("acme/web#2", "queue"),
            seen("acme/web#1", "fire", assignees=("alice-gh",), reporters=6),
            replace(seen("acme/web#3", "fire"), tier=None),
        )
        world.tick(MONDAY_11)

        [event] = world.events("handoff")
        tiers = cast("list[dict[str, object]]", event["escalations"])
        assert [(t["tier"], t["total"]) for t in tiers] == [("fire", 1), ("queue", 1)]
        blocks = str(world.slack.sent[0]["blocks"])
        assert "<https://github.com/acme/web/issues/1|web acme/web#1> issue acme/web#1" in blocks
        assert "(<@U024BE7LH>, 6 reporters)" in blocks
        assert "acme/web#3" not in blocks

    def test_handoff_messages_can_be_turned_off(self, world: NotifyWorld) -> None:
        """notify.handoff: false sends no handoff."""
        world.restart(replace(world.config, notify=replace(world.config.notify, handoff=False)))  # type: ignore[type-var]
        world.tick(MONDAY_11)

        assert world.events("handoff") == []


class TestUnusualTurns:
    def test_a_deferred_turn_is_a_handoff_like_any_other(self, tmp_path: Path) -> None:
        """alice away for shift 0 (defer): bob, then alice's owed turn, each told once."""
        world = NotifyWorld(tmp_path, notify_config(standup=False))
        away = Skip("alice", date(2026, 11, 2), date(2026, 11, 3), reason="billing rewrite")
        world.restart(replace(world.config, rotation=replace(world.config.rotation, skips=(away,))))
        world.tick(MONDAY_11)
        world.tick(WEDNESDAY_HANDOFF + timedelta(minutes=1))

        people = [(e["person"], e["previous"]) for e in world.events("handoff")]
        assert people == [("bob", None), ("alice", "bob")]
        world.store.close()

    def test_a_one_person_rotation_announces_its_endless_turn_and_keeps_it_relevant(
        self, tmp_path: Path
    ) -> None:
        """No change in sight: the first start's message says no 'until' and is still sent
        after a failed first attempt."""
        config = notify_config(standup=False)
        world = NotifyWorld(
            tmp_path, replace(config, rotation=replace(config.rotation, members=(Member("alice"),)))
        )
        world.slack.failures.append(NotifyFailed("slack: cannot connect"))
        world.tick(MONDAY_11)
        world.tick(MONDAY_11 + timedelta(minutes=5))

        assert world.slack.texts() == ["On shift now: <@U024BE7LH> is on shift."]
        world.store.close()
