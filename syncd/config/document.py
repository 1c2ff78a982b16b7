"""The YAML document as a tree of nodes that remember their line, read with SafeLoader only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import yaml

ScalarValue = str | int | float | bool | date | None  # date includes datetime

_MAX_DEPTH = 64
_MAX_NODES = 100_000  # an alias bomb expands exponentially; a real config is a few hundred nodes
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")
)
_BARE_COMPARISON = re.compile(r":\s+(>=?\s*\d+(?:\.\d+)?\s*[a-z]{0,2})\s*(?:#.*)?$")
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


@dataclass(frozen=True)
class Scalar:
    """A scalar as YAML resolved it (`value`) and as it was written (`text`); lines are 1-based."""

    value: ScalarValue
    text: str
    line: int


@dataclass(frozen=True)
class Seq:
    """A YAML sequence."""

    items: tuple[Node, ...]
    line: int


@dataclass(frozen=True)
class Map:
    """A YAML mapping; keys are kept as written, duplicates included, in file order."""

    entries: tuple[tuple[Scalar, Node], ...]
    line: int


Node = Scalar | Seq | Map


class DocumentError(Exception):
    """The text is not a YAML document syncd can read; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse(text: str) -> Node | None:
    """The document's root node, or None for an empty document; DocumentError when unreadable."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = _line_of(exc)
        raise DocumentError(_describe(exc) + _comparison_hint(text, line), line) from None
    except yaml.YAMLError as exc:
        # ReaderError (control characters, bad encoding) carries no mark; its str has no secrets
        # beyond one character code.
        raise DocumentError(f"not a YAML document: {exc}", None) from None
    except RecursionError:
        raise DocumentError("the document is nested too deeply", None) from None
    if root is None:
        return None
    return _Converter().convert(root, depth=0)


def _describe(exc: yaml.MarkedYAMLError) -> str:
    # Only the problem texts: str(exc) quotes the offending source line, which may hold a token.
    parts = [part for part in (exc.context, exc.problem) if part]
    return "YAML syntax error: " + ", ".join(parts)


def _comparison_hint(text: str, line: int | None) -> str:
    """`; quote it: '>= 5'` when the failing line holds a bare one.

    A plain `>` starts a YAML folded block, so `reporters: >= 5` is a syntax error, not a
    comparison. Only a short number-and-unit comparison is quoted back: the line may hold more.
    """
    lines = text.splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    found = _BARE_COMPARISON.search(lines[line - 1])
    return f"; quote it: '{found.group(1)}'" if found else ""


def _line_of(exc: yaml.MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


class _Converter:
    """Turns PyYAML's node graph into located nodes, refusing tags and shapes syncd never needs."""

    def __init__(self) -> None:
        self._count = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def convert(self, node: yaml.Node, depth: int) -> Node:
        """The located copy of `node`, `depth` levels below the root."""
        line = node.start_mark.line + 1
        self._count += 1
        if depth > _MAX_DEPTH:
            raise DocumentError(
                "the document is nested too deeply (or an alias refers to itself)", line
            )
        if self._count > _MAX_NODES:
            raise DocumentError("the document is too large (do aliases expand into it?)", line)
        if isinstance(node, yaml.ScalarNode) and node.tag in _SCALAR_TAGS:
            return Scalar(self._scalar_value(node), str(node.value), line)
        if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
            return Seq(tuple(self.convert(item, depth + 1) for item in node.value), line)
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG:
            return Map(tuple(self._entry(k, v, depth) for k, v in node.value), line)
        raise DocumentError(f"unsupported YAML tag {node.tag!r}", line)

    def _entry(self, key: yaml.Node, value: yaml.Node, depth: int) -> tuple[Scalar, Node]:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode):
            raise DocumentError("a mapping key must be a plain name, not a list or mapping", line)
        if key.tag == "tag:yaml.org,2002:merge":
            raise DocumentError("YAML merge keys (<<) are not supported; write the keys out", line)
        # Keys are names: `no:` or `2026:` are the names "no" and "2026", not a boolean or a year.
        key_scalar = Scalar(str(key.value), str(key.value), line)
        return key_scalar, self.convert(value, depth + 1)

    def _scalar_value(self, node: yaml.ScalarNode) -> ScalarValue:
        try:
            value: ScalarValue = self._constructor.construct_object(node)
        except (ValueError, OverflowError, yaml.YAMLError):
            # e.g. 2026-13-45 looks like a date to YAML but is none; keep the text and let the
            # field that expects a date say what is wrong with it.
            return str(node.value)
        return value
