"""What the rotation's history keeps of each escalation: its placements, found in a settle.

A settle leaves every issue's record (syncd.domain.ledger) as the apply left it; comparing the
records before and after tells what happened to the history: an issue first placed in a tier,
assigned by syncd, flagged for the team. These are data (`Placed`, `Assigned`, `Flagged`) that
the state file keeps for `syncd report` long after the audit of writes is pruned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey


@dataclass(frozen=True)
class Placement:
    """An escalation's first placement in `tier`: when, the person routed then, the issue's
    creation, and (once they happen) syncd's assignment and the flag for the team."""

    tracker: str
    key: str
    tier: str
    placed_at: datetime
    created: datetime
    member: str | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    flagged_at: datetime | None = None

    @property
    def time_to_assign(self) -> float | None:
        """Seconds from the issue's creation to syncd's assignment (None until assigned)."""
        if self.assigned_at is None:
            return None
        return max(0.0, (self.assigned_at - self.created).total_seconds())


@dataclass(frozen=True)
class Placed:
    """An issue placed in a tier it was not in (kept only if it is its first time there)."""

    placement: Placement


@dataclass(frozen=True)
class Assigned:
    """syncd made `assignee` the issue's assignee at `at`, in its placement in `tier`."""

    tracker: str
    key: str
    tier: str
    assignee: str
    at: datetime
    created: datetime  # the issue's creation

    @property
    def time_to_assign(self) -> float:
        """Seconds from the issue's creation to this assignment."""
        return max(0.0, (self.at - self.created).total_seconds())


@dataclass(frozen=True)
class Flagged:
    """syncd flagged the issue for the team at `at`."""

    tracker: str
    key: str
    at: datetime


Happening = Placed | Assigned | Flagged


def happenings(
    tracker: str,
    snapshots: Sequence[IssueSnapshot],
    before: Mapping[RecordKey, IssueRecord],
    after: Mapping[RecordKey, IssueRecord],
    now: datetime,
) -> list[Happening]:
    """What one settle of `tracker` did to the history of `snapshots`, in order per issue."""
    found: list[Happening] = []
    for snapshot in snapshots:
        key = (tracker, snapshot.key)
        old, new = before.get(key, IssueRecord()), after.get(key)
        if new is not None:
            found.extend(_of_issue(tracker, snapshot, old, new, now))
    return found


def _of_issue(
    tracker: str, snapshot: IssueSnapshot, old: IssueRecord, new: IssueRecord, now: datetime
) -> list[Happening]:
    key = snapshot.key
    found: list[Happening] = []
    if new.tier is not None and (new.tier, new.placed_at) != (old.tier, old.placed_at):
        placement = Placement(
            tracker, key, new.tier, new.placed_at or now, snapshot.created, new.member
        )
        found.append(Placed(placement))
    if new.tier is not None and new.assignee is not None and new.assignee != old.assignee:
        # The write's own time when the applier noted it: writes can wait for the pacing.
        at = new.wrote_at or now
        found.append(Assigned(tracker, key, new.tier, new.assignee, at, snapshot.created))
    if new.flagged and not old.flagged:
        found.append(Flagged(tracker, key, new.wrote_at or now))
    return found
