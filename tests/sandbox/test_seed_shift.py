"""syncd.sandbox.seed_shift: the demo seed moved to any day keeps its story and has no future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from syncd.sandbox.seed_shift import LEAD, _issues, latest, moved
from syncd.sandbox.seed_yaml import demo_seed


class TestMoved:
    """moved: one shift for every issue time of every tracker."""

    def test_the_newest_change_lands_an_hour_before_the_start(self) -> None:
        """Whatever the start, past or future of the seed's own dates, nothing is in the future."""
        for start in (datetime(2026, 1, 3, tzinfo=UTC), datetime(2027, 12, 31, 23, tzinfo=UTC)):
            assert latest(moved(demo_seed(), start)) == start - LEAD

    def test_ages_and_order_are_kept(self) -> None:
        """Every issue moves by the same amount: the gaps between their times are unchanged."""
        seed = demo_seed()
        before = _issues(seed)
        after = _issues(moved(seed, datetime(2027, 6, 1, tzinfo=UTC)))

        shifts = {b.created - a.created for a, b in zip(before, after, strict=True)}
        shifts |= {b.updated - a.updated for a, b in zip(before, after, strict=True)}
        assert len(shifts) == 1
        assert shifts != {timedelta(0)}
        assert [i.key if hasattr(i, "key") else i.number for i in after] == [
            i.key if hasattr(i, "key") else i.number for i in before
        ]
