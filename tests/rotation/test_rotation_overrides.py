"""Tests for overrides: exact replacements that split shifts and never move the cursor."""

from __future__ import annotations

from syncd.config.model import Override
from syncd.domain.rotation import Shift, ShiftSource
from syncd.domain.rotation.timeline import overlay
from tests.rotation.rotation_world import roster, rotation, sources, utc, who


class TestOverlay:
    """overlay() cuts a base shift into segments held by the base member or an override."""

    def test_an_override_inside_a_shift_splits_it_in_three(self) -> None:
        """Bob covering one evening of alice's shift leaves alice before and after."""
        base = Shift(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "alice", ShiftSource.ROTATION)
        swap = Override("bob", utc(2026, 11, 2, 18), utc(2026, 11, 3, 14))

        segments = overlay(base, [swap])

        assert [(s.start, s.end, s.member, s.source.value) for s in segments] == [
            (utc(2026, 11, 2, 14), utc(2026, 11, 2, 18), "alice", "rotation"),
            (utc(2026, 11, 2, 18), utc(2026, 11, 3, 14), "bob", "override"),
            (utc(2026, 11, 3, 14), utc(2026, 11, 4, 14), "alice", "rotation"),
        ]
        assert {s.index for s in segments} == {0}

    def test_the_later_override_wins_where_two_overlap(self) -> None:
        """Carol's override, listed after bob's, holds the hours where both claim the shift."""
        base = Shift(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "alice", ShiftSource.ROTATION)
        first = Override("bob", utc(2026, 11, 2, 18), utc(2026, 11, 3, 14))
        later = Override("carol", utc(2026, 11, 3, 0), utc(2026, 11, 3, 6))

        segments = overlay(base, [first, later])

        assert [(s.start.hour, s.end.hour, s.member) for s in segments] == [
            (14, 18, "alice"),
            (18, 0, "bob"),
            (0, 6, "carol"),
            (6, 14, "bob"),
            (14, 14, "alice"),
        ]

    def test_an_override_covering_the_whole_shift_replaces_it(self) -> None:
        """An override wider than the shift leaves one segment, clipped to the shift."""
        base = Shift(3, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "alice", ShiftSource.DEFERRED)
        cover = Override("dave", utc(2026, 11, 1), utc(2026, 11, 5))

        assert overlay(base, [cover]) == [
            Shift(3, base.start, base.end, "dave", ShiftSource.OVERRIDE)
        ]

    def test_an_empty_or_reversed_override_is_ignored(self) -> None:
        """An override whose end is not after its start changes nothing."""
        base = Shift(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "alice", ShiftSource.ROTATION)
        reversed_span = Override("bob", utc(2026, 11, 3), utc(2026, 11, 2, 20))

        assert overlay(base, [reversed_span]) == [base]


class TestOverridesInTheRoster:
    """The roster applies overrides last, across shift boundaries, without moving the order."""

    def test_an_override_across_a_handoff_gives_one_segment_per_shift(self) -> None:
        """Dave covering the night around Wednesday's handoff holds a piece of shifts 0 and 1."""
        swap = Override("dave", utc(2026, 11, 4, 2), utc(2026, 11, 4, 20))

        shifts = roster(rotation(overrides=[swap])).shifts(utc(2026, 11, 3, 14), 4)

        assert [(s.index, s.member) for s in shifts] == [
            (0, "alice"),
            (0, "dave"),
            (1, "dave"),
            (1, "bob"),
        ]
        assert shifts[1].end == shifts[2].start == utc(2026, 11, 4, 14)

    def test_an_override_never_moves_the_cursor(self) -> None:
        """Bob taking all of alice's shift does not make him the last to have served."""
        swap = Override("bob", utc(2026, 11, 2, 14), utc(2026, 11, 4, 14))

        shifts = roster(rotation(overrides=[swap])).shifts(utc(2026, 11, 2, 14), 4)

        assert who(shifts) == ["bob", "bob", "carol", "alice"]
        assert sources(shifts) == ["override", "rotation", "rotation", "rotation"]

    def test_on_call_inside_an_override_names_the_override(self) -> None:
        """During the override the person on call is the override's member."""
        swap = Override("bob", utc(2026, 11, 2, 18), utc(2026, 11, 3, 14))

        shift = roster(rotation(overrides=[swap])).on_call(utc(2026, 11, 3, 1))

        assert (shift.member, shift.source, shift.index) == ("bob", ShiftSource.OVERRIDE, 0)
