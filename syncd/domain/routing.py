"""Routing: who an issue goes to, as identities the issue's tracker can assign (SPEC 3.2)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from syncd.config.model import AssignMode, Config, TrackerConfig
from syncd.domain.actions import Action, Assign, Candidate, Decision, Why
from syncd.domain.issue import IssueSnapshot, Refusal, scope_of
from syncd.domain.ledger import IssueRecord


@dataclass(frozen=True)
class Writes:
    """Part of an issue's plan: the writes it needs and what is worth logging about it."""

    actions: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()

    def __add__(self, other: Writes) -> Writes:
        if not (other.actions or other.notes):
            return self
        return Writes(self.actions + other.actions, self.notes + other.notes)


NO_WRITES = Writes()


def identity(config: Config, tracker: TrackerConfig, person: str) -> str | None:
    """`person`'s GitHub login or Jira accountId/username in `tracker`, if the config has one."""
    known = config.people.get(person)
    return None if known is None else known.identity(tracker)


def is_assigned(issue: IssueSnapshot, who: str | None) -> bool:
    """Whether `who` is among the issue's assignees (ignoring case, as GitHub logins do)."""
    if who is None:
        return False
    folded = who.casefold()
    return any(assignee.casefold() == folded for assignee in issue.assignees)


def landed_assignee(issue: IssueSnapshot, record: IssueRecord) -> str | None:
    """An identity syncd assigned without hearing back and that is on the issue: syncd's own.

    None while syncd's recorded assignee is still on the issue too (a handoff whose answer was
    lost): both stay syncd's, so the handoff can still take the recorded one off.
    """
    if is_assigned(issue, record.assignee):
        return None
    return next((sent for sent in record.sent_assignees if is_assigned(issue, sent)), None)


def candidates(
    config: Config,
    tracker: TrackerConfig,
    people: Iterable[str],
    unassignable: frozenset[Refusal],
    scope: str,
) -> tuple[tuple[Candidate, ...], tuple[str, ...]]:
    """The people `tracker` can take in `scope` (syncd.domain.issue.scope_of), in order, and a note
    for each one it cannot."""
    found: list[Candidate] = []
    notes: list[str] = []
    for person in dict.fromkeys(people):  # the member may also be the fallback
        who = identity(config, tracker, person)
        if who is None:
            notes.append(f"{person} has no identity in tracker {tracker.name}; not assigned")
        elif Refusal(tracker.name, scope, who) in unassignable:
            notes.append(f"{person} ({who}) cannot be assigned in {scope} (tracker {tracker.name})")
        else:
            found.append(Candidate(person, who))
    return tuple(found), tuple(notes)


def rotation_assignment(
    issue: IssueSnapshot,
    record: IssueRecord,
    decision: Decision,
    assign: AssignMode,
    config: Config,
    *,
    unassignable: frozenset[Refusal],
) -> Writes:
    """Assign the routed member (else the fallback) to an unassigned issue, once per placement."""
    settled = record.assign_settled and record.tier == decision.tier
    if assign is not AssignMode.ROTATION or issue.assignees or settled:
        return NO_WRITES
    tracker = config.tracker(issue.tracker)
    people = [p for p in (decision.member, config.rotation.fallback) if p is not None]
    found, notes = candidates(config, tracker, people, unassignable, scope_of(issue.key))
    if not found:
        tried = ", ".join(people) if people else "nobody on the rotation and no fallback"
        return Writes((), (*notes, f"left unassigned in tracker {tracker.name} (tried: {tried})"))
    reason = f"tier {decision.tier} assigns the rotation: {people[0]}"
    if found[0].person != people[0]:
        # Who could not take it, where and why, so that the line does not read as if they did.
        reason = "; ".join([reason, *notes, f"fallback {found[0].person}"])
    action = Assign(issue.tracker, issue.key, found, None, Why(decision.rule, reason))
    return Writes((action,), notes)


def refused_here(candidate: Candidate, scope: str, key: str) -> str:
    """Why `candidate` was passed over: refused by the tracker in `scope` when assigned `key`."""
    return f"{candidate.person} ({candidate.identity}) refused in {scope} on {key}"


def after_refusals(action: Assign, refused: Sequence[str], taker: Candidate) -> Assign:
    """`action` as the write that gives the issue to `taker`: its reason names the refusals."""
    if not refused:
        return action
    reason = "; ".join([action.why.reason, *refused, f"fallback {taker.person}"])
    return replace(action, why=Why(action.why.rule, reason))
