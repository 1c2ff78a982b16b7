"""Typed scalar fields of the configuration: strings with `${VAR}`, numbers, dates, regexes."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import TypeVar
from urllib.parse import urlsplit

import regex as regex_module

from syncd.config.document import Map, Node, Scalar, Seq
from syncd.config.model import WRITTEN_IN_FILE, Secret
from syncd.config.problems import Invalid
from syncd.domain.durations import ELAPSED, Units, parse_duration
from syncd.domain.patterns import GuardedPattern

E = TypeVar("E", bound=enum.Enum)

_PLACEHOLDER = re.compile(r"\$(\$|\{([^}]*)\})")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_SECONDS = 366 * 86400.0  # a year: anything longer is a typo, and keeps timedelta sane


def describe(node: Node) -> str:
    """What kind of YAML value `node` is, for messages (never the value itself)."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    value = node.value
    if value is None:
        return "nothing (null)"
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return "a date and time" if isinstance(value, datetime) else "a date"


def _quote_hint(node: Node) -> str:
    if isinstance(node, Scalar) and not isinstance(node.value, str) and node.value is not None:
        return f" (YAML read {node.text!r} as {describe(node)}; put it in quotes)"
    return ""


def scalar(node: Node) -> Scalar:
    """The node as a scalar, or Invalid."""
    if not isinstance(node, Scalar):
        raise Invalid(f"expected a single value, got {describe(node)}")
    return node


def integer(node: Node, minimum: int, maximum: int) -> int:
    """A whole number in [minimum, maximum]."""
    value = scalar(node).value
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"expected a whole number, got {describe(node)}")
    if not minimum <= value <= maximum:
        raise Invalid(f"must be between {minimum} and {maximum}")
    return value


def max_writes(node: Node) -> int:
    """A tracker's `max_writes_per_cycle`."""
    return integer(node, minimum=1, maximum=1_000_000)


def number(node: Node, minimum: float, maximum: float, *, above: bool = False) -> float:
    """A finite number in [minimum, maximum] (or (minimum, maximum] when `above`)."""
    value = scalar(node).value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(f"expected a number, got {describe(node)}")
    low_ok = value > minimum if above else value >= minimum
    if not (math.isfinite(value) and low_ok and value <= maximum):
        lower = f"above {minimum:g}" if above else f"at least {minimum:g}"
        raise Invalid(f"must be {lower} and at most {maximum:g}")
    return float(value)


def boolean(node: Node) -> bool:
    """true or false."""
    value = scalar(node).value
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {describe(node)}")
    return value


def a_date(node: Node) -> date:
    """A calendar date, written `2026-12-25` (YAML date) or as the string "2026-12-25"."""
    value = scalar(node).value
    if isinstance(value, datetime):
        raise Invalid("expected a date (YYYY-MM-DD), got a date and time")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise Invalid(f"expected a date (YYYY-MM-DD), got {describe(node)}")
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError("expected YYYY-MM-DD")
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(f"not a valid date: {value[:40]!r} ({exc})") from None


def duration(node: Node, units: Units) -> float:
    """A duration (`30s`, `1w 2d 4h`) in seconds, at most a year."""
    value = scalar(node).value
    if not isinstance(value, str):
        raise Invalid(f"expected a duration like 30s, 10m, 4h or 2d, got {describe(node)}")
    return seconds_of(value, units)


def elapsed(node: Node) -> float:
    """A wall-clock duration (`poll_interval`, `write_interval`): a day is 24 hours."""
    return duration(node, ELAPSED)


def seconds_of(text: str, units: Units) -> float:
    """Parse a duration string; Invalid with the reason when it is not one or out of range."""
    try:
        seconds = parse_duration(text[:100], units) if len(text) <= 100 else math.inf
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    if not seconds <= _MAX_SECONDS:
        raise Invalid(f"duration {text[:40]!r} is longer than a year")
    return seconds


def choice(node: Node, kind: type[E]) -> E:
    """One of an enum's values, as written in the file."""
    names = [member.value for member in kind]
    value = scalar(node).value
    for member in kind:
        if value == member.value:
            return member
    shown = repr(value) if isinstance(value, str) else describe(node)
    raise Invalid(f"expected one of {', '.join(names)}, got {shown[:60]}")


