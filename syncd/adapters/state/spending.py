"""The write budget spent and the backlog left, per tracker (tables `write_times`, `backlog`).

Each write's time is kept for an hour (the longest budget window), so that a restart or a crash
loop starts from the budget already spent instead of bursting. The backlog is what the last
apply left waiting and when it would be done, for `syncd status` (another process) to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from syncd.adapters.state.table import Table
from syncd.domain.write_budget import HOUR


@dataclass(frozen=True)
class Backlog:
    """`waiting` writes of `tracker` left by the apply at `at`, done at the budget by `done_by`."""

    tracker: str
    waiting: int
    done_by: datetime
    at: datetime


class SpendingTable(Table):
    """Write times and backlogs; times are UTC ISO text, compared as text."""

    def write_times(self, tracker: str, now: datetime) -> list[datetime]:
        """The times of `tracker`'s writes within the hour before `now`, oldest first."""
        since = _text(now - HOUR)
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT at FROM write_times WHERE tracker = ? AND at > ? ORDER BY at",
                (tracker, since),
            ).fetchall()
        read = (self._read("write_times", tracker, _time, at) for (at,) in rows)
        return [moment for moment in read if moment is not None]

    def spent(self, tracker: str, times: Iterable[datetime]) -> None:
        """Record writes of `tracker` made at `times`; those older than an hour are dropped."""
        rows = [(tracker, _text(moment)) for moment in times]
        if not rows:
            return
        with self._sql() as conn:
            conn.executemany("INSERT INTO write_times (tracker, at) VALUES (?, ?)", rows)
            latest = max(row[1] for row in rows)
            cutoff = _text(datetime.fromisoformat(latest) - HOUR)
            conn.execute("DELETE FROM write_times WHERE tracker = ? AND at <= ?", (tracker, cutoff))

    def save_backlog(self, backlog: Backlog) -> None:
        """Replace `backlog.tracker`'s backlog."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO backlog (tracker, waiting, done_by, at)"
                " VALUES (?, ?, ?, ?)",
                (backlog.tracker, backlog.waiting, _text(backlog.done_by), _text(backlog.at)),
            )

    def backlogs(self) -> dict[str, Backlog]:
        """Every tracker's last backlog, by tracker."""
        with self._sql() as conn:
            rows = conn.execute("SELECT tracker, waiting, done_by, at FROM backlog").fetchall()
        read = (self._read("backlog", row[0], _backlog, row) for row in rows)
        return {backlog.tracker: backlog for backlog in read if backlog is not None}


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _time(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError("not a time")
    return datetime.fromisoformat(value)


def _backlog(row: tuple[object, ...]) -> Backlog:
    tracker, waiting, done_by, at = row
    if not isinstance(waiting, int):
        raise TypeError("waiting is not a count")
    return Backlog(str(tracker), waiting, _time(done_by), _time(at))
