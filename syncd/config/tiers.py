"""The `tiers` and `estimates` sections: tier rules in order, the default tier, the flag."""

from __future__ import annotations

import functools
import re

from syncd.config.document import Node
from syncd.config.model import IGNORE_LABEL, AssignMode, Estimates, Handoff, Rule, Tiers
from syncd.config.problems import Invalid
from syncd.config.section import Context, Section
from syncd.config.values import boolean, choice, duration, number
from syncd.config.when import ConditionReader
from syncd.domain.durations import Units

_LABEL_SAFE = re.compile(r"[^\s,]+")
_MAX_LABEL = 50  # GitHub refuses longer label names
_RULE_KEYS = ("tier", "assign", "when")
_TIERS_KEYS = ("label_prefix", "rules", "default")
_ESTIMATES_KEYS = ("limit", "hours_per_day", "days_per_week", "flag_label", "handoff", "comment")
DEFAULT_KEYS = ("tier", "assign")


def read_estimates(node: Node | None, ctx: Context) -> Estimates:
    """The `estimates` section; the units are read first, since `limit` is effort in them."""
    section = Section(node, "estimates", ctx, _ESTIMATES_KEYS)
    hours = section.get(
        "hours_per_day", functools.partial(number, minimum=0, maximum=24, above=True), 8.0
    )
    days = section.get(
        "days_per_week", functools.partial(number, minimum=0, maximum=7, above=True), 5.0
    )
    units = Units.effort(hours, days)
    limit = section.get("limit", functools.partial(duration, units=units), 2 * units.day)
    flag = section.get("flag_label", functools.partial(_label, ctx), "needs-team")
    if flag.casefold() == IGNORE_LABEL:
        section.problem(
            section.key_line("flag_label"), "flag_label", f"{IGNORE_LABEL!r} is reserved"
        )
    return Estimates(
        limit=limit,
        hours_per_day=hours,
        days_per_week=days,
        flag_label=flag,
        handoff=section.get("handoff", functools.partial(choice, kind=Handoff), Handoff.TEAM),
        comment=section.get("comment", boolean, True),
    )


def read_tiers(node: Node | None, ctx: Context, estimates: Estimates) -> Tiers:
    """The `tiers` section: prefix, rules (each with its `tiers.rules[N]` path), default."""
    section = Section(node, "tiers", ctx, _TIERS_KEYS)
    prefix = section.get("label_prefix", functools.partial(_label, ctx), "tier/")
    if estimates.flag_label.casefold().startswith(prefix.casefold()):
        section.problem(
            section.key_line("label_prefix"),
            "label_prefix",
            f"the flag label {estimates.flag_label!r} must not start with the tier prefix",
        )
    rules = _rules(section, ConditionReader(ctx, estimates.units), prefix)
    default = Section(section.node("default"), "tiers.default", ctx, DEFAULT_KEYS)
    default_tier = default.require("tier", functools.partial(_tier_name, ctx, prefix))
    default_assign = default.require("assign", functools.partial(choice, kind=AssignMode))
    return Tiers(
        label_prefix=prefix,
        rules=tuple(rules),
        default_tier=default_tier or "triage",
        default_assign=default_assign or AssignMode.NONE,
    )


def _rules(section: Section, conditions: ConditionReader, prefix: str) -> list[Rule]:
    rules = []
    if section.is_mapping and not section.has("rules"):
        section.problem(section.line, "", "missing required key 'rules'")
    for path, item in section.items("rules"):
        rule = Section(item, path, section.ctx, _RULE_KEYS)
        tier = rule.require("tier", functools.partial(_tier_name, section.ctx, prefix))
        assign = rule.require("assign", functools.partial(choice, kind=AssignMode))
        when_node = rule.node("when")
        when = conditions.condition(when_node, f"{path}.when") if when_node else None
        if when_node is None and rule.is_mapping:
            rule.problem(rule.line, "", "missing required key 'when'")
        if tier is not None and assign is not None and when is not None:
            rules.append(Rule(tier=tier, assign=assign, when=when, path=path))
    return rules


def _label(ctx: Context, node: Node) -> str:
    text = ctx.values.string(node)
    if not _LABEL_SAFE.fullmatch(text):
        raise Invalid(
            f"{text[:60]!r} cannot be a label: it must be non-empty, without spaces or commas"
        )
    return text


def _tier_name(ctx: Context, prefix: str, node: Node) -> str:
    name = _label(ctx, node)
    if len(prefix) + len(name) > _MAX_LABEL:
        raise Invalid(f"label {prefix + name!r} is longer than {_MAX_LABEL} characters")
    return name
