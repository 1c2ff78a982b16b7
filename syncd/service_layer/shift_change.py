"""Whether the person on shift changed since the last cycle, for `rotation.carry_over` (SPEC §8).

The escalations a handoff carries over changed nothing in the trackers, so an incremental cycle
would not fetch them: the cycle after a change of hands (and the first one) lists everything.
"""

from __future__ import annotations

import enum
from datetime import datetime

from syncd.config.model import Rotation
from syncd.domain.rotation import Roster


class _Unknown(enum.Enum):
    UNKNOWN = "unknown"  # no cycle yet: who was on shift before is not known


class ShiftChange:
    """Remembers who was on shift at the last cycle (in memory: a start counts as a change)."""

    def __init__(self, rotation: Rotation, roster: Roster) -> None:
        self._carry_over = rotation.carry_over
        self._roster = roster
        self._last: str | _Unknown | None = _Unknown.UNKNOWN

    def calls_for_full_cycle(self, now: datetime) -> bool:
        """With carry-over on: whether the person on shift at `now` is new since the last ask."""
        if not self._carry_over:
            return False
        on_call = self._roster.on_call(now).member
        changed, self._last = on_call != self._last, on_call
        return changed
