"""The `outbox` table: each message to people by a stable id, so that it is sent exactly once.

A message is recorded before it is sent. `pending` ones are sent when `next_attempt` has come;
a 2xx answer marks one `sent` and nothing sends it again, across restarts and reloads too; a
message still pending after `relevant_until` (or refused for good) is `dropped`. Rows are kept
`RETENTION` after they stop mattering, so a message decided again (the same id) stays known.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from syncd.adapters.state.table import Table

RETENTION = timedelta(days=30)
# Constant queries, spelled out as in store.py.
_SELECT = (
    "SELECT id, kind, payload, status, attempts, next_attempt, relevant_until, created, done_at"
    " FROM outbox"
)
_INSERT = (
    "INSERT OR IGNORE INTO outbox (id, kind, payload, status, attempts, next_attempt,"
    " relevant_until, created, done_at) VALUES (?, ?, ?, 'pending', 0, ?, ?, ?, NULL)"
)


class Status(enum.StrEnum):
    """Where a message stands."""

    PENDING = "pending"
    SENT = "sent"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Message:
    """One message to one destination: `id` is `<event id>@<destination>`; `payload` the JSON
    body to POST. Times are aware UTC."""

    id: str
    kind: str
    payload: str
    relevant_until: datetime
    created: datetime
    status: Status = Status.PENDING
    attempts: int = 0
    next_attempt: datetime | None = None
    done_at: datetime | None = None

    @property
    def destination(self) -> str:
        """The part of the id after the last `@`: `slack`, `webhook`."""
        return self.id.rpartition("@")[2]


class OutboxTable(Table):
    """Messages by id; times are UTC ISO text, compared as text."""

    def known(self, ids: list[str]) -> set[str]:
        """Which of `ids` are recorded, whatever their status."""
        with self._sql() as conn:
            found = (
                conn.execute("SELECT id FROM outbox WHERE id = ?", (i,)).fetchone() for i in ids
            )
            return {str(row[0]) for row in found if row is not None}

    def any_of(self, kind: str) -> bool:
        """Whether any message of `kind` was ever recorded (a first start has none)."""
        with self._sql() as conn:
            row = conn.execute("SELECT 1 FROM outbox WHERE kind = ? LIMIT 1", (kind,)).fetchone()
        return row is not None

    def record(self, message: Message) -> bool:
        """Record `message` as pending, due at once; False (and nothing changed) if its id is
        already recorded."""
        created = _text(message.created)
        with self._sql() as conn:
            cursor = conn.execute(
                _INSERT,
                (
                    message.id,
                    message.kind,
                    message.payload,
                    created,
                    _text(message.relevant_until),
                    created,
                ),
            )
            return cursor.rowcount == 1

    def due(self, now: datetime) -> list[Message]:
        """Pending messages whose next attempt has come, oldest first."""
        with self._sql() as conn:
            rows = conn.execute(
                _SELECT + " WHERE status = 'pending' AND next_attempt <= ? ORDER BY created, id",
                (_text(now),),
            ).fetchall()
        read = (self._read("outbox", row[0], _message, row) for row in rows)
        return [message for message in read if message is not None]

    def get(self, id_: str) -> Message | None:
        """The message recorded as `id_`, if any."""
        with self._sql() as conn:
            row = conn.execute(_SELECT + " WHERE id = ?", (id_,)).fetchone()
        return None if row is None else self._read("outbox", id_, _message, row)

    def sent(self, id_: str, at: datetime) -> None:
        """A 2xx came back: the message is never sent again."""
        self._finish(id_, Status.SENT, at)

    def dropped(self, id_: str, at: datetime) -> None:
        """Refused for good, or no longer relevant: the message is given up."""
        self._finish(id_, Status.DROPPED, at)

    def retry(self, id_: str, at: datetime) -> None:
        """The send failed: try again at `at` (one more attempt counted)."""
        with self._sql() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?"
                " WHERE id = ? AND status = 'pending'",
                (_text(at), id_),
            )

    def prune(self, now: datetime) -> int:
        """Forget messages that stopped mattering RETENTION ago; how many were dropped."""
        with self._sql() as conn:
            return conn.execute(
                "DELETE FROM outbox WHERE status != 'pending' AND relevant_until < ?",
                (_text(now - RETENTION),),
            ).rowcount

    def _finish(self, id_: str, status: Status, at: datetime) -> None:
        with self._sql() as conn:
            conn.execute(
                "UPDATE outbox SET status = ?, done_at = ?, attempts = attempts + 1"
                " WHERE id = ? AND status = 'pending'",
                (status.value, _text(at), id_),
            )


def _message(row: tuple[object, ...]) -> Message:
    id_, kind, payload, status, attempts, next_attempt, until, created, done_at = row
    return Message(
        id=str(id_),
        kind=str(kind),
        payload=str(payload),
        relevant_until=datetime.fromisoformat(str(until)),
        created=datetime.fromisoformat(str(created)),
        status=Status(str(status)),
        attempts=int(str(attempts)),
        next_attempt=datetime.fromisoformat(str(next_attempt)),
        done_at=None if done_at is None else datetime.fromisoformat(str(done_at)),
    )


def _text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()
