"""The rule language's condition tree (SPEC 2.1): combinators and leaves, as frozen data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from syncd.domain.patterns import TextPattern


class Op(enum.Enum):
    """A comparison operator of the rule language."""

    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    EQ = "=="


@dataclass(frozen=True)
class Comparison:
    """`> 2d`, `>= 5`: an operator and a number (seconds, for durations)."""

    op: Op
    value: float


class TextField(enum.Enum):
    """Where a text condition searches."""

    TITLE = "title"
    BODY = "body"
    TEXT = "text"  # title or body


class LabelTest(enum.Enum):
    """How a label condition compares the issue's labels with its list."""

    ANY = "labels_any"
    ALL = "labels_all"
    NONE = "labels_none"


class Attribute(enum.Enum):
    """A set-membership condition on where an issue lives or what it is."""

    TRACKER = "tracker"
    REPO = "repo"
    PROJECT = "project"
    TYPE = "type"
    COMPONENT = "component"
    PRIORITY = "priority"


class Clock(enum.Enum):
    """Which timestamp an elapsed-time condition measures from."""

    AGE = "age"  # since created
    IDLE = "idle"  # since last updated


@dataclass(frozen=True)
class AllOf:
    """True when every child is true (an empty list is true)."""

    children: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    """True when at least one child is true (an empty list is false)."""

    children: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """True when the child is false."""

    child: Condition


@dataclass(frozen=True)
class Labels:
    """Label set test; `names` are casefolded, as GitHub and Jira compare labels."""

    test: LabelTest
    names: frozenset[str]


@dataclass(frozen=True)
class Text:
    """Regex search in the title, the body, or either."""

    field: TextField
    pattern: TextPattern  # searched under a time limit (syncd.domain.patterns)


@dataclass(frozen=True)
class InSet:
    """The issue's attribute (casefolded) is one of `values` (casefolded)."""

    attribute: Attribute
    values: frozenset[str]


@dataclass(frozen=True)
class Reporters:
    """Customers affected (1 + 👍 on GitHub, 1 + votes on Jira) compared with a number."""

    comparison: Comparison


@dataclass(frozen=True)
class Elapsed:
    """Wall-clock seconds since created (age) or last updated (idle), compared."""

    clock: Clock
    comparison: Comparison


@dataclass(frozen=True)
class Estimate:
    """The estimate in work seconds compared; `comparison=None` means `estimate: none`."""

    comparison: Comparison | None


Condition = AllOf | AnyOf | Not | Labels | Text | InSet | Reporters | Elapsed | Estimate
