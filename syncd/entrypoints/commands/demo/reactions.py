"""The demo's webhooks: the sandbox posts every change to syncd, which reacts between polls.

As `syncd run` with webhooks on: a listener on 127.0.0.1 takes the sandbox's signed deliveries
(each tracker gets a random secret, kept in memory only) into an inbox, and the pauses between
cycles settle them as they arrive. A reaction that wrote is told in one line; the echoes of
syncd's own writes cost a read each and write nothing, so they print nothing.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TextIO

from syncd.adapters.state import AuditEntry, Store
from syncd.clock import Clock
from syncd.config.model import Config, GitHubTracker, JiraTracker, Secret, TrackerConfig
from syncd.entrypoints.commands.demo.board import Legend, change
from syncd.entrypoints.commands.demo.board_table import Palette
from syncd.entrypoints.commands.demo.scenes import SCENES_IN_PAUSES, Stage
from syncd.entrypoints.listener import Listener
from syncd.entrypoints.listener.webhooks import PREFIX, webhook_routes
from syncd.entrypoints.pages import page_routes
from syncd.entrypoints.printable import printable_line
from syncd.sandbox.deliveries import Target
from syncd.sandbox.server import Sandbox
from syncd.service_layer.inbox import Inbox
from syncd.service_layer.metrics import NullMetrics
from syncd.service_layer.reactions import Reactions
from syncd.service_layer.service import Service

HOST = "127.0.0.1"
REACTION_WAIT = 5.0  # seconds a pause waits at most for the reaction to a change made in it
_STOP_POLL = 0.1  # a wait wakes at once for a delivery; for a stop (Ctrl-C), this often
_SIDES = {"github": "github", "jira-cloud": "jira_cloud", "jira-dc": "jira_dc"}


def with_webhook_secrets(config: Config) -> Config:
    """`config` with a fresh random webhook secret on every GitHub and Jira tracker."""
    return dataclasses.replace(config, trackers=tuple(map(_with_secret, config.trackers)))


def _with_secret(tracker: TrackerConfig) -> TrackerConfig:
    if not isinstance(tracker, GitHubTracker | JiraTracker):
        return tracker
    return dataclasses.replace(tracker, webhook_secret=Secret(secrets.token_hex(16), "(demo)"))


@contextmanager
def listening(
    config: Config, sandbox: Sandbox, flavours: Mapping[str, str], out: TextIO, clock: Clock
) -> Iterator[Inbox]:
    """Deliveries from `sandbox` to a listener on 127.0.0.1, queued in the inbox yielded; the
    same listener serves the status page and the calendar, read from the demo's state file.

    `flavours` names each Jira tracker's sandbox side (`jira-cloud`, `jira-dc`). The sandbox
    stops posting and the listener is closed when the block ends.
    """
    inbox = Inbox()
    routes = (
        *webhook_routes(lambda: config, inbox, NullMetrics()),
        *page_routes(lambda: config, clock),
    )
    with Listener(routes, HOST, 0, option="syncd demo") as listener:
        url = f"http://{HOST}:{listener.port}"
        base = f"{url}{PREFIX}"
        sandbox.deliver_webhooks(**_targets(config, base, flavours))
        out.write(f"The sandbox posts every change as a signed webhook to {base}<tracker>.\n")
        out.write(f"The status page: {url}/ (the calendar: {url}/rotation.ics).\n")
        try:
            yield inbox
        finally:
            sandbox.deliver_webhooks()  # none: nothing posts to a closed port


def _targets(config: Config, base: str, flavours: Mapping[str, str]) -> dict[str, Target]:
    """The sandbox's target for each side a tracker of `config` reads (the first such tracker)."""
    targets: dict[str, Target] = {}
    for tracker in config.trackers:
        side = "github" if isinstance(tracker, GitHubTracker) else flavours.get(tracker.name)
        secret = tracker.webhook_secret
        if side in _SIDES and secret is not None:
            targets.setdefault(_SIDES[side], Target(base + tracker.name, secret.reveal()))
    return targets


