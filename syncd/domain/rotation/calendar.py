"""The rotation's calendar: working days, holidays and the UTC instants of handoffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from syncd.config.model import Rotation

# How far to look for the next working day. Only a broken config (no working days, or years of
# holidays) gets near it; then the running shift simply never ends, and the walk terminates.
SEARCH_DAYS = 3 * 366

_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Handoff:
    """A shift's first working day and the UTC instant the shift starts on it."""

    day: date
    at: datetime


@dataclass(frozen=True)
class WorkCalendar:
    """Which days count as working days, and when on them a shift hands off."""

    zone: ZoneInfo
    handoff_time: time
    working_days: frozenset[int]
    holidays: frozenset[date]

    @classmethod
    def of(cls, rotation: Rotation) -> WorkCalendar:
        """The calendar a rotation config describes."""
        return cls(
            rotation.timezone, rotation.handoff_time, rotation.working_days, rotation.holidays
        )

    def is_working(self, day: date) -> bool:
        """Whether `day` counts towards a shift's length."""
        return day.weekday() in self.working_days and day not in self.holidays

    def first_working(self, day: date) -> date | None:
        """The first working day on or after `day`, or None when none is within the search cap."""
        try:
            for offset in range(SEARCH_DAYS):
                candidate = day + offset * _DAY
                if self.is_working(candidate):
                    return candidate
        except OverflowError:  # past date.max: there is no such day
            return None
        return None

    def working_run(self, first: date, length: int) -> tuple[date, ...]:
        """`length` working days from `first` (a working day); fewer if the calendar runs out."""
        days = [first]
        while len(days) < length:
            following = self._after(days[-1])
            if following is None:
                break
            days.append(following)
        return tuple(days)

    def next_handoff(self, after: date) -> Handoff | None:
        """The first working day strictly after `after` and its handoff instant, if any."""
        following = self._after(after)
        return None if following is None else self.handoff_on(following)

    def handoff_on(self, day: date) -> Handoff | None:
        """The handoff on `day`, resolved like RFC 5545; None if it falls outside datetime's range.

        zoneinfo's fold=0 gives exactly RFC 5545's reading: a nonexistent wall time (in a
        spring-forward gap) takes the offset from before the gap, an ambiguous one its first
        occurrence.
        """
        local = datetime.combine(day, self.handoff_time, tzinfo=self.zone)
        try:
            return Handoff(day, local.astimezone(UTC))
        except OverflowError:
            return None

    def local_day(self, at: datetime) -> date:
        """The calendar day `at` falls on in the rotation's time zone."""
        return at.astimezone(self.zone).date()

    def _after(self, day: date) -> date | None:
        try:
            return self.first_working(day + _DAY)
        except OverflowError:
            return None
