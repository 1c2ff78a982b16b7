"""What a cycle tells its caller: how each tracker's part went, what a settle did, dry runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from syncd.adapters.state import CycleOutcome
from syncd.domain.actions import IssuePlan
from syncd.service_layer.applied import Applied


@dataclass(frozen=True)
class TrackerReport:
    """How one tracker's part of a cycle went; `errors` counts refused writes too.

    `full`: the cycle was (or, when not reached, was to be) a reconciliation of the tracker.
    """

    tracker: str
    outcome: CycleOutcome
    writes: int = 0
    errors: int = 0
    message: str = ""
    paused_until: datetime | None = None
    full: bool = False


@dataclass(frozen=True)
class CycleReport:
    """Every tracker's part of one cycle."""

    trackers: tuple[TrackerReport, ...]

    @property
    def failed(self) -> bool:
        """Whether any tracker ended in error (a rate-limit pause is not a failure)."""
        return any(report.outcome is CycleOutcome.ERROR for report in self.trackers)

    @property
    def full(self) -> bool:
        """Whether any tracker was reconciled (or was to be) in this cycle."""
        return any(report.full for report in self.trackers)

    @property
    def writes(self) -> int:
        """Writes made by every tracker together."""
        return sum(report.writes for report in self.trackers)


@dataclass(frozen=True)
class Preview:
    """A dry run's result: the plans of every tracker reached, and the trackers that failed."""

    plans: tuple[IssuePlan, ...]
    failed: tuple[str, ...]


@dataclass(frozen=True)
class Settled:
    """One settle step over some issues of a tracker: the plans made, and what applying did."""

    plans: tuple[IssuePlan, ...]
    applied: Applied


def summary_of(issues: int, plans: Sequence[IssuePlan], refused: int) -> str:
    """The one-line message of a tracker's completed part: issues, actions, refusals."""
    actions = sum(len(plan.actions) for plan in plans)
    refusals = f", {refused} writes refused" if refused else ""
    return f"{issues} issues, {actions} actions{refusals}"
