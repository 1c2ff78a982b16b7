"""Rule evaluation: every condition leaf and combinator, and the tier the rules choose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from syncd.config.model import AssignMode
from syncd.domain.conditions import (
    AllOf,
    AnyOf,
    Attribute,
    Clock,
    Condition,
    Elapsed,
    Estimate,
    Not,
    Reporters,
    Text,
    TextField,
)
from syncd.domain.durations import DEFAULT_EFFORT
from syncd.domain.estimates import from_points
from syncd.domain.patterns import GuardedPattern
from syncd.domain.rules import TierChoice, choose_tier, describe, explain, matches
from tests.builders import (
    NOW,
    WORK_DAY,
    a_config,
    a_jira_issue,
    a_rule,
    an_issue,
    cmp,
    in_set,
    labels_all,
    labels_any,
    labels_none,
    text,
)

TRUE = labels_any("escalation")
FALSE = labels_any("no-such-label")


class TestMatches:
    """matches() evaluates one condition tree over one issue at a given time."""

    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            (labels_any("Outage", "data-loss"), True),
            (labels_any("data-loss"), False),
            (labels_all("outage", "ESCALATION"), True),
            (labels_all("outage", "data-loss"), False),
            (labels_none("data-loss"), True),
            (labels_none("OUTAGE"), False),
        ],
    )
    def test_label_tests_ignore_case(self, condition: Condition, expected: bool) -> None:
        """Label tests compare casefolded names with the issue's labels."""
        issue = an_issue(labels=("Escalation", "OUTAGE"))

        assert matches(condition, issue, NOW) is expected

    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            (text("export", TextField.TITLE), True),
            (text("crash", TextField.TITLE), False),
            (text("crash", TextField.BODY), True),
            (text("export", TextField.BODY), False),
            (text("crash"), True),
            (text("export"), True),
            (text("^slow"), False),
        ],
    )
    def test_text_searches_title_body_or_either(self, condition: Condition, expected: bool) -> None:
        """`title` searches the title, `body` the body, `text` either, with re.search."""
        issue = an_issue(title="CSV export broken", body="The app may crash on big files")

        assert matches(condition, issue, NOW) is expected

    @pytest.mark.parametrize(
        ("condition", "expected"),
        [
            (in_set(Attribute.PRIORITY, "Highest", "Blocker"), True),
            (in_set(Attribute.PRIORITY, "Low"), False),
            (in_set(Attribute.TYPE, "bug"), True),
            (in_set(Attribute.TYPE, "Task"), False),
            (in_set(Attribute.COMPONENT, "billing"), True),
            (in_set(Attribute.COMPONENT, "Search"), False),
            (in_set(Attribute.TRACKER, "Support"), True),
            (in_set(Attribute.TRACKER, "web"), False),
            (in_set(Attribute.PROJECT, "sup"), True),
            (in_set(Attribute.PROJECT, "OPS"), False),
            (in_set(Attribute.REPO, "acme/web"), False),
        ],
    )
    def test_set_membership_ignores_case(self, condition: Condition, expected: bool) -> None:
        """Priority, type, component, tracker and project compare casefolded; no repo on Jira."""
        issue = a_jira_issue(priority="HIGHEST", issue_type="Bug", components=("Billing", "API"))

        assert matches(condition, issue, NOW) is expected

    def test_repo_applies_to_github_issues(self) -> None:
        """A repo condition holds for a GitHub issue in a listed repo, and not otherwise."""
        issue = an_issue(repo="Acme/Web")

        assert matches(in_set(Attribute.REPO, "acme/web"), issue, NOW)
        assert not matches(in_set(Attribute.REPO, "acme/api"), issue, NOW)
        assert not matches(in_set(Attribute.PROJECT, "SUP"), issue, NOW)

    def test_missing_priority_matches_no_priority_list(self) -> None:
        """An issue without a priority is in no priority set."""
        issue = an_issue(priority=None)

        assert not matches(in_set(Attribute.PRIORITY, "Highest"), issue, NOW)

    @pytest.mark.parametrize(
        ("comparison", "expected"),
        [(">= 5", True), ("> 5", False), ("< 6", True), ("<= 4", False), ("== 5", True)],
    )
    def test_reporters_compare_as_a_number(self, comparison: str, expected: bool) -> None:
        """The reporters count is compared with the number in the condition."""
        issue = an_issue(reporters=5)

        assert matches(Reporters(cmp(comparison)), issue, NOW) is expected

    def test_age_measures_from_created(self) -> None:
        """Age is wall-clock time since the issue was created."""
        issue = an_issue(created=NOW - timedelta(days=3, seconds=1), updated=NOW)

        assert matches(Elapsed(Clock.AGE, cmp("> 259200")), issue, NOW)
        assert not matches(Elapsed(Clock.AGE, cmp("> 259201")), issue, NOW)

    def test_idle_measures_from_updated(self) -> None:
        """Idle is wall-clock time since the issue was last updated."""
        issue = an_issue(created=NOW - timedelta(days=30), updated=NOW - timedelta(hours=1))

        assert matches(Elapsed(Clock.IDLE, cmp("<= 3600")), issue, NOW)
        assert not matches(Elapsed(Clock.IDLE, cmp("> 3600")), issue, NOW)

    def test_estimate_comparison_uses_work_seconds(self) -> None:
        """An estimate of 3 work days is above 2d and not above 3d."""
        issue = an_issue(estimate=3 * WORK_DAY)

        assert matches(Estimate(cmp("> 2d")), issue, NOW)
        assert not matches(Estimate(cmp("> 3d")), issue, NOW)

    def test_estimate_comparison_is_false_without_an_estimate(self) -> None:
        """Neither `> 0` nor `< 1w` holds for an item with no estimate."""
        issue = an_issue(estimate=None)

        assert not matches(Estimate(cmp("> 0")), issue, NOW)
        assert not matches(Estimate(cmp("< 1w")), issue, NOW)

    def test_estimate_none_holds_exactly_without_an_estimate(self) -> None:
        """`estimate: none` holds with no estimate, and not with a zero estimate."""
        assert matches(Estimate(None), an_issue(estimate=None), NOW)
        assert not matches(Estimate(None), an_issue(estimate=0.0), NOW)

    def test_all_of_needs_every_child(self) -> None:
        """`all` holds when every child holds, and fails when one does not."""
        assert matches(AllOf((TRUE, TRUE)), an_issue(), NOW)
        assert not matches(AllOf((TRUE, FALSE)), an_issue(), NOW)

    def test_any_of_needs_one_child(self) -> None:
        """`any` holds when one child holds, and fails when none does."""
        assert matches(AnyOf((FALSE, TRUE)), an_issue(), NOW)
        assert not matches(AnyOf((FALSE, FALSE)), an_issue(), NOW)

    def test_not_inverts_its_child(self) -> None:
        """`not` holds exactly when its child does not."""
        assert matches(Not(FALSE), an_issue(), NOW)
        assert not matches(Not(TRUE), an_issue(), NOW)

    def test_empty_all_is_true_and_empty_any_is_false(self) -> None:
        """An empty `all` is true and an empty `any` is false, as in logic."""
        assert matches(AllOf(()), an_issue(), NOW)
        assert not matches(AnyOf(()), an_issue(), NOW)


