"""The cycle history and the audit log: appended as syncd works, pruned by age."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import UTC, datetime, timedelta

from syncd.adapters.state.table import Table
from syncd.domain.cycles import AuditEntry, CycleOutcome, CycleRow

# How long a cycle row and an audit entry are kept (see docs/operations.md, "The state file").
CYCLE_RETENTION = timedelta(days=30)
AUDIT_RETENTION = timedelta(days=90)

# Spelled out so that every query is a constant.
_SAVE_CYCLE = (
    "INSERT INTO cycles (tracker, started, finished, outcome, writes, errors, message,"
    " paused_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_LAST_CYCLES = (
    "SELECT tracker, started, finished, outcome, writes, errors, message, paused_until"
    " FROM cycles WHERE id IN (SELECT MAX(id) FROM cycles GROUP BY tracker)"
)


@dataclass(frozen=True)
class Pruned:
    """How many rows one pruning removed."""

    cycles: int
    audit: int


class History(Table):
    """The `cycles` and `audit` tables of the state file."""

    def record_cycle(self, row: CycleRow) -> None:
        """Append one tracker's cycle."""
        until = row.paused_until.isoformat() if row.paused_until else None
        values = (row.started.isoformat(), row.finished.isoformat(), row.outcome.value)
        with self._sql() as conn:
            conn.execute(
                _SAVE_CYCLE, (row.tracker, *values, row.writes, row.errors, row.message, until)
            )

    def last_cycles(self) -> dict[str, CycleRow]:
        """The latest cycle of every tracker that has run one."""
        with self._sql() as conn:
            rows = conn.execute(_LAST_CYCLES).fetchall()
        read = (self._read("cycles", row[0], _cycle, row) for row in rows)
        return {cycle.tracker: cycle for cycle in read if cycle is not None}

    def audit(self, entry: AuditEntry) -> None:
        """Append one write to the audit log."""
        values = astuple(entry)
        with self._sql() as conn:
            conn.execute(
                "INSERT INTO audit (time, tracker, issue, kind, detail, rule, reason, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (entry.time.isoformat(), *values[1:]),
            )

    def audit_since(self, since: datetime) -> list[AuditEntry]:
        """Audit entries at or after `since`, oldest first."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT time, tracker, issue, kind, detail, rule, reason, outcome FROM audit"
                " WHERE time >= ? ORDER BY id",
                (since.isoformat(),),
            ).fetchall()
        read = (self._read("audit", f"{row[1]} {row[2]}", _entry, row) for row in rows)
        return [entry for entry in read if entry is not None]

    def prune(self, now: datetime) -> Pruned:
        """Drop cycles older than CYCLE_RETENTION and audit entries older than AUDIT_RETENTION.

        Each tracker's latest cycle is kept whatever its age: `syncd status` and a rate-limit
        pause that outlives a restart are read from it.
        """
        # Stored times are UTC ISO strings, so they compare as text.
        utc = now.astimezone(UTC)
        with self._sql() as conn:
            cycles = conn.execute(
                "DELETE FROM cycles WHERE finished < ?"
                " AND id NOT IN (SELECT MAX(id) FROM cycles GROUP BY tracker)",
                ((utc - CYCLE_RETENTION).isoformat(),),
            ).rowcount
            audit = conn.execute(
                "DELETE FROM audit WHERE time < ?", ((utc - AUDIT_RETENTION).isoformat(),)
            ).rowcount
        return Pruned(cycles, audit)


def _entry(row: Sequence[object]) -> AuditEntry:
    time, *rest = row
    return AuditEntry(datetime.fromisoformat(str(time)), *map(str, rest))


def _cycle(row: Sequence[object]) -> CycleRow:
    tracker, started, finished, outcome, writes, errors, message, until = row
    return CycleRow(
        tracker=str(tracker),
        started=datetime.fromisoformat(str(started)),
        finished=datetime.fromisoformat(str(finished)),
        outcome=CycleOutcome(outcome),
        writes=int(str(writes)),
        errors=int(str(errors)),
        message=str(message),
        paused_until=datetime.fromisoformat(until) if isinstance(until, str) else None,
    )
