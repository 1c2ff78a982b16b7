"""The rotation journal kept in the state file (implements syncd.journal.Journal)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from syncd.journal import JournalEntry


class SqliteJournal:
    """Started shifts, one row each; `owed` is stored as a JSON list."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def entries(self) -> Sequence[JournalEntry]:
        """Every recorded shift, ordered by index."""
        rows = self._conn.execute(
            "SELECT idx, start, end, member, source, cursor, owed FROM journal ORDER BY idx"
        )
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
        self._conn.execute(
            "INSERT OR IGNORE INTO journal (idx, start, end, member, source, cursor, owed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                entry.index,
                entry.start.isoformat(),
                entry.end.isoformat(),
                entry.member,
                entry.source,
                entry.cursor,
                json.dumps(list(entry.owed)),
            ),
        )
