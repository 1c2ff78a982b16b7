"""Properties of the rotation over random configs: tiling, fairness, stability, replay."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from syncd.config.model import Member, Override, Rotation, Skip, SkipMode
from syncd.domain.rotation import Roster, Shift, ShiftSource
from syncd.domain.rotation.journal import MemoryJournal
from syncd.domain.rotation.shift import DAWN
from tests.rotation.rotation_world import rotation

NAMES = ("alice", "bob", "carol", "dave", "erin")
ZONES = ("America/Detroit", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC")
EPOCH = date(2026, 1, 1)
FAST = settings(max_examples=60, deadline=None)

days = st.integers(min_value=0, max_value=120).map(lambda n: EPOCH + timedelta(days=n))
instants = st.integers(min_value=0, max_value=24 * 200).map(
    lambda h: datetime.combine(EPOCH, time(), tzinfo=UTC) + timedelta(hours=h)
)


@st.composite
def members(draw: st.DrawFn, windows: bool) -> tuple[Member, ...]:
    """One to five members, with random active windows when `windows`."""
    count = draw(st.integers(min_value=1, max_value=len(NAMES)))
    if not windows:
        return tuple(Member(name) for name in NAMES[:count])
    maybe_day = st.none() | days
    return tuple(Member(name, draw(maybe_day), draw(maybe_day)) for name in NAMES[:count])


@st.composite
def skips(draw: st.DrawFn, names: tuple[str, ...]) -> Skip:
    """A skip of a few days for one of `names`, in either mode."""
    start = draw(days)
    length = draw(st.integers(min_value=0, max_value=12))
    mode = draw(st.sampled_from(SkipMode))
    return Skip(draw(st.sampled_from(names)), start, start + timedelta(days=length), mode)


@st.composite
def overrides(draw: st.DrawFn) -> Override:
    """An override of one to a hundred hours by somebody, in the rotation or not."""
    start = draw(instants)
    hours = draw(st.integers(min_value=1, max_value=100))
    return Override(draw(st.sampled_from((*NAMES, "lead"))), start, start + timedelta(hours=hours))


@st.composite
def configs(
    draw: st.DrawFn, *, windows: bool = True, away: bool = True, swaps: bool = True
) -> Rotation:
    """A random rotation; `away`: with skips, `swaps`: with overrides."""
    crew = draw(members(windows))
    names = tuple(m.person for m in crew)
    return rotation(
        crew,
        start=draw(days),
        zone=draw(st.sampled_from(ZONES)),
        handoff=time(draw(st.integers(0, 23)), draw(st.sampled_from((0, 30, 45)))),
        length=draw(st.integers(min_value=1, max_value=3)),
        working_days=draw(st.frozensets(st.integers(0, 6), min_size=1)),
        holidays=draw(st.frozensets(days, max_size=12)),
        fallback=draw(st.sampled_from((None, "lead"))),
        skips=draw(st.lists(skips(names), max_size=6)) if away else (),
        overrides=draw(st.lists(overrides(), max_size=4)) if swaps else (),
    )


def _base(config: Rotation, count: int) -> list[Shift]:
    """The first `count` base shifts (no overrides), from shift 0."""
    bare = Roster(replace(config, overrides=()), MemoryJournal())
    return [s for s in bare.shifts(DAWN, count + 1) if s.index >= 0]


class TestTiling:
    """Segments tile time: no gap, no overlap, each one where on_call finds it."""

    @FAST
    @given(config=configs(), at=instants)
    def test_segments_follow_each_other_without_gap_or_overlap(
        self, config: Rotation, at: datetime
    ) -> None:
        """Each segment ends where the next starts, and on_call agrees with every segment."""
        subject = Roster(config, MemoryJournal())

        segments = subject.shifts(at, 40)

        assert segments[0].covers(at)
        assert all(a.end == b.start for a, b in pairwise(segments))
        assert all(s.start < s.end for s in segments)
        assert all(subject.on_call(s.start) == s for s in segments)


class TestFairness:
    """With everybody present, each member serves exactly once per cycle of the order."""

    @FAST
    @given(config=configs(windows=False, away=False, swaps=False))
    def test_every_window_of_one_cycle_has_each_member_once(self, config: Rotation) -> None:
        """Any run of len(members) consecutive shifts is a permutation of the members."""
        names = sorted(m.person for m in config.members)

        shifts = _base(config, 4 * len(names))

        for first in range(len(shifts) - len(names) + 1):
            window = shifts[first : first + len(names)]
            assert sorted(str(s.member) for s in window) == names


class TestStability:
    """Adding a member or an override leaves what is already planned alone."""

    @FAST
    @given(config=configs(swaps=False), joins=st.none() | days)
    def test_appending_a_member_leaves_the_current_cycle_unchanged(
        self, config: Rotation, joins: date | None
    ) -> None:
        """Up to the shift where the order wraps to the top, the newcomer changes nothing."""
        grown = replace(config, members=(*config.members, Member("newbie", joins)))

        before, after = _base(config, 30), _base(grown, 30)

        cut = _end_of_cycle(config, before)
        assert after[:cut] == before[:cut]

    @FAST
    @given(config=configs(), until=instants)
    def test_an_override_never_moves_the_cursor(self, config: Rotation, until: datetime) -> None:
        """The journaled base shifts are the same with and without the overrides."""
        with_swaps, without = MemoryJournal(), MemoryJournal()

        Roster(config, with_swaps).record_started(until)
        Roster(replace(config, overrides=()), without).record_started(until)

        assert with_swaps.entries() == without.entries()


class TestReplay:
    """Replaying from a journal entry agrees with replaying from the start."""

    @FAST
    @given(config=configs(), recorded=instants, at=instants)
    def test_replay_from_the_journal_equals_replay_from_start(
        self, config: Rotation, recorded: datetime, at: datetime
    ) -> None:
        """A roster resuming from recorded shifts answers exactly as a fresh one."""
        journal = MemoryJournal()
        Roster(config, journal).record_started(recorded)

        resumed = Roster(config, journal).shifts(at, 30)

        assert resumed == Roster(config, MemoryJournal()).shifts(at, 30)


def _end_of_cycle(config: Rotation, shifts: list[Shift]) -> int:
    """The index of the first shift where the order wraps or nobody in it was eligible."""
    rank = {m.person: i for i, m in enumerate(config.members)}
    cursor = -1
    for position, shift in enumerate(shifts):
        if shift.source in (ShiftSource.FALLBACK, ShiftSource.UNASSIGNED):
            return position
        if shift.source is ShiftSource.ROTATION:
            if rank[str(shift.member)] <= cursor:
                return position
            cursor = rank[str(shift.member)]
    return len(shifts)
