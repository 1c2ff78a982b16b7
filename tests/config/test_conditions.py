"""Every condition leaf and combinator of SPEC 2.1 parses into the right tree."""

from __future__ import annotations

import pytest

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
from syncd.domain.patterns import GuardedPattern
from tests.config.sample import load_text, problems_of, replacing, with_rule_when

DAY = 86400.0
WORK_DAY = 8 * 3600.0


def parsed(when: object) -> Condition:
    """The condition tree of the first rule when its `when` is `when`."""
    return load_text(with_rule_when(when)).tiers.rules[0].when


class TestLeaves:
    """Each leaf becomes its conditions type with normalised values."""

    @pytest.mark.parametrize("name,test", [(t.value, t) for t in LabelTest])
    def test_label_tests_casefold_their_names(self, name: str, test: LabelTest) -> None:
        """Label names are compared ignoring case, so they are stored casefolded."""
        assert parsed({name: ["Outage", "DATA-loss"]}) == Labels(
            test, frozenset({"outage", "data-loss"})
        )

    def test_a_single_label_string_stands_for_a_list_of_one(self) -> None:
        """`labels_any: outage` is `labels_any: [outage]`."""
        assert parsed({"labels_any": "outage"}) == Labels(LabelTest.ANY, frozenset({"outage"}))

    @pytest.mark.parametrize("name,field", [(f.value, f) for f in TextField])
    def test_text_leaves_compile_their_regex(self, name: str, field: TextField) -> None:
        """`title`, `body`, `text` hold a compiled pattern."""
        assert parsed({name: "(?i)export"}) == Text(field, GuardedPattern("(?i)export"))

    @pytest.mark.parametrize("attribute", list(Attribute))
    def test_set_leaves_hold_casefolded_values(self, attribute: Attribute) -> None:
        """`priority`, `tracker`, `repo`, `project`, `type`, `component` become InSet."""
        assert parsed({attribute.value: ["Highest", "Blocker"]}) == InSet(
            attribute, frozenset({"highest", "blocker"})
        )

    def test_reporters_takes_an_operator_and_a_number(self) -> None:
        """`reporters: ">= 5"` compares with 5."""
        assert parsed({"reporters": ">= 5"}) == Reporters(Comparison(Op.GE, 5.0))

    def test_a_bare_number_means_at_least(self) -> None:
        """`reporters: 5` means `>= 5`."""
        assert parsed({"reporters": 5}) == Reporters(Comparison(Op.GE, 5.0))

    @pytest.mark.parametrize("op", list(Op))
    def test_every_operator_is_understood(self, op: Op) -> None:
        """>, >=, <, <=, == all parse."""
        assert parsed({"reporters": f"{op.value} 3"}) == Reporters(Comparison(op, 3.0))

    @pytest.mark.parametrize("clock", list(Clock))
    def test_age_and_idle_are_wall_clock_durations(self, clock: Clock) -> None:
        """`age: "> 3d"` is three 24-hour days."""
        assert parsed({clock.value: "> 3d"}) == Elapsed(clock, Comparison(Op.GT, 3 * DAY))

    def test_estimate_comparisons_use_work_days(self) -> None:
        """`estimate: "> 2d"` is two 8-hour working days by default."""
        assert parsed({"estimate": "> 2d"}) == Estimate(Comparison(Op.GT, 2 * WORK_DAY))

    def test_estimate_uses_the_configured_hours_per_day(self) -> None:
        """With `hours_per_day: 6`, `1d` is six hours."""
        text = with_rule_when({"estimate": "<= 1d"}) + "estimates: {hours_per_day: 6}\n"

        when = load_text(text).tiers.rules[0].when

        assert when == Estimate(Comparison(Op.LE, 6 * 3600.0))

    def test_estimate_none_matches_items_without_an_estimate(self) -> None:
        """`estimate: none` is Estimate(None)."""
        assert parsed({"estimate": "none"}) == Estimate(None)


class TestCombinators:
    """all / any / not and multi-key mappings build the tree."""

    def test_all_any_and_not_nest(self) -> None:
        """The SPEC's queue rule parses into AllOf(Not(Estimate), Text)."""
        when = {"all": [{"not": {"estimate": "> 1d"}}, {"text": "import"}]}

        assert parsed(when) == AllOf(
            (
                Not(Estimate(Comparison(Op.GT, WORK_DAY))),
                Text(TextField.TEXT, GuardedPattern("import")),
            )
        )

    def test_any_keeps_the_order_of_its_children(self) -> None:
        """`any` becomes AnyOf with children in file order."""
        when = {"any": [{"labels_any": ["outage"]}, {"priority": "Highest"}]}

        assert parsed(when) == AnyOf(
            (
                Labels(LabelTest.ANY, frozenset({"outage"})),
                InSet(Attribute.PRIORITY, frozenset({"highest"})),
            )
        )

    def test_a_mapping_with_several_keys_means_all_of_them(self) -> None:
        """`{tracker: web, labels_any: [cve]}` is AllOf of both leaves."""
        assert parsed({"tracker": "web", "labels_any": ["cve"]}) == AllOf(
            (
                InSet(Attribute.TRACKER, frozenset({"web"})),
                Labels(LabelTest.ANY, frozenset({"cve"})),
            )
        )


class TestConditionProblems:
    """Malformed conditions are located precisely."""

    def test_an_empty_any_is_refused(self) -> None:
        """`any: []` would never match; it is reported."""
        assert problems_of(with_rule_when({"any": []})) == [
            "syncd.yaml:12: tiers.rules[0].when.any: expected a list of conditions,"
            " got an empty list"
        ]

    def test_not_needs_a_mapping(self) -> None:
        """`not: [..]` is refused: `not` takes one condition."""
        problems = problems_of(with_rule_when({"not": [{"labels_any": "x"}]}))

        assert problems == [
            "syncd.yaml:12: tiers.rules[0].when.not: expected a condition such as"
            " {labels_any: [x]}, got a list"
        ]

    def test_a_duration_comparison_without_a_unit_is_refused(self) -> None:
        """`age: "> 3"` is ambiguous: hours or days?"""
        problems = problems_of(with_rule_when({"age": "> 3"}))

        assert problems == [
            "syncd.yaml:12: tiers.rules[0].when.age: '3' needs a unit, e.g. '3d' or '3h'"
        ]

    def test_an_unknown_operator_is_refused(self) -> None:
        """`!= 3` is not in the rule language."""
        problems = problems_of(with_rule_when({"reporters": "!= 3"}))

        assert problems == [
            "syncd.yaml:12: tiers.rules[0].when.reporters: not a comparison: '!= 3'"
            " (use >, >=, <, <=, == followed by a value, e.g. '> 2d')"
        ]

    def test_a_rule_without_when_is_reported(self) -> None:
        """Every rule needs a condition."""
        text = replacing("      when: {labels_any: [outage]}\n", "")

        assert problems_of(text) == ["syncd.yaml:10: tiers.rules[0]: missing required key 'when'"]

    def test_a_tier_name_with_a_space_is_refused(self) -> None:
        """Tier names become labels, which cannot contain spaces or commas."""
        text = replacing("tier: fire", "tier: on fire")

        assert problems_of(text) == [
            "syncd.yaml:10: tiers.rules[0].tier: 'on fire' cannot be a label:"
            " it must be non-empty, without spaces or commas"
        ]
