"""When each tracker may be called again: rate-limit pauses and jittered backoff after failures."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from syncd.adapters.state import CycleOutcome, CycleRow
from syncd.domain.timestamps import iso_utc
from syncd.service_layer.reports import TrackerReport

log = structlog.get_logger("syncd.backoff")

BACKOFF_BASE = 30.0  # seconds after the first failure; doubles with each further one
BACKOFF_CAP = 600.0


@dataclass(frozen=True)
class Wait:
    """A tracker is not called before `until`; `rate_limited` tells a pause from a backoff.

    `cause` is the error that started it: a skipped cycle reports it again, so that /healthz
    and `syncd status` show "HTTP 401: Bad credentials", not only "backing off".
    """

    until: datetime
    rate_limited: bool
    cause: str = ""

    def report(self, tracker: str) -> TrackerReport:
        """The cycle report of `tracker` skipped because of this wait (logged)."""
        until = iso_utc(self.until)
        if self.rate_limited:
            log.info("tracker paused", tracker=tracker, until=until, reason=self.cause)
            message = f"rate limited: {self.cause}" if self.cause else "rate limited"
            return TrackerReport(
                tracker, CycleOutcome.PAUSED, message=message, paused_until=self.until
            )
        log.info("tracker backing off", tracker=tracker, until=until, reason=self.cause)
        message = (
            f"{self.cause} (backing off until {until})"
            if self.cause
            else f"backing off until {until}"
        )
        return TrackerReport(tracker, CycleOutcome.ERROR, message=message)


@dataclass
class _Trouble:
    failures: int = 0
    wait: Wait | None = None


class Backoff:
    """Per-tracker waits between cycles, kept across cycles of one service."""

    def __init__(self, trackers: Iterable[str], rng: random.Random) -> None:
        self._trouble = {name: _Trouble() for name in trackers}
        self._rng = rng

    def waiting(self, tracker: str, now: datetime) -> Wait | None:
        """The wait still running for `tracker` at `now`, if any."""
        wait = self._trouble[tracker].wait
        return wait if wait is not None and now < wait.until else None

    def paused(self, tracker: str, until: datetime, cause: str = "") -> None:
        """The tracker asked syncd to wait until `until` (a rate limit), saying `cause`."""
        self._trouble[tracker].wait = Wait(until, rate_limited=True, cause=cause)

    def failed(self, tracker: str, now: datetime, cause: str = "") -> float:
        """Count one more failure (`cause`); the seconds to wait before the next attempt."""
        trouble = self._trouble[tracker]
        trouble.failures += 1
        delay = min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (trouble.failures - 1))
        # Jitter spreads retries so that several syncd instances do not hit a tracker together.
        delay *= 0.5 + self._rng.random() / 2
        trouble.wait = Wait(now + timedelta(seconds=delay), rate_limited=False, cause=cause)
        return delay

    def succeeded(self, tracker: str) -> None:
        """The tracker worked: no wait, and the next failure starts the backoff over."""
        self._trouble[tracker] = _Trouble()

    def resume(self, last_cycles: Mapping[str, CycleRow]) -> None:
        """A rate-limit pause outlives a restart or a reload: read it back from the state."""
        for name, row in last_cycles.items():
            if name in self._trouble and row.outcome is CycleOutcome.PAUSED and row.paused_until:
                self.paused(name, row.paused_until, row.message.removeprefix("rate limited: "))
