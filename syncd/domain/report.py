"""The rotation's history over a period (SPEC §11): per shift and per person, from what was kept.

Pure: the shifts (segments and the journal of base shifts), the placements and the carry-overs
are read by the caller; `since` and `until` are arguments, never a clock.

Counted per person over the period:
- `shifts`: the base shifts the rotation gave them (rotation, deferred or fallback) that overlap
  the period; an override that stood in for part or all of one does not take the turn away;
- `covered`: the override segments they held for somebody else;
- `owed`: the deferred turns they are still owed after the last shift started by `until`;
- `skipped`: their skips (from the configuration) that overlap the period.
"""

from __future__ import annotations

import bisect
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from syncd.config.model import Rotation, Tiers
from syncd.domain.placements import Placement
from syncd.domain.rotation.journal import JournalEntry
from syncd.domain.rotation.shift import Shift, ShiftSource
from syncd.domain.urgency import fire_tier

# The audit `rule` of an assignment made by a carry-over at a handoff (SPEC §8): each one counts
# as an item carried over into the shift it was made in.
CARRY_OVER_RULE = "rotation.carry_over"

_TURNS = frozenset(
    s.value for s in (ShiftSource.ROTATION, ShiftSource.DEFERRED, ShiftSource.FALLBACK)
)


@dataclass(frozen=True)
class Kept:
    """What the state file holds for a period: segments (overrides applied) in time order, the
    base shifts started by its end, placements and the times of carry-overs."""

    segments: Sequence[Shift]
    journal: Sequence[JournalEntry]
    placements: Sequence[Placement]
    carried: Sequence[datetime] = ()


@dataclass(frozen=True)
class ShiftLine:
    """One segment: who served and why, and what happened while it ran."""

    shift: Shift
    placed: Mapping[str, int]  # escalations first placed in each tier
    fire_to_assign: tuple[float, ...]  # seconds, one per fire syncd assigned
    flagged: int
    carried_over: int

    @property
    def fire_to_assign_p50(self) -> int | None:
        """The median fire's seconds from creation to assignment (None without one)."""
        times = self.fire_to_assign
        return round(statistics.median(times)) if times else None

    @property
    def fire_to_assign_max(self) -> int | None:
        """The slowest fire's seconds from creation to assignment (None without one)."""
        return round(max(self.fire_to_assign)) if self.fire_to_assign else None


@dataclass(frozen=True)
class Skipped:
    """A skip of the person's that overlaps the period (working days start..end)."""

    start: date
    end: date
    reason: str


@dataclass(frozen=True)
class PersonLine:
    """One person over the period."""

    person: str
    shifts: int
    covered: int
    owed: int
    skipped: tuple[Skipped, ...]


@dataclass(frozen=True)
class Report:
    """The history from `since` to `until`: segments in time order, then people."""

    since: datetime
    until: datetime
    shifts: tuple[ShiftLine, ...]
    people: tuple[PersonLine, ...]

    def tiers(self) -> list[str]:
        """Every tier something was placed in, in order of first appearance."""
        return list(dict.fromkeys(tier for line in self.shifts for tier in line.placed))


def report(
    rotation: Rotation, tiers: Tiers, kept: Kept, since: datetime, until: datetime
) -> Report:
    """The report of [since, until) from what was `kept`; tiers in the configuration's order."""
    segments = [s for s in kept.segments if s.index >= 0 and s.start < until and s.end > since]
    order = [*(rule.tier for rule in tiers.rules), tiers.default_tier]
    lines = tuple(_shift_line(s, fire_tier(tiers), order, kept) for s in segments)
    return Report(since, until, lines, _people(rotation, segments, kept.journal, since, until))


def _shift_line(segment: Shift, fire: str | None, order: Sequence[str], kept: Kept) -> ShiftLine:
    during = [p for p in kept.placements if segment.start <= p.placed_at < segment.end]
    fires = [p.time_to_assign for p in during if p.tier == fire]
    flagged = {
        (p.tracker, p.key)
        for p in kept.placements
        if p.flagged_at is not None and segment.start <= p.flagged_at < segment.end
    }
    times = sorted(kept.carried)
    carried = bisect.bisect_left(times, segment.end) - bisect.bisect_left(times, segment.start)
    return ShiftLine(
        shift=segment,
        placed=_ordered(Counter(p.tier for p in during), order),
        fire_to_assign=tuple(t for t in fires if t is not None),
        flagged=len(flagged),
        carried_over=carried,
    )


def _ordered(counts: Mapping[str, int], order: Sequence[str]) -> dict[str, int]:
    """`counts` with the configured tiers first, in their order, then any other (a pinned one)."""
    rank = {tier: i for i, tier in enumerate(dict.fromkeys(order))}
    return dict(sorted(counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def _people(
    rotation: Rotation,
    segments: Sequence[Shift],
    journal: Sequence[JournalEntry],
    since: datetime,
    until: datetime,
) -> tuple[PersonLine, ...]:
    base = [e for e in journal if e.start < until and e.end > since]
    turns = Counter(
        e.member for e in base if e.member is not None and ShiftSource(e.source) in _TURNS
    )
    held_by = {e.index: e.member for e in base}
    covered = Counter(
        s.member
        for s in segments
        if s.source is ShiftSource.OVERRIDE and s.member is not None
        and held_by.get(s.index) != s.member
    )  # fmt: skip
    started = [e for e in journal if e.start <= until]
    owed = Counter(started[-1].owed if started else ())
    zone = rotation.timezone
    first, last = since.astimezone(zone).date(), until.astimezone(zone).date()
    names = [m.person for m in rotation.members]
    names += sorted({*turns, *covered} - set(names))
    return tuple(
        PersonLine(
            person=name,
            shifts=turns[name],
            covered=covered[name],
            owed=owed[name],
            skipped=tuple(
                Skipped(s.start, s.end, s.reason)
                for s in sorted(rotation.skips, key=lambda skip: (skip.start, skip.end))
                if s.member == name and s.start <= last and s.end >= first
            ),
        )
        for name in names
    )
