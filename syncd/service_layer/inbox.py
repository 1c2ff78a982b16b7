"""The bounded queue between the HTTP listener's threads and the daemon's loop thread.

A webhook handler `offer`s a delivery (on a listener thread, never waiting for tracker I/O);
the loop thread `take`s what is queued, re-reads each issue, and calls `done` once the delivery
is settled, which remembers its id in the state file. Ids offered are remembered here too, so a
redelivery arriving while the first is still queued answers 200 at once. Only the loop thread
touches the state file (SQLite connections stay on the thread that opened them).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

QUEUE_SIZE = 1000  # deliveries waiting for the loop thread; more answer 503
REMEMBERED = 100_000  # ids kept in memory for duplicates; older ones are checked in the state


class Offered(Enum):
    """What became of an offered delivery, and so the answer to it."""

    QUEUED = "queued"  # 202
    DUPLICATE = "duplicate"  # 200
    FULL = "queue_full"  # 503


@dataclass(frozen=True)
class Delivery:
    """One accepted delivery naming an issue; `accepted` is a monotonic time in seconds."""

    tracker: str
    key: str
    event: str
    id: str | None  # the tracker's delivery id; None when the tracker sent none
    accepted: float


class Inbox:
    """Deliveries waiting for the loop thread, and the ids already taken; thread-safe.

    `wake` is called after each delivery queued (the daemon's wait ends at once).
    """

    def __init__(
        self,
        taken: Iterable[tuple[str, str]] = (),
        *,
        size: int = QUEUE_SIZE,
        monotonic: Callable[[], float] = time.monotonic,
        wake: Callable[[], object] = lambda: None,
    ) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Delivery] = deque()
        self._size = size
        self._ids: OrderedDict[tuple[str, str], None] = OrderedDict.fromkeys(taken)
        self._monotonic = monotonic
        self.wake = wake

    def offer(self, tracker: str, key: str, event: str, delivery_id: str | None) -> Offered:
        """Queue a delivery unless its id was taken before or the queue is full."""
        with self._lock:
            if delivery_id is not None and (tracker, delivery_id) in self._ids:
                return Offered.DUPLICATE
            if len(self._queue) >= self._size:
                return Offered.FULL  # its id stays unknown: a redelivery may be taken later
            if delivery_id is not None:
                self._remember((tracker, delivery_id))
            self._queue.append(Delivery(tracker, key, event, delivery_id, self._monotonic()))
        self.wake()
        return Offered.QUEUED

    def take(self) -> list[Delivery]:
        """Everything queued, oldest first, leaving the queue empty."""
        with self._lock:
            taken = list(self._queue)
            self._queue.clear()
        return taken

    def __len__(self) -> int:
        with self._lock:
            return len(self._queue)

    def _remember(self, delivery: tuple[str, str]) -> None:
        self._ids[delivery] = None
        while len(self._ids) > REMEMBERED:
            self._ids.popitem(last=False)