def regex(text: str, *, groups: int = 0) -> GuardedPattern:
    """A Python `re` regex with at least `groups` groups, compiled to search under a time limit."""
    try:
        checked = re.compile(text)  # the SPEC's syntax is `re`'s: `re` judges it
    except (re.error, RecursionError, OverflowError) as exc:
        raise Invalid(f"invalid regex {text[:80]!r}: {exc}") from None
    if checked.groups < groups:
        raise Invalid(f"regex {text[:80]!r} needs a group: group 1 is the value it reads")
    try:
        return GuardedPattern(text)
    except (regex_module.error, RecursionError, OverflowError) as exc:
        raise Invalid(f"regex {text[:80]!r} is not supported: {exc}") from None


def http_url(text: str) -> str:
    """An http(s) URL with a host, without a trailing slash."""
    try:
        parts = urlsplit(text)
    except ValueError:
        raise Invalid(f"expected an http(s) URL, got {text[:80]!r}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in text:
        raise Invalid(f"expected an http(s) URL, got {text[:80]!r}")
    return text.rstrip("/")


class Values:
    """Reads strings, substituting `${VAR}` from `environ`, and secrets."""

    def __init__(
        self,
        environ: Mapping[str, str],
        require_secrets: bool,
        on_substitute: Callable[[str, str], None] = lambda value, shown: None,
    ) -> None:
        self._environ = environ
        self._require = require_secrets
        self._on_substitute = on_substitute  # told every value read, so messages can hide it

    def string(self, node: Node) -> str:
        """A string with `${VAR}` substituted (and `$$` for a literal `$`)."""
        value = scalar(node).value
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {describe(node)}{_quote_hint(node)}")
        return _PLACEHOLDER.sub(self._replacement, value)

    def name(self, node: Node) -> str:
        """A non-empty string without surrounding spaces."""
        text = self.string(node)
        if not text.strip():
            raise Invalid("must not be empty")
        return text.strip()

    def names(self, node: Node) -> tuple[str, ...]:
        """A list of non-empty strings, or one string standing for a list of one."""
        items = node.items if isinstance(node, Seq) else (node,)
        result = []
        for index, item in enumerate(items):
            try:
                result.append(self.name(item))
            except Invalid as exc:
                where = f"[{index}]" if isinstance(node, Seq) else ""
                raise Invalid(exc.message, item.line, where) from None
        if not result:
            raise Invalid("must list at least one value")
        return tuple(result)

    def secret(self, node: Node) -> Secret:
        """A credential: `${VAR}` (the usual way) or a literal, never shown in any message."""
        value = scalar(node).value
        if not isinstance(value, str):
            raise Invalid(f"expected a string, got {describe(node)}")
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(2) is not None:
            var = self._variable(whole.group(2))
            resolved = self._environ.get(var)
            if resolved is None and not self._require:
                return Secret("", value)
            if resolved is not None:
                self._on_substitute(resolved, value)
            return Secret(self._secret_value(var, resolved), value)
        revealed = _PLACEHOLDER.sub(self._replacement, value)
        if not revealed.strip():
            raise Invalid("must not be empty")
        return Secret(revealed, WRITTEN_IN_FILE)

    def url(self, node: Node) -> str:
        """An http(s) URL; with secrets not required an unset `${VAR}` is kept as written."""
        text = self.string(node)
        written = scalar(node).text
        if not self._require and _PLACEHOLDER.search(text):
            return text
        try:
            checked = http_url(text)
        except Invalid:
            # Quote what the file says, not what the environment supplied.
            raise Invalid(f"expected an http(s) URL, got {written[:80]!r}") from None
        if "@" in urlsplit(checked).netloc:
            # Not quoted: the part before @ is a password.
            raise Invalid("the URL must not hold credentials (user:password@): use token/email")
        return checked

    def _secret_value(self, var: str, value: str | None) -> str:
        if value is None:
            raise Invalid(f"environment variable {var} is not set")
        if not value.strip():
            raise Invalid(f"environment variable {var} is empty")
        if value != value.strip():
            raise Invalid(f"environment variable {var} has leading or trailing whitespace")
        return value

    def _variable(self, name: str) -> str:
        if not _VAR_NAME.fullmatch(name):
            raise Invalid(f"malformed placeholder ${{{name[:40]}}}: expected ${{NAME}}")
        return name

    def _replacement(self, match: re.Match[str]) -> str:
        if match.group(1) == "$":
            return "$"
        var = self._variable(match.group(2))
        value = self._environ.get(var)
        if value is None:
            if self._require:
                raise Invalid(f"environment variable {var} is not set")
            return match.group(0)
        self._on_substitute(value, match.group(0))
        return value
