"""Small builders for configs, rules and issue snapshots, made from the frozen types directly."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from syncd.config.model import (
    AssignMode,
    Config,
    Estimates,
    GitHubEstimate,
    GitHubTracker,
    Handoff,
    JiraTracker,
    Member,
    Person,
    Rotation,
    Rule,
    Secret,
    Tiers,
    TrackerConfig,
)
from syncd.domain.conditions import (
    AllOf,
    AnyOf,
    Attribute,
    Comparison,
    Condition,
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
from syncd.domain.durations import DEFAULT_EFFORT, parse_duration
from syncd.domain.issue import IssueSnapshot
from syncd.domain.patterns import GuardedPattern

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
HOUR = 3600.0
WORK_DAY = 8 * HOUR  # effort: a day is hours_per_day (8) hours

_OPS = {op.value: op for op in Op}


def cmp(text: str) -> Comparison:
    """`"> 1d"` (effort units) or `">= 5"` as a Comparison, as the YAML loader would build it."""
    op, _, value = text.strip().partition(" ")
    number = float(value) if re.fullmatch(r"\d+(\.\d+)?", value) else None
    return Comparison(
        _OPS[op], number if number is not None else parse_duration(value, DEFAULT_EFFORT)
    )


def labels_any(*names: str) -> Labels:
    """`labels_any: [...]`."""
    return Labels(LabelTest.ANY, frozenset(n.casefold() for n in names))


def labels_all(*names: str) -> Labels:
    """`labels_all: [...]`."""
    return Labels(LabelTest.ALL, frozenset(n.casefold() for n in names))


def labels_none(*names: str) -> Labels:
    """`labels_none: [...]`."""
    return Labels(LabelTest.NONE, frozenset(n.casefold() for n in names))


def text(pattern: str, field: TextField = TextField.TEXT) -> Text:
    """`text: REGEX` (or title/body)."""
    return Text(field, GuardedPattern(pattern))


def in_set(attribute: Attribute, *values: str) -> InSet:
    """`priority: [...]`, `repo: [...]` and the other set-membership leaves."""
    return InSet(attribute, frozenset(v.casefold() for v in values))


def a_rule(
    tier: str, when: Condition, assign: AssignMode = AssignMode.ROTATION, index: int = 0
) -> Rule:
    """One tier rule at `tiers.rules[index]`."""
    return Rule(tier, assign, when, f"tiers.rules[{index}]")


def spec_rules() -> tuple[Rule, ...]:
    """The example rules of SPEC section 2: fire, acknowledged, queue."""
    fire = AnyOf(
        (
            labels_any("outage", "data-loss"),
            in_set(Attribute.PRIORITY, "Highest", "Blocker"),
            Reporters(cmp(">= 5")),
        )
    )
    queue = AllOf((Not(Estimate(cmp("> 1d"))), text("(?i)integration|export|import")))
    return (
        a_rule("fire", fire, AssignMode.ROTATION, 0),
        a_rule("acknowledged", labels_any("wontfix-soon"), AssignMode.NONE, 1),
        a_rule("queue", queue, AssignMode.ROTATION, 2),
    )


def spec_people() -> dict[str, Person]:
    """alice, bob, carol and lead with their GitHub and Jira identities (SPEC section 2)."""
    return {
        "alice": Person("alice", {"github": "alice-gh", "jira": "5b10ac8d82e05b22cc7d4ef5"}),
        "bob": Person("bob", {"github": "bobby", "jira": "bob"}),
        "carol": Person("carol", {"github": "carol-c", "jira": "62a9f0c1e4b0d2a7c3f1b9e8"}),
        "lead": Person("lead", {"github": "acme-lead", "jira": "lead-account-id"}),
    }


def a_github_tracker(name: str = "web", **overrides: Any) -> GitHubTracker:
    """The SPEC's `web` tracker (acme/web, acme/api), with `overrides` applied."""
    tracker = GitHubTracker(
        name=name,
        repos=("acme/web", "acme/api"),
        token=Secret("test-token", "${GITHUB_TOKEN}"),
        priority_label=GuardedPattern("priority/(.+)"),
        estimate=GitHubEstimate(label=GuardedPattern("estimate/(.+)")),
        team="lead",
        write_interval=0.0,
        write_budget=None,  # like write_interval 0s: tests that pace say so
    )
    return replace(tracker, **overrides)


def a_jira_tracker(name: str = "support", **overrides: Any) -> JiraTracker:
    """The SPEC's `support` Jira tracker, with `overrides` applied."""
    tracker = JiraTracker(
        name=name,
        url="https://acme.atlassian.net",
        token=Secret("test-token", "${JIRA_API_TOKEN}"),
        email=Secret("support@example.com", "${JIRA_EMAIL}"),
        jql="project = SUP AND labels = escalation AND statusCategory != Done",
        team="lead",
    )
    return replace(tracker, **overrides)


def a_config(
    *,
    rules: tuple[Rule, ...] | None = None,
    default_tier: str = "triage",
    default_assign: AssignMode = AssignMode.NONE,
    label_prefix: str = "tier/",
    people: Mapping[str, Person] | None = None,
    members: tuple[str, ...] = ("alice", "bob", "carol"),
    fallback: str | None = "lead",
    limit: str = "2d",
    flag_label: str = "needs-team",
    handoff: Handoff = Handoff.TEAM,
    comment: bool = True,
    trackers: tuple[TrackerConfig, ...] | None = None,
) -> Config:
    """The SPEC's example configuration, with the given parts replaced."""
    rotation = Rotation(
        timezone=ZoneInfo("America/Detroit"),
        handoff_time=time(9, 0),
        shift_length=2,
        working_days=frozenset(range(5)),
        holidays=frozenset({date(2026, 12, 25), date(2027, 1, 1)}),
        start=date(2026, 11, 2),
        members=tuple(Member(m) for m in members),
        fallback=fallback,
    )
    tiers = Tiers(
        label_prefix=label_prefix,
        rules=spec_rules() if rules is None else rules,
        default_tier=default_tier,
        default_assign=default_assign,
    )
    estimates = Estimates(
        limit=parse_duration(limit, DEFAULT_EFFORT),
        flag_label=flag_label,
        handoff=handoff,
        comment=comment,
    )
    return Config(
        source=Path("config/syncd.yaml"),
        poll_interval=60.0,
        reconcile_interval=3600.0,
        state_path=Path("var/syncd.db"),
        people=spec_people() if people is None else people,
        rotation=rotation,
        tiers=tiers,
        estimates=estimates,
        trackers=(a_github_tracker(), a_jira_tracker()) if trackers is None else trackers,
    )


def an_issue(**overrides: Any) -> IssueSnapshot:
    """An open GitHub escalation in acme/web matching no SPEC rule, with `overrides` applied."""
    issue = IssueSnapshot(
        tracker="web",
        key="acme/web#1",
        title="Checkout page is slow",
        body="Customers report slow loading.",
        labels=("escalation",),
        assignees=(),
        created=NOW.replace(day=1),
        updated=NOW.replace(day=6),
        repo="acme/web",
        url="https://github.com/acme/web/issues/1",
    )
    return replace(issue, **overrides)


def a_jira_issue(**overrides: Any) -> IssueSnapshot:
    """An open Jira escalation SUP-1 matching no SPEC rule, with `overrides` applied."""
    issue = an_issue(
        tracker="support",
        key="SUP-1",
        repo=None,
        project="SUP",
        priority="Medium",
        issue_type="Bug",
        url="https://acme.atlassian.net/browse/SUP-1",
    )
    return replace(issue, **overrides)
