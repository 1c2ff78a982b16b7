"""A year of simulated rotation: the report agrees with an independent count over the journal."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.domain.report import Report
from syncd.domain.rotation.journal import JournalEntry
from syncd.entrypoints.report_state import read_report
from tests.report.simulation import MEMBERS, SINCE, SKIPS_END, UNTIL, Year, simulate

SEEDS = (1, 7, 2026)
_TURNS = {"rotation", "deferred", "fallback"}


def journal_of(year: Year) -> list[JournalEntry]:
    """The base shifts the simulation journaled."""
    with Store.open(year.config.state_path, read_only=True) as store:
        return list(store.journal.entries())


def turns(entries: list[JournalEntry], since: datetime) -> Counter[str]:
    """Per person: base shifts overlapping [since, UNTIL) given by the rotation, not by nobody."""
    return Counter(
        e.member
        for e in entries
        if e.member is not None and e.source in _TURNS and e.start < UNTIL and e.end > since
    )


def covered(year: Year, entries: list[JournalEntry]) -> Counter[str]:
    """Per person: pieces of somebody else's base shift they held by an override."""
    return Counter(
        o.member
        for o in year.config.rotation.overrides
        for e in entries
        if o.start < e.end and e.start < o.end and o.start < UNTIL and o.end > SINCE
        and e.member != o.member
    )  # fmt: skip


def owed(entries: list[JournalEntry]) -> Counter[str]:
    """Per person: debts created over the whole journal minus deferred turns served."""
    counts: Counter[str] = Counter()
    before: tuple[str, ...] = ()
    for entry in entries:
        counts.update(name for name in entry.owed if name not in before)
        if entry.source == "deferred" and entry.member is not None:
            counts[entry.member] -= 1
        before = entry.owed
    return +counts


def by_person(view: Report) -> dict[str, tuple[int, int, int]]:
    """The report's (shifts, covered, owed) per person, leaving out all-zero rows."""
    return {
        p.person: (p.shifts, p.covered, p.owed)
        for p in view.people
        if (p.shifts, p.covered, p.owed) != (0, 0, 0)
    }


@pytest.mark.parametrize("seed", SEEDS)
class TestAYearOfRotation:
    def test_per_person_counts_agree_with_the_journal(self, tmp_path: Path, seed: int) -> None:
        """Shifts, overrides covered and turns owed: the report and a count of the journal."""
        year = simulate(tmp_path, seed)
        entries = journal_of(year)

        view = read_report(year.config, SINCE, UNTIL)

        turned, cover, debts = turns(entries, SINCE), covered(year, entries), owed(entries)
        names = {*turned, *cover, *debts}
        rows = {name: (turned[name], cover[name], debts[name]) for name in names}
        assert by_person(view) == {name: row for name, row in rows.items() if any(row)}
        assert sum(cover.values()) > 0  # the simulation did exercise overrides
        assert any(e.source == "deferred" for e in entries)  # and deferred turns

    def test_every_escalation_is_counted_in_the_shift_it_was_placed_in(
        self, tmp_path: Path, seed: int
    ) -> None:
        """Placed per tier and person, summed over the shifts, is every escalation of the year
        with the person on call when it was placed."""
        year = simulate(tmp_path, seed)

        view = read_report(year.config, SINCE, UNTIL)

        placed: Counter[tuple[str | None, str]] = Counter()
        for line in view.shifts:
            placed.update({(line.shift.member, t): n for t, n in line.placed.items()})
        assert placed == Counter((p.member, p.tier) for p in year.placements)
        flagged = sum(line.flagged for line in view.shifts)
        assert flagged == sum(1 for p in year.placements if p.flagged_at is not None)

    def test_shifts_differ_by_at_most_one_where_nobody_was_skipped(
        self, tmp_path: Path, seed: int
    ) -> None:
        """From the first shift after the last skip with no debt left: a fair round robin."""
        year = simulate(tmp_path, seed)
        entries = journal_of(year)
        fair = next(
            later
            for earlier, later in itertools.pairwise(entries)
            if later.start.date() > SKIPS_END and not earlier.owed
        )

        view = read_report(year.config, fair.start, UNTIL)

        shifts = [p.shifts for p in view.people if p.person in MEMBERS]
        assert len(shifts) == len(MEMBERS)
        assert sum(shifts) >= 30  # a stretch of months, not a week
        assert max(shifts) - min(shifts) <= 1
        assert all(not p.skipped for p in view.people)
