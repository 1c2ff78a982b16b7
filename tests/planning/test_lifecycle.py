"""An issue's life over several cycles: tier moves, idle rules, estimates that rise and fall."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from syncd.config.model import AssignMode, Config
from syncd.domain.actions import Assign, IssuePlan, Unassign
from syncd.domain.conditions import Clock, Elapsed
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord
from syncd.domain.planner import plan_issue
from tests.builders import NOW, WORK_DAY, a_config, a_rule, an_issue, cmp, labels_any
from tests.planning.test_idempotence import apply

MINUTE = timedelta(minutes=1)
TRACKER_LAG = timedelta(seconds=20)  # the tracker stamps `updated` a little after the write
TWO_DAYS = 2 * 86400  # `idle: "> 2d"` is wall-clock time


def cycle(
    issue: IssueSnapshot, record: IssueRecord, config: Config, at: datetime, on_call: str | None
) -> tuple[IssueSnapshot, IssueRecord, IssuePlan]:
    """Plan at `at`, land the writes, and stamp `updated` and the record as the service does."""
    result = plan_issue(issue, record, config, at, on_call)
    seen = record.seen_updated if _echo(issue, record) else issue.updated
    issue, record = apply(issue, record, result)
    if result.actions:
        issue = replace(issue, updated=at + TRACKER_LAG)
        record = replace(record, seen_updated=seen, wrote_at=at)
    return issue, record, result


def _echo(issue: IssueSnapshot, record: IssueRecord) -> bool:
    return record.wrote_at is not None and issue.updated <= record.wrote_at + 2 * MINUTE


def stale_config() -> Config:
    """`stale` when idle for more than two days, else the default `triage`."""
    stale = Elapsed(Clock.IDLE, cmp(f"> {TWO_DAYS}"))
    return a_config(rules=(a_rule("stale", stale, AssignMode.NONE),))


class TestIdleRules:
    """syncd's own writes bump `updated`, but they are not activity for `idle`."""

    def test_idle_rule_does_not_flap_across_cycles(self) -> None:
        """A stale issue stays stale after syncd labels it: no relabel on the next cycles."""
        issue = an_issue(updated=NOW - timedelta(days=3))
        config = stale_config()
        issue, record, first = cycle(issue, IssueRecord(), config, NOW, None)

        later = [cycle(issue, record, config, NOW + n * MINUTE, None)[2] for n in (1, 5, 60)]

        assert first.decision is not None
        assert first.decision.tier == "stale"
        assert [(p.decision.tier if p.decision else None, p.actions) for p in later] == [
            ("stale", ()),
            ("stale", ()),
            ("stale", ()),
        ]

    def test_a_person_editing_after_syncd_is_activity(self) -> None:
        """An update well after syncd's write makes the issue active again."""
        issue = an_issue(updated=NOW - timedelta(days=3))
        config = stale_config()
        issue, record, _ = cycle(issue, IssueRecord(), config, NOW, None)
        issue = replace(issue, updated=NOW + 30 * MINUTE)

        result = plan_issue(issue, record, config, NOW + 31 * MINUTE, None)

        assert result.decision is not None
        assert result.decision.tier == "triage"

    def test_issue_goes_stale_two_days_after_the_last_human_activity(self) -> None:
        """An active issue labelled triage turns stale once idle more than two days after that."""
        issue = an_issue(updated=NOW - timedelta(hours=1))
        config = stale_config()
        issue, record, _ = cycle(issue, IssueRecord(), config, NOW, None)

        early = plan_issue(issue, record, config, NOW + timedelta(days=1, hours=22), None)
        late = plan_issue(issue, record, config, NOW + timedelta(days=2), None)

        assert early.decision is not None and early.decision.tier == "triage"
        assert late.decision is not None and late.decision.tier == "stale"


FIRE = ("escalation", "outage")
QUEUE = ("escalation", "wontfix-later")


def moving_config() -> Config:
    """fire and queue assign the rotation, acknowledged assigns nobody."""
    return a_config(
        rules=(
            a_rule("fire", labels_any("outage"), AssignMode.ROTATION, 0),
            a_rule("acknowledged", labels_any("wontfix-soon"), AssignMode.NONE, 1),
            a_rule("queue", labels_any("wontfix-later"), AssignMode.ROTATION, 2),
        )
    )


def relabel(issue: IssueSnapshot, *labels: str) -> IssueSnapshot:
    """The issue with its non-tier labels replaced, tier labels kept (a person's edit)."""
    tiers = tuple(label for label in issue.labels if label.startswith("tier/"))
    return replace(issue, labels=(*labels, *tiers))


def assignment_writes(result: IssuePlan) -> list[Assign | Unassign]:
    """The plan's Assign and Unassign writes."""
    return [a for a in result.actions if isinstance(a, Assign | Unassign)]


def assigns(result: IssuePlan) -> list[Assign]:
    """The plan's Assign writes."""
    return [a for a in result.actions if isinstance(a, Assign)]


