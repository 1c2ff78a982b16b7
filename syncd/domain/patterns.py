"""Regexes from the config, searched under a time limit so that hostile issue text cannot stall.

Python's `re` cannot be interrupted: a pattern such as `(x+x+)+y` over a long run of `x` in an
issue body would hold the daemon for hours. The third-party `regex` module takes a `timeout=`
per search and, in its V0 mode, reads Python `re` syntax (SPEC 2: regexes are `re` syntax), so the
loader checks the syntax with `re` and compiles the searcher with `regex`.
"""

from __future__ import annotations

from typing import Any, Protocol

import regex

from syncd.errors import PatternTimedOut

# Per search. Ordinary patterns over ordinary issues take microseconds; a search that needs this
# long is backtracking without end, and a daemon with 10,000 issues cannot wait for it.
SEARCH_TIMEOUT = 0.05


class TextMatch(Protocol):
    """What syncd reads of a match: its groups."""

    def group(self, index: int, /) -> str | Any:
        """Group `index` (0: the whole match)."""
        ...


class TextPattern(Protocol):
    """A compiled regex as rules and mappings use it: a GuardedPattern (or an `re.Pattern`)."""

    @property
    def pattern(self) -> str:
        """The regex as written in the config."""
        ...

    @property
    def groups(self) -> int:
        """How many capturing groups it has."""
        ...

    def search(self, string: str, /) -> TextMatch | None:
        """The first match in `string`; a GuardedPattern raises PatternTimedOut when too slow."""
        ...


class GuardedPattern:
    """A config regex (Python `re` syntax) whose searches give up after `timeout` seconds."""

    __slots__ = ("_compiled", "timeout")

    def __init__(self, text: str, timeout: float = SEARCH_TIMEOUT) -> None:
        # V0: `re`-compatible behaviour (no V1 set operations, same zero-width splitting).
        self._compiled = regex.compile(text, flags=regex.V0)
        self.timeout = timeout

    @property
    def pattern(self) -> str:
        """The regex as written in the config."""
        return str(self._compiled.pattern)

    @property
    def groups(self) -> int:
        """How many capturing groups it has."""
        return int(self._compiled.groups)

    def search(self, string: str, /) -> regex.Match[str] | None:
        """The first match in `string`; PatternTimedOut when the search runs out of time."""
        try:
            return self._compiled.search(string, timeout=self.timeout)
        except TimeoutError:
            shown = self.pattern[:80]
            message = f"regex {shown!r} timed out on {len(string)} characters"
            raise PatternTimedOut(message) from None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GuardedPattern) and other.pattern == self.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __repr__(self) -> str:
        return f"GuardedPattern({self.pattern!r})"
