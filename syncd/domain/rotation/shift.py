"""A shift: who covers the support rotation over one half-open span of time, and why."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime

# The ends of time for the segment before the rotation starts and a shift that never ends
# (no working day left within the search cap); shown as "open" rather than as a date.
DAWN = datetime.min.replace(tzinfo=UTC)
FOREVER = datetime.max.replace(tzinfo=UTC)


class ShiftSource(enum.StrEnum):
    """Why this person holds this span: the order, a debt, an override, or nobody eligible."""

    ROTATION = "rotation"
    DEFERRED = "deferred"
    OVERRIDE = "override"
    FALLBACK = "fallback"
    UNASSIGNED = "unassigned"


@dataclass(frozen=True)
class Absence:
    """A member on a skip during a shift's working days, with the skip's `reason` (may be "")."""

    member: str
    reason: str


@dataclass(frozen=True)
class Shift:
    """`member` is on call for [start, end) (aware UTC) within base shift number `index`.

    Index -1 is the span before the rotation's first shift. Override segments keep the index
    of the base shift they cut into, and its `skipped`; `reason` is the override's.
    """

    index: int
    start: datetime
    end: datetime
    member: str | None
    source: ShiftSource
    reason: str = ""
    skipped: tuple[Absence, ...] = ()

    @property
    def why(self) -> str:
        """The reasons in one line: the override's, then who was away and why ("" when none)."""
        away = [
            f"{a.member} skipped" + (f" ({a.reason})" if a.reason else "") for a in self.skipped
        ]
        return "; ".join([self.reason, *away] if self.reason else away)

    def covers(self, at: datetime) -> bool:
        """Whether `at` falls in [start, end)."""
        return self.start <= at < self.end

    @property
    def bounded(self) -> bool:
        """Whether both ends are real instants (not the open ends DAWN and FOREVER)."""
        return self.start != DAWN and self.end != FOREVER
