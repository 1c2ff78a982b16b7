"""Tests for who is on call when: shift boundaries, the order, debts, eligibility, fallback."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from syncd.config.model import Member, SkipMode
from syncd.domain.rotation import Shift, ShiftSource
from syncd.domain.rotation.shift import DAWN, FOREVER
from syncd.errors import RotationHorizon
from tests.rotation.rotation_world import roster, rotation, skip, sources, utc, who


class TestShiftBoundaries:
    """Shifts start at the local handoff of their first working day and end at the next one."""

    def test_friday_evening_and_sunday_belong_to_the_shift_that_covers_friday(self) -> None:
        """Shift 2 covers Friday and Monday, so the weekend in between is carol's."""
        subject = roster(rotation())

        friday_evening = subject.on_call(utc(2026, 11, 7, 4))  # Fri 23:00 EST
        sunday = subject.on_call(utc(2026, 11, 8, 18))

        expected = Shift(
            2, utc(2026, 11, 6, 14), utc(2026, 11, 10, 14), "carol", ShiftSource.ROTATION
        )
        assert friday_evening == sunday == expected

    def test_the_handoff_instant_belongs_to_the_new_shift(self) -> None:
        """At 09:00:00 local bob takes over; one second before, alice still has it."""
        subject = roster(rotation())

        before = subject.on_call(utc(2026, 11, 4, 13, 59, 59))
        at = subject.on_call(utc(2026, 11, 4, 14))

        assert (before.member, before.index) == ("alice", 0)
        assert (at.member, at.index) == ("bob", 1)

    def test_a_holiday_stretches_the_shift_that_covers_it(self) -> None:
        """With Thursday a holiday, bob's Wednesday shift runs on through Friday."""
        subject = roster(rotation(holidays=[date(2026, 11, 5)]))

        shift = subject.on_call(utc(2026, 11, 5, 12))

        assert (shift.member, shift.start, shift.end) == (
            "bob",
            utc(2026, 11, 4, 14),
            utc(2026, 11, 9, 14),
        )

    def test_berlin_handoff_stays_at_nine_local_across_the_autumn_change(self) -> None:
        """The shift over the last October weekend starts at 07:00 UTC and ends at 08:00 UTC."""
        config = rotation(zone="Europe/Berlin", start=date(2026, 10, 19))

        shift = roster(config).on_call(utc(2026, 10, 25, 12))

        assert (shift.index, shift.start, shift.end) == (
            2,
            utc(2026, 10, 23, 7),
            utc(2026, 10, 27, 8),
        )

    def test_detroit_handoff_stays_at_nine_local_across_the_spring_change(self) -> None:
        """The shift over the US spring-forward weekend starts at 14:00 UTC and ends at 13:00."""
        config = rotation(start=date(2027, 3, 8))

        shift = roster(config).on_call(utc(2027, 3, 14, 12))

        assert (shift.index, shift.start, shift.end) == (
            2,
            utc(2027, 3, 12, 14),
            utc(2027, 3, 16, 13),
        )

    def test_a_handoff_at_half_past_two_on_a_spring_forward_day_is_read_before_the_gap(
        self,
    ) -> None:
        """Daily shifts at 02:30: Sunday's starts at 07:30 UTC (03:30 EDT), lasting 23 hours."""
        config = rotation(
            zone="America/New_York",
            handoff=time(2, 30),
            length=1,
            working_days=range(7),
            start=date(2027, 3, 13),
        )

        shift = roster(config).on_call(utc(2027, 3, 14, 12))

        assert (shift.start, shift.end) == (utc(2027, 3, 14, 7, 30), utc(2027, 3, 15, 6, 30))

    def test_a_start_on_a_weekend_begins_on_the_next_working_day(self) -> None:
        """Starting on a Saturday, shift 0 begins on Monday at the handoff."""
        subject = roster(rotation(start=date(2026, 11, 7)))

        first = subject.shifts(utc(2026, 11, 9, 14), 1)[0]

        assert (first.index, first.start, first.member) == (0, utc(2026, 11, 9, 14), "alice")

    def test_before_the_first_handoff_nobody_is_on_call(self) -> None:
        """Before shift 0 starts, on_call answers an unassigned span from the dawn of time."""
        subject = roster(rotation())

        shift = subject.on_call(utc(2026, 11, 2, 13, 59, 59))

        assert shift == Shift(-1, DAWN, utc(2026, 11, 2, 14), None, ShiftSource.UNASSIGNED)

    def test_a_rotation_without_working_days_is_unassigned_for_ever(self) -> None:
        """No working day means no shift: one unassigned span covers all of time."""
        subject = roster(rotation(working_days=[]))

        assert subject.shifts(utc(2026, 11, 2), 5) == [
            Shift(-1, DAWN, FOREVER, None, ShiftSource.UNASSIGNED)
        ]

    def test_years_of_holidays_make_the_running_shift_last_for_ever(self) -> None:
        """With no working day after shift 0 within the search cap, shift 0 never ends."""
        holidays = [date.fromordinal(date(2026, 11, 3).toordinal() + i) for i in range(4 * 366)]
        subject = roster(rotation(length=1, holidays=holidays))

        shifts = subject.shifts(utc(2026, 11, 2, 15), 3)

        assert [(s.index, s.member, s.end) for s in shifts] == [(0, "alice", FOREVER)]

    def test_a_naive_time_is_refused(self) -> None:
        """Asking with a naive datetime is a programming error, named as such."""
        with pytest.raises(ValueError, match="aware"):
            roster(rotation()).on_call(datetime(2026, 11, 4))

    def test_a_time_centuries_away_is_beyond_the_horizon(self) -> None:
        """Asking about the year 9000 raises RotationHorizon instead of walking for minutes."""
        with pytest.raises(RotationHorizon):
            roster(rotation()).on_call(datetime(9000, 1, 1, tzinfo=UTC))


