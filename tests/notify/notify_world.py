"""A small world for notification tests: the SPEC config with `notify:`, a real state file,
a roster over its journal and fake posters that keep what they were sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from syncd.adapters.state import SeenIssue, Store
from syncd.config.model import Config, Secret
from syncd.config.notify import NotifyConfig
from syncd.domain.rotation import Roster
from syncd.service_layer.notifier import SLACK, WEBHOOK, Notifier
from tests.builders import a_config, spec_people

# Shift 0 (alice) starts Monday 2026-11-02 09:00 in Detroit (14:00Z), shift 1 (bob) Wednesday.
MONDAY_11 = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
WEDNESDAY_HANDOFF = datetime(2026, 11, 4, 14, 0, tzinfo=UTC)


class FakePoster:
    """Keeps each payload it accepts; raises the exceptions queued in `failures` first."""

    def __init__(self) -> None:
        self.sent: list[dict[str, object]] = []
        self.failures: list[Exception] = []

    def send(self, payload: str) -> None:
        """Accept `payload`, unless a failure is queued."""
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(json.loads(payload))

    def texts(self) -> list[str]:
        """The `text` fallback of every Slack message accepted."""
        return [str(message["text"]) for message in self.sent]


def notify_config(**overrides: Any) -> Config:
    """The SPEC config with both URLs set and alice's Slack member id."""
    people = dict(spec_people())
    people["alice"] = replace(people["alice"], slack="U024BE7LH")
    notify = NotifyConfig(
        slack_webhook=Secret("https://hooks.slack.test/services/T0/B0/x", "${SLACK_WEBHOOK_URL}"),
        webhook=Secret("https://events.test/in", "${NOTIFY_WEBHOOK_URL}"),
    )
    return replace(a_config(people=people), notify=replace(notify, **overrides))


@dataclass
class NotifyWorld:
    """A state file and the posters; `tick` runs one cycle's notification step."""

    tmp: Path
    config: Config = field(default_factory=notify_config)

    def __post_init__(self) -> None:
        self.slack = FakePoster()
        self.webhook = FakePoster()
        self.store = Store.open(self.tmp / "syncd.db")
        self.notifier = self.restart()

    def restart(self, config: Config | None = None) -> Notifier:
        """A new notifier over the same state (as after a restart or a reload)."""
        self.config = config or self.config
        posters = {SLACK: self.slack, WEBHOOK: self.webhook}
        self.notifier = Notifier(self.config, self.store, posters)
        return self.notifier

    def tick(self, now: datetime) -> None:
        """One cycle's notification step at `now`, the roster journaling started shifts."""
        roster = Roster(self.config.rotation, self.store.journal)
        roster.record_started(now)
        self.notifier.tick(now, roster)

    def events(self, kind: str) -> list[dict[str, object]]:
        """The JSON events of `kind` the webhook accepted."""
        return [event for event in self.webhook.sent if event["event"] == kind]

    def see(self, *issues: SeenIssue) -> None:
        """Put `issues` in the seen table, as a cycle would."""
        for tracker in {issue.tracker for issue in issues}:
            mine = [issue for issue in issues if issue.tracker == tracker]
            self.store.seen.save(tracker, mine, complete=True)


def seen(key: str, tier: str, **overrides: Any) -> SeenIssue:
    """An open escalation of tracker web, created 1 Nov, as the seen table holds it."""
    issue = SeenIssue(
        tracker="web",
        key=key,
        title=f"issue {key}",
        url=f"https://github.com/acme/web/issues/{key.rpartition('#')[2]}",
        tier=tier,
        assignees=(),
        reporters=1,
        created=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        updated=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
        flagged=False,
        seen_at=MONDAY_11,
    )
    return replace(issue, **overrides)
