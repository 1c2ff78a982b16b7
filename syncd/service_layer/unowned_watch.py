"""Which unowned fires are due for escalation (SPEC §8), so that the cycle settles them then.

An incremental cycle fetches only issues that changed; an unowned fire changes nothing while it
waits, so the service re-reads each one once its `notify.unowned_fire_after` has passed (one
read per issue, until it has an owner or its escalation was told).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.adapters.state import SeenIssue, Store
from syncd.config.model import Config
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.domain.notices.events import UnownedFire
from syncd.domain.unowned import unowned_since
from syncd.domain.urgency import fire_tier
from syncd.service_layer.notifier import SLACK, WEBHOOK


class UnownedWatch:
    """Finds the fires, as last seen, with no assignee for longer than the configured delay."""

    def __init__(self, config: Config, store: Store) -> None:
        self._store = store
        self._fire = fire_tier(config.tiers)
        notify = config.notify
        self._after = None if notify is None else timedelta(seconds=notify.unowned_fire_after)
        urls = {} if notify is None else {SLACK: notify.slack_webhook, WEBHOOK: notify.webhook}
        # As the composition root's posters: a URL from an unset variable sends nothing.
        self._destinations = tuple(name for name, url in urls.items() if url and url.reveal())

    def due(self, now: datetime) -> list[RecordKey]:
        """(tracker, key) of each unowned fire due at `now` whose escalation was not told yet."""
        if self._after is None or self._fire is None or not self._destinations:
            return []
        waiting = self._store.seen.unassigned_in(self._fire)
        if not waiting:
            return []
        records: dict[RecordKey, IssueRecord] = {}
        for tracker in {issue.tracker for issue in waiting}:
            records.update(self._store.records(tracker))
        found = []
        for issue in waiting:
            record = records.get((issue.tracker, issue.key))
            since = None if record is None else unowned_since((), issue.updated, record)
            if since is not None and now - since >= self._after and not self._told(issue):
                found.append((issue.tracker, issue.key))
        return found

    def _told(self, issue: SeenIssue) -> bool:
        told = f"{UnownedFire.kind}:{issue.tracker}:{issue.key}"
        return bool(self._store.outbox.known([f"{told}@{name}" for name in self._destinations]))
