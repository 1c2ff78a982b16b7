"""Builders for rotation configs and instants, shared by the rotation tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from syncd.config.model import Member, Override, Rotation, Skip, SkipMode
from syncd.domain.rotation import Roster, Shift
from syncd.domain.rotation.journal import MemoryJournal

MONDAY = date(2026, 11, 2)  # shift 0 of most tests: Mon 09:00 EST = 14:00 UTC in Detroit


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def rotation(
    members: Iterable[str | Member] = ("alice", "bob", "carol"),
    *,
    start: date = MONDAY,
    zone: str = "America/Detroit",
    handoff: time = time(9),
    length: int = 2,
    working_days: Iterable[int] = range(5),
    holidays: Iterable[date] = (),
    fallback: str | None = None,
    skips: Iterable[Skip] = (),
    overrides: Iterable[Override] = (),
) -> Rotation:
    """A rotation config with the SPEC's defaults unless told otherwise."""
    return Rotation(
        timezone=ZoneInfo(zone),
        handoff_time=handoff,
        shift_length=length,
        working_days=frozenset(working_days),
        holidays=frozenset(holidays),
        start=start,
        members=tuple(m if isinstance(m, Member) else Member(m) for m in members),
        fallback=fallback,
        skips=tuple(skips),
        overrides=tuple(overrides),
    )


def skip(member: str, start: date, end: date, mode: SkipMode = SkipMode.DEFER) -> Skip:
    """A skip of `member` on the working days start..end."""
    return Skip(member=member, start=start, end=end, mode=mode)


def roster(config: Rotation) -> Roster:
    """A roster with an empty journal."""
    return Roster(config, MemoryJournal())


def who(shifts: Iterable[Shift]) -> list[str | None]:
    """The members of `shifts`, in order."""
    return [s.member for s in shifts]


def sources(shifts: Iterable[Shift]) -> list[str]:
    """The sources of `shifts` as plain strings, in order."""
    return [s.source.value for s in shifts]
