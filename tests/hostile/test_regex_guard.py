"""Config regexes run under a time limit: hostile issue text cannot stall planning or mapping."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from syncd.adapters.github.mapping import to_snapshot
from syncd.config.loader import load
from syncd.config.model import GitHubEstimate, GitHubTracker
from syncd.domain.conditions import AllOf, AnyOf, Condition, Not, Text, TextField
from syncd.domain.patterns import GuardedPattern
from syncd.domain.planner import plan_issue
from syncd.domain.rules import matches
from syncd.errors import PatternTimedOut
from syncd.sandbox.seed import SEED_EPOCH
from tests.builders import a_config, a_github_tracker, a_rule, an_issue, labels_any, text

# Catastrophic for a backtracking engine: every split of the run of x is tried before failing.
CATASTROPHIC = "(x+x+)+y"
HOSTILE = "x" * 5000
# The classic example; the `regex` engine happens to see through it, `re` would not.
CLASSIC = "(a+)+$"
CLASSIC_TEXT = "a" * 40 + "!"
EXAMPLE = Path(__file__).parents[2] / "config" / "syncd.yaml"
EXAMPLE_VARIABLES = ("GITHUB_TOKEN", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_DC_TOKEN")
QUICK = 1.0  # seconds: far above a guarded search, far below a stalled one


def _timed(call: Any) -> tuple[Any, float]:
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


class TestGuardedPattern:
    """GuardedPattern: `re` syntax, searched with a timeout."""

    def test_a_catastrophic_search_raises_pattern_timed_out_quickly(self) -> None:
        """The search gives up after its timeout instead of backtracking for hours."""
        pattern = GuardedPattern(CATASTROPHIC)
        started = time.monotonic()

        with pytest.raises(PatternTimedOut, match="timed out on 5000 characters"):
            pattern.search(HOSTILE)

        assert time.monotonic() - started < QUICK

    def test_the_classic_catastrophic_pattern_finishes_without_matching(self) -> None:
        """`(a+)+$` over 'a'*40 + '!' returns no match at once."""
        found, took = _timed(lambda: GuardedPattern(CLASSIC).search(CLASSIC_TEXT))

        assert found is None and took < QUICK

    @pytest.mark.parametrize(
        ("pattern", "subject"),
        [
            (r"(?im)^estimate:\s*(.+)$", "Export is off.\nEstimate: 3d"),
            ("priority/(.+)", "priority/Highest"),
            ("(?i)integration|export|import", "CSV EXPORT misses a column"),
            (r"\bword\b(?=\s)", "a word here"),
            ("(?P<n>a)(?P=n)", "xaay"),
        ],
    )
    def test_it_finds_what_python_re_finds(self, pattern: str, subject: str) -> None:
        """V0 mode reads `re` syntax: same match, same groups."""
        expected = re.search(pattern, subject)
        found = GuardedPattern(pattern).search(subject)

        assert expected is not None and found is not None
        assert found.group(0) == expected.group(0)
        assert GuardedPattern(pattern).groups == re.compile(pattern).groups


class TestLoaderCompilesGuardedPatterns:
    """The loader gives every config regex the time guard."""

    def test_text_conditions_and_github_regexes_are_guarded(self) -> None:
        """Rule text regexes, priority_label and the estimate regexes are GuardedPatterns."""
        config = load(EXAMPLE, {name: "x" * 12 for name in EXAMPLE_VARIABLES})

        github = config.tracker("web")
        assert isinstance(github, GitHubTracker)
        assert isinstance(github.priority_label, GuardedPattern)
        assert isinstance(github.estimate.body, GuardedPattern)
        assert isinstance(github.estimate.label, GuardedPattern)
        patterns = [leaf.pattern for rule in config.tiers.rules for leaf in _texts(rule.when)]
        assert patterns and all(isinstance(p, GuardedPattern) for p in patterns)


class TestPlannerUnderHostileText:
    """The planner treats a timed-out condition as false and says so in the plan's notes."""

    def test_a_timed_out_text_rule_does_not_match_and_is_noted(self) -> None:
        """The rule falls to the default tier, quickly, with a 'condition timed out' note."""
        config = a_config(rules=(a_rule("fire", text(CATASTROPHIC)),))
        issue = an_issue(body=HOSTILE)

        plan, took = _timed(lambda: plan_issue(issue, _fresh(), config, SEED_EPOCH, "alice"))

        assert took < QUICK
        assert plan.decision is not None and plan.decision.tier == "triage"
        assert any("condition timed out" in note and CATASTROPHIC in note for note in plan.notes)

    def test_a_later_rule_still_matches_after_a_timeout(self) -> None:
        """Only the timed-out condition is false: the next rule is evaluated as usual."""
        rules = (a_rule("fire", text(CATASTROPHIC)), a_rule("queue", text("checkout"), index=1))
        config = a_config(rules=rules)
        issue = an_issue(title="checkout broken", body=HOSTILE)

        plan = plan_issue(issue, _fresh(), config, SEED_EPOCH, "alice")

        assert plan.decision is not None and plan.decision.tier == "queue"

    def test_not_of_a_timed_out_condition_is_neither_true_nor_false(self) -> None:
        """`not` cannot turn a timeout into a match: matches() raises, naming the condition."""
        with pytest.raises(PatternTimedOut, match=re.escape(f"text /{CATASTROPHIC}/")):
            matches(Not(text(CATASTROPHIC)), an_issue(body=HOSTILE), SEED_EPOCH)

    @pytest.mark.parametrize(
        "when",
        [
            Not(text(CATASTROPHIC)),
            AnyOf((text(CATASTROPHIC), labels_any("outage"))),
            AllOf((labels_any("outage"), Not(text(CATASTROPHIC)))),
            Not(AnyOf((labels_any("nothing-here"), Not(text(CATASTROPHIC))))),
        ],
        ids=["not", "any", "all", "nested"],
    )
    def test_a_timeout_anywhere_in_a_rule_makes_it_not_match(self, when: Condition) -> None:
        """Under `not:`, `any:` or `all:`, a timed-out regex sends the issue past the rule."""
        config = a_config(rules=(a_rule("fire", when),))
        issue = an_issue(labels=("escalation", "outage"), body=HOSTILE)

        plan, took = _timed(lambda: plan_issue(issue, _fresh(), config, SEED_EPOCH, "alice"))

        assert took < QUICK
        assert plan.decision is not None and plan.decision.tier == "triage"
        assert plan.decision.rule == "tiers.default"

    def test_the_next_rule_decides_after_a_timeout_under_not(self) -> None:
        """`not: {text: ...}` timed out: the rule after it matches as usual."""
        rules = (
            a_rule("fire", Not(text(CATASTROPHIC))),
            a_rule("queue", labels_any("escalation"), index=1),
        )
        issue = an_issue(body=HOSTILE)

        plan = plan_issue(issue, _fresh(), a_config(rules=rules), SEED_EPOCH, "alice")

        assert plan.decision is not None and plan.decision.tier == "queue"
        assert plan.decision.rule == "tiers.rules[1]"

    def test_a_timed_out_rule_is_noted_once_with_its_rule(self) -> None:
        """Two timing-out leaves in one rule give one note, naming the rule and the condition."""
        when = AnyOf((Not(text(CATASTROPHIC)), text(CATASTROPHIC, TextField.BODY)))
        config = a_config(rules=(a_rule("fire", when),))

        plan = plan_issue(an_issue(body=HOSTILE), _fresh(), config, SEED_EPOCH, "alice")

        timed_out = [note for note in plan.notes if "timed out" in note]
        assert len(timed_out) == 1
        assert "tiers.rules[0]" in timed_out[0] and f"/{CATASTROPHIC}/" in timed_out[0]

    def test_the_classic_pattern_over_its_text_plans_quickly(self) -> None:
        """`(a+)+$` over 'a'*40 + '!' in the body: planned at once, rule not matched."""
        config = a_config(rules=(a_rule("fire", text(CLASSIC)),))
        issue = an_issue(body=CLASSIC_TEXT)

        plan, took = _timed(lambda: plan_issue(issue, _fresh(), config, SEED_EPOCH, "alice"))

        assert took < QUICK
        assert plan.decision is not None and plan.decision.tier == "triage"


