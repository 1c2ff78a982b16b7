"""What the state file returns to its readers: cycles and audit entries, as frozen data."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class CycleOutcome(enum.Enum):
    """How one tracker's cycle ended."""

    OK = "ok"
    ERROR = "error"
    PAUSED = "paused"  # rate limited: the tracker waits until `paused_until`


@dataclass(frozen=True)
class CycleRow:
    """One tracker's cycle: when, how it ended, what it wrote."""

    tracker: str
    started: datetime
    finished: datetime
    outcome: CycleOutcome
    writes: int
    errors: int
    message: str = ""
    paused_until: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One write syncd attempted: what, where, why, and how it went."""

    time: datetime
    tracker: str
    issue: str
    kind: str  # add_label, remove_label, assign, unassign, comment
    detail: str  # the label, the identity, the comment marker
    rule: str
    reason: str
    outcome: str  # ok, already done, unassignable, failed: ...
