"""Collecting every problem of a configuration file, so that all are reported at once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from syncd.errors import ConfigError, ConfigProblem


class Invalid(Exception):
    """A value that cannot be used; `line` and `where` (e.g. `[2]`) refine where it stands.

    Messages say what is wrong and never quote a secret's value.
    """

    def __init__(self, message: str, line: int | None = None, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.where = where


class Problems:
    """The problems found so far in one file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._items: list[ConfigProblem] = []
        self._hidden: dict[str, str] = {}

    def hide(self, value: str, shown: str) -> None:
        """Show `shown` (e.g. `${GITHUB_TOKEN}`) wherever `value` would appear in a message."""
        # Any environment value may be a secret, even when substituted into an ordinary field.
        if len(value) >= 3:
            self._hidden[value] = shown

    def add(self, line: int | None, path: str, message: str) -> None:
        """Record one problem, with every hidden value replaced by how the file names it."""
        for value, shown in self._hidden.items():
            message = message.replace(value, shown)
        self._items.append(ConfigProblem(self.file, line, path, message))

    def __bool__(self) -> bool:
        return bool(self._items)

    def raise_if_any(self) -> None:
        """Raise one ConfigError with every problem, in file order."""
        if self._items:
            ordered = sorted(self._items, key=lambda p: (p.line is not None, p.line or 0))
            raise ConfigError(ordered)


def suggestion(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` when a choice is close to `word`, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def join_path(path: str, key: str) -> str:
    """`tiers` + `rules` -> `tiers.rules`; an index (`[2]`) attaches without a dot."""
    if not key:
        return path
    if not path:
        return key
    return f"{path}{key}" if key.startswith("[") else f"{path}.{key}"
