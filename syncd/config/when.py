"""The `when:` of a tier rule (SPEC 2.1), parsed into the syncd.domain.conditions tree."""

from __future__ import annotations

import re
from collections.abc import Callable

from syncd.config.document import Map, Node, Seq
from syncd.config.problems import Invalid, join_path, suggestion
from syncd.config.section import Context
from syncd.config.values import describe, regex, scalar, seconds_of
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
from syncd.domain.durations import ELAPSED, Units

_LABELS = {test.value: test for test in LabelTest}
_TEXTS = {field.value: field for field in TextField}
_SETS = {attribute.value: attribute for attribute in Attribute}
_CLOCKS = {clock.value: clock for clock in Clock}
_COMBINATORS = ("all", "any", "not")
CONDITION_NAMES = (
    *_COMBINATORS,
    *_LABELS,
    *_TEXTS,
    *_SETS,
    *_CLOCKS,
    "reporters",
    "estimate",
)

_COMPARISON = re.compile(r"\s*(>=|<=|==|>|<)?\s*(.*?)\s*", re.DOTALL)
_COUNT = re.compile(r"\d{1,9}(?:\.\d{1,6})?")
_OPERATORS = "use >, >=, <, <=, == followed by a value, e.g. '> 2d'"


def comparison(node: Node, read_value: Callable[[str], float], unit_hint: str) -> Comparison:
    """`> 2d`, `>= 5`; a bare value without an operator means `>=`."""
    value = scalar(node).value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Invalid(f"expected a comparison such as {unit_hint!r}, got {describe(node)}")
    match = _COMPARISON.fullmatch(str(value))
    if match is None or match.group(2).startswith(("=", "!", ">", "<")):
        raise Invalid(f"not a comparison: {str(value)[:40]!r} ({_OPERATORS})")
    op = Op(match.group(1)) if match.group(1) else Op.GE
    return Comparison(op, read_value(match.group(2)))


def count(text: str) -> float:
    """A number of people, e.g. the `5` of `>= 5`."""
    if not _COUNT.fullmatch(text):
        raise Invalid(f"expected a number, got {text[:40]!r}")
    return float(text)


def duration_reader(units: Units) -> Callable[[str], float]:
    """Seconds of a duration with a unit; a bare number is refused (hours? days?)."""

    def read(text: str) -> float:
        if _COUNT.fullmatch(text):
            raise Invalid(f"{text!r} needs a unit, e.g. '{text}d' or '{text}h'")
        return seconds_of(text, units)

    return read


class ConditionReader:
    """Parses conditions, recording each problem at its line and key path."""

    def __init__(self, ctx: Context, effort: Units) -> None:
        self._ctx = ctx
        self._effort = effort

    def condition(self, node: Node, path: str) -> Condition | None:
        """The condition a mapping describes (several keys: all of them); None when invalid."""
        problems = self._ctx.problems
        if not isinstance(node, Map) or not node.entries:
            shown = "an empty mapping" if isinstance(node, Map) else describe(node)
            problems.add(
                node.line, path, f"expected a condition such as {{labels_any: [x]}}, got {shown}"
            )
            return None
        parts: list[Condition | None] = []
        seen: set[str] = set()
        for key, value in node.entries:
            name = key.text
            if name in seen:
                problems.add(key.line, join_path(path, name), "duplicate condition")
            elif name not in CONDITION_NAMES:
                hint = suggestion(name, CONDITION_NAMES)
                problems.add(key.line, path, f"unknown condition {name!r}{hint}")
                parts.append(None)
            else:
                parts.append(self._part(name, value, join_path(path, name)))
            seen.add(name)
        if any(part is None for part in parts):
            return None
        valid = tuple(part for part in parts if part is not None)
        return valid[0] if len(valid) == 1 else AllOf(valid)

    def _part(self, name: str, node: Node, path: str) -> Condition | None:
        if name in ("all", "any"):
            return self._combination(name, node, path)
        if name == "not":
            child = self.condition(node, path)
            return Not(child) if child is not None else None
        try:
            return self._leaf(name, node)
        except Invalid as exc:
            line = exc.line if exc.line is not None else node.line
            self._ctx.problems.add(line, join_path(path, exc.where), exc.message)
            return None

    def _combination(self, name: str, node: Node, path: str) -> Condition | None:
        if not isinstance(node, Seq) or not node.items:
            shown = "an empty list" if isinstance(node, Seq) else describe(node)
            self._ctx.problems.add(node.line, path, f"expected a list of conditions, got {shown}")
            return None
        children = [self.condition(item, f"{path}[{i}]") for i, item in enumerate(node.items)]
        valid = tuple(child for child in children if child is not None)
        if len(valid) != len(children):
            return None
        return AllOf(valid) if name == "all" else AnyOf(valid)

    def _leaf(self, name: str, node: Node) -> Condition:
        values = self._ctx.values
        if name in _LABELS:
            return Labels(_LABELS[name], frozenset(n.casefold() for n in values.names(node)))
        if name in _SETS:
            return InSet(_SETS[name], frozenset(n.casefold() for n in values.names(node)))
        if name in _TEXTS:
            return Text(_TEXTS[name], regex(values.string(node)))
        if name in _CLOCKS:
            return Elapsed(_CLOCKS[name], comparison(node, duration_reader(ELAPSED), "> 3d"))
        if name == "reporters":
            return Reporters(comparison(node, count, ">= 5"))
        return self._estimate(node)

    def _estimate(self, node: Node) -> Condition:
        value = scalar(node).value
        if isinstance(value, str) and value.strip().casefold() == "none":
            return Estimate(None)
        return Estimate(comparison(node, duration_reader(self._effort), "> 2d"))
