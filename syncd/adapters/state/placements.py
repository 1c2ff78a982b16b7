"""The `placements` table: each escalation's first placement in each tier, for `syncd report`.

One row per issue and tier (a few hundred bytes), kept PLACEMENT_RETENTION after its placement:
the report covers a year, while the audit of writes is pruned after 90 days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from syncd.adapters.state.table import Table
from syncd.domain.placements import Assigned, Flagged, Happening, Placed, Placement

PLACEMENT_RETENTION = timedelta(days=400)

_SELECT = (
    "SELECT tracker, key, tier, placed_at, created, member, assignee, assigned_at, flagged_at"
    " FROM placements WHERE placed_at >= ? AND placed_at < ? ORDER BY placed_at"
)


class PlacementTable(Table):
    """Placements by (tracker, key, tier); times stored as UTC ISO text (compared as text)."""

    def note(self, happening: Happening) -> bool:
        """Keep one happening; False when it changed nothing (a tier placed before, an
        assignment already kept for the placement, a flag already kept)."""
        with self._sql() as conn:
            match happening:
                case Placed(p):
                    cursor = conn.execute(
                        "INSERT OR IGNORE INTO placements (tracker, key, tier, placed_at, created,"
                        " member) VALUES (?, ?, ?, ?, ?, ?)",
                        (p.tracker, p.key, p.tier, _iso(p.placed_at), _iso(p.created), p.member),
                    )
                case Assigned(tracker, key, tier, assignee, at, _):
                    cursor = conn.execute(
                        "UPDATE placements SET assignee = ?, assigned_at = ?"
                        " WHERE tracker = ? AND key = ? AND tier = ? AND assigned_at IS NULL",
                        (assignee, _iso(at), tracker, key, tier),
                    )
                case Flagged(tracker, key, at):
                    cursor = conn.execute(
                        "UPDATE placements SET flagged_at = ?"
                        " WHERE tracker = ? AND key = ? AND flagged_at IS NULL",
                        (_iso(at), tracker, key),
                    )
            return cursor.rowcount > 0

    def between(self, since: datetime, until: datetime) -> list[Placement]:
        """Placements made in [since, until), oldest first."""
        with self._sql() as conn:
            rows = conn.execute(_SELECT, (_iso(since), _iso(until))).fetchall()
        read = (self._read("placements", f"{row[0]} {row[1]}", _placement, row) for row in rows)
        return [placement for placement in read if placement is not None]

    def prune(self, now: datetime) -> int:
        """Forget placements made more than PLACEMENT_RETENTION before `now`; how many."""
        with self._sql() as conn:
            return conn.execute(
                "DELETE FROM placements WHERE placed_at < ?", (_iso(now - PLACEMENT_RETENTION),)
            ).rowcount


def _placement(row: Sequence[object]) -> Placement:
    tracker, key, tier, placed_at, created, member, assignee, assigned_at, flagged_at = row
    return Placement(
        tracker=str(tracker),
        key=str(key),
        tier=str(tier),
        placed_at=_time(placed_at),
        created=_time(created),
        member=member if isinstance(member, str) else None,
        assignee=assignee if isinstance(assignee, str) else None,
        assigned_at=None if assigned_at is None else _time(assigned_at),
        flagged_at=None if flagged_at is None else _time(flagged_at),
    )


def _time(value: object) -> datetime:
    parsed = datetime.fromisoformat(str(value))
    if parsed.tzinfo is None:
        raise ValueError(f"a time without an offset: {value!r}")
    return parsed


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()
