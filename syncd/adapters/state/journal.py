"""The rotation journal kept in the state file (syncd.domain.rotation.journal.Journal)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from syncd.adapters.state.table import Table
from syncd.domain.rotation.journal import JournalEntry


class SqliteJournal(Table):
    """Started shifts, one row each; `owed` is stored as a JSON list."""

    def entries(self) -> Sequence[JournalEntry]:
        """Every recorded shift, ordered by index."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT idx, start, end, member, source, cursor, owed FROM journal ORDER BY idx"
            ).fetchall()
        read = (self._read("journal", row[0], _entry, row) for row in rows)
        return tuple(entry for entry in read if entry is not None)

    def after(self, index: int) -> Sequence[JournalEntry]:
        """The recorded shifts whose index is above `index`, ordered by index."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT idx, start, end, member, source, cursor, owed FROM journal"
                " WHERE idx > ? ORDER BY idx",
                (index,),
            ).fetchall()
        read = (self._read("journal", row[0], _entry, row) for row in rows)
        return tuple(entry for entry in read if entry is not None)

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


def _entry(row: Sequence[object]) -> JournalEntry:
    idx, start, end, member, source, cursor, owed = row
    names = json.loads(str(owed))
    if not isinstance(idx, int) or not isinstance(names, list):
        raise TypeError(f"index {idx!r} or owed {owed!r} is not what syncd writes")
    return JournalEntry(
        index=idx,
        start=datetime.fromisoformat(str(start)),
        end=datetime.fromisoformat(str(end)),
        member=member if isinstance(member, str) else None,
        source=str(source),
        cursor=cursor if isinstance(cursor, str) else None,
        owed=tuple(str(name) for name in names),
    )
