"""A tracker's budget of writes over sliding windows: when the next one may go, when n are done.

GitHub's secondary limits allow about 80 content-creating requests a minute and 500 an hour;
syncd counts every POST, PATCH, PUT and DELETE against them (GitHub does not list which
endpoints count). Pure: the times of past writes and `now` are inputs.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class WriteBudget:
    """At most `per_minute` writes in any minute and `per_hour` in any hour."""

    per_minute: int = 80
    per_hour: int = 500

    @property
    def windows(self) -> tuple[tuple[int, timedelta], ...]:
        """(limit, window) pairs, each a sliding window."""
        return ((self.per_minute, MINUTE), (self.per_hour, HOUR))


GITHUB_SECONDARY = WriteBudget()


def fire_reserve(budget: WriteBudget) -> int:
    """Writes of each hour only fires may spend: a fire found during a long sync goes at once."""
    return budget.per_hour // 10


def next_write(
    history: Sequence[datetime],
    now: datetime,
    budget: WriteBudget | None,
    spacing: float,
    reserve: int = 0,
) -> datetime:
    """The earliest moment at or after `now` one more write keeps within `budget` and `spacing`.

    `history`: the times of earlier writes, oldest first (the last hour's are enough);
    `spacing`: the least seconds between two writes (`write_interval`); `reserve`: writes of the
    hour this one must leave unspent (kept for fires).
    """
    moment = now
    if history and spacing > 0:
        moment = max(moment, history[-1] + timedelta(seconds=spacing))
    for allowed, window in budget.windows if budget is not None else ():
        limit = max(1, allowed - reserve) if window == HOUR else allowed
        if len(history) >= limit:
            # The write `limit` back must have left the window before one more may go.
            moment = max(moment, history[-limit] + window)
    return moment


def done_by(
    history: Sequence[datetime],
    waiting: int,
    now: datetime,
    budget: WriteBudget | None,
    spacing: float,
) -> datetime:
    """When `waiting` more writes would be done, each sent as soon as `next_write` allows."""
    keep = max((limit for limit, _ in budget.windows), default=1) if budget else 1
    times: deque[datetime] = deque(history[-keep:], maxlen=keep)
    moment = now
    for _ in range(waiting):
        moment = next_write(times, moment, budget, spacing)
        times.append(moment)
    return moment
