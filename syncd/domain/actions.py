"""Effects as data: what the planner decides and the service applies (or prints, in a dry run)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Why:
    """The rule behind a write (`tiers.rules[0]`, `tiers.default`, `estimates`) and a reason."""

    rule: str
    reason: str


@dataclass(frozen=True)
class AddLabel:
    """Add one label (never replaces the label set)."""

    tracker: str
    key: str
    label: str
    why: Why


@dataclass(frozen=True)
class RemoveLabel:
    """Remove one label; already absent counts as done."""

    tracker: str
    key: str
    label: str
    why: Why


@dataclass(frozen=True)
class Candidate:
    """A person who could take an issue, with their identity in the issue's tracker."""

    person: str
    identity: str


@dataclass(frozen=True)
class Assign:
    """Assign the first candidate the tracker accepts, removing `replacing` (set by syncd).

    When every candidate is refused the issue stays as it is and a warning is logged.
    """

    tracker: str
    key: str
    candidates: tuple[Candidate, ...]
    replacing: str | None
    why: Why


@dataclass(frozen=True)
class Unassign:
    """Remove an assignee that syncd set."""

    tracker: str
    key: str
    identity: str
    why: Why


@dataclass(frozen=True)
class Comment:
    """Post one comment unless a comment carrying `marker` is already on the issue."""

    tracker: str
    key: str
    body: str
    marker: str
    why: Why


Action = AddLabel | RemoveLabel | Assign | Unassign | Comment


@dataclass(frozen=True)
class Decision:
    """What the planner settled for an issue, recorded in state even before any write lands.

    `member` is the rotation person routed when the issue was first placed in `tier`; it is
    stored so that later rotation changes or config edits never re-route the issue.
    """

    tier: str
    pinned: bool
    placed_at: datetime
    member: str | None
    rule: str
    # A tier label already on the issue that syncd takes as its own when its record was lost
    # and the label is exactly the computed one; the ledger then records it as written.
    adopted_label: str | None = None
    # The same for an assignee syncd sent without hearing back, found on the issue.
    adopted_assignee: str | None = None
    # The issue already had an assignee when it was placed in `tier`: this placement assigns
    # nobody, even if a person removes that assignee later (SPEC 3.2: "at the moment syncd
    # first places the issue in that tier").
    found_assigned: bool = False


@dataclass(frozen=True)
class IssuePlan:
    """The planner's output for one issue: its decision and the writes that bring it there."""

    tracker: str
    key: str
    decision: Decision | None  # None when the issue is ignored (`syncd/ignore`, a pull request)
    actions: tuple[Action, ...]
    notes: tuple[str, ...] = ()  # things worth logging that are not writes ("tier pinned by hand")
