"""The pure planner: from issues, syncd's records and the config to the writes each issue needs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from syncd.config.model import IGNORE_LABEL, AssignMode, Config, Tiers
from syncd.domain.actions import Action, AddLabel, Decision, IssuePlan, RemoveLabel, Why
from syncd.domain.carry_over import carry_over
from syncd.domain.flagging import flag_label, is_over, over_estimate, with_flag
from syncd.domain.issue import IssueSnapshot, Refusal
from syncd.domain.ledger import IssueRecord, RecordKey, seen_before_writes
from syncd.domain.routing import Writes, landed_assignee, rotation_assignment
from syncd.domain.rules import DEFAULT_RULE, TierChoice, choose_tier, explain
from syncd.domain.unowned import fallback_escalation

# Decision.rule for a hand-set tier that no rule names: the label namespace is what placed it.
UNKNOWN_TIER_RULE = "tiers.label_prefix"

_FRESH = IssueRecord()


@dataclass(frozen=True)
class Placement:
    """The tier an issue gets, whether a person pinned it, and the tier label writes."""

    tier: str
    assign: AssignMode
    rule: str
    pinned: bool
    writes: Writes
    adopted_label: str | None = None


def plan(  # noqa: PLR0917 - the agreed interface: on_call and unassignable positional
    issues: Iterable[IssueSnapshot],
    records: Mapping[RecordKey, IssueRecord],
    config: Config,
    now: datetime,
    on_call: str | None,
    unassignable: frozenset[Refusal] = frozenset(),
) -> list[IssuePlan]:
    """One plan per issue; an issue without a record is planned as if its state were lost."""
    return [
        plan_issue(
            issue,
            records.get((issue.tracker, issue.key), _FRESH),
            config,
            now,
            on_call,
            unassignable,
        )
        for issue in issues
    ]


def plan_issue(  # noqa: PLR0917 - the agreed interface, as plan()
    issue: IssueSnapshot,
    record: IssueRecord,
    config: Config,
    now: datetime,
    on_call: str | None,
    unassignable: frozenset[Refusal] = frozenset(),
) -> IssuePlan:
    """The decision for one issue and the writes that bring the tracker there (SPEC 3.1-3.3)."""
    if issue.is_pull_request or issue.has_label(IGNORE_LABEL):
        return IssuePlan(issue.tracker, issue.key, None, ())
    if all(tracker.name != issue.tracker for tracker in config.trackers):
        note = f"tracker {issue.tracker} is not in the configuration; issue left alone"
        return IssuePlan(issue.tracker, issue.key, None, (), (note,))
    flag_writes = flag_label(issue, record, config.estimates)
    # Rules see the flag label as this plan leaves it, so a rule on it settles in one pass.
    placement = place(with_flag(as_active(issue, record), flag_writes), record, config, now)
    decision = _decide(placement, record, now, on_call, bool(issue.assignees))
    decision = replace(decision, adopted_assignee=landed_assignee(issue, record))
    writes = placement.writes + Writes(flag_writes)
    if not is_over(issue, config.estimates):
        writes += _assignment(
            issue, record, decision, placement.assign, config, now, on_call, unassignable
        )
    writes += over_estimate(issue, record, config, unassignable)
    return IssuePlan(issue.tracker, issue.key, decision, writes.actions, writes.notes)


def _assignment(  # noqa: PLR0917 - the pieces of one issue's plan
    issue: IssueSnapshot,
    record: IssueRecord,
    decision: Decision,
    assign: AssignMode,
    config: Config,
    now: datetime,
    on_call: str | None,
    unassignable: frozenset[Refusal],
) -> Writes:
    """The first placement's assignment; else a carry-over to the person on shift, or an
    unowned fire's escalation to the fallback (SPEC §8)."""
    writes = rotation_assignment(issue, record, decision, assign, config, unassignable=unassignable)
    if writes.actions:
        return writes
    writes += carry_over(issue, record, decision, assign, config, on_call, unassignable)
    if writes.actions:
        return writes
    return writes + fallback_escalation(issue, record, decision.tier, config, now, unassignable)


def as_active(issue: IssueSnapshot, record: IssueRecord) -> IssueSnapshot:
    """The issue with `updated` as people left it: syncd's own latest write is not activity.

    Every write bumps `updated`; an `idle` rule reading that would flip the tier each cycle.
    """
    seen = seen_before_writes(record, issue.updated)
    return issue if seen >= issue.updated else replace(issue, updated=seen)


def _decide(
    placement: Placement, record: IssueRecord, now: datetime, on_call: str | None, assigned: bool
) -> Decision:
    """Keep the placement time and routed member while the tier stays; a new tier routes anew.

    A tier that routed nobody (its `assign` was none when the issue was placed) routes the
    person on call once it assigns the rotation: nobody is re-routed, and the fallback is kept
    for when nobody is on call.
    """
    routes = placement.assign is AssignMode.ROTATION
    if record.tier == placement.tier:
        placed_at = record.placed_at or now
        member = record.member if record.member is not None or not routes else on_call
    else:
        placed_at = now
        member = on_call if routes else None
    new = record.tier != placement.tier
    return Decision(
        placement.tier,
        placement.pinned,
        placed_at,
        member,
        placement.rule,
        placement.adopted_label,
        found_assigned=new and assigned,
    )


