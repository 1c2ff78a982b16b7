"""Request counters by route and method, for tests, the demo and benchmarks."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    """What the sandbox has served since it started or was reset."""

    requests: dict[str, int]  # "GET github.issues.list" -> count
    total: int
    not_modified: int
    writes: int
    faults: int

    def count(self, method: str, route: str) -> int:
        """How many `method` requests reached `route`."""
        return self.requests.get(f"{method} {route}", 0)

    def as_json(self) -> dict[str, object]:
        """The admin API's JSON shape."""
        return {
            "requests": dict(self.requests),
            "total": self.total,
            "not_modified": self.not_modified,
            "writes": self.writes,
            "faults": self.faults,
        }


class Traffic:
    """Thread-safe counters behind Stats."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: Counter[str] = Counter()
        self._not_modified = 0
        self._writes = 0
        self._faults = 0

    def record(
        self,
        method: str,
        route: str,
        status: int,
        *,
        write: bool,
        faulted: bool,
        landed: bool = False,
    ) -> None:
        """Count one answered (or dropped) request; `landed`: faulted, yet served all the same."""
        with self._lock:
            self._requests[f"{method} {route}"] += 1
            self._not_modified += status == 304
            self._writes += write and (landed or not faulted) and 0 < status < 400
            self._faults += faulted

    def stats(self) -> Stats:
        """A copy of the counters."""
        with self._lock:
            total = sum(self._requests.values())
            return Stats(
                dict(self._requests), total, self._not_modified, self._writes, self._faults
            )

    def reset(self) -> None:
        """Back to zero."""
        with self._lock:
            self._requests.clear()
            self._not_modified = self._writes = self._faults = 0