@dataclasses.dataclass(frozen=True)
class Reaction:
    """syncd's writes to one issue settled from webhooks, `seconds` after the change."""

    key: str
    seconds: float
    writes: tuple[AuditEntry, ...]

    def line(self, legend: Legend) -> str:
        """The reaction in one line, as printed between boards."""
        words = " ".join(change(write, legend) for write in self.writes)
        return printable_line(
            f"⚡ {self.key} reacted to a webhook in {self.seconds:.2f} s: {words}"
        )


class Pauses:
    """The waits between cycles, settling deliveries as they arrive (the loop thread's work)."""

    def __init__(
        self,
        inbox: Inbox,
        store: Store,
        clock: Callable[[], datetime],
        *,
        stage: Stage,
        palette: Palette,
        out: TextIO,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._arrived = threading.Event()
        inbox.wake = self._arrived.set
        self._reactions = Reactions(inbox, store.deliveries, NullMetrics(), clock)
        self._store, self._clock, self._monotonic = store, clock, monotonic
        self._stage, self._palette, self._out = stage, palette, out

    def pause(
        self,
        seconds: float,
        service: Service,
        stop: threading.Event,
        next_cycle: int,
    ) -> bool:
        """Wait `seconds` before cycle `next_cycle`, telling each reaction that wrote; whether
        any did.

        Half-way, the scene of SCENES_IN_PAUSES for `next_cycle` (if any) changes the trackers
        and tells its story, and the pause waits for syncd's reaction to it (at most
        REACTION_WAIT) before going on.
        """
        scene = next((s for s in SCENES_IN_PAUSES if s.before_cycle == next_cycle), None)
        if scene is None:
            return self._tell(self.wait(seconds, service, stop))
        told = self._tell(self.wait(seconds / 2, service, stop))
        changed = self._monotonic()
        self._out.write(f"\n{self._palette.paint('>>', 'bold')} {scene.act(self._stage)}\n")
        self._out.flush()
        told |= self._tell(self.wait(0, service, stop, since=changed, until_written=True))
        return self._tell(self.wait(seconds / 2, service, stop)) or told

    def _tell(self, reactions: list[Reaction]) -> bool:
        for reaction in reactions:
            self._out.write(self._palette.paint(reaction.line(self._stage.legend), "bold") + "\n")
        self._out.flush()
        return bool(reactions)

    def wait(
        self,
        seconds: float,
        service: Service,
        stop: threading.Event,
        *,
        since: float | None = None,
        until_written: bool = False,
    ) -> list[Reaction]:
        """Settle deliveries for `seconds` or until a stop; the reactions that wrote.

        Each reaction's time runs from `since` (a monotonic instant: when a change was made;
        default now) to its last write. With `until_written`, the wait ends at the first
        reaction that wrote, or REACTION_WAIT after `since` when none came.
        """
        since = self._monotonic() if since is None else since
        started = self._clock()
        deadline = self._monotonic() + seconds
        if until_written:
            deadline = since + REACTION_WAIT
        landed: dict[str, float] = {}
        while not stop.is_set():
            self._arrived.clear()
            before = len(self._store.audit_since(started))
            self._reactions.react(service, stop.is_set)
            writes = self._store.audit_since(started)
            landed |= dict.fromkeys({write.issue for write in writes[before:]}, self._monotonic())
            left = deadline - self._monotonic()
            if (until_written and landed) or left <= 0:
                break
            self._arrived.wait(min(left, _STOP_POLL))
        return _reactions(self._store.audit_since(started), landed, since)


def _reactions(
    writes: list[AuditEntry], landed: Mapping[str, float], since: float
) -> list[Reaction]:
    return [
        Reaction(key, at - since, tuple(w for w in writes if w.issue == key))
        for key, at in landed.items()
    ]
