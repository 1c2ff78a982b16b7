"""What the service reports as it runs: the `Metrics` port, its null version, error kinds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from syncd.domain.cycles import CycleRow
from syncd.errors import (
    AuthFailed,
    NotFound,
    RateLimited,
    TrackerError,
    TrackerUnavailable,
    Unassignable,
    WriteRejected,
)

_ERROR_KINDS: tuple[tuple[type[BaseException], str], ...] = (
    (RateLimited, "rate_limited"),
    (AuthFailed, "auth"),
    (NotFound, "not_found"),
    (WriteRejected, "rejected"),
    (Unassignable, "unassignable"),
    (TrackerUnavailable, "unavailable"),
    (TrackerError, "tracker"),
)


def error_kind(error: BaseException) -> str:
    """The `kind` label of an error: auth, not_found, unavailable, ..., internal for a bug."""
    return next((kind for cls, kind in _ERROR_KINDS if isinstance(error, cls)), "internal")


@dataclass(frozen=True)
class Traffic:
    """HTTP requests an adapter sent, and how many were answered 304 Not Modified."""

    requests: int = 0
    not_modified: int = 0

    @classmethod
    def of(cls, tracker: object) -> Traffic:
        """The counters of an adapter's `stats` so far (zero for a tracker without them)."""
        stats = getattr(tracker, "stats", None)
        return cls(_count(stats, "requests"), _count(stats, "not_modified"))

    def __sub__(self, earlier: Traffic) -> Traffic:
        return Traffic(self.requests - earlier.requests, self.not_modified - earlier.not_modified)


def _count(stats: object, name: str) -> int:
    value = getattr(stats, name, 0)
    return value if isinstance(value, int) else 0


class Metrics(Protocol):
    """What the service reports as it runs."""

    def track(self, trackers: Sequence[str]) -> None:
        """The trackers of the config in use (at start and after every reload)."""
        ...

    def cycle_finished(self, row: CycleRow, traffic: Traffic, queue: Mapping[str, int]) -> None:
        """One tracker's cycle ended: its row, its HTTP traffic, its queue size per tier."""
        ...

    def wrote(self, tracker: str, action: str) -> None:
        """One write (add_label, remove_label, assign, unassign, comment) was answered."""
        ...

    def failed(self, tracker: str, kind: str) -> None:
        """One error of `kind` (see `error_kind`) in a tracker's cycle."""
        ...

    def paused(self, tracker: str, until: datetime) -> None:
        """A tracker hit a rate limit and waits until `until`."""
        ...

    def backlog(self, tracker: str, waiting: int, done_by: datetime) -> None:
        """Writes a cycle left waiting (budget, cap, stop) and when the budget sees them done."""
        ...

    def delivered(self, tracker: str, result: str) -> None:
        """One webhook delivery was answered: queued, duplicate, ignored, unsigned, ..."""
        ...

    def reacted(self, tracker: str, seconds: float) -> None:
        """A queued delivery was settled `seconds` after it was accepted (its writes landed)."""
        ...

    def shift_started(self, member: str, source: str) -> None:
        """A segment of a shift began (journaled): who holds it and why (rotation, override...)."""
        ...

    def fire_assigned(self, seconds: float) -> None:
        """syncd assigned a fire `seconds` after the issue was created."""
        ...


class NullMetrics:
    """The metrics of a daemon run without `--metrics-port`: nothing is kept."""

    def track(self, trackers: Sequence[str]) -> None:
        """Nothing to keep."""

    def cycle_finished(self, row: CycleRow, traffic: Traffic, queue: Mapping[str, int]) -> None:
        """Nothing to keep."""

    def wrote(self, tracker: str, action: str) -> None:
        """Nothing to keep."""

    def failed(self, tracker: str, kind: str) -> None:
        """Nothing to keep."""

    def paused(self, tracker: str, until: datetime) -> None:
        """Nothing to keep."""

    def backlog(self, tracker: str, waiting: int, done_by: datetime) -> None:
        """Nothing to keep."""

    def delivered(self, tracker: str, result: str) -> None:
        """Nothing to keep."""

    def reacted(self, tracker: str, seconds: float) -> None:
        """Nothing to keep."""

    def shift_started(self, member: str, source: str) -> None:
        """Nothing to keep."""

    def fire_assigned(self, seconds: float) -> None:
        """Nothing to keep."""
