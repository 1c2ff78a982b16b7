"""syncd.domain.urgency: fires first (most reporters first), then rotation tiers, oldest first."""

from __future__ import annotations

from datetime import timedelta

from syncd.config.model import AssignMode
from syncd.domain.actions import Decision, IssuePlan
from syncd.domain.urgency import fire_tier, rotation_tiers, urgent_first
from tests.builders import NOW, a_config, a_rule, an_issue, labels_any


def _plan(key: str, tier: str | None) -> IssuePlan:
    decision = None if tier is None else Decision(tier, False, NOW, None, "tiers.rules[0]")
    return IssuePlan("web", key, decision, ())


class TestUrgentFirst:
    """urgent_first(): the order writes go in when they must wait."""

    def test_fires_then_rotation_then_the_rest_oldest_first(self) -> None:
        """SPEC tiers: fire (most reporters first), queue (rotation), then triage; oldest first."""
        tiers = a_config().tiers
        issues = {
            "t-old": an_issue(key="t-old", created=NOW - timedelta(days=9)),
            "t-new": an_issue(key="t-new", created=NOW - timedelta(days=1)),
            "q-new": an_issue(key="q-new", created=NOW - timedelta(days=1)),
            "q-old": an_issue(key="q-old", created=NOW - timedelta(days=5)),
            "f-one": an_issue(key="f-one", created=NOW - timedelta(days=8), reporters=1),
            "f-many": an_issue(key="f-many", created=NOW - timedelta(days=1), reporters=7),
        }
        plans = [
            _plan("t-new", "triage"),
            _plan("q-new", "queue"),
            _plan("t-old", "triage"),
            _plan("f-one", "fire"),
            _plan("q-old", "queue"),
            _plan("f-many", "fire"),
        ]
        ordered = [made.key for made in urgent_first(plans, issues, tiers)]
        assert ordered == ["f-many", "f-one", "q-old", "q-new", "t-old", "t-new"]

    def test_the_fire_tier_is_the_first_rotation_rule(self) -> None:
        """Named by position, not by name: the first `assign: rotation` rule is the fire tier."""
        rules = (
            a_rule("ack", labels_any("x"), AssignMode.NONE, 0),
            a_rule("burning", labels_any("y"), AssignMode.ROTATION, 1),
            a_rule("later", labels_any("z"), AssignMode.ROTATION, 2),
        )
        tiers = a_config(rules=rules).tiers
        assert fire_tier(tiers) == "burning"
        assert rotation_tiers(tiers) == {"burning", "later"}

    def test_ignored_issues_go_last(self) -> None:
        """A plan without a decision (syncd/ignore) ranks with the rest."""
        tiers = a_config().tiers
        plans = [_plan("i", None), _plan("f", "fire")]
        assert [p.key for p in urgent_first(plans, {}, tiers)] == ["f", "i"]
