"""Pacing one tracker's writes to its write budget and `write_interval`, the budget in state.

A write waits for its turn when the turn comes soon (within a minute, or the interval); when it
comes later, the budget is spent for now: the apply stops there, as at the write cap, and the
writes left wait for later cycles (fires first, see syncd.domain.urgency).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from datetime import datetime

import structlog

from syncd.adapters.state.spending import Backlog, SpendingTable
from syncd.config.model import Config
from syncd.domain.timestamps import iso_utc
from syncd.domain.write_budget import MINUTE, WriteBudget, done_by, fire_reserve, next_write
from syncd.service_layer.applied import Applied

log = structlog.get_logger("syncd.pacing")

# Counts the content-creating requests (POST, PATCH, PUT, DELETE) an adapter has sent; None
# for a tracker that does not count them (then each write counts as one).
SentCount = Callable[[], int | None]


def sent_by(tracker: object) -> SentCount:
    """The `stats.writes` counter of an adapter, when it keeps one (the GitHub adapter does)."""

    def count() -> int | None:
        writes = getattr(getattr(tracker, "stats", None), "writes", None)
        return writes if isinstance(writes, int) else None

    return count


class Pacer:
    """The turn of each write of one apply, and the budget it spends (kept in the state)."""

    def __init__(
        self,
        tracker: str,
        spending: SpendingTable,
        clock: Callable[[], datetime],
        sleep: Callable[[float], object],
        *,
        budget: WriteBudget | None,
        spacing: float,
        sent: SentCount = lambda: None,
    ) -> None:
        self._tracker = tracker
        self._spending = spending
        self._clock = clock
        self._sleep = sleep
        self._budget = budget
        self._spacing = spacing
        self._sent = sent
        keep = max(budget.per_minute, budget.per_hour) if budget is not None else 1
        self._history = deque(spending.write_times(tracker, clock()), maxlen=keep)
        # The longest a write waits for its turn within a cycle: a minute's window moving on.
        self._longest = max(MINUTE.total_seconds(), spacing)
        self._before: int | None = None
        self.urgent = True  # the writes now are a fire's: they may spend the fire reserve

    def turn(self) -> bool:
        """Wait for the next write's turn if it comes soon; False when the budget is spent."""
        now = self._clock()
        budget = self._budget
        reserve = 0 if self.urgent or budget is None else fire_reserve(budget)
        at = next_write(self._history, now, budget, self._spacing, reserve)
        wait = (at - now).total_seconds()
        if wait > self._longest:
            log.info("write budget spent: the rest wait", tracker=self._tracker, until=iso_utc(at))
            return False
        if wait > 0:
            self._sleep(wait)
        self._before = self._sent()
        return True

    def spent(self) -> None:
        """Record the write that just went (each request it took, when the adapter counts)."""
        after = self._sent()
        count = 1 if after is None or self._before is None else after - self._before
        now = self._clock()
        times = [now] * count
        self._history.extend(times)
        self._spending.spent(self._tracker, times)

    def done_by(self, waiting: int) -> datetime:
        """When `waiting` more writes would be done at this budget and spacing."""
        return done_by(list(self._history), waiting, self._clock(), self._budget, self._spacing)


class Pacers:
    """One pacer per tracker of a service, built at its first apply and kept: the budget spent
    is read from the state once, not at every settle (a webhook settles one issue at a time)."""

    def __init__(
        self,
        config: Config,
        spending: SpendingTable,
        clock: Callable[[], datetime],
        sleep: Callable[[float], object],
        trackers: Mapping[str, object],
    ) -> None:
        self._config = config
        self._spending = spending
        self._clock = clock
        self._sleep = sleep
        self._trackers = trackers
        self._pacers: dict[str, Pacer] = {}

    def of(self, name: str) -> Pacer:
        """Tracker `name`'s pacer."""
        if name not in self._pacers:
            settings = self._config.tracker(name)
            self._pacers[name] = Pacer(
                name,
                self._spending,
                self._clock,
                self._sleep,
                budget=settings.write_budget,
                spacing=settings.write_interval,
                sent=sent_by(self._trackers[name]),
            )
        return self._pacers[name]


def backlog_of(tracker: str, applied: Applied, now: datetime) -> Backlog:
    """What a cycle's apply left waiting; a failed apply counts as nothing known waiting."""
    return Backlog(tracker, applied.waiting, applied.done_by or now, now)