class TestTierMoves:
    """A new tier is a new placement: syncd's earlier assignee stays, nothing is unassigned."""

    def test_fire_queue_fire_keeps_syncd_assignee(self) -> None:
        """alice, routed on the first fire placement, stays through queue and fire again."""
        config = moving_config()
        issue, record, first = cycle(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")

        issue, record, to_queue = cycle(relabel(issue, *QUEUE), record, config, NOW, "bob")
        issue, record, back = cycle(relabel(issue, *FIRE), record, config, NOW, "carol")

        assert [a.candidates[0].person for a in assigns(first)] == ["alice"]
        assert assignment_writes(to_queue) == assignment_writes(back) == []
        assert issue.assignees == ("alice-gh",)
        assert [label for label in issue.labels if label.startswith("tier/")] == ["tier/fire"]

    def test_unassigned_issue_entering_a_rotation_tier_goes_to_who_is_on_call(self) -> None:
        """An issue that was triage (assign none) and becomes fire is assigned to today's person."""
        config = moving_config()
        issue, record, _ = cycle(an_issue(), IssueRecord(), config, NOW, "alice")

        issue, record, _ = cycle(relabel(issue, *FIRE), record, config, NOW, "bob")

        assert issue.assignees == ("bobby",)
        assert record.member == "bob"

    def test_move_to_an_assign_none_tier_keeps_syncd_assignee(self) -> None:
        """fire -> acknowledged: syncd does not silently unassign the person it assigned."""
        config = moving_config()
        issue, record, _ = cycle(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")

        issue, record, ack = cycle(
            relabel(issue, "escalation", "wontfix-soon"), record, config, NOW, "bob"
        )

        assert assignment_writes(ack) == []
        assert issue.assignees == ("alice-gh",)
        assert record.assignee == "alice-gh"

    def test_a_person_removing_the_assignee_after_a_tier_move_is_respected(self) -> None:
        """fire (alice) -> queue (found assigned) -> a person unassigns: bob is not assigned."""
        config = moving_config()
        issue, record, _ = cycle(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")
        issue, record, _ = cycle(relabel(issue, *QUEUE), record, config, NOW, "bob")
        issue = replace(issue, assignees=(), updated=NOW + 30 * MINUTE)

        issue, record, after = cycle(issue, record, config, NOW + 31 * MINUTE, "bob")

        assert assignment_writes(after) == []
        assert issue.assignees == ()

    def test_an_issue_placed_while_a_person_had_it_is_not_assigned_when_they_let_go(
        self,
    ) -> None:
        """Placed in fire while dana had it: unassigning her later does not route it anew."""
        config = moving_config()
        start = an_issue(labels=FIRE, assignees=("dana-dev",))
        issue, record, _ = cycle(start, IssueRecord(), config, NOW, "alice")
        issue = replace(issue, assignees=(), updated=NOW + 30 * MINUTE)

        issue, record, after = cycle(issue, record, config, NOW + 31 * MINUTE, "alice")

        assert assignment_writes(after) == []
        assert record.assign_settled


class TestEstimateOverTime:
    """The flag follows the estimate; the handoff is one-way."""

    def test_rotation_assignee_handed_to_team_then_team_stays_when_estimate_drops(self) -> None:
        """alice (syncd's) is replaced by the lead at 3d; back at 1d the flag goes, lead stays."""
        config = moving_config()
        issue, record, _ = cycle(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")

        issue, record, over = cycle(
            replace(issue, estimate=3 * WORK_DAY), record, config, NOW, "alice"
        )
        issue, record, under = cycle(replace(issue, estimate=WORK_DAY), record, config, NOW, "bob")
        _, _, settled = cycle(issue, record, config, NOW, "bob")

        assert [a.replacing for a in assigns(over)] == ["alice-gh"]
        assert assignment_writes(under) == []
        assert issue.assignees == ("acme-lead",)
        assert "needs-team" not in issue.labels
        assert settled.actions == ()

    def test_comment_switched_on_later_is_posted_once(self) -> None:
        """A flag raised with comments off gets its one comment when they are switched on."""
        issue, record, _ = cycle(
            an_issue(estimate=3 * WORK_DAY), IssueRecord(), a_config(comment=False), NOW, None
        )
        config = a_config(comment=True)

        issue, record, switched = cycle(issue, record, config, NOW, None)
        _, _, again = cycle(issue, record, config, NOW, None)

        assert [type(a).__name__ for a in switched.actions] == ["Comment"]
        assert again.actions == ()

    def test_zero_estimate_is_not_over_and_is_an_estimate(self) -> None:
        """An estimate of 0 is never flagged and does not satisfy `estimate: none`."""
        result = plan_issue(an_issue(estimate=0.0), IssueRecord(), a_config(), NOW, None)

        assert [type(a).__name__ for a in result.actions] == ["AddLabel"]


class TestConfigEdits:
    """A config edit never re-routes a routed issue, but a tier that starts routing routes."""

    def test_tier_switched_to_rotation_routes_to_who_is_on_call_not_the_fallback(self) -> None:
        """queue edited from assign none to rotation: its unassigned issues go to the rotation."""
        before = a_config(rules=(a_rule("queue", labels_any("outage"), AssignMode.NONE),))
        after = a_config(rules=(a_rule("queue", labels_any("outage"), AssignMode.ROTATION),))
        issue, record, _ = cycle(an_issue(labels=FIRE), IssueRecord(), before, NOW, "alice")

        issue, record, edited = cycle(issue, record, after, NOW + MINUTE, "bob")

        assert [a.candidates[0].person for a in assigns(edited)] == ["bob"]
        assert record.member == "bob"

    def test_routed_member_survives_a_rotation_edit(self) -> None:
        """An issue routed to alice stays hers after the rotation changes (unassigned or not)."""
        config = moving_config()
        issue, record, _ = cycle(an_issue(labels=FIRE), IssueRecord(), config, NOW, "alice")

        result = plan_issue(issue, record, a_config(members=("bob",)), NOW + MINUTE, "bob")

        assert result.decision is not None
        assert result.decision.member == "alice"
