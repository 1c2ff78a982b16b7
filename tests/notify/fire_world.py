"""A service world whose cycles tell people: the service tests' fake trackers and clock, the
notifier over the same state file, and fake posters that keep what they were sent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from syncd.config.model import Config
from syncd.service_layer.notifier import SLACK, WEBHOOK, Notifier
from syncd.service_layer.service import Service
from tests.notify.notify_world import FakePoster, notify_config
from tests.service.world import World

FIRE_LABELS = ("escalation", "outage")


class FireWorld(World):
    """`World` whose service is wired to a notifier, as the composition root wires it."""

    slack: FakePoster
    webhook: FakePoster

    def new_service(self) -> Service:
        """A service and notifier over the same trackers and state (as after a restart)."""
        if not hasattr(self, "slack"):
            self.slack, self.webhook = FakePoster(), FakePoster()
        assert self.store is not None
        notifier = Notifier(self.config, self.store, {SLACK: self.slack, WEBHOOK: self.webhook})
        return Service(
            self.config,
            {"web": self.web, "support": self.support},
            self.store,
            self.clock,
            self.sleeps.append,
            notify=notifier.tick,
            settled=notifier.settled,
        )

    def events(self, kind: str) -> list[dict[str, object]]:
        """The JSON events of `kind` the webhook accepted."""
        return [event for event in self.webhook.sent if event["event"] == kind]

    def texts(self, start: str) -> list[str]:
        """The Slack fallback texts that start with `start`."""
        return [text for text in self.slack.texts() if text.startswith(start)]

    def assigns(self, identity: str) -> int:
        """How many assign writes for `identity` tracker web received."""
        return sum(1 for w in self.web.writes if w.op == "assign" and w.arg == identity)


def carry_over_config() -> Config:
    """notify_config() with `rotation.carry_over` on."""
    config = notify_config()
    return replace(config, rotation=replace(config.rotation, carry_over=True))


@contextmanager
def fire_world(tmp_path: Path, config: Config | None = None) -> Iterator[FireWorld]:
    """A FireWorld over `config` (default notify_config()); its state file closed afterwards."""
    world = FireWorld(tmp_path, config or notify_config())
    try:
        yield world
    finally:
        assert world.store is not None
        world.store.close()
