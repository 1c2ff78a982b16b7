"""The rotation journal: started shifts, recorded so that config edits only change the future."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class JournalEntry:
    """One started shift and the rotation's position after it (enough to resume from there).

    `source` is one of rotation, deferred, fallback, unassigned (overrides are not journaled:
    they replace the person for a time range and never move the cursor). `cursor` is the last
    member who served in normal order; `owed` the members owed a deferred turn, in order.
    """

    index: int
    start: datetime
    end: datetime
    member: str | None
    source: str
    cursor: str | None
    owed: tuple[str, ...]


class Journal(Protocol):
    """Where started shifts are kept: the state file in the daemon, memory in tests."""

    def entries(self) -> Sequence[JournalEntry]:
        """Every recorded shift, ordered by index."""
        ...

    def append(self, entry: JournalEntry) -> None:
        """Record a shift that has started; entries arrive in index order, never twice."""
        ...


class MemoryJournal:
    """A journal that lives as long as the process: for the offline CLI and tests."""

    def __init__(self, entries: Sequence[JournalEntry] = ()) -> None:
        self._entries = list(entries)

    def entries(self) -> Sequence[JournalEntry]:
        """Every recorded shift, ordered by index."""
        return tuple(self._entries)

    def append(self, entry: JournalEntry) -> None:
        """Record a shift that has started."""
        self._entries.append(entry)
