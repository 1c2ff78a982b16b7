"""What is due to be told at `now`, from the roster and the calendar alone: pure.

The service asks each cycle; an event already in the outbox (same id) is not told again, so
these functions only say what the situation is, not what was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from syncd.config.model import Rotation
from syncd.domain.rotation import Roster, Shift, ShiftSource
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
    change = _next_change(roster, now, current.member)
    end, following = (change.start, change.member) if change is not None else (None, None)
    return Turn(current.member, start, end, following, previous)


def _next_change(roster: Roster, now: datetime, member: str | None) -> Shift | None:
    """The first segment after `now` held by someone other than `member`, looked for in
    growing steps (the next segment, almost always)."""
    count = 4
    while True:
        ahead = roster.shifts(now, count)
        change = next((s for s in ahead[1:] if s.member != member), None)
        if change is not None or len(ahead) < count or count >= _LOOK:
            return change
        count = min(count * 4, _LOOK)


def coverage_gaps(roster: Roster, now: datetime, days: int) -> list[Gap]:
    """Shifts starting before `now` + `days` (the running one too) that nobody is eligible for."""
    horizon = now + timedelta(days=days)
    gaps: list[Gap] = []
    for segment in _until(roster, now, horizon):
        if segment.index >= 0 and segment.source in _UNCOVERED and segment.end != FOREVER:
            fallback = segment.member if segment.source is ShiftSource.FALLBACK else None
            gaps.append(Gap(segment.start, segment.end, fallback, segment.why))
    return gaps


def _until(roster: Roster, now: datetime, horizon: datetime) -> list[Shift]:
    """The segments from the one covering `now` to the last starting before `horizon`."""
    count = 16
    while True:
        ahead = roster.shifts(now, count)
        if len(ahead) < count or ahead[-1].start >= horizon or count >= _MAX_GAPS:
            return [segment for segment in ahead if segment.start < horizon]
        count = min(count * 4, _MAX_GAPS)


def standup_slot(rotation: Rotation, now: datetime) -> StandupSlot | None:
    """Today's stand-up (in the rotation's zone) once its handoff time has come, else None."""
    calendar = WorkCalendar.of(rotation)
    day = calendar.local_day(now)
    handoff = calendar.handoff_on(day) if calendar.is_working(day) else None
    if handoff is None or now < handoff.at:
        return None
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=rotation.timezone)
    return StandupSlot(day, handoff.at, midnight.astimezone(UTC))
