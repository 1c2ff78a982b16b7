"""What each Jira tracker learnt about its site, kept so that a start need not ask again."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syncd.adapters.jira.facts import LearntFacts, SiteFacts
from syncd.adapters.state.table import Table

_SELECT = (
    "SELECT site, learnt_at, deployment, zone, hours_per_day, points_field, estimate_field"
    " FROM jira_sites WHERE tracker = ?"
)
_SAVE = (
    "INSERT OR REPLACE INTO jira_sites (tracker, site, learnt_at, deployment, zone,"
    " hours_per_day, points_field, estimate_field) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class JiraSiteTable(Table):
    """The `jira_sites` row of one tracker (implements syncd.adapters.jira.facts.SiteFactsStore)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, tracker: str) -> None:
        super().__init__(path, conn)
        self._tracker = tracker

    def learnt(self) -> LearntFacts | None:
        """The facts last kept for this tracker; None when there are none or they are unreadable."""
        with self._sql() as conn:
            row = conn.execute(_SELECT, (self._tracker,)).fetchone()
        return None if row is None else _learnt(row)

    def remember(self, learnt: LearntFacts) -> None:
        """Keep `learnt` in place of what was kept before."""
        facts = learnt.facts
        values = (
            *(self._tracker, learnt.site, learnt.at.isoformat(), facts.deployment),
            *(facts.tz.key, facts.hours_per_day, facts.points_field, facts.estimate_field),
        )
        with self._sql() as conn:
            conn.execute(_SAVE, values)


def _learnt(row: Sequence[object]) -> LearntFacts | None:
    """The row as facts; None (learn again) when it cannot be read, e.g. a zone gone from tzdata."""
    site, at, deployment, zone, hours, points, estimate = row
    if deployment not in ("cloud", "server") or not isinstance(hours, int | float):
        return None
    try:
        tz = ZoneInfo(str(zone))
        learnt_at = datetime.fromisoformat(str(at))
    except (ZoneInfoNotFoundError, ValueError):
        return None
    facts = SiteFacts(
        deployment="cloud" if deployment == "cloud" else "server",
        tz=tz,
        hours_per_day=float(hours),
        points_field=points if isinstance(points, str) else None,
        estimate_field=str(estimate),
    )
    return LearntFacts(str(site), learnt_at, facts)