class TestChooseTier:
    """choose_tier() returns the first matching rule's tier, else the default."""

    def test_first_matching_rule_wins(self) -> None:
        """An issue matching fire and acknowledged gets fire, the earlier rule."""
        config = a_config()
        issue = an_issue(labels=("escalation", "outage", "wontfix-soon"))

        choice = choose_tier(config.tiers, issue, NOW)

        assert choice == TierChoice("fire", AssignMode.ROTATION, "tiers.rules[0]")

    def test_later_rule_matches_when_earlier_do_not(self) -> None:
        """A small integration issue falls through to the queue rule."""
        config = a_config()
        issue = an_issue(title="Slack integration drops events", estimate=4 * 3600.0)

        choice = choose_tier(config.tiers, issue, NOW)

        assert choice == TierChoice("queue", AssignMode.ROTATION, "tiers.rules[2]")

    def test_default_when_no_rule_matches(self) -> None:
        """A large integration issue matches no rule and gets the default tier."""
        config = a_config()
        issue = an_issue(title="Slack integration drops events", estimate=2 * WORK_DAY)

        choice = choose_tier(config.tiers, issue, NOW)

        assert choice == TierChoice("triage", AssignMode.NONE, "tiers.default")

    def test_rule_order_decides_between_matching_rules(self) -> None:
        """With the same conditions in swapped order, the other tier wins."""
        rules = (a_rule("b", TRUE, index=0), a_rule("a", TRUE, AssignMode.NONE, index=1))
        config = a_config(rules=rules)

        choice = choose_tier(config.tiers, an_issue(), NOW)

        assert (choice.tier, choice.rule) == ("b", "tiers.rules[0]")


