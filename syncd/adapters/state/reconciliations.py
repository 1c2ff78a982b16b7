"""When each tracker last completed a full reconciliation, and under which configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from syncd.adapters.state.table import Table


@dataclass(frozen=True)
class Reconciliation:
    """A full pass over one tracker that completed at `at` under the config `digest`."""

    at: datetime
    digest: str

    def due(self, now: datetime, interval: timedelta, digest: str) -> bool:
        """Whether another full pass is due: `interval` has passed, or the config changed."""
        return self.digest != digest or now - self.at >= interval


class ReconciliationTable(Table):
    """The `reconciliations` table of the state file: one row per tracker."""

    def last(self, tracker: str) -> Reconciliation | None:
        """The latest complete reconciliation of `tracker`, if any."""
        with self._sql() as conn:
            row = conn.execute(
                "SELECT at, digest FROM reconciliations WHERE tracker = ?", (tracker,)
            ).fetchone()
        return None if row is None else self._read("reconciliations", tracker, _reconciliation, row)

    def completed(self, tracker: str, reconciliation: Reconciliation) -> None:
        """Remember that a full pass over `tracker` completed."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO reconciliations (tracker, at, digest) VALUES (?, ?, ?)",
                (tracker, reconciliation.at.isoformat(), reconciliation.digest),
            )


def _reconciliation(row: tuple[object, object]) -> Reconciliation:
    at, digest = row
    return Reconciliation(datetime.fromisoformat(str(at)), str(digest))
