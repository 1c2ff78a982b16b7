"""The rotation journal kept in the state file (implements syncd.journal.Journal)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from syncd.journal import JournalEntry
from syncd.state.table import Table


class SqliteJournal(Table):
    """Started shifts, one row each; `owed` is stored as a JSON list."""

    def entries(self) -> Sequence[JournalEntry]:
        """Every recorded shift, ordered by index."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT idx, start, end, member, source, cursor, owed FROM journal ORDER BY idx"
            ).fetchall()
        return tuple(
            JournalEntry(
                index=idx,
                start=datetime.fromisoformat(start),
                end=datetime.fromisoformat(end),
                member=member,
                source=source,
                cursor=cursor,
                owed=tuple(json.loads(owed)),
            )
            for idx, start, end, member, source, cursor, owed in rows
        )

    def append(self, entry: JournalEntry) -> None:
        """Record a shift that has started; a second record of the same index is ignored."""
        # The roster may be rebuilt after a reload and offer a shift again: first write wins,
        # because a started shift must never change.
        values = (
            entry.index,
            entry.start.isoformat(),
            entry.end.isoformat(),
            entry.member,
            entry.source,
            entry.cursor,
            json.dumps(list(entry.owed)),
        )
        with self._sql() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO journal (idx, start, end, member, source, cursor, owed)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
