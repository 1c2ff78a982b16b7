"""syncd.domain.write_budget: sliding windows of writes, spacing, and when a backlog is done."""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.domain.write_budget import WriteBudget, done_by, next_write
from tests.builders import NOW

BUDGET = WriteBudget(per_minute=3, per_hour=5)


def _seconds(*offsets: float) -> list[datetime]:
    return [NOW + timedelta(seconds=s) for s in offsets]


class TestNextWrite:
    """next_write(): the earliest moment one more write stays within the budget."""

    def test_no_history_writes_now(self) -> None:
        """Nothing written yet: the write may go at once."""
        assert next_write([], NOW, BUDGET, 1.0) == NOW

    def test_spacing_from_the_last_write(self) -> None:
        """`write_interval` is the least time after the last write, also one from before now."""
        history = _seconds(-0.25)
        assert next_write(history, NOW, BUDGET, 1.0) == NOW + timedelta(seconds=0.75)

    def test_a_full_minute_waits_for_its_oldest_write_to_leave(self) -> None:
        """Three writes in the last minute (per_minute 3): the next waits for the first to leave."""
        history = _seconds(-50, -20, -10)
        assert next_write(history, NOW, BUDGET, 0.0) == NOW + timedelta(seconds=10)

    def test_a_full_hour_waits_for_the_hour(self) -> None:
        """Five writes in the last hour (per_hour 5): the next waits for the first to age out."""
        history = _seconds(-3000, -2000, -1000, -500, -200)
        assert next_write(history, NOW, BUDGET, 0.0) == NOW + timedelta(seconds=600)

    def test_no_budget_only_spaces(self) -> None:
        """`write_budget: none`: any number of writes, only `write_interval` apart."""
        history = _seconds(*range(-100, 0))
        assert next_write(history, NOW, None, 0.0) == NOW


class TestDoneBy:
    """done_by(): when a backlog of writes would be done at the budget."""

    def test_github_defaults_take_an_hour_per_500(self) -> None:
        """1,000 writes at 80/min and 500/h from scratch: the last goes just after an hour."""
        end = done_by([], 1000, NOW, WriteBudget(), 0.0)
        assert timedelta(hours=1) < end - NOW < timedelta(hours=1, minutes=8)

    def test_spacing_alone(self) -> None:
        """No budget, 1 s apart: 10 writes take 9 s after the first."""
        assert done_by([], 10, NOW, None, 1.0) == NOW + timedelta(seconds=9)

    def test_nothing_waiting_is_done_now(self) -> None:
        """No backlog: done now."""
        assert done_by(_seconds(-1), 0, NOW, BUDGET, 1.0) == NOW


class TestFireReserve:
    """Writes other than a fire's leave the hour's reserve unspent."""

    def test_the_reserve_holds_back_only_the_hour(self) -> None:
        """per_hour 5 with 1 reserved: after 4 writes the next waits, unless it is a fire's."""
        history = _seconds(-300, -200, -100, -50)
        assert next_write(history, NOW, BUDGET, 0.0, reserve=1) == NOW + timedelta(seconds=3300)
        assert next_write(history, NOW, BUDGET, 0.0) == NOW
