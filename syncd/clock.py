"""The real clock, and clocks for playing syncd at another time: the one place `now` is read.

Everything else takes a clock as an input (`Callable[[], datetime]`), so that tests, the demo
and benchmarks can run on any day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock, in UTC."""
    return datetime.now(UTC)


def starting_at(start: datetime) -> Clock:
    """A clock that reads `start` (aware) now and runs at the real pace from there, in UTC."""
    origin, start = time.monotonic(), start.astimezone(UTC)
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


def fixed(moment: datetime) -> Clock:
    """A clock that always reads `moment` (aware), in UTC."""
    moment = moment.astimezone(UTC)
    return lambda: moment
