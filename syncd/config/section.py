"""Reading one YAML mapping of the configuration: known keys, typed fields, located problems."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import TypeVar

from syncd.config.document import Map, Node, Seq
from syncd.config.problems import Invalid, Problems, join_path, suggestion
from syncd.config.values import Values, describe

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What every part of the loader shares: the problem list and the string reader."""

    problems: Problems
    values: Values


class Section:
    """A mapping read against its known keys; unknown and duplicate keys become problems.

    `keys=None` accepts any key (a mapping whose keys are names the user chooses, as `people`).
    """

    def __init__(
        self,
        node: Node | None,
        path: str,
        ctx: Context,
        keys: Collection[str] | None,
        line: int = 1,
    ) -> None:
        self.path = path
        self.ctx = ctx
        self.line = node.line if node is not None else line
        self._values: dict[str, Node] = {}
        self._key_lines: dict[str, int] = {}
        self.is_mapping = isinstance(node, Map)
        if node is not None and not isinstance(node, Map):
            ctx.problems.add(node.line, path, f"expected a mapping, got {describe(node)}")
        elif isinstance(node, Map):
            self._read(node, keys)

    def _read(self, node: Map, keys: Collection[str] | None) -> None:
        for key, value in node.entries:
            name = key.text
            if name in self._values:
                self.problem(
                    key.line, name, f"duplicate key (first at line {self._key_lines[name]})"
                )
            elif keys is not None and name not in keys:
                self.problem(key.line, "", f"unknown key {name!r}{suggestion(name, keys)}")
            else:
                self._values[name] = value
                self._key_lines[name] = key.line

    def problem(self, line: int | None, key: str, message: str) -> None:
        """Record a problem at `line`, for `key` of this mapping (or the mapping when empty)."""
        self.ctx.problems.add(line, join_path(self.path, key) if key else self.path, message)

    def has(self, key: str) -> bool:
        """Whether the file gives `key` (with any value)."""
        return key in self._values

    def node(self, key: str) -> Node | None:
        """The value node of `key`, if given."""
        return self._values.get(key)

    def entries(self) -> Iterator[tuple[str, Node]]:
        """Every `(key, value)` given, in file order (duplicates dropped)."""
        yield from self._values.items()

    def key_line(self, key: str) -> int:
        """The line of `key`, or of the mapping when the key is absent."""
        return self._key_lines.get(key, self.line)

    def get(self, key: str, convert: Callable[[Node], T], default: T) -> T:
        """The converted value of `key`; `default` when absent or invalid (a problem then)."""
        node = self._values.get(key)
        if node is None:
            return default
        try:
            return convert(node)
        except Invalid as exc:
            key_path = join_path(self.path, key)
            line = exc.line if exc.line is not None else node.line
            self.ctx.problems.add(line, join_path(key_path, exc.where), exc.message)
            return default

    def require(self, key: str, convert: Callable[[Node], T]) -> T | None:
        """The converted value of `key`; None (and a problem) when absent or invalid."""
        if key not in self._values:
            if self.is_mapping:
                self.problem(self.line, "", f"missing required key {key!r}")
            return None
        return self.get(key, convert, None)

    def sections(self, key: str, keys: Collection[str]) -> Iterator[Section]:
        """The items of a list of mappings under `key`, each read against `keys`."""
        for path, item in self.items(key):
            yield Section(item, path, self.ctx, keys)

    def items(self, key: str) -> Iterator[tuple[str, Node]]:
        """`(path, node)` for each item of the list under `key`; a problem if it is no list."""
        node = self._values.get(key)
        if node is None:
            return
        if not isinstance(node, Seq):
            self.problem(node.line, key, f"expected a list, got {describe(node)}")
            return
        for index, item in enumerate(node.items):
            yield join_path(self.path, f"{key}[{index}]"), item
