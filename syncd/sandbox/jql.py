"""A small JQL subset: comparisons, `in`, AND/OR/NOT, parentheses and ORDER BY, as Jira reads it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from syncd.sandbox.jira_state import JiraIssue

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison


class JqlError(Exception):
    """The query is outside the subset or malformed; Jira answers 400 with this message."""


Predicate = Callable[[JiraIssue], bool]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|(?P<op>!=|>=|<=|=|>|<|~|\(|\)|,)'
    r"|(?P<word>[^\s=!<>~(),\"']+))"
)
_CATEGORY_NAMES = {"new": "To Do", "indeterminate": "In Progress", "done": "Done"}
_TEXT_FIELDS: dict[str, Callable[[JiraIssue], list[str]]] = {
    "project": lambda i: [i.project],
    "key": lambda i: [i.key],
    "issuekey": lambda i: [i.key],
    "labels": lambda i: list(i.labels),
    "status": lambda i: [i.status],
    "statuscategory": lambda i: [i.category, _CATEGORY_NAMES[i.category]],
    "priority": lambda i: [i.priority],
    "issuetype": lambda i: [i.type],
    "type": lambda i: [i.type],
    "component": lambda i: list(i.components),
    "assignee": lambda i: [i.assignee] if i.assignee else [],
    "reporter": lambda i: [i.reporter] if i.reporter else [],
}
_DATE_FIELDS: dict[str, Callable[[JiraIssue], datetime]] = {
    "updated": lambda i: i.updated,
    "created": lambda i: i.created,
}
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass(frozen=True)
class Query:
    """A compiled query: which issues match, and in what order."""

    matches: Predicate
    order: tuple[tuple[str, bool], ...]  # (field, descending)

    def sort(self, issues: list[JiraIssue]) -> list[JiraIssue]:
        """`issues` in the query's order (Jira's default: key, newest first)."""
        ordered = sorted(issues, key=_key_number, reverse=True)
        for name, descending in reversed(self.order):
            ordered.sort(key=_sort_key(name), reverse=descending)
        return ordered


def _key_number(issue: JiraIssue) -> tuple[str, int]:
    project, _, number = issue.key.rpartition("-")
    return project, int(number)


def _sort_key(name: str) -> Callable[[JiraIssue], SupportsRichComparison]:
    if name in _DATE_FIELDS:
        return _DATE_FIELDS[name]
    if name in {"key", "issuekey"}:
        return _key_number
    if name in _TEXT_FIELDS:
        read = _TEXT_FIELDS[name]
        return lambda issue: tuple(v.lower() for v in read(issue))
    raise JqlError(f"Field '{name}' does not exist or you do not have permission to view it.")


def compile_jql(text: str, zone: ZoneInfo, keys: Iterable[str] | None = None) -> Query:
    """Compile `text`; dates without a zone are read in `zone` (the API user's profile zone).

    With the site's issue `keys`, a `key` or `issuekey` value naming none of them is an error,
    as Jira answers it (400), rather than a clause that selects nothing.
    """
    known = None if keys is None else frozenset(key.upper() for key in keys)
    parser = _Parser(_tokens(text), zone, known)
    matches: Predicate = lambda _issue: True  # noqa: E731 - an empty query selects everything
    if parser.peek_word() not in {"order", None}:
        matches = parser.disjunction()
    order = parser.order_by()
    if parser.peek() is not None:
        raise JqlError(f"Error in the JQL Query: unexpected '{parser.peek()}'.")
    return Query(matches, order)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text.rstrip()):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise JqlError(f"Error in the JQL Query: the character at {position} is not expected.")
        kind = match.lastgroup or "word"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the token list."""

    def __init__(
        self, tokens: list[tuple[str, str]], zone: ZoneInfo, keys: frozenset[str] | None
    ) -> None:
        self.tokens, self.index, self.zone, self.keys = tokens, 0, zone, keys

    def peek(self) -> str | None:
        return self.tokens[self.index][1] if self.index < len(self.tokens) else None

    def peek_word(self) -> str | None:
        token = self.peek()
        return token.lower() if token is not None else None

    def take(self) -> tuple[str, str]:
        if self.index >= len(self.tokens):
            raise JqlError("Error in the JQL Query: the query ends too early.")
        self.index += 1
        return self.tokens[self.index - 1]

    def expect(self, word: str) -> None:
        _, value = self.take()
        if value.lower() != word:
            raise JqlError(f"Error in the JQL Query: expecting '{word}' but got '{value}'.")

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.peek_word() == "or":
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else lambda i: any(p(i) for p in parts)

    def conjunction(self) -> Predicate:
        parts = [self.unary()]
        while self.peek_word() == "and":
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else lambda i: all(p(i) for p in parts)

    def unary(self) -> Predicate:
        if self.peek_word() == "not":
            self.take()
            inner = self.unary()
            return lambda i: not inner(i)
        if self.peek() == "(":
            self.take()
            inner = self.disjunction()
            self.expect(")")
            return inner
        return self.clause()

    def clause(self) -> Predicate:
        _, field = self.take()
        name = field.lower()
        operator = self.take()[1].lower()
        if operator == "not":
            self.expect("in")
            operator = "not in"
        if operator in {"in", "not in"}:
            values = self.value_list()
        elif operator in {"=", "!=", ">", ">=", "<", "<="}:
            values = [self.value()]
        else:
            raise JqlError(f"Error in the JQL Query: the operator '{operator}' is not supported.")
        if name in _DATE_FIELDS:
            return _date_clause(name, operator, values, self.zone)
        if name in {"key", "issuekey"} and self.keys is not None:
            for value in values:
                if value.upper() not in self.keys:
                    raise JqlError(
                        f"An issue with key '{value}' does not exist for field '{field}'."
                    )
        return _text_clause(name, operator, values)

    def value(self) -> str:
        kind, value = self.take()
        if kind == "op":
            raise JqlError(f"Error in the JQL Query: expecting a value but got '{value}'.")
        return value[1:-1].replace('\\"', '"') if kind == "str" else value

    def value_list(self) -> list[str]:
        self.expect("(")
        values = [self.value()]
        while self.peek() == ",":
            self.take()
            values.append(self.value())
        self.expect(")")
        return values

    def order_by(self) -> tuple[tuple[str, bool], ...]:
        if self.peek_word() != "order":
            return ()
        self.take()
        self.expect("by")
        order = [self.sort_field()]
        while self.peek() == ",":
            self.take()
            order.append(self.sort_field())
        return tuple(order)

    def sort_field(self) -> tuple[str, bool]:
        name = self.take()[1].lower()
        _sort_key(name)  # rejects unknown fields now, as Jira does
        direction = self.peek_word()
        if direction in {"asc", "desc"}:
            self.take()
        return name, direction == "desc"


def _text_clause(name: str, operator: str, values: list[str]) -> Predicate:
    read = _TEXT_FIELDS.get(name)
    if read is None:
        raise JqlError(f"Field '{name}' does not exist or you do not have permission to view it.")
    if operator not in {"=", "!=", "in", "not in"}:
        raise JqlError(f"The operator '{operator}' is not supported by the '{name}' field.")
    wanted = {value.lower() for value in values}
    positive = operator in {"=", "in"}
    return lambda i: bool(wanted & {v.lower() for v in read(i)}) == positive


def _date_clause(name: str, operator: str, values: list[str], zone: ZoneInfo) -> Predicate:
    if operator in {"in", "not in"} or len(values) != 1:
        raise JqlError(f"The operator '{operator}' is not supported by the '{name}' field.")
    bound = _moment(values[0], zone)
    read = _DATE_FIELDS[name]
    # Jira compares at minute precision: seconds of the stored time are ignored.
    compare: dict[str, Callable[[datetime], bool]] = {
        "=": lambda t: t == bound,
        "!=": lambda t: t != bound,
        ">": lambda t: t > bound,
        ">=": lambda t: t >= bound,
        "<": lambda t: t < bound,
        "<=": lambda t: t <= bound,
    }
    test = compare[operator]
    return lambda i: test(read(i).replace(second=0, microsecond=0))


def _moment(value: str, zone: ZoneInfo) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    raise JqlError(
        f"Date value '{value}' for field is invalid. Valid formats include: "
        "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'."
    )
