"""The SQLite state file: opened, locked and migrated at start, written as the cycle goes."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from types import TracebackType

from syncd.errors import StateError
from syncd.ledger import IssueRecord, RecordKey
from syncd.state import schema
from syncd.state.journal import SqliteJournal
from syncd.state.lock import StateLock
from syncd.state.rows import AuditEntry, CycleOutcome, CycleRow
from syncd.state.seen import SeenTable

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
)
_SELECT_RECORDS = (
    "SELECT tracker, key, tier, placed_at, member, tier_label, assignee, assign_settled,"
    " flagged, commented FROM records"
)
_SAVE_RECORD = (
    "INSERT OR REPLACE INTO records (tracker, key, tier, placed_at, member, tier_label,"
    " assignee, assign_settled, flagged, commented) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


class Store:
    """One open state file; never holds a secret (trackers' credentials stay in the config)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: StateLock | None) -> None:
        self.path = path
        self._conn = conn
        self._lock = lock
        self.journal = SqliteJournal(conn)
        self.seen = SeenTable(path, conn)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Lock (unless `read_only`), create (mode 0600) and migrate the file at `path`.

        `read_only` is for `syncd status` next to a running daemon: no lock, no migration.
        Raises StateLocked when another process holds the file, StateError when it is unusable.
        """
        if read_only:
            return cls(path, _connect_read_only(path), None)
        lock = StateLock.acquire(path)
        try:
            return cls(path, _connect(path), lock)
        except BaseException:
            lock.release()
            raise

    def close(self) -> None:
        """Close the file and release the lock."""
        self._conn.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- issue records -----------------------------------------------------------------------

    def records(self, tracker: str | None = None) -> dict[RecordKey, IssueRecord]:
        """Every record, or those of one tracker, by (tracker, key)."""
        with self._sql() as conn:
            if tracker is None:
                rows = conn.execute(_SELECT_RECORDS).fetchall()
            else:
                rows = conn.execute(_SELECT_RECORDS + " WHERE tracker = ?", (tracker,)).fetchall()
        return {(row[0], row[1]): _record(row[2:]) for row in rows}

    def save_record(self, tracker: str, key: str, record: IssueRecord) -> None:
        """Store (replace) the record of one issue."""
        placed = record.placed_at.isoformat() if record.placed_at else None
        values = (
            record.tier,
            placed,
            record.member,
            record.tier_label,
            record.assignee,
            record.assign_settled,
            record.flagged,
            record.commented,
        )
        with self._sql() as conn:
            conn.execute(_SAVE_RECORD, (tracker, key, *values))

    # --- watermarks and ETags ----------------------------------------------------------------

    def watermark(self, tracker: str) -> datetime | None:
        """The latest `updated` time fully handled for `tracker`."""
        with self._sql() as conn:
            row = conn.execute(
                "SELECT watermark FROM watermarks WHERE tracker = ?", (tracker,)
            ).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def set_watermark(self, tracker: str, when: datetime) -> None:
        """Move `tracker`'s watermark to `when`."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO watermarks (tracker, watermark) VALUES (?, ?)",
                (tracker, when.isoformat()),
            )

    def etags(self, tracker: str) -> TrackerEtags:
        """The ETag store of one tracker (implements syncd.tracker.EtagStore)."""
        return TrackerEtags(self, tracker)

    # --- unassignable identities -------------------------------------------------------------

    def mark_unassignable(self, tracker: str, identity: str, since: datetime) -> None:
        """Remember that `tracker` refused `identity`, so that later plans skip it."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO unassignable (tracker, identity, since) VALUES (?, ?, ?)",
                (tracker, identity, since.isoformat()),
            )

    def unassignable(self) -> frozenset[tuple[str, str]]:
        """Every (tracker, identity) a tracker refused."""
        with self._sql() as conn:
            rows = conn.execute("SELECT tracker, identity FROM unassignable").fetchall()
        return frozenset((tracker, identity) for tracker, identity in rows)

    # --- cycles and audit --------------------------------------------------------------------

    def record_cycle(self, row: CycleRow) -> None:
        """Append one tracker's cycle."""
        until = row.paused_until.isoformat() if row.paused_until else None
        with self._sql() as conn:
            conn.execute(
                "INSERT INTO cycles (tracker, started, finished, outcome, writes, errors,"
                " message, paused_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.tracker,
                    row.started.isoformat(),
                    row.finished.isoformat(),
                    row.outcome.value,
                    row.writes,
                    row.errors,
                    row.message,
                    until,
                ),
            )

    def last_cycles(self) -> dict[str, CycleRow]:
        """The latest cycle of every tracker that has run one."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT tracker, started, finished, outcome, writes, errors, message, paused_until"
                " FROM cycles WHERE id IN (SELECT MAX(id) FROM cycles GROUP BY tracker)"
            ).fetchall()
        return {row[0]: _cycle(row) for row in rows}

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
        return [AuditEntry(datetime.fromisoformat(row[0]), *row[1:]) for row in rows]

    @contextmanager
    def _sql(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise StateError(f"state file {self.path}: {exc}") from exc


class TrackerEtags:
    """ETags of one tracker's list URLs, namespaced so that two trackers never share one."""

    def __init__(self, store: Store, tracker: str) -> None:
        self._store = store
        self._tracker = tracker

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`, if any."""
        with self._store._sql() as conn:
            row = conn.execute(
                "SELECT etag FROM etags WHERE tracker = ? AND url = ?", (self._tracker, url)
            ).fetchone()
        return None if row is None else str(row[0])

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of the latest 200 answer for `url`."""
        with self._store._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO etags (tracker, url, etag) VALUES (?, ?, ?)",
                (self._tracker, url, etag),
            )


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Create the file ourselves so it is 0600 from its first byte (sqlite would use the umask).
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        schema.migrate(conn)
    except (sqlite3.Error, ValueError) as exc:
        conn.close()
        raise StateError(f"state file {path} cannot be used: {exc}") from exc
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.exists():
        raise StateError(f"state file {path} does not exist (has `syncd run` been started?)")
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        found = schema.version(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StateError(f"state file {path} cannot be read: {exc}") from exc
    if found != schema.LATEST:
        conn.close()
        raise StateError(
            f"state file {path} is at schema version {found}, this syncd reads {schema.LATEST}"
        )
    return conn


def _record(values: Sequence[object]) -> IssueRecord:
    named = dict(zip(_RECORD_COLUMNS, values, strict=True))
    placed = named["placed_at"]
    return IssueRecord(
        tier=_text(named["tier"]),
        placed_at=datetime.fromisoformat(placed) if isinstance(placed, str) else None,
        member=_text(named["member"]),
        tier_label=_text(named["tier_label"]),
        assignee=_text(named["assignee"]),
        assign_settled=bool(named["assign_settled"]),
        flagged=bool(named["flagged"]),
        commented=bool(named["commented"]),
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


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
