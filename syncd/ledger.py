"""What syncd itself wrote to each issue: the planner's memory, kept in the state file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class IssueRecord:
    """syncd's record of one issue; the trackers stay the source of truth.

    A fresh record (state lost) is always safe: the planner treats labels and assignees it has
    no record of as set by a person, and comments are recognised by their marker.
    """

    tier: str | None = None  # the tier syncd last decided (computed or pinned)
    placed_at: datetime | None = None  # when syncd first placed the issue in `tier`
    member: str | None = None  # the rotation person routed at placement
    tier_label: str | None = None  # the tier label syncd wrote
    assignee: str | None = None  # the identity syncd assigned
    assign_settled: bool = False  # the assignment for this placement was done or given up
    flagged: bool = False  # syncd added the flag label
    commented: bool = False  # the over-estimate comment is on the issue


RecordKey = tuple[str, str]  # (tracker name, issue key)
