"""Tests for the rotation calendar: working days, holidays, handoff instants."""

from __future__ import annotations

from datetime import date, time

from syncd.domain.rotation.calendar import SEARCH_DAYS, WorkCalendar
from tests.rotation.rotation_world import rotation, utc


class TestWorkCalendar:
    """WorkCalendar resolves working days and local handoffs to UTC instants."""

    def test_a_handoff_in_a_spring_forward_gap_takes_the_offset_before_the_gap(self) -> None:
        """02:30 on the US spring-forward Sunday does not exist; it is read as 02:30 EST."""
        calendar = WorkCalendar.of(rotation(zone="America/New_York", handoff=time(2, 30)))

        handoff = calendar.handoff_on(date(2027, 3, 14))

        assert handoff is not None
        assert handoff.at == utc(2027, 3, 14, 7, 30)

    def test_an_ambiguous_handoff_is_its_first_occurrence(self) -> None:
        """01:30 on the US fall-back Sunday happens twice; the first one (EDT) is meant."""
        calendar = WorkCalendar.of(rotation(zone="America/Detroit", handoff=time(1, 30)))

        handoff = calendar.handoff_on(date(2027, 11, 7))

        assert handoff is not None
        assert handoff.at == utc(2027, 11, 7, 5, 30)

    def test_holidays_and_weekends_are_not_working_days(self) -> None:
        """A run of three working days from Thursday skips the weekend and a Monday holiday."""
        calendar = WorkCalendar.of(rotation(holidays=[date(2026, 11, 9)]))

        days = calendar.working_run(date(2026, 11, 5), 3)

        assert days == (date(2026, 11, 5), date(2026, 11, 6), date(2026, 11, 10))

    def test_the_search_for_a_working_day_gives_up_when_there_is_none(self) -> None:
        """With no working days at all, the search ends with None instead of looping."""
        calendar = WorkCalendar.of(rotation(working_days=[]))

        assert calendar.first_working(date(2026, 11, 2)) is None
        assert calendar.next_handoff(date(2026, 11, 2)) is None

    def test_a_working_day_beyond_the_search_cap_is_not_found(self) -> None:
        """Holidays longer than the cap end the search: the walk must terminate."""
        holidays = [date.fromordinal(date(2026, 11, 3).toordinal() + i) for i in range(SEARCH_DAYS)]
        calendar = WorkCalendar.of(rotation(working_days=range(7), holidays=holidays))

        assert calendar.next_handoff(date(2026, 11, 2)) is None

    def test_the_end_of_the_date_range_is_not_a_crash(self) -> None:
        """Searching past date.max finds nothing rather than raising OverflowError."""
        calendar = WorkCalendar.of(rotation())

        assert calendar.next_handoff(date.max) is None
