"""What syncd itself wrote to each issue: the planner's memory, kept in the state file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from syncd.domain.actions import Action, AddLabel, Assign, Comment, Decision, RemoveLabel, Unassign

# The rule path of every write the over-estimate flag makes; it tells flag labels from tier ones.
ESTIMATES_RULE = "estimates"

# Trackers stamp `updated` with their own clocks, a little after syncd's write returns: an
# `updated` within this long after syncd's latest write is taken as the echo of that write.
WRITE_ECHO = timedelta(minutes=2)


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
    seen_updated: datetime | None = None  # the issue's `updated` before syncd's latest writes
    wrote_at: datetime | None = None  # when syncd's latest write to the issue landed (our clock)
    # Labels syncd sent whose answer never came (a dropped connection): they may have landed,
    # so when one is on the issue it is syncd's, not a person's.
    sent_labels: tuple[str, ...] = ()
    # Identities syncd was assigning when the answer never came: on the issue, they are syncd's.
    sent_assignees: tuple[str, ...] = ()

    def wrote_assignee(self, identity: str) -> bool:
        """Whether `identity` is syncd's: the assignee it set, or one assigned without an answer."""
        folded = identity.casefold()
        if self.assignee is not None and self.assignee.casefold() == folded:
            return True
        return any(sent.casefold() == folded for sent in self.sent_assignees)

    def wrote_label(self, label: str) -> bool:
        """Whether `label` is syncd's: its tier label, or a label sent without an answer."""
        folded = label.casefold()
        return self.is_tier_label(label) or any(s.casefold() == folded for s in self.sent_labels)

    def is_tier_label(self, label: str) -> bool:
        """Whether `label` is the tier label syncd wrote (ignoring case, as the trackers do)."""
        return self.tier_label is not None and self.tier_label.casefold() == label.casefold()


RecordKey = tuple[str, str]  # (tracker name, issue key)


def echoes_own_write(record: IssueRecord, updated: datetime) -> bool:
    """Whether an issue's `updated` is only the trace of syncd's latest write, not activity."""
    return record.wrote_at is not None and updated <= record.wrote_at + WRITE_ECHO


def seen_before_writes(record: IssueRecord, updated: datetime) -> datetime:
    """The issue's last activity by anyone but syncd: `updated`, unless that echoes our write."""
    if record.seen_updated is not None and echoes_own_write(record, updated):
        return record.seen_updated
    return updated


def sending(record: IssueRecord, label: str) -> IssueRecord:
    """The record while `label` is being added: kept if the answer is lost, dropped after."""
    return replace(record, sent_labels=(*_unsent(record, label), label))


def unsent(record: IssueRecord, label: str) -> IssueRecord:
    """The record once the tracker answered about `label` (added, or refused for good)."""
    return replace(record, sent_labels=_unsent(record, label))


def _unsent(record: IssueRecord, label: str) -> tuple[str, ...]:
    return _without(record.sent_labels, label)


def assigning(record: IssueRecord, identity: str) -> IssueRecord:
    """The record while `identity` is being assigned: kept if the answer is lost."""
    return replace(record, sent_assignees=(*_without(record.sent_assignees, identity), identity))


def answered(record: IssueRecord, identity: str) -> IssueRecord:
    """The record once the tracker answered about assigning `identity` (done, or refused)."""
    return replace(record, sent_assignees=_without(record.sent_assignees, identity))


def _without(sent: tuple[str, ...], name: str) -> tuple[str, ...]:
    return tuple(item for item in sent if item.casefold() != name.casefold())


def after_decision(record: IssueRecord, decision: Decision) -> IssueRecord:
    """The record once the planner settled `decision`; a new tier starts a new placement."""
    placement = replace(
        record, tier=decision.tier, placed_at=decision.placed_at, member=decision.member
    )
    if record.tier != decision.tier:
        placement = replace(placement, assign_settled=decision.found_assigned)
    if decision.adopted_label is not None:
        adopted = unsent(placement, decision.adopted_label)
        placement = replace(adopted, tier_label=decision.adopted_label)
    if decision.adopted_assignee is not None:
        adopted = answered(placement, decision.adopted_assignee)
        placement = replace(adopted, assignee=decision.adopted_assignee, assign_settled=True)
    return placement


def after_write(record: IssueRecord, action: Action, assigned: str | None = None) -> IssueRecord:
    """The record once `action` landed; `assigned` is who an Assign made assignee, if anyone."""
    match action:
        case AddLabel(label=label):
            if action.why.rule == ESTIMATES_RULE:
                return replace(unsent(record, label), flagged=True)
            return replace(unsent(record, label), tier_label=label)
        case RemoveLabel(label=label):
            return _after_label_removed(unsent(record, label), action)
        case Assign():
            return _after_assign(record, action, assigned)
        case Unassign(identity=identity):
            record = answered(record, identity)
            return replace(record, assignee=None) if record.wrote_assignee(identity) else record
        case Comment():
            return replace(record, commented=True)
    raise TypeError(f"not an action: {action!r}")  # pragma: no cover - closed union


def _after_assign(record: IssueRecord, action: Assign, assigned: str | None) -> IssueRecord:
    """`assigned` (if anyone) is syncd's assignee now; `replacing` went off the issue with it."""
    # Settled either way: a refusal is not retried in a loop for this placement.
    if assigned is None:
        return replace(record, assign_settled=True)
    if action.replacing is not None:
        record = answered(record, action.replacing)
    return replace(answered(record, assigned), assignee=assigned, assign_settled=True)


def after_refusal(record: IssueRecord, action: Action) -> IssueRecord:
    """The record once the tracker refused `action` for good: what it was sending never landed."""
    if isinstance(action, AddLabel):
        return unsent(record, action.label)
    if isinstance(action, Assign):
        for candidate in action.candidates:
            record = answered(record, candidate.identity)
    return record


def _after_label_removed(record: IssueRecord, action: RemoveLabel) -> IssueRecord:
    """The flag or the tier label syncd wrote is gone; other tier labels were never recorded."""
    if action.why.rule == ESTIMATES_RULE:
        return replace(record, flagged=False)
    if record.is_tier_label(action.label):
        return replace(record, tier_label=None)
    return record