def place(issue: IssueSnapshot, record: IssueRecord, config: Config, now: datetime) -> Placement:
    """The issue's tier: pinned by a hand-set tier label, else computed by the rules."""
    tiers = config.tiers
    prefix = tiers.label_prefix.casefold()
    flag = config.estimates.flag_label.casefold()
    on_issue = [
        label
        for label in issue.labels
        if label.casefold().startswith(prefix) and label.casefold() != flag
    ]
    by_hand = [label for label in on_issue if not record.wrote_label(label)]
    by_syncd = [label for label in on_issue if record.wrote_label(label)]
    choice = choose_tier(tiers, issue, now)
    target = tiers.label(choice.tier).casefold()
    if by_hand:
        # State lost and the one tier label is exactly the computed one: take it as syncd's.
        lost = record.tier is None and not by_syncd
        if lost and len(by_hand) == 1 and by_hand[0].casefold() == target:
            notes = Writes((), choice.timed_out)
            return Placement(choice.tier, choice.assign, choice.rule, False, notes, by_hand[0])
        return _pinned(issue, by_hand, by_syncd, tiers)
    writes = _relabel(issue, by_syncd, choice, tiers, now) + Writes((), choice.timed_out)
    # A label sent without an answer that turns out to be on the issue: take it as written.
    landed = [label for label in by_syncd if label.casefold() == target]
    adopted = landed[0] if landed and not record.is_tier_label(landed[0]) else None
    return Placement(choice.tier, choice.assign, choice.rule, False, writes, adopted)


def _relabel(
    issue: IssueSnapshot, by_syncd: Sequence[str], choice: TierChoice, tiers: Tiers, now: datetime
) -> Writes:
    """Add the computed tier label if missing and remove the other tier labels syncd wrote."""
    target = tiers.label(choice.tier)
    stale = [label for label in by_syncd if label.casefold() != target.casefold()]
    why = Why(choice.rule, f"tier is now {choice.tier}")
    actions: list[Action] = [RemoveLabel(issue.tracker, issue.key, label, why) for label in stale]
    if len(stale) == len(by_syncd):  # the computed label is not among syncd's labels
        add_why = Why(choice.rule, _tier_reason(choice, tiers, issue, now))
        actions.insert(0, AddLabel(issue.tracker, issue.key, target, add_why))
    return Writes(tuple(actions))


def _tier_reason(choice: TierChoice, tiers: Tiers, issue: IssueSnapshot, now: datetime) -> str:
    """Why an issue gets a tier label, in words: what matched, or that nothing did."""
    for rule in tiers.rules:
        if rule.path == choice.rule:
            return f"{explain(rule.when, issue, now)} matched: tier {choice.tier}"
    return f"no rule matched: default tier {choice.tier}"


def _pinned(
    issue: IssueSnapshot, by_hand: Sequence[str], by_syncd: Sequence[str], tiers: Tiers
) -> Placement:
    """A hand-set tier label wins; syncd drops its own tier labels and leaves the others alone."""
    ranked = sorted(by_hand, key=lambda label: _rank(tiers, _tier_of(label, tiers)))
    label = ranked[0]
    tier, assign, rule = _tier_named(tiers, _tier_of(label, tiers))
    why = Why(rule, f"tier pinned by hand with {label}; removing the tier label syncd wrote")
    actions = tuple(RemoveLabel(issue.tracker, issue.key, mine, why) for mine in by_syncd)
    notes = [f"tier pinned by hand: {label}"]
    if len(ranked) > 1:
        others = ", ".join(ranked[1:])
        notes.append(f"several tier labels set by hand; {label} wins, left alone: {others}")
    return Placement(tier, assign, rule, True, Writes(actions, tuple(notes)))


def _tier_of(label: str, tiers: Tiers) -> str:
    """The tier name a tier label carries."""
    return label[len(tiers.label_prefix) :]


def _rank(tiers: Tiers, tier: str) -> tuple[int, str]:
    """Rule order first, then the default, then unknown tiers alphabetically."""
    folded = tier.casefold()
    for index, rule in enumerate(tiers.rules):
        if rule.tier.casefold() == folded:
            return index, ""
    if tiers.default_tier.casefold() == folded:
        return len(tiers.rules), ""
    return len(tiers.rules) + 1, folded


def _tier_named(tiers: Tiers, tier: str) -> tuple[str, AssignMode, str]:
    """A tier's name as configured, its assign mode and the first rule (or default) naming it."""
    folded = tier.casefold()
    for rule in tiers.rules:
        if rule.tier.casefold() == folded:
            return rule.tier, rule.assign, rule.path
    if tiers.default_tier.casefold() == folded:
        return tiers.default_tier, tiers.default_assign, DEFAULT_RULE
    return tier, AssignMode.NONE, UNKNOWN_TIER_RULE
