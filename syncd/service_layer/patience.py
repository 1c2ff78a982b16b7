"""Waiting out a short rate limit within a cycle, so that a few seconds' pause costs no cycle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TypeVar

import structlog

from syncd.domain.issue import IssueSnapshot
from syncd.domain.timestamps import iso_utc
from syncd.errors import RateLimited
from syncd.service_layer.tracker import Fetch, Tracker

log = structlog.get_logger("syncd.patience")

T = TypeVar("T")

LONGEST = 60.0  # seconds a cycle may wait in all, however long the poll interval
# Each wait counts as at least this long: a tracker answering `Retry-After: 0` again and again
# is neither hammered nor waited for forever.
SHORTEST = 1.0


class Patience:
    """How long one cycle may still wait for rate limits to lift, shared by all its calls.

    A RateLimited whose pause fits in what is left is slept out (with the injected sleep, which
    a stop ends at once) and the call is made again; a longer one, or a stop, lets it through,
    and the tracker pauses until then as before. A 403/429 means the request was not handled,
    so a write made again after the wait is made once.
    """

    def __init__(
        self,
        clock: Callable[[], datetime],
        sleep: Callable[[float], object],
        budget: float,
        stop_requested: Callable[[], bool],
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._left = min(budget, LONGEST)
        self._stop_requested = stop_requested

    def call(self, tracker: str, call: Callable[[], T]) -> T:
        """`call()`, made again after each short rate limit while the budget lasts."""
        while True:
            try:
                return call()
            except RateLimited as exc:
                if not self._waited_out(tracker, exc.until):
                    raise

    def _waited_out(self, tracker: str, until: datetime) -> bool:
        """Sleep until `until` if the budget allows; whether the call may be made again."""
        wait = max(SHORTEST, (until - self._clock()).total_seconds())
        if wait > self._left or self._stop_requested():
            return False
        log.info("rate limited: waiting", tracker=tracker, seconds=wait, until=iso_utc(until))
        self._left -= wait
        self._sleep(wait)
        return not self._stop_requested()


class PatientTracker:
    """A Tracker whose every call waits out short rate limits (see Patience)."""

    def __init__(self, tracker: Tracker, patience: Patience) -> None:
        self._tracker = tracker
        self._patience = patience

    @property
    def name(self) -> str:
        """The tracker's name from the config."""
        return self._tracker.name

    def fetch(self, since: datetime | None) -> Fetch:
        """The tracker's fetch; a listing rate-limited midway is listed again from its start."""
        return self._patience.call(self.name, partial(self._tracker.fetch, since))

    def fetch_one(self, key: str) -> IssueSnapshot | None:
        """The tracker's fetch_one."""
        return self._patience.call(self.name, partial(self._tracker.fetch_one, key))

    def add_label(self, key: str, label: str) -> None:
        """The tracker's add_label."""
        self._patience.call(self.name, partial(self._tracker.add_label, key, label))

    def add_labels(self, key: str, labels: tuple[str, ...]) -> None:
        """The tracker's add_labels."""
        self._patience.call(self.name, partial(self._tracker.add_labels, key, labels))

    def remove_label(self, key: str, label: str) -> None:
        """The tracker's remove_label."""
        self._patience.call(self.name, partial(self._tracker.remove_label, key, label))

    def assign(self, key: str, identity: str, replacing: str | None) -> None:
        """The tracker's assign (Unassignable passes through: it is no rate limit)."""
        self._patience.call(self.name, partial(self._tracker.assign, key, identity, replacing))

    def unassign(self, key: str, identity: str) -> None:
        """The tracker's unassign."""
        self._patience.call(self.name, partial(self._tracker.unassign, key, identity))

    def comment(self, key: str, body: str, marker: str) -> bool:
        """The tracker's comment (it looks for its marker again before posting)."""
        return self._patience.call(self.name, partial(self._tracker.comment, key, body, marker))
