"""The ledger: how syncd's record of an issue changes with each decision and landed write."""

from __future__ import annotations

from datetime import timedelta

from syncd.domain.actions import (
    AddLabel,
    Assign,
    Candidate,
    Comment,
    Decision,
    RemoveLabel,
    Unassign,
    Why,
)
from syncd.domain.ledger import ESTIMATES_RULE, IssueRecord, after_decision, after_write
from tests.builders import NOW

EARLIER = NOW - timedelta(days=2)
TIER_WHY = Why("tiers.rules[0]", "tier fire")
FLAG_WHY = Why(ESTIMATES_RULE, "over the limit")


def a_decision(tier: str = "fire", member: str | None = "alice", **fields: object) -> Decision:
    """A decision placing the issue in `tier` at NOW."""
    return Decision(
        tier=tier,
        pinned=bool(fields.get("pinned", False)),
        placed_at=NOW,
        member=member,
        rule="tiers.rules[0]",
        adopted_label=fields.get("adopted_label"),  # type: ignore[arg-type]
    )


class TestAfterDecision:
    """after_decision() records the tier, its placement time and the routed member."""

    def test_first_decision_places_the_issue(self) -> None:
        """A fresh record takes the tier, time and member of the decision."""
        record = after_decision(IssueRecord(), a_decision())

        assert (record.tier, record.placed_at, record.member) == ("fire", NOW, "alice")
        assert record.tier_label is None

    def test_new_tier_starts_a_new_placement(self) -> None:
        """Moving to another tier reopens the assignment and keeps what syncd wrote."""
        old = IssueRecord("triage", EARLIER, None, "tier/triage", "bobby", True, True, True)

        record = after_decision(old, a_decision("fire"))

        assert record == IssueRecord(
            "fire", NOW, "alice", "tier/triage", "bobby", False, True, True
        )

    def test_same_tier_keeps_the_settled_assignment(self) -> None:
        """A decision for the same tier leaves the assignment settled."""
        old = IssueRecord("fire", NOW, "alice", "tier/fire", "alice-gh", True)

        record = after_decision(old, a_decision("fire"))

        assert record == old

    def test_adopted_label_is_recorded_as_written(self) -> None:
        """A label adopted after lost state counts as the one syncd wrote."""
        record = after_decision(IssueRecord(), a_decision(adopted_label="tier/fire"))

        assert record.tier_label == "tier/fire"


class TestAfterWrite:
    """after_write() records each write once it landed."""

    def test_tier_label_added(self) -> None:
        """Adding a tier label records it as syncd's."""
        record = after_write(IssueRecord(), AddLabel("web", "a#1", "tier/fire", TIER_WHY))

        assert record.tier_label == "tier/fire"
        assert record.flagged is False

    def test_flag_label_added_and_removed(self) -> None:
        """The flag label's writes set and clear `flagged`, leaving the tier label alone."""
        start = IssueRecord(tier_label="tier/fire")

        added = after_write(start, AddLabel("web", "a#1", "needs-team", FLAG_WHY))
        removed = after_write(added, RemoveLabel("web", "a#1", "needs-team", FLAG_WHY))

        assert (added.flagged, removed.flagged) == (True, False)
        assert removed.tier_label == "tier/fire"

    def test_removing_syncd_tier_label_forgets_it(self) -> None:
        """Removing the tier label syncd wrote (any case) clears it."""
        start = IssueRecord(tier_label="tier/fire")

        record = after_write(start, RemoveLabel("web", "a#1", "Tier/Fire", TIER_WHY))

        assert record.tier_label is None

    def test_removing_another_tier_label_keeps_the_record(self) -> None:
        """Removing some other tier label leaves syncd's label recorded."""
        start = IssueRecord(tier_label="tier/fire")

        record = after_write(start, RemoveLabel("web", "a#1", "tier/queue", TIER_WHY))

        assert record.tier_label == "tier/fire"

    def test_assign_records_who_the_tracker_took(self) -> None:
        """A landed Assign records the identity taken and settles the assignment."""
        action = Assign("web", "a#1", (Candidate("alice", "alice-gh"),), None, TIER_WHY)

        record = after_write(IssueRecord(tier="fire"), action, assigned="alice-gh")

        assert (record.assignee, record.assign_settled) == ("alice-gh", True)

    def test_refused_assign_settles_without_an_assignee(self) -> None:
        """When every candidate was refused the assignment is settled and nobody recorded."""
        action = Assign("web", "a#1", (Candidate("alice", "alice-gh"),), None, TIER_WHY)

        record = after_write(IssueRecord(tier="fire"), action, assigned=None)

        assert (record.assignee, record.assign_settled) == (None, True)

    def test_unassign_forgets_syncd_assignee(self) -> None:
        """Unassigning the identity syncd set clears it."""
        start = IssueRecord(assignee="alice-gh", assign_settled=True)

        record = after_write(start, Unassign("web", "a#1", "alice-gh", FLAG_WHY))

        assert record.assignee is None

    def test_comment_is_recorded(self) -> None:
        """A posted comment is recorded so it is never posted again."""
        action = Comment("web", "a#1", "body", "syncd:over-estimate", FLAG_WHY)

        record = after_write(IssueRecord(), action)

        assert record.commented is True
