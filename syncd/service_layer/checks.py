"""The online check's port, in syncd's own words: what `syncd check --online` asks a tracker.

Every adapter answers with the same rows; the command (syncd.entrypoints.commands.online)
prints them. Nothing here knows GitHub or Jira.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from syncd.config.model import Person


class Outcome(enum.Enum):
    """How one check ended: passed, passed with a warning, or failed (blocks syncd)."""

    OK = "ok"
    WARN = "warn"
    FAIL = "FAIL"


@dataclass(frozen=True)
class CheckRow:
    """One line of the online check table."""

    tracker: str
    check: str
    outcome: Outcome
    detail: str


@dataclass(frozen=True)
class Assignee:
    """A person syncd may assign in a tracker, and why (rotation member, fallback, team)."""

    person: str
    role: str


@runtime_checkable
class OnlineCheck(Protocol):
    """A tracker that can check, read-only, that syncd can do its job there."""

    def check_online(
        self, people: Mapping[str, Person], assignees: Sequence[Assignee], labels: Sequence[str]
    ) -> list[CheckRow]:
        """One row per check (credentials, people, labels); a failure is a row, never a raise."""
        ...
