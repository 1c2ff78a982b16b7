"""Carry-over at a handoff (`rotation.carry_over`, SPEC §8): syncd's assignments follow the shift.

An open escalation in an `assign: rotation` tier whose assignees are all syncd's own, and whose
syncd assignee is not the person now on shift, goes to that person: by the same Assign as any
other assignment (pacing, write cap, lost-answer protection). An assignee a person set or added
keeps the issue where it is.
"""

from __future__ import annotations

from syncd.config.model import AssignMode, Config
from syncd.domain.actions import Assign, Candidate, Decision, Unassign, Why
from syncd.domain.issue import IssueSnapshot, Refusal, scope_of
from syncd.domain.ledger import IssueRecord
from syncd.domain.report import CARRY_OVER_RULE
from syncd.domain.routing import NO_WRITES, Writes, identity, is_assigned


def carry_over(  # noqa: PLR0917 - the planner's pieces of one issue
    issue: IssueSnapshot,
    record: IssueRecord,
    decision: Decision,
    assign: AssignMode,
    config: Config,
    on_call: str | None,
    unassignable: frozenset[Refusal],
) -> Writes:
    """The writes passing `issue` from syncd's earlier assignee to `on_call`; none if it stays."""
    if not config.rotation.carry_over or assign is not AssignMode.ROTATION or on_call is None:
        return NO_WRITES
    mine = tuple(who for who in issue.assignees if record.wrote_assignee(who))
    if record.assignee is None or not mine or len(mine) < len(issue.assignees):
        return NO_WRITES  # not syncd's, or a person assigned someone
    tracker = config.tracker(issue.tracker)
    incoming = identity(config, tracker, on_call)
    if incoming is None or Refusal(tracker.name, scope_of(issue.key), incoming) in unassignable:
        return NO_WRITES
    if is_assigned(issue, incoming):
        # Carried before and the answer was lost: the incoming person has it, the other goes.
        others = [who for who in mine if who.casefold() != incoming.casefold()]
        why = Why(CARRY_OVER_RULE, f"carried over to {on_call}: unassign {', '.join(others)}")
        return Writes(tuple(Unassign(issue.tracker, issue.key, who, why) for who in others))
    replacing = record.assignee if is_assigned(issue, record.assignee) else mine[0]
    reason = f"handoff: carried over from {replacing} to {on_call}"
    action = Assign(
        issue.tracker,
        issue.key,
        (Candidate(on_call, incoming),),
        replacing,
        Why(CARRY_OVER_RULE, f"tier {decision.tier} follows the shift; {reason}"),
    )
    return Writes((action,))
