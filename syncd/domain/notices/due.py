"""What is due to be told at `now`, from the roster and the calendar alone: pure.

The service asks each cycle; an event already in the outbox (same id) is not told again, so
these functions only say what the situation is, not what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from syncd.config.model import Rotation
from syncd.domain.rotation import Roster, ShiftSource
from syncd.domain.rotation.calendar import WorkCalendar
from syncd.domain.rotation.shift import FOREVER

_TICK = timedelta(microseconds=1)
# How many segments a turn is followed back and forward: a one-person rotation never changes
# hands, and two years of two-day shifts is far enough to call that "always".
_LOOK = 400
_MAX_GAPS = 400
_UNCOVERED = (ShiftSource.FALLBACK, ShiftSource.UNASSIGNED)


@dataclass(frozen=True)
class Turn:
    """A person's uninterrupted time on shift (consecutive segments held by the same person).

    `end` and `next_person` are None when no change is in sight; `previous` held the shift
    before (None: nobody, or before the rotation started).
    """

    person: str | None
    start: datetime
    end: datetime | None
    next_person: str | None
    previous: str | None


@dataclass(frozen=True)
class Gap:
    """A shift with nobody on the rotation eligible; `fallback` holds it when configured."""

    start: datetime
    end: datetime
    fallback: str | None
    why: str


@dataclass(frozen=True)
class StandupSlot:
    """The stand-up of working `day`: due at `at` (its handoff time), worth sending `until`."""

    day: date
    at: datetime
    until: datetime


def current_turn(roster: Roster, now: datetime) -> Turn | None:
    """The turn running at `now` (aware); None before the rotation's first shift."""
    current = roster.on_call(now)
    if current.index < 0:
        return None
    start, previous = current.start, None
    for _ in range(_LOOK):
        before = roster.on_call(start - _TICK)
        if before.index < 0 or before.member != current.member:
            previous = before.member if before.index >= 0 else None
            break
        start = before.start
    end, following = None, None
    for segment in roster.shifts(now, _LOOK)[1:]:
        if segment.member != current.member:
            end, following = segment.start, segment.member
            break
    return Turn(current.member, start, end, following, previous)


def coverage_gaps(roster: Roster, now: datetime, days: int) -> list[Gap]:
    """Shifts starting before `now` + `days` (the running one too) that nobody is eligible for."""
    horizon = now + timedelta(days=days)
    gaps: list[Gap] = []
    for segment in roster.shifts(now, _MAX_GAPS):
        if segment.start >= horizon:
            break
        if segment.index >= 0 and segment.source in _UNCOVERED and segment.end != FOREVER:
            fallback = segment.member if segment.source is ShiftSource.FALLBACK else None
            gaps.append(Gap(segment.start, segment.end, fallback, segment.why))
    return gaps


def standup_slot(rotation: Rotation, now: datetime) -> StandupSlot | None:
    """Today's stand-up (in the rotation's zone) once its handoff time has come, else None."""
    calendar = WorkCalendar.of(rotation)
    day = calendar.local_day(now)
    handoff = calendar.handoff_on(day) if calendar.is_working(day) else None
    if handoff is None or now < handoff.at:
        return None
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=rotation.timezone)
    return StandupSlot(day, handoff.at, midnight.astimezone(UTC))
