"""Rule evaluation: whether a condition holds for an issue, and which tier the rules choose."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from syncd.config.model import AssignMode, Tiers
from syncd.domain.conditions import (
    AllOf,
    AnyOf,
    Attribute,
    Clock,
    Comparison,
    Condition,
    Elapsed,
    Estimate,
    InSet,
    Labels,
    LabelTest,
    Not,
    Op,
    Reporters,
    Text,
    TextField,
)
from syncd.domain.durations import ELAPSED, format_duration
from syncd.domain.issue import IssueSnapshot
from syncd.errors import PatternTimedOut

DEFAULT_RULE = "tiers.default"

# The snapshot field each single-valued attribute reads.
_FIELD: dict[Attribute, Callable[[IssueSnapshot], str | None]] = {
    Attribute.TRACKER: lambda issue: issue.tracker,
    Attribute.REPO: lambda issue: issue.repo,
    Attribute.PROJECT: lambda issue: issue.project,
    Attribute.TYPE: lambda issue: issue.issue_type,
    Attribute.PRIORITY: lambda issue: issue.priority,
}

_COMPARE: dict[Op, Callable[[float, float], bool]] = {
    Op.GT: lambda a, b: a > b,
    Op.GE: lambda a, b: a >= b,
    Op.LT: lambda a, b: a < b,
    Op.LE: lambda a, b: a <= b,
    Op.EQ: lambda a, b: a == b,
}


# Estimates are products of floats (3 points x 0.7 days x 8h is 60479.99999999999 seconds, not
# the 60480 of `2.1d`): values this close are the same number to a person, so they compare equal.
_REL_TOLERANCE = 1e-9
_INCLUSIVE = frozenset({Op.GE, Op.LE, Op.EQ})


@dataclass(frozen=True)
class TierChoice:
    """The tier the rules give an issue, its assign mode, and the rule path that chose it."""

    tier: str
    assign: AssignMode
    rule: str  # `tiers.rules[2]` or `tiers.default`
    timed_out: tuple[str, ...] = ()  # one note per rule a regex timeout kept from matching


def compare(comparison: Comparison, value: float) -> bool:
    """Whether `value <op> comparison.value` holds; values equal but for rounding are equal."""
    if math.isclose(value, comparison.value, rel_tol=_REL_TOLERANCE, abs_tol=_REL_TOLERANCE):
        return comparison.op in _INCLUSIVE
    return _COMPARE[comparison.op](value, comparison.value)


def matches(condition: Condition, issue: IssueSnapshot, now: datetime) -> bool:
    """Whether `condition` holds for `issue` at `now` (SPEC 2.1).

    Raises PatternTimedOut (naming the text condition) when a regex runs out of time: its
    answer is unknown, and no `not`, `any` or `all` around it may read that as true or false.
    """
    match condition:
        case AllOf(children):
            return all(matches(child, issue, now) for child in children)
        case AnyOf(children):
            return any(matches(child, issue, now) for child in children)
        case Not(child):
            return not matches(child, issue, now)
    return _leaf_matches(condition, issue, now)


def _leaf_matches(condition: Condition, issue: IssueSnapshot, now: datetime) -> bool:
    """Whether one leaf condition holds."""
    match condition:
        case Labels():
            return _labels_match(condition, issue)
        case Text():
            return _text_matches(condition, issue)
        case InSet(attribute, values):
            return any(value.casefold() in values for value in _attribute(issue, attribute))
        case Reporters(comparison):
            return compare(comparison, issue.reporters)
        case Elapsed(clock, comparison):
            since = issue.created if clock is Clock.AGE else issue.updated
            return compare(comparison, (now - since).total_seconds())
        case Estimate(comparison):
            return _estimate_matches(comparison, issue)
    raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - closed union


def _estimate_matches(comparison: Comparison | None, issue: IssueSnapshot) -> bool:
    """`estimate: none` holds without an estimate; a comparison needs one to hold."""
    if comparison is None:
        return issue.estimate is None
    return issue.estimate is not None and compare(comparison, issue.estimate)


def _text_matches(condition: Text, issue: IssueSnapshot) -> bool:
    """A regex search in the title, the body, or either; PatternTimedOut when out of time."""
    search = condition.pattern.search
    try:
        if condition.field is TextField.TITLE:
            return search(issue.title) is not None
        if condition.field is TextField.BODY:
            return search(issue.body) is not None
        return search(issue.title) is not None or search(issue.body) is not None
    except PatternTimedOut as exc:
        raise PatternTimedOut(f"{describe(condition)} ({exc})") from exc


def _labels_match(condition: Labels, issue: IssueSnapshot) -> bool:
    """The label set test, ignoring case as GitHub and Jira do."""
    present = {label.casefold() for label in issue.labels}
    if condition.test is LabelTest.ANY:
        return not present.isdisjoint(condition.names)
    if condition.test is LabelTest.ALL:
        return condition.names <= present
    return present.isdisjoint(condition.names)


def _attribute(issue: IssueSnapshot, attribute: Attribute) -> tuple[str, ...]:
    """The issue's values for a set-membership test; empty when the issue has none."""
    if attribute is Attribute.COMPONENT:
        return issue.components
    value = _FIELD[attribute](issue)
    return () if value is None else (value,)


