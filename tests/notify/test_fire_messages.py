"""Fires (SPEC §8): a fire placed and assigned is announced at once, mentioning the assignee;
once per issue, across failed sends and restarts too."""

from __future__ import annotations

from pathlib import Path

from syncd.errors import NotifyFailed
from tests.notify.fire_world import FIRE_LABELS, fire_world


class TestFireAnnounced:
    def test_a_fire_placed_and_assigned_is_announced_mentioning_the_assignee(
        self, tmp_path: Path
    ) -> None:
        """alice (member id U024BE7LH) is on shift: the fire's message mentions her."""
        with fire_world(tmp_path) as world:
            key = world.web.open_issue("Checkout <!channel> down", labels=FIRE_LABELS)

            world.service.cycle(full=True)

            [text] = world.texts("Fire:")
            assert "<@U024BE7LH>" in text
            assert "&lt;!channel&gt;" in text
            [event] = world.events("fire")
            assert event["id"] == f"fire:web:{key}"
            assert event["issue"]["assignees"] == ["alice"]  # type: ignore[index]

    def test_the_fire_is_announced_once_over_later_cycles(self, tmp_path: Path) -> None:
        """Cycles after the placement (a label edit among them) tell nothing new."""
        with fire_world(tmp_path) as world:
            key = world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)
            world.clock.advance(60)
            world.web.edit(key, labels=(*world.web.labels(key), "customer"))

            world.service.cycle()
            world.clock.advance(2 * 3600)
            world.service.cycle(full=True)

            assert len(world.texts("Fire:")) == 1
            assert len(world.events("fire")) == 1

    def test_a_queue_issue_is_not_announced(self, tmp_path: Path) -> None:
        """Only the fire tier is news; the queue waits for the stand-up."""
        with fire_world(tmp_path) as world:
            world.web.open_issue("The CSV export is broken")

            world.service.cycle(full=True)

            assert world.texts("Fire:") == []


class TestFireExactlyOnce:
    def test_a_fire_is_sent_once_across_a_failed_send_and_a_restart(self, tmp_path: Path) -> None:
        """The first send fails; syncd restarts; the retry sends it once, and no more."""
        with fire_world(tmp_path) as world:
            world.web.open_issue(labels=FIRE_LABELS)
            world.slack.failures.append(NotifyFailed("503 from Slack"))
            world.service.cycle(full=True)
            assert world.texts("Fire:") == []

            world.service = world.new_service()  # a restart over the same state
            world.clock.advance(5 * 60)
            world.service.cycle(full=True)
            world.clock.advance(5 * 60)
            world.service.cycle(full=True)

            assert len(world.texts("Fire:")) == 1
            assert len(world.events("fire")) == 1

    def test_a_restart_after_the_send_tells_nothing_again(self, tmp_path: Path) -> None:
        """Sent, then restarted with a full reconciliation: the fire is known, not re-sent."""
        with fire_world(tmp_path) as world:
            world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)

            world.service = world.new_service()
            world.clock.advance(60)
            world.service.cycle(full=True)

            assert len(world.texts("Fire:")) == 1


class TestFireFromAWebhook:
    def test_a_fire_settled_from_a_webhook_is_announced_without_waiting_for_a_poll(
        self, tmp_path: Path
    ) -> None:
        """With webhooks the next poll may be minutes away: the refresh that placed and assigned
        the fire sends its message before it returns."""
        with fire_world(tmp_path) as world:
            world.service.cycle(full=True)  # the running shift is announced; nothing else
            key = world.web.open_issue("Checkout down", labels=FIRE_LABELS)

            world.service.refresh("web", key)

            assert len(world.texts("Fire:")) == 1
            [event] = world.events("fire")
            assert event["id"] == f"fire:web:{key}"
