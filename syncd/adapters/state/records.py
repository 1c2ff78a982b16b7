"""The `records` table: what syncd decided and wrote for each issue (syncd.domain.ledger)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from syncd.adapters.state.table import Table
from syncd.domain.ledger import IssueRecord, RecordKey

# Spelled out (not built from the dataclass) so every query is a constant; a test checks that
# these stay in step with IssueRecord's fields.
_RECORD_COLUMNS = (
    "tier",
    "placed_at",
    "member",
    "tier_label",
    "assignee",
    "assign_settled",
    "flagged",
    "commented",
    "seen_updated",
    "wrote_at",
    "sent_labels",
    "sent_assignees",
)
_SELECT_RECORDS = (
    "SELECT tracker, key, tier, placed_at, member, tier_label, assignee, assign_settled,"
    " flagged, commented, seen_updated, wrote_at, sent_labels, sent_assignees FROM records"
)
_SAVE_RECORD = (
    "INSERT OR REPLACE INTO records (tracker, key, tier, placed_at, member, tier_label,"
    " assignee, assign_settled, flagged, commented, seen_updated, wrote_at, sent_labels,"
    " sent_assignees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_CHUNK = 500  # keys per query: well under SQLite's limit on parameters


class RecordTable(Table):
    """Issue records by (tracker, key)."""

    def read(
        self, tracker: str | None = None, keys: Collection[str] | None = None
    ) -> dict[RecordKey, IssueRecord]:
        """Every record, or those of one tracker, by (tracker, key); only `keys` when given."""
        with self._sql() as conn:
            if tracker is None:
                rows = conn.execute(_SELECT_RECORDS).fetchall()
            elif keys is None:
                rows = conn.execute(_SELECT_RECORDS + " WHERE tracker = ?", (tracker,)).fetchall()
            else:
                rows = [row for chunk in _chunks(keys) for row in _keyed(conn, tracker, chunk)]
        read = ((row[:2], self._read("records", row[1], _record, row[2:])) for row in rows)
        return {(tracker, key): record for (tracker, key), record in read if record is not None}

    def save(self, tracker: str, key: str, record: IssueRecord) -> None:
        """Store (replace) the record of one issue."""
        values = (
            record.tier,
            _iso(record.placed_at),
            record.member,
            record.tier_label,
            record.assignee,
            record.assign_settled,
            record.flagged,
            record.commented,
            _iso(record.seen_updated),
            _iso(record.wrote_at),
            json.dumps(list(record.sent_labels)),
            json.dumps(list(record.sent_assignees)),
        )
        with self._sql() as conn:
            conn.execute(_SAVE_RECORD, (tracker, key, *values))


def _keyed(conn: sqlite3.Connection, tracker: str, keys: list[str]) -> list[tuple[object, ...]]:
    marks = ", ".join("?" * len(keys))
    query = f"{_SELECT_RECORDS} WHERE tracker = ? AND key IN ({marks})"
    return conn.execute(query, (tracker, *keys)).fetchall()


def _chunks(keys: Collection[str]) -> list[list[str]]:
    ordered = sorted(set(keys))
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]


def _record(values: Sequence[object]) -> IssueRecord:
    named = dict(zip(_RECORD_COLUMNS, values, strict=True))
    return IssueRecord(
        tier=_text(named["tier"]),
        placed_at=time_of(named["placed_at"]),
        member=_text(named["member"]),
        tier_label=_text(named["tier_label"]),
        assignee=_text(named["assignee"]),
        assign_settled=bool(named["assign_settled"]),
        flagged=bool(named["flagged"]),
        commented=bool(named["commented"]),
        seen_updated=time_of(named["seen_updated"]),
        wrote_at=time_of(named["wrote_at"]),
        sent_labels=_labels(named["sent_labels"]),
        sent_assignees=_labels(named["sent_assignees"]),
    )


def _labels(value: object) -> tuple[str, ...]:
    """A JSON list of names as stored; anything else (a hand-edited file) reads as none."""
    try:
        loaded = json.loads(value) if isinstance(value, str) else None
    except ValueError:
        return ()
    if not isinstance(loaded, list):
        return ()
    return tuple(item for item in loaded if isinstance(item, str))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def time_of(value: object) -> datetime | None:
    """A stored ISO time, or None when the column holds none."""
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