class TestGitHubMappingUnderHostileText:
    """The GitHub mapping's priority and estimate regexes time out into warnings, not stalls."""

    def test_a_timed_out_priority_regex_reads_no_priority(self) -> None:
        """The issue is mapped without a priority and a warning names the regex."""
        tracker = a_github_tracker(priority_label=GuardedPattern(f"priority/({CATASTROPHIC})"))
        raw = _github_issue(labels=["escalation", f"priority/{HOSTILE}"])

        mapped, took = _timed(lambda: to_snapshot(raw, tracker, a_config().estimates, "acme/web"))

        assert took < QUICK
        assert mapped.snapshot is not None and mapped.snapshot.priority is None
        assert any("priority_label" in w and "timed out" in w for w in mapped.warnings)

    def test_a_timed_out_estimate_body_regex_reads_no_estimate(self) -> None:
        """A hostile body under a catastrophic `estimate.body` regex: no estimate, a warning."""
        estimate = GitHubEstimate(body=GuardedPattern(f"(?m)^estimate: ({CATASTROPHIC})"))
        tracker = a_github_tracker(estimate=estimate)
        raw = _github_issue(body="estimate: " + HOSTILE)

        mapped, took = _timed(lambda: to_snapshot(raw, tracker, a_config().estimates, "acme/web"))

        assert took < QUICK
        assert mapped.snapshot is not None and mapped.snapshot.estimate is None
        assert any("estimate.body" in w and "timed out" in w for w in mapped.warnings)


def _texts(condition: Condition) -> list[Text]:
    """Every text leaf of a condition tree."""
    if isinstance(condition, AllOf | AnyOf):
        return [leaf for child in condition.children for leaf in _texts(child)]
    if isinstance(condition, Not):
        return _texts(condition.child)
    return [condition] if isinstance(condition, Text) else []


def _fresh() -> Any:
    from syncd.domain.ledger import IssueRecord

    return IssueRecord()


def _github_issue(*, labels: list[str] | None = None, body: str | None = None) -> dict[str, Any]:
    """A minimal list item of the shape GitHub sends (see tests/reference)."""
    return {
        "number": 7,
        "title": "Hostile issue",
        "body": body,
        "labels": [{"name": name} for name in labels or ["escalation"]],
        "assignees": [],
        "created_at": "2026-11-01T16:00:00Z",
        "updated_at": "2026-11-20T10:00:00Z",
        "html_url": "https://github.com/acme/web/issues/7",
        "reactions": {"+1": 0},
    }
