"""The outbox: every message sent exactly once, across failed sends, restarts and reloads;
retried while relevant (not before Retry-After), dropped after, or at once when refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from syncd.adapters.state.outbox import Status
from syncd.errors import NotifyFailed, NotifyRefused
from tests.notify.notify_world import (
    MONDAY_11,
    WEDNESDAY_HANDOFF,
    NotifyWorld,
    notify_config,
)

ALICE = "handoff:2026-11-02T14:00:00Z:alice"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[NotifyWorld]:
    """A notification world with handoffs only; its state file is closed afterwards."""
    made = NotifyWorld(tmp_path, notify_config(standup=False))
    yield made
    made.store.close()


class TestExactlyOnce:
    def test_a_restart_after_a_sent_message_sends_nothing_again(self, world: NotifyWorld) -> None:
        """The same handoff decided by a new notifier (a restart, a reload) is not re-sent."""
        world.tick(MONDAY_11)
        world.restart()
        world.tick(MONDAY_11 + timedelta(minutes=1))
        world.restart(notify_config(standup=False, coverage_days=7))
        world.tick(MONDAY_11 + timedelta(minutes=2))

        assert (len(world.slack.sent), len(world.webhook.sent)) == (1, 1)

    def test_a_failed_send_is_retried_on_a_later_cycle_and_sent_once(
        self, world: NotifyWorld
    ) -> None:
        """A network error, then a 503: the third cycle delivers, and only that one."""
        world.slack.failures += [NotifyFailed("slack: cannot connect"), NotifyFailed("HTTP 503")]
        for minutes in range(0, 10):
            world.tick(MONDAY_11 + timedelta(minutes=minutes))

        assert len(world.slack.sent) == 1
        stored = world.store.outbox.get(f"{ALICE}@slack")
        assert stored is not None and (stored.status, stored.attempts) == (Status.SENT, 3)

    def test_a_failure_on_one_destination_does_not_resend_to_the_other(
        self, world: NotifyWorld
    ) -> None:
        """Slack failing leaves the JSON webhook's copy sent once."""
        world.slack.failures.append(NotifyFailed("slack: timed out"))
        world.tick(MONDAY_11)
        world.tick(MONDAY_11 + timedelta(minutes=2))

        assert (len(world.slack.sent), len(world.webhook.sent)) == (1, 1)

    def test_a_pending_message_survives_a_restart(self, world: NotifyWorld) -> None:
        """Failed before a restart, sent by the new process, once."""
        world.slack.failures.append(NotifyFailed("slack: HTTP 502"))
        world.tick(MONDAY_11)
        world.restart()
        world.tick(MONDAY_11 + timedelta(minutes=5))
        world.tick(MONDAY_11 + timedelta(minutes=10))

        assert len(world.slack.sent) == 1

    def test_retry_after_is_honoured(self, world: NotifyWorld) -> None:
        """A 429 asking for 10 minutes: not retried at 5, retried at 11."""
        world.slack.failures.append(NotifyFailed("slack: HTTP 429", retry_after=600))
        world.tick(MONDAY_11)
        world.tick(MONDAY_11 + timedelta(minutes=5))
        assert world.slack.sent == []

        world.tick(MONDAY_11 + timedelta(minutes=11))
        assert len(world.slack.sent) == 1


class TestDropping:
    def test_a_handoff_still_failing_when_its_shift_ends_is_dropped(
        self, world: NotifyWorld, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Slack down all of alice's shift: her handoff is never sent; bob's is."""
        world.slack.failures += [NotifyFailed("slack: cannot connect")] * 60
        world.tick(MONDAY_11)
        for hours in range(1, 47, 2):
            world.tick(MONDAY_11 + timedelta(hours=hours))
        world.slack.failures.clear()
        world.tick(WEDNESDAY_HANDOFF + timedelta(minutes=1))

        assert [message["text"] for message in world.slack.sent] == [
            "Handoff: *bob* is on shift until Fri 06 Nov 09:00 EST. Next: *carol*."
        ]
        stored = world.store.outbox.get(f"{ALICE}@slack")
        assert stored is not None and stored.status is Status.DROPPED

    def test_a_refused_message_is_dropped_at_once(self, world: NotifyWorld) -> None:
        """400 invalid_payload: never tried again."""
        world.slack.failures.append(NotifyRefused("slack: HTTP 400 invalid_payload"))
        world.tick(MONDAY_11)
        world.tick(MONDAY_11 + timedelta(hours=1))

        stored = world.store.outbox.get(f"{ALICE}@slack")
        assert world.slack.sent == []
        assert stored is not None and (stored.status, stored.attempts) == (Status.DROPPED, 1)
