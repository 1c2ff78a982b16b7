"""The planner converges: once its writes land, planning the same issue again writes nothing."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.config.model import AssignMode, Config, Handoff, Person
from syncd.domain.actions import AddLabel, Assign, IssuePlan, RemoveLabel, Unassign
from syncd.domain.conditions import Attribute, Condition, Estimate, Reporters
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, after_decision, after_write
from syncd.domain.planner import plan_issue
from tests.builders import (
    NOW,
    WORK_DAY,
    a_config,
    a_github_tracker,
    a_jira_tracker,
    a_rule,
    an_issue,
    cmp,
    in_set,
    labels_any,
    labels_none,
    text,
)

PEOPLE = ("alice", "bob", "lead")
TIERS = ("fire", "queue", "big", "triage")
LABELS = (
    "escalation",
    "outage",
    "wontfix-soon",
    "customer/acme",
    "tier/fire",
    "Tier/Queue",
    "tier/triage",
    "tier/zzz",
    "needs-team",
    "syncd/ignore",
)
IDENTITIES = ("alice-gh", "bobby", "acme-lead", "a-jira", "lead-jira", "stranger")
CONDITIONS: tuple[Condition, ...] = (
    labels_any("outage"),
    labels_any("wontfix-soon"),
    labels_none("needs-team"),
    labels_any("needs-team"),
    Estimate(cmp("> 1d")),
    Estimate(None),
    Reporters(cmp(">= 5")),
    in_set(Attribute.PRIORITY, "Highest"),
    text("(?i)export"),
)


def _given(identities: dict[str, str | None]) -> dict[str, str]:
    """The identities a person has (a None identity is one the file leaves out)."""
    return {kind: identity for kind, identity in identities.items() if identity is not None}


@st.composite
def configs(draw: st.DrawFn) -> Config:
    """Random rules, people with or without identities, fallback, team and handoff."""
    conditions = draw(st.lists(st.sampled_from(CONDITIONS), max_size=4))
    rules = tuple(
        a_rule(draw(st.sampled_from(TIERS)), when, draw(st.sampled_from(AssignMode)), index)
        for index, when in enumerate(conditions)
    )
    people = {
        "alice": Person(
            "alice", _given({"github": draw(st.sampled_from(["alice-gh", None])), "jira": "a-jira"})
        ),
        "bob": Person(
            "bob", _given({"github": "bobby", "jira": draw(st.sampled_from(["bob", None]))})
        ),
        "lead": Person("lead", {"github": "acme-lead", "jira": "lead-jira"}),
    }
    team = draw(st.sampled_from([*PEOPLE, None]))
    return a_config(
        rules=rules,
        default_tier=draw(st.sampled_from(TIERS)),
        default_assign=draw(st.sampled_from(AssignMode)),
        people=people,
        fallback=draw(st.sampled_from([*PEOPLE, None])),
        handoff=draw(st.sampled_from(Handoff)),
        comment=draw(st.booleans()),
        trackers=(a_github_tracker(team=team), a_jira_tracker(team=team)),
    )


@st.composite
def issues(draw: st.DrawFn) -> IssueSnapshot:
    """Random labels, assignees, estimate, priority and reporters, on GitHub or Jira."""
    on_jira = draw(st.booleans())
    labels = draw(st.lists(st.sampled_from(LABELS), unique=True, max_size=6))
    estimate = draw(st.one_of(st.none(), st.floats(0, 5 * WORK_DAY)))
    return an_issue(
        tracker="support" if on_jira else "web",
        key="SUP-7" if on_jira else "acme/web#7",
        title=draw(st.sampled_from(["CSV export fails", "Login slow"])),
        labels=tuple(labels),
        assignees=tuple(draw(st.lists(st.sampled_from(IDENTITIES), unique=True, max_size=2))),
        estimate=estimate,
        priority=draw(st.sampled_from([None, "Highest", "Low"])),
        reporters=draw(st.integers(1, 9)),
    )


@st.composite
def records(draw: st.DrawFn) -> IssueRecord:
    """Any record, consistent with the issue or not (state lost, edited by people, stale)."""
    maybe = st.sampled_from
    return IssueRecord(
        tier=draw(maybe([None, *TIERS])),
        placed_at=NOW,
        member=draw(maybe([None, *PEOPLE])),
        tier_label=draw(maybe([None, "tier/fire", "tier/queue", "tier/triage", "tier/big"])),
        assignee=draw(maybe([None, *IDENTITIES])),
        assign_settled=draw(st.booleans()),
        flagged=draw(st.booleans()),
        commented=draw(st.booleans()),
    )


def apply(
    issue: IssueSnapshot, record: IssueRecord, result: IssuePlan
) -> tuple[IssueSnapshot, IssueRecord]:
    """Land every write of `result` on the issue, as a tracker would, and record it."""
    if result.decision is not None:
        record = after_decision(record, result.decision)
    for action in result.actions:
        labels, assignees, assigned = list(issue.labels), list(issue.assignees), None
        match action:
            case AddLabel(label=label):
                labels.append(label)
            case RemoveLabel(label=label):
                labels = [x for x in labels if x.casefold() != label.casefold()]
            case Assign(candidates=candidates, replacing=replacing):
                assigned = candidates[0].identity
                assignees = [x for x in assignees if x != replacing] + [assigned]
            case Unassign(identity=identity):
                assignees.remove(identity)
        issue = replace(issue, labels=tuple(labels), assignees=tuple(assignees))
        record = after_write(record, action, assigned)
    return issue, record


class TestPlanningIsIdempotent:
    """plan, land the writes, plan again: the second plan has no writes."""

    @settings(max_examples=400, deadline=None)
    @given(
        configs(),
        issues(),
        records(),
        st.sampled_from([None, *PEOPLE]),
        st.sets(st.sampled_from([("web", "alice-gh"), ("support", "lead-jira")])),
    )
    def test_second_plan_after_landing_writes_is_empty(
        self,
        config: Config,
        issue: IssueSnapshot,
        record: IssueRecord,
        on_call: str | None,
        refused: set[tuple[str, str]],
    ) -> None:
        """From any start, the state the planner produces needs no writes and keeps its decision."""
        first = plan_issue(issue, record, config, NOW, on_call, frozenset(refused))
        issue, record = apply(issue, record, first)

        second = plan_issue(issue, record, config, NOW, on_call, frozenset(refused))

        assert second.actions == ()
        if first.decision is not None:
            # adopted_label and found_assigned describe the placement event itself: one-shot.
            once = replace(first.decision, adopted_label=None, found_assigned=False)
            assert second.decision == once

    @settings(max_examples=200, deadline=None)
    @given(configs(), issues(), st.sampled_from([None, *PEOPLE]))
    def test_new_issue_ends_with_exactly_one_tier_label(
        self, config: Config, issue: IssueSnapshot, on_call: str | None
    ) -> None:
        """An issue without tier labels or record ends with exactly the computed tier label."""
        issue = replace(issue, labels=tuple(x for x in issue.labels if "tier/" not in x.lower()))
        first = plan_issue(issue, IssueRecord(), config, NOW, on_call)
        issue, _ = apply(issue, IssueRecord(), first)

        tier_labels = [x for x in issue.labels if x.casefold().startswith("tier/")]

        if first.decision is None:
            assert tier_labels == []
        else:
            assert tier_labels == [config.tiers.label(first.decision.tier)]
