"""An unowned fire (SPEC §8): with no assignee for `unowned_fire_after` (30m by default) it is
assigned to the fallback through the applier and announced to the channel, once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from tests.notify.fire_world import FIRE_LABELS, FireWorld, fire_world
from tests.notify.notify_world import notify_config

MINUTE = 60


def _fire_whose_assignee_a_person_removed(world: FireWorld) -> str:
    """A fire syncd gave alice; a minute later a person takes her off it."""
    key = world.web.open_issue(labels=FIRE_LABELS)
    world.service.cycle(full=True)
    world.clock.advance(MINUTE)
    world.web.edit(key, assignees=())
    world.service.cycle()
    return key


class TestUnownedFireEscalated:
    def test_nothing_happens_before_the_delay(self, tmp_path: Path) -> None:
        """29 minutes without an assignee: no write to the fallback, no message."""
        with fire_world(tmp_path) as world:
            key = _fire_whose_assignee_a_person_removed(world)
            world.clock.advance(28 * MINUTE)

            world.service.cycle()

            assert world.web.assignees(key) == ()
            assert world.texts("Unowned fire") == []

    def test_after_the_delay_the_fallback_is_assigned_and_the_channel_told(
        self, tmp_path: Path
    ) -> None:
        """An incremental cycle 31 minutes after the removal assigns lead and announces it."""
        with fire_world(tmp_path) as world:
            key = _fire_whose_assignee_a_person_removed(world)
            world.clock.advance(31 * MINUTE)

            world.service.cycle()

            assert world.web.assignees(key) == ("acme-lead",)
            assert world.assigns("acme-lead") == 1
            assert world.store is not None
            rules = [e.rule for e in world.store.audit_since(world.clock() - timedelta(minutes=1))]
            assert "notify.unowned_fire_after" in rules
            [text] = world.texts("Unowned fire")
            assert "fallback *lead*" in text
            [event] = world.events("unowned_fire")
            assert event["fallback"] == "lead"

    def test_the_escalation_happens_once(self, tmp_path: Path) -> None:
        """A person takes lead off as well: no second assignment, no second message."""
        with fire_world(tmp_path) as world:
            key = _fire_whose_assignee_a_person_removed(world)
            world.clock.advance(31 * MINUTE)
            world.service.cycle()
            world.clock.advance(MINUTE)
            world.web.edit(key, assignees=())

            for _ in range(3):
                world.clock.advance(40 * MINUTE)
                world.service.cycle()

            assert world.web.assignees(key) == ()
            assert world.assigns("acme-lead") == 1
            assert len(world.texts("Unowned fire")) == 1

    def test_without_a_fallback_the_channel_is_told_once(self, tmp_path: Path) -> None:
        """No `rotation.fallback`: nobody is assigned; the channel hears of it, once."""
        config = notify_config()
        config = replace(config, rotation=replace(config.rotation, fallback=None))
        with fire_world(tmp_path, config) as world:
            key = _fire_whose_assignee_a_person_removed(world)

            for _ in range(3):
                world.clock.advance(31 * MINUTE)
                world.service.cycle()

            assert world.web.assignees(key) == ()
            [text] = world.texts("Unowned fire")
            assert "<!here>" in text
            [event] = world.events("unowned_fire")
            assert event["fallback"] is None