class TestExplain:
    """describe() renders a condition as written; explain() names what made it hold."""

    def test_describe_reads_like_the_yaml(self) -> None:
        """Leaves and combinators are rendered with their keys, durations in units."""
        condition = AllOf(
            (
                Not(Estimate(cmp("> 1d"))),
                AnyOf((labels_any("Outage"), Reporters(cmp(">= 5")))),
                Elapsed(Clock.IDLE, cmp("> 172800")),
                Estimate(None),
            )
        )

        assert describe(condition) == (
            "all (not (estimate > 8h); any (labels_any [outage]; reporters >= 5); "
            "idle > 2d; estimate none)"
        )

    def test_explain_names_the_matching_branch_of_any(self) -> None:
        """For an `any`, only the child that held is named."""
        condition = AnyOf((labels_any("outage"), in_set(Attribute.PRIORITY, "Highest")))
        issue = a_jira_issue(priority="Highest")

        assert explain(condition, issue, NOW) == "priority [highest]"

    def test_explain_joins_every_child_of_all(self) -> None:
        """For an `all`, every child is named."""
        condition = AllOf((text("(?i)export"), Not(Estimate(cmp("> 1d")))))
        issue = an_issue(title="CSV export broken", estimate=4 * 3600.0)

        assert explain(condition, issue, NOW) == "text /(?i)export/ and not (estimate > 8h)"


class TestComparisonsOnComputedEstimates:
    """Estimates computed in floating point compare as the numbers a person reads."""

    @pytest.mark.parametrize(
        ("comparison", "expected"),
        [("== 2.1d", True), (">= 2.1d", True), ("<= 2.1d", True), ("> 2.1d", False)],
    )
    def test_story_points_equal_to_the_duration_compare_equal(
        self, comparison: str, expected: bool
    ) -> None:
        """3 points of 0.7 days is 2.1d, although 3 * 0.7 * 8h is not exactly 2.1 * 8h."""
        issue = an_issue(estimate=from_points(3, 0.7, DEFAULT_EFFORT).seconds)

        result = matches(Estimate(cmp(comparison)), issue, NOW)

        assert result is expected

    def test_whole_days_of_time_tracking_equal_the_duration(self) -> None:
        """A Jira estimate of 28800 seconds is `== 1d` and not `> 1d`."""
        issue = a_jira_issue(estimate=28800.0)

        assert matches(Estimate(cmp("== 1d")), issue, NOW)
        assert not matches(Estimate(cmp("> 1d")), issue, NOW)

    def test_values_a_second_apart_still_differ(self) -> None:
        """The tolerance is for rounding, not for real differences: 1d + 1s is above 1d."""
        issue = a_jira_issue(estimate=28801.0)

        assert matches(Estimate(cmp("> 1d")), issue, NOW)
        assert not matches(Estimate(cmp("== 1d")), issue, NOW)


class TestTimedOutText:
    """A regex that runs out of time makes its whole rule not match, also under `not`."""

    def test_not_of_a_timed_out_regex_does_not_match_and_is_reported(self) -> None:
        """`not: {text: ...}` over hostile text: the default tier, and the rule in the notes."""
        slow = Text(TextField.BODY, GuardedPattern("(x+x+)+y", timeout=0.01))
        config = a_config(rules=(a_rule("calm", Not(slow)),))
        issue = an_issue(body="x" * 5000)

        choice = choose_tier(config.tiers, issue, NOW)

        assert choice.tier == "triage"
        assert [note for note in choice.timed_out if "timed out" in note] == [
            "condition timed out: body /(x+x+)+y/ (regex '(x+x+)+y' timed out on 5000"
            " characters); rule tiers.rules[0] does not match"
        ]
