"""Tests for the journal: started shifts are recorded and survive config edits."""

from __future__ import annotations

from datetime import date

from syncd.config.model import Override
from syncd.domain.rotation import Roster, ShiftSource
from syncd.domain.rotation.journal import JournalEntry, MemoryJournal
from tests.rotation.rotation_world import rotation, skip, utc, who


class TestRecordStarted:
    """record_started() appends each started base shift once, with the position after it."""

    def test_every_started_shift_is_recorded_with_cursor_and_debts(self) -> None:
        """By Wednesday 10:00 local, shifts 0 and 1 have started; bob's skip left a debt."""
        journal = MemoryJournal()
        config = rotation(skips=[skip("bob", date(2026, 11, 4), date(2026, 11, 5))])

        Roster(config, journal).record_started(utc(2026, 11, 4, 15))

        assert journal.entries() == (
            JournalEntry(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "alice", "rotation",
                         "alice", ()),
            JournalEntry(1, utc(2026, 11, 4, 14), utc(2026, 11, 6, 14), "carol", "rotation",
                         "carol", ("bob",)),
        )  # fmt: skip

    def test_recording_twice_adds_only_shifts_started_since(self) -> None:
        """A second call in the same shift adds nothing; one after the next handoff adds one."""
        journal = MemoryJournal()
        subject = Roster(rotation(), journal)
        subject.record_started(utc(2026, 11, 4, 15))
        subject.record_started(utc(2026, 11, 4, 16))

        subject.record_started(utc(2026, 11, 6, 14))

        assert [e.index for e in journal.entries()] == [0, 1, 2]

    def test_nothing_is_recorded_before_the_rotation_starts(self) -> None:
        """Before shift 0 there is no shift to record."""
        journal = MemoryJournal()

        Roster(rotation(), journal).record_started(utc(2026, 11, 2, 13))

        assert journal.entries() == ()

    def test_overrides_are_not_journaled(self) -> None:
        """The journal holds the base shift even while an override covers it."""
        journal = MemoryJournal()
        config = rotation(overrides=[Override("dave", utc(2026, 11, 2), utc(2026, 11, 5))])

        Roster(config, journal).record_started(utc(2026, 11, 2, 15))

        assert [(e.member, e.source) for e in journal.entries()] == [("alice", "rotation")]


class TestReplay:
    """A roster resumes from the last journal entry, so edits only change unstarted shifts."""

    def test_a_config_edit_leaves_the_started_shift_unchanged(self) -> None:
        """Bob's skip added while his shift runs keeps him on it; the next shift follows on."""
        journal = MemoryJournal()
        Roster(rotation(), journal).record_started(utc(2026, 11, 4, 15))
        edited = rotation(skips=[skip("bob", date(2026, 11, 4), date(2026, 11, 5))])

        shifts = Roster(edited, journal).shifts(utc(2026, 11, 4, 15), 3)

        assert who(shifts) == ["bob", "carol", "alice"]
        assert who(Roster(edited, MemoryJournal()).shifts(utc(2026, 11, 4, 15), 1)) == ["carol"]

    def test_a_member_added_later_does_not_rewrite_history(self) -> None:
        """Dave inserted at the top of the list changes nothing that was journaled."""
        journal = MemoryJournal()
        Roster(rotation(), journal).record_started(utc(2026, 11, 6, 15))
        edited = rotation(["dave", "alice", "bob", "carol"])

        shifts = Roster(edited, journal).shifts(utc(2026, 11, 2, 14), 5)

        assert who(shifts) == ["alice", "bob", "carol", "dave", "alice"]

    def test_the_time_before_the_journal_is_unassigned(self) -> None:
        """Before the first recorded shift, as before the rotation, nobody is on call."""
        journal = MemoryJournal()
        Roster(rotation(), journal).record_started(utc(2026, 11, 4, 15))

        shift = Roster(rotation(start=date(2026, 10, 1)), journal).on_call(utc(2026, 10, 5))

        assert (shift.index, shift.source, shift.end) == (
            -1,
            ShiftSource.UNASSIGNED,
            utc(2026, 11, 2, 14),
        )

    def test_an_entry_that_breaks_the_tiling_is_replayed_instead_of_trusted(self) -> None:
        """A journal whose second entry does not start where the first ended is cut there."""
        good = JournalEntry(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "zoe", "rotation",
                            "alice", ())  # fmt: skip
        broken = JournalEntry(1, utc(2026, 11, 5), utc(2026, 11, 6), "mallory", "rotation",
                              "bob", ())  # fmt: skip

        shifts = Roster(rotation(), MemoryJournal([good, broken])).shifts(utc(2026, 11, 3), 3)

        assert who(shifts) == ["zoe", "bob", "carol"]
        assert shifts[1].start == utc(2026, 11, 4, 14)

    def test_an_entry_with_an_unknown_source_is_replayed(self) -> None:
        """A journal entry whose source syncd does not know is not trusted."""
        odd = JournalEntry(0, utc(2026, 11, 2, 14), utc(2026, 11, 4, 14), "zoe", "override",
                           "zoe", ())  # fmt: skip

        shift = Roster(rotation(), MemoryJournal([odd])).on_call(utc(2026, 11, 3))

        assert shift.member == "alice"