def describe(condition: Condition) -> str:
    """The condition as it reads in the YAML file, for logs: `labels_any [outage]`."""
    match condition:
        case AllOf(children) | AnyOf(children):
            name = "all" if isinstance(condition, AllOf) else "any"
            return f"{name} (" + "; ".join(describe(child) for child in children) + ")"
        case Not(child):
            return f"not ({describe(child)})"
        case Labels(test, names):
            return f"{test.value} [{', '.join(sorted(names))}]"
        case Text(field, pattern):
            return f"{field.value} /{pattern.pattern}/"
        case InSet(attribute, values):
            return f"{attribute.value} [{', '.join(sorted(values))}]"
    return _describe_comparison(condition)


def _describe_comparison(condition: Condition) -> str:
    """A comparing leaf, with durations shown in units (estimates in work hours)."""
    match condition:
        case Reporters(comparison):
            return f"reporters {comparison.op.value} {comparison.value:g}"
        case Elapsed(clock, comparison):
            shown = format_duration(comparison.value, ELAPSED)
            return f"{clock.value} {comparison.op.value} {shown}"
        case Estimate(None):
            return "estimate none"
        case Estimate(comparison) if comparison is not None:
            return f"estimate {comparison.op.value} {comparison.value / 3600:g}h"
    raise TypeError(f"not a condition: {condition!r}")  # pragma: no cover - closed union


def explain(condition: Condition, issue: IssueSnapshot, now: datetime) -> str:
    """What made `condition` hold for the issue: the matching branch of an `any`, and so on."""
    match condition:
        case AllOf(children) if children:
            return " and ".join(explain(child, issue, now) for child in children)
        case AnyOf(children):
            for child in children:
                if _holds(child, issue, now):
                    return explain(child, issue, now)
    return describe(condition)


def choose_tier(tiers: Tiers, issue: IssueSnapshot, now: datetime) -> TierChoice:
    """The first rule whose condition holds, else the default tier.

    A rule whose evaluation runs a regex out of time does not match, wherever the regex sits
    (under `not` too): the next rule, or the default, decides. Each such rule gives one note.
    """
    timed_out: list[str] = []
    for rule in tiers.rules:
        try:
            if matches(rule.when, issue, now):
                return TierChoice(rule.tier, rule.assign, rule.path, tuple(timed_out))
        except PatternTimedOut as exc:
            # Hostile text must not stall the daemon, nor decide a tier: the rule is passed over.
            timed_out.append(f"condition timed out: {exc}; rule {rule.path} does not match")
    return TierChoice(tiers.default_tier, tiers.default_assign, DEFAULT_RULE, tuple(timed_out))


def _holds(condition: Condition, issue: IssueSnapshot, now: datetime) -> bool:
    """`matches`, with a regex that runs out of time read as not holding (for explanations)."""
    try:
        return matches(condition, issue, now)
    except PatternTimedOut:
        return False
