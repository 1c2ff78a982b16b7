"""What applying plans did: each write's result, and the whole apply's records and counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from syncd.domain.ledger import IssueRecord, RecordKey


class WriteResult(Enum):
    """How one write ended; the values are the audit log's `outcome` words in the state file."""

    OK = "ok"
    ALREADY_THERE = "already there"  # a comment whose marker the issue already carries
    UNASSIGNABLE = "unassignable"  # the tracker would not take this person as assignee
    FAILED = "failed"  # refused for good; the audit adds the tracker's reason

    def audited(self, reason: str | None = None) -> str:
        """The audit log's `outcome` text: the value, then the reason a failed write gave."""
        return self.value if reason is None else f"{self.value}: {reason}"


@dataclass(frozen=True)
class Applied:
    """What one apply did.

    `records`: every issue's record as the apply left them (decisions and noted writes in);
    `writes`: writes sent, a failed one included; `errors`: writes refused for good;
    `complete`: no action is left for a later cycle; `failure`: what ended the apply early
    (the tracker down or rate limited, or a bug), None when nothing did; `waiting`: actions
    left for a later cycle by a stop, the write cap or the write budget; `done_by`: when the
    budget would see them done (None when the apply failed).
    """

    records: Mapping[RecordKey, IssueRecord]
    writes: int
    errors: int
    complete: bool
    failure: Exception | None = None
    waiting: int = 0
    done_by: datetime | None = None
