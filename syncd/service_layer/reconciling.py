"""When a tracker lists everything (a reconciliation) instead of only what changed.

A reconciliation is due when the state file remembers none completed within
`reconcile_interval`, or the last one ran under another config (its digest): so a `run --once`
from cron costs what an idle cycle costs, and changed rules still reach every issue. One under
way (capped, failed, paused) goes on in the next cycle until a full pass completes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.adapters.state import Reconciliation, Store
from syncd.config.model import Config

# Trackers stamp `updated` with their own clocks and Jira's JQL has minute precision: re-read a
# little before the watermark so that no change falls between two fetches.
OVERLAP = timedelta(minutes=2)


class Reconciling:
    """Which trackers reconcile in this service's cycles, and the record of completed passes."""

    def __init__(self, config: Config, store: Store) -> None:
        self._config = config
        self._store = store
        self._under_way: set[str] = set()

    def due(self, name: str, now: datetime) -> bool:
        """Whether `name` starts a reconciliation now (one under way goes on by itself)."""
        if name in self._under_way:
            return False
        last = self._store.reconciliations.last(name)
        interval = timedelta(seconds=self._config.reconcile_interval)
        return last is None or last.due(now, interval, self._config.digest)

    def since(self, name: str, full: bool, watermark: datetime | None) -> datetime | None:
        """Where this cycle's fetch of `name` starts: None (everything) while a pass is on."""
        if full or watermark is None:
            self._under_way.add(name)
        if name in self._under_way or watermark is None:
            return None
        return watermark - OVERLAP

    def recorded(self, name: str, started: datetime) -> None:
        """A full pass over `name` that began at `started` is done: remember it in the state."""
        self._store.reconciliations.completed(name, Reconciliation(started, self._config.digest))

    def finished(self, name: str) -> None:
        """The pass over `name` applied everything: the next cycle lists only what changed."""
        self._under_way.discard(name)
