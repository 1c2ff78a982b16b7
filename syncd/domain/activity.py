"""Each issue's latest activity by people: its `updated`, syncd's own latest writes left out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey, seen_before_writes


def activity_of(
    issues: Sequence[IssueSnapshot], records: Mapping[RecordKey, IssueRecord]
) -> dict[RecordKey, datetime]:
    """Each issue's `updated` as people left it (syncd's own latest writes are not activity)."""
    fresh = IssueRecord()
    return {
        (issue.tracker, issue.key): seen_before_writes(
            records.get((issue.tracker, issue.key), fresh), issue.updated
        )
        for issue in issues
    }
