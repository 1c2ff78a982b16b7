"""The rotation's history kept as the service settles: placements, and shifts for Prometheus.

`syncd report` reads it back (SPEC §11). The journal of started shifts is the roster's own; the
chronicle only counts the shifts it gains, by segment, for `syncd_shifts_total`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.domain.placements import Assigned, happenings
from syncd.domain.rotation.shift import Shift, ShiftSource
from syncd.domain.rotation.timeline import overlay
from syncd.domain.urgency import fire_tier
from syncd.service_layer.metrics import Metrics

NOBODY = "nobody"  # the `member` label of a shift nobody holds


class Chronicle:
    """Notes what each settle did to the history, and the shifts started since the last one."""

    def __init__(self, config: Config, store: Store, metrics: Metrics) -> None:
        self._store = store
        self._metrics = metrics
        self._overrides = config.rotation.overrides
        self._fire = fire_tier(config.tiers)
        entries = store.journal.entries()
        # Shifts journaled before this start were counted by the syncd that journaled them.
        self._counted = entries[-1].index if entries else -1

    def settled(
        self,
        tracker: str,
        snapshots: Sequence[IssueSnapshot],
        before: Mapping[RecordKey, IssueRecord],
        after: Mapping[RecordKey, IssueRecord],
        now: datetime,
    ) -> None:
        """Keep the placements, assignments and flags of one settle; count new shifts."""
        for happening in happenings(tracker, snapshots, before, after, now):
            kept = self._store.placements.note(happening)
            if kept and isinstance(happening, Assigned) and happening.tier == self._fire:
                self._metrics.fire_assigned(happening.time_to_assign)
        self._count_shifts()

    def _count_shifts(self) -> None:
        for entry in self._store.journal.after(self._counted):
            source = ShiftSource(entry.source)
            base = Shift(entry.index, entry.start, entry.end, entry.member, source)
            for segment in overlay(base, self._overrides):
                self._metrics.shift_started(segment.member or NOBODY, segment.source.value)
            self._counted = entry.index