class TestOrder:
    """The normal order, debts, eligibility windows and the fallback."""

    def test_members_serve_in_list_order_cyclically(self) -> None:
        """With nobody away the order is alice, bob, carol, alice, ..."""
        shifts = roster(rotation()).shifts(utc(2026, 11, 2, 14), 5)

        assert who(shifts) == ["alice", "bob", "carol", "alice", "bob"]
        assert [s.index for s in shifts] == [0, 1, 2, 3, 4]

    def test_a_deferred_member_makes_up_the_turn_at_their_first_eligible_shift(self) -> None:
        """Bob skips: carol covers, bob serves next (deferred), then the order resumes."""
        config = rotation(skips=[skip("bob", date(2026, 11, 4), date(2026, 11, 5))])

        shifts = roster(config).shifts(utc(2026, 11, 2, 14), 6)

        assert who(shifts) == ["alice", "carol", "bob", "alice", "bob", "carol"]
        assert sources(shifts)[2] == "deferred"

    def test_a_forfeited_turn_is_not_made_up(self) -> None:
        """Bob forfeits his shift: the order simply goes on past him."""
        away = skip("bob", date(2026, 11, 4), date(2026, 11, 5), SkipMode.FORFEIT)

        shifts = roster(rotation(skips=[away])).shifts(utc(2026, 11, 2, 14), 6)

        assert who(shifts) == ["alice", "carol", "alice", "bob", "carol", "alice"]
        assert set(sources(shifts)) == {"rotation"}

    def test_a_skip_on_any_working_day_of_the_shift_makes_the_member_ineligible(self) -> None:
        """A one-day skip on the second day of bob's shift is enough to pass him over."""
        away = skip("bob", date(2026, 11, 5), date(2026, 11, 5), SkipMode.FORFEIT)

        shift = roster(rotation(skips=[away])).on_call(utc(2026, 11, 4, 15))

        assert shift.member == "carol"

    def test_a_long_absence_is_owed_one_turn_only(self) -> None:
        """Bob away for two weeks is passed over twice but makes up a single turn."""
        away = skip("bob", date(2026, 11, 4), date(2026, 11, 17))

        shifts = roster(rotation(skips=[away])).shifts(utc(2026, 11, 2, 14), 10)

        assert who(shifts) == [
            *("alice", "carol", "alice", "carol", "alice", "carol"),
            *("bob", "alice", "bob", "carol"),
        ]
        assert sources(shifts).count("deferred") == 1

    def test_a_member_joins_at_their_from_date(self) -> None:
        """Carol, from Monday 9 November, is passed over on the Friday shift and joins after."""
        config = rotation(["alice", "bob", Member("carol", active_from=date(2026, 11, 9))])

        shifts = roster(config).shifts(utc(2026, 11, 2, 14), 6)

        assert who(shifts) == ["alice", "bob", "alice", "bob", "carol", "alice"]

    def test_a_member_leaves_at_their_until_date(self) -> None:
        """Bob, until 4 November, serves no shift whose first day is on or after it."""
        config = rotation(["alice", Member("bob", until=date(2026, 11, 4)), "carol"])

        shifts = roster(config).shifts(utc(2026, 11, 2, 14), 4)

        assert who(shifts) == ["alice", "carol", "alice", "carol"]

    def test_a_debt_of_a_member_who_left_is_dropped(self) -> None:
        """Bob skips, then leaves: his debt is never served and nobody waits for him."""
        config = rotation(
            ["alice", Member("bob", until=date(2026, 11, 6)), "carol"],
            skips=[skip("bob", date(2026, 11, 4), date(2026, 11, 5))],
        )

        shifts = roster(config).shifts(utc(2026, 11, 2, 14), 5)

        assert who(shifts) == ["alice", "carol", "alice", "carol", "alice"]

    def test_the_fallback_covers_a_shift_nobody_is_eligible_for(self) -> None:
        """Everybody away on shift 1: lead covers it and the order resumes with bob."""
        away = [
            skip(m, date(2026, 11, 4), date(2026, 11, 4), SkipMode.FORFEIT)
            for m in ("alice", "bob", "carol")
        ]

        shifts = roster(rotation(fallback="lead", skips=away)).shifts(utc(2026, 11, 2, 14), 3)

        assert who(shifts) == ["alice", "lead", "bob"]
        assert sources(shifts) == ["rotation", "fallback", "rotation"]

    def test_without_a_fallback_a_shift_nobody_is_eligible_for_is_unassigned(self) -> None:
        """Everybody away and no fallback: nobody is on call for that shift."""
        away = [
            skip(m, date(2026, 11, 4), date(2026, 11, 4), SkipMode.FORFEIT)
            for m in ("alice", "bob", "carol")
        ]

        shift = roster(rotation(skips=away)).on_call(utc(2026, 11, 4, 15))

        assert (shift.member, shift.source) == (None, ShiftSource.UNASSIGNED)

    def test_a_thousand_shifts_compute_quickly(self) -> None:
        """Four years of a busy config compute well within a second (the walk is cached)."""
        import time as clock

        away = [skip("alice", date(2027, 1, 4 + i), date(2027, 1, 4 + i)) for i in range(20)]
        config = rotation(["alice", "bob", "carol", "dave", "erin"], skips=away)
        began = clock.perf_counter()

        shifts = roster(config).shifts(utc(2026, 11, 2, 14), 1000)

        assert len(shifts) == 1000
        assert clock.perf_counter() - began < 0.5


class TestShiftsBetween:
    """Every segment overlapping a span, for the report and the calendar feed."""

    def test_the_segments_overlapping_a_span_are_those_the_listing_gives_from_its_start(
        self,
    ) -> None:
        """The same segments as `shifts` from the span's start, cut where the span ends; one
        covering either end is included, one starting at the end is not."""
        subject = roster(rotation())
        since, until = utc(2026, 11, 5, 3), utc(2026, 11, 20, 14)

        between = subject.shifts_between(since, until)

        listed = [s for s in roster(rotation()).shifts(since, 50) if s.start < until]
        assert between == listed
        assert between[0].start < since < between[0].end
        assert all(s.start < until for s in between)

    def test_a_span_before_the_rotation_starts_is_the_unassigned_one(self) -> None:
        """Before the first shift there is one unassigned segment; nothing loops on it."""
        subject = roster(rotation())

        between = subject.shifts_between(utc(2026, 1, 1), utc(2026, 2, 1))

        assert sources(between) == ["unassigned"]
        assert between[0].start == DAWN
