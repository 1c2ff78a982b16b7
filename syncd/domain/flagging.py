"""The over-estimate flag: a label, one explanatory comment, the handoff to the team (SPEC 3.3)."""

from __future__ import annotations

from dataclasses import replace

from syncd.config.model import Config, Estimates, Handoff, TrackerConfig
from syncd.domain.actions import (
    Action,
    AddLabel,
    Assign,
    Candidate,
    Comment,
    RemoveLabel,
    Unassign,
    Why,
)
from syncd.domain.conditions import Comparison, Op
from syncd.domain.durations import format_duration
from syncd.domain.issue import IssueSnapshot, Refusal, scope_of
from syncd.domain.ledger import ESTIMATES_RULE, IssueRecord
from syncd.domain.routing import NO_WRITES, Writes, identity, is_assigned
from syncd.domain.rules import compare

COMMENT_MARKER = "syncd:over-estimate"


def is_over(issue: IssueSnapshot, estimates: Estimates) -> bool:
    """Whether the issue is estimated above the limit (no estimate is never over).

    Compared as rules compare `estimate: "> 2d"`, so an estimate equal to the limit but for
    floating-point rounding (story points times days per point) is at the limit, not over it.
    """
    return issue.estimate is not None and compare(
        Comparison(Op.GT, estimates.limit), issue.estimate
    )


def flag_label(
    issue: IssueSnapshot, record: IssueRecord, estimates: Estimates
) -> tuple[Action, ...]:
    """Add the flag label above the limit; remove it at or under the limit if syncd added it."""
    present = [
        label for label in issue.labels if label.casefold() == estimates.flag_label.casefold()
    ]
    if is_over(issue, estimates):
        if present:
            return ()
        why = Why(ESTIMATES_RULE, f"estimate {_shown(issue, estimates)} is above the limit")
        return (AddLabel(issue.tracker, issue.key, estimates.flag_label, why),)
    if not (present and (record.flagged or record.wrote_label(estimates.flag_label))):
        return ()  # a flag label syncd did not add is a person's and stays
    why = Why(ESTIMATES_RULE, "estimate no longer above the limit; removing the flag syncd added")
    return tuple(RemoveLabel(issue.tracker, issue.key, label, why) for label in present)


def with_flag(issue: IssueSnapshot, actions: tuple[Action, ...]) -> IssueSnapshot:
    """The issue as the flag label writes leave it, so tier rules see the labels as they will be."""
    labels = list(issue.labels)
    for action in actions:
        if isinstance(action, AddLabel):
            labels.append(action.label)
        elif isinstance(action, RemoveLabel):
            labels = [label for label in labels if label != action.label]
    return replace(issue, labels=tuple(labels)) if actions else issue


def over_estimate(
    issue: IssueSnapshot,
    record: IssueRecord,
    config: Config,
    unassignable: frozenset[Refusal],
) -> Writes:
    """The comment (once) and the handoff for an item above the limit; nothing otherwise."""
    if not is_over(issue, config.estimates):
        return NO_WRITES
    tracker = config.tracker(issue.tracker)
    writes = NO_WRITES
    if config.estimates.comment and not record.commented:
        body = comment_body(issue, config.estimates, tracker.team)
        why = Why(ESTIMATES_RULE, "explain the over-estimate flag (posted once)")
        writes = Writes((Comment(issue.tracker, issue.key, body, COMMENT_MARKER, why),))
    return writes + _handoff(issue, record, config, tracker, unassignable)


def comment_body(issue: IssueSnapshot, estimates: Estimates, team: str | None) -> str:
    """The explanation posted on a flagged item."""
    limit = format_duration(estimates.limit, estimates.units)
    to_whom = f"the regular team ({team})" if team else "the regular team"
    return (
        f"This escalation is estimated at {_shown(issue, estimates)}, above the support-rotation "
        f"limit of {limit}, so it is handed to {to_whom}."
    )


def _shown(issue: IssueSnapshot, estimates: Estimates) -> str:
    """The estimate as the tracker showed it, else formatted in effort units."""
    if issue.estimate_text:
        return issue.estimate_text
    return format_duration(issue.estimate or 0.0, estimates.units)


def _handoff(
    issue: IssueSnapshot,
    record: IssueRecord,
    config: Config,
    tracker: TrackerConfig,
    unassignable: frozenset[Refusal],
) -> Writes:
    """Apply `estimates.handoff` to assignees syncd set; a person-set assignee always stays."""
    mine = tuple(who for who in issue.assignees if record.wrote_assignee(who))
    handoff = config.estimates.handoff
    if handoff is Handoff.KEEP:
        return NO_WRITES
    if handoff is Handoff.UNASSIGN:
        return _unassign(issue, mine, "whom syncd assigned")
    if len(mine) < len(issue.assignees):
        return NO_WRITES  # someone a person assigned is on it
    return _to_team(issue, mine, config, tracker, unassignable)


def _unassign(issue: IssueSnapshot, mine: tuple[str, ...], reason: str) -> Writes:
    """Take syncd's own assignees `mine` off the issue."""
    return Writes(
        tuple(
            Unassign(
                issue.tracker,
                issue.key,
                who,
                Why(ESTIMATES_RULE, f"over the limit: unassign {who}, {reason}"),
            )
            for who in mine
        )
    )


def _to_team(
    issue: IssueSnapshot,
    mine: tuple[str, ...],
    config: Config,
    tracker: TrackerConfig,
    unassignable: frozenset[Refusal],
) -> Writes:
    """Assign the tracker's team person in place of syncd's assignees `mine` (the only ones)."""
    team = tracker.team
    if team is None:
        return Writes((), (f"over the limit but tracker {tracker.name} has no team person",))
    who = identity(config, tracker, team)
    if who is None:
        return Writes((), (f"team person {team} has no identity in tracker {tracker.name}",))
    if is_assigned(issue, who):
        # A handoff whose answer was lost: the team has it, syncd's earlier assignee goes.
        others = tuple(m for m in mine if m.casefold() != who.casefold())
        return _unassign(issue, others, f"the team ({team}) has it")
    scope = scope_of(issue.key)
    if Refusal(tracker.name, scope, who) in unassignable:
        note = f"team person {team} ({who}) cannot be assigned in {scope} (tracker {tracker.name})"
        return Writes((), (note,))
    why = Why(ESTIMATES_RULE, f"over the limit: hand to the team ({team})")
    replacing = mine[0] if mine else None
    return Writes((Assign(issue.tracker, issue.key, (Candidate(team, who),), replacing, why),))
