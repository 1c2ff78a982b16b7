"""What the status page shows, kept in memory by the daemon's loop thread for the listener's.

Reading 10,000 escalations from the state file takes longer than the page may (SPEC: under
50 ms), and the state's connection belongs to the loop thread. So the loop thread keeps a copy
of the `seen` rows (loaded once, then told of every save) and, after each cycle and each
settle, publishes a `StatusSnapshot`: an immutable value the listener's threads read as is.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from syncd.adapters.state import AuditEntry, CycleRow, SeenIssue, Store
from syncd.clock import Clock
from syncd.domain.rotation.journal import JournalEntry


@dataclass(frozen=True)
class StatusSnapshot:
    """The state the page reads, as one cycle or settle left it; `serial` grows per publish."""

    serial: int
    seen: tuple[SeenIssue, ...]  # oldest first
    cycles: Mapping[str, CycleRow]
    writes: tuple[AuditEntry, ...]  # the writes window before the publish
    journal: tuple[JournalEntry, ...]


class StatusPublisher:
    """Publishes `StatusSnapshot`s of `store`: `publish` on the thread that owns the store,
    `latest` from any thread."""

    def __init__(self, store: Store, clock: Clock, writes_window: timedelta) -> None:
        self._store = store
        self._clock = clock
        self._window = writes_window
        self._lock = threading.Lock()
        self._seen = {(i.tracker, i.key): i for i in store.seen.issues()}
        self._oldest_first: tuple[SeenIssue, ...] | None = None  # None: to sort again
        store.seen.watch(self._saved)
        self._latest = self._snapshot(serial=0)

    def latest(self) -> StatusSnapshot:
        """The last snapshot published."""
        with self._lock:
            return self._latest

    def publish(self) -> None:
        """Take a new snapshot of the store (call on the thread that owns it)."""
        snapshot = self._snapshot(self.latest().serial + 1)
        with self._lock:
            self._latest = snapshot

    def _snapshot(self, serial: int) -> StatusSnapshot:
        if self._oldest_first is None:
            ordered = sorted(self._seen.values(), key=lambda i: (i.created, i.tracker, i.key))
            self._oldest_first = tuple(ordered)
        return StatusSnapshot(
            serial=serial,
            seen=self._oldest_first,
            cycles=self._store.last_cycles(),
            writes=tuple(self._store.audit_since(self._clock() - self._window)),
            journal=tuple(self._store.journal.entries()),
        )

    def _saved(self, tracker: str, issues: Sequence[SeenIssue], complete: bool) -> None:
        """What `SeenTable.save` does to the table, done to the copy."""
        if complete:
            listed = {issue.key for issue in issues}
            gone = [k for k in self._seen if k[0] == tracker and k[1] not in listed]
            for key in gone:
                del self._seen[key]
        self._seen.update(((issue.tracker, issue.key), issue) for issue in issues)
        self._oldest_first = None
