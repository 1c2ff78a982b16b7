"""The roster: who is on call when, from the rotation config and the journal of started shifts."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime

from syncd.config.model import Rotation
from syncd.domain.rotation.calendar import WorkCalendar
from syncd.domain.rotation.journal import Journal, JournalEntry
from syncd.domain.rotation.schedule import Position, Turn, absences, resume_after, start_of, walk
from syncd.domain.rotation.shift import DAWN, FOREVER, Shift, ShiftSource
from syncd.domain.rotation.timeline import overlay
from syncd.errors import RotationHorizon

# About 400 years of two-day shifts: a question further out is a mistake, not a plan.
MAX_SHIFTS = 100_000

_JOURNALED = frozenset(s.value for s in ShiftSource if s is not ShiftSource.OVERRIDE)


class Roster:
    """Who is on call: replays from the last journaled shift, so edits only change the future.

    Pure apart from the journal it is given: times are arguments, never read from a clock. The
    walk is computed lazily and cached, so one instance answers many questions cheaply; build a
    new one when the config changes. It assumes it is the only writer of its journal.
    """

    def __init__(self, rotation: Rotation, journal: Journal) -> None:
        self._rotation = rotation
        self._journal = journal
        self._calendar = WorkCalendar.of(rotation)
        self._turns = [_turn_of(e) for e in _consistent(journal.entries())]
        self._starts = [t.shift.start for t in self._turns]
        origin = (
            resume_after(self._turns[-1].shift, self._turns[-1].position, self._calendar)
            if self._turns
            else start_of(rotation, self._calendar)
        )
        self._walk: Iterator[Turn] | None = (
            None if origin is None else walk(rotation, self._calendar, origin)
        )

    def on_call(self, at: datetime) -> Shift:
        """The segment covering `at` (aware), overrides applied."""
        _require_aware(at)
        position = self._position_at(at)
        base = self._turns[position].shift if position >= 0 else self._before_start()
        return next(s for s in self._segments(base) if s.covers(at))

    def shifts(self, start_at: datetime, count: int) -> list[Shift]:
        """`count` segments: the one covering `start_at` (aware) and those after it."""
        _require_aware(start_at)
        found: list[Shift] = []
        position = self._position_at(start_at)
        while len(found) < count and (base := self._shift_at(position)) is not None:
            found.extend(s for s in self._segments(base) if s.end > start_at)
            position += 1
        return found[:count]

    def shifts_between(self, since: datetime, until: datetime) -> list[Shift]:
        """Every segment (overrides applied) that overlaps [since, until) (aware), in order."""
        _require_aware(since)
        _require_aware(until)
        found: list[Shift] = []
        position = self._position_at(since)
        while (base := self._shift_at(position)) is not None and base.start < until:
            found.extend(s for s in self._segments(base) if s.end > since and s.start < until)
            position += 1
        return found

    def record_started(self, now: datetime) -> None:
        """Journal every base shift that has started by `now` and is not yet recorded."""
        _require_aware(now)
        entries = self._journal.entries()
        recorded = entries[-1].index if entries else -1
        started = self._position_at(now) + 1
        first = self._turns[0].shift.index if self._turns else 0
        for turn in self._turns[max(0, recorded + 1 - first) : started]:
            self._journal.append(_entry_of(turn))

    def _segments(self, base: Shift) -> list[Shift]:
        """`base` with who was away on a skip during it, cut by the overrides."""
        if base.start != DAWN:
            # A shift starts at the handoff on its first working day; replayed from the journal
            # or walked just now, its days are the same run of working days.
            first = self._calendar.local_day(base.start)
            days = self._calendar.working_run(first, self._rotation.shift_length)
            base = replace(base, skipped=absences(self._rotation, days))
        return overlay(base, self._rotation.overrides)

    def _position_at(self, at: datetime) -> int:
        """Where in the known shifts `at` falls; -1 before the first one."""
        while self._extend_past(at):
            pass
        return bisect.bisect_right(self._starts, at) - 1

    def _shift_at(self, position: int) -> Shift | None:
        """The base shift at `position` (-1: the unassigned span before the rotation starts)."""
        if position < 0:
            return self._before_start()
        while len(self._turns) <= position and self._step():
            pass
        return self._turns[position].shift if position < len(self._turns) else None

    def _before_start(self) -> Shift:
        """The unassigned span before the first shift (the whole of time if there is none)."""
        first = self._shift_at(0)
        end = FOREVER if first is None else first.start
        return Shift(-1, DAWN, end, None, ShiftSource.UNASSIGNED)

    def _extend_past(self, at: datetime) -> bool:
        """Walk one more shift if none known yet ends after `at`; False when no need or no more."""
        if self._turns and self._turns[-1].shift.end > at:
            return False
        return self._step()

    def _step(self) -> bool:
        if self._walk is None:
            return False
        if len(self._turns) >= MAX_SHIFTS:
            raise RotationHorizon(f"the rotation is not computed beyond {MAX_SHIFTS} shifts")
        turn = next(self._walk, None)
        if turn is None:
            self._walk = None
            return False
        self._turns.append(turn)
        self._starts.append(turn.shift.start)
        return True


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"the roster needs an aware datetime, got {at.isoformat()}")


def _consistent(entries: Sequence[JournalEntry]) -> list[JournalEntry]:
    """The journal's leading run of entries that tile time in index order; the rest is replayed."""
    kept: list[JournalEntry] = []
    for entry in sorted(entries, key=lambda e: e.index):
        follows = not kept or (entry.index == kept[-1].index + 1 and entry.start == kept[-1].end)
        if not (follows and entry.start < entry.end and entry.source in _JOURNALED):
            break
        kept.append(entry)
    return kept


def _turn_of(entry: JournalEntry) -> Turn:
    shift = Shift(entry.index, entry.start, entry.end, entry.member, ShiftSource(entry.source))
    return Turn(shift, Position(entry.cursor, tuple(entry.owed)))


def _entry_of(turn: Turn) -> JournalEntry:
    shift, position = turn.shift, turn.position
    return JournalEntry(
        index=shift.index,
        start=shift.start,
        end=shift.end,
        member=shift.member,
        source=shift.source.value,
        cursor=position.cursor,
        owed=position.owed,
    )
