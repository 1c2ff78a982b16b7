"""The rotation's walk: who serves each base shift, from a cursor and the turns owed.

For each base shift, in index order (SPEC 3.5):

1. Debts first. The first member of `owed` (oldest debt first) who is eligible for the shift
   serves it (source deferred); that debt is paid and the cursor does not move.
2. Otherwise the normal order: the members after the cursor, cyclically, the cursor's own member
   last (from the top of the list while there is no cursor, or when the cursor names somebody no
   longer listed). The first eligible one serves (source rotation) and becomes the cursor.
3. When a debt is created: exactly when a member would have been next in normal order, i.e. is
   tested in step 2 before the member who serves (or before everybody is found ineligible), and
   is active but skipped on one of the shift's working days by a skip in mode defer (the
   default). Such a member is owed one turn, appended to `owed`; a member already owed is not
   owed twice, so a long absence costs one make-up shift, not a run of them. Nobody is owed for
   being inactive, for a forfeit skip, for standing after the member who serves, or for a shift
   that step 1 filled (the normal order was not consulted).
4. Nobody eligible: the fallback person (source fallback), else nobody (unassigned); the cursor
   stays where it was.

Eligible: active (`active_from` <= the shift's first working day < `until`) and not skipped on
any of the shift's working days. A debt whose member can never be active again (their `until`
has passed, or they left the list) is dropped rather than carried forever.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from syncd.config.model import Member, Rotation, Skip, SkipMode
from syncd.domain.rotation.calendar import WorkCalendar
from syncd.domain.rotation.shift import FOREVER, Absence, Shift, ShiftSource


@dataclass(frozen=True)
class Position:
    """Where the rotation stands: the last member who served in normal order, and the debts."""

    cursor: str | None = None
    owed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One base shift and the rotation's position after it."""

    shift: Shift
    position: Position


@dataclass(frozen=True)
class Origin:
    """Where a walk begins: the first shift's index, start instant and first working day."""

    index: int
    start: datetime
    first_day: date
    position: Position


@dataclass(frozen=True)
class _Pick:
    member: str | None
    source: ShiftSource
    position: Position


class Order:
    """The rotation order with its eligibility rules: decides who serves one base shift."""

    def __init__(self, rotation: Rotation) -> None:
        self._members = rotation.members
        self._rank = {m.person: i for i, m in enumerate(rotation.members)}
        self._fallback = rotation.fallback
        skips: defaultdict[str, list[Skip]] = defaultdict(list)
        for skip in rotation.skips:
            skips[skip.member].append(skip)
        self._skips = dict(skips)

    def pick(self, days: tuple[date, ...], position: Position) -> _Pick:
        """Who serves the shift on working days `days`, by the rules in the module docstring."""
        owed = tuple(m for m in position.owed if self._may_return(m, days[0]))
        for person in owed:
            if self._eligible(self._members[self._rank[person]], days):
                rest = tuple(m for m in owed if m != person)
                return _Pick(person, ShiftSource.DEFERRED, Position(position.cursor, rest))
        for member in self._after(position.cursor):
            if self._eligible(member, days):
                return _Pick(member.person, ShiftSource.ROTATION, Position(member.person, owed))
            if self._owes_turn(member, days) and member.person not in owed:
                owed = (*owed, member.person)
        source = ShiftSource.UNASSIGNED if self._fallback is None else ShiftSource.FALLBACK
        return _Pick(self._fallback, source, Position(position.cursor, owed))

    def _after(self, cursor: str | None) -> tuple[Member, ...]:
        start = self._rank[cursor] + 1 if cursor in self._rank else 0
        return self._members[start:] + self._members[:start]

    def _eligible(self, member: Member, days: tuple[date, ...]) -> bool:
        return _active(member, days[0]) and not self._skipping(member.person, days)

    def _owes_turn(self, member: Member, days: tuple[date, ...]) -> bool:
        return _active(member, days[0]) and any(
            s.mode is SkipMode.DEFER for s in self._skipping(member.person, days)
        )

    def _skipping(self, person: str, days: tuple[date, ...]) -> list[Skip]:
        return [s for s in self._skips.get(person, ()) if any(s.start <= d <= s.end for d in days)]

    def _may_return(self, person: str, day: date) -> bool:
        rank = self._rank.get(person)
        if rank is None:
            return False
        until = self._members[rank].until
        return until is None or day < until


def absences(rotation: Rotation, days: tuple[date, ...]) -> tuple[Absence, ...]:
    """Who is away on a skip during the working `days` of a shift, and why: each active member
    with a skip on one of those days, in list order, once per distinct reason."""
    found: dict[tuple[str, str], None] = {}
    for member in rotation.members:
        if days and _active(member, days[0]):
            for skip in rotation.skips:
                if skip.member == member.person and any(skip.start <= d <= skip.end for d in days):
                    found[(member.person, skip.reason)] = None
    return tuple(Absence(person, reason) for person, reason in found)


def _active(member: Member, day: date) -> bool:
    started = member.active_from is None or member.active_from <= day
    return started and (member.until is None or day < member.until)


def start_of(rotation: Rotation, calendar: WorkCalendar) -> Origin | None:
    """Shift 0 begins at the handoff on the first working day on or after `start`, if any."""
    first = calendar.first_working(rotation.start)
    handoff = None if first is None else calendar.handoff_on(first)
    return None if handoff is None else Origin(0, handoff.at, handoff.day, Position())


def resume_after(shift: Shift, position: Position, calendar: WorkCalendar) -> Origin | None:
    """The shift after a recorded one starts where it ended, on the next working day."""
    if shift.end == FOREVER:
        return None
    try:
        first = calendar.first_working(calendar.local_day(shift.end))
    except OverflowError:  # an end at the edge of datetime's range: nothing can follow
        return None
    return None if first is None else Origin(shift.index + 1, shift.end, first, position)


def walk(rotation: Rotation, calendar: WorkCalendar, origin: Origin) -> Iterator[Turn]:
    """The base shifts from `origin` on; ends only when the calendar runs out of working days."""
    order = Order(rotation)
    index, start, first, position = origin.index, origin.start, origin.first_day, origin.position
    while True:
        days = calendar.working_run(first, rotation.shift_length)
        following = calendar.next_handoff(days[-1])
        end = FOREVER if following is None else following.at
        pick = order.pick(days, position)
        position = pick.position
        yield Turn(Shift(index, start, end, pick.member, pick.source), position)
        if following is None:
            return
        index, start, first = index + 1, following.at, following.day
