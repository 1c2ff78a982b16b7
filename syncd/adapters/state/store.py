"""The SQLite state file: opened, locked and migrated at start, written as the cycle goes."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

from syncd.adapters.state import schema
from syncd.adapters.state.deliveries import DeliveryTable
from syncd.adapters.state.etags import TrackerEtags
from syncd.adapters.state.history import History, Pruned
from syncd.adapters.state.jira_sites import JiraSiteTable
from syncd.adapters.state.journal import SqliteJournal
from syncd.adapters.state.lock import StateLock
from syncd.adapters.state.outbox import OutboxTable
from syncd.adapters.state.placements import PlacementTable
from syncd.adapters.state.reconciliations import ReconciliationTable
from syncd.adapters.state.rejections import RejectionTable
from syncd.adapters.state.seen import SeenTable
from syncd.adapters.state.spending import SpendingTable
from syncd.adapters.state.table import Table
from syncd.adapters.state.trouble import misplaced, unusable
from syncd.domain.cycles import AuditEntry, CycleRow
from syncd.domain.issue import Refusal
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.errors import StateError

# A refused assignee is tried again after this long: people become collaborators. At most one
# attempt per person, tracker and repository (or Jira project) per period: never a loop.
UNASSIGNABLE_TTL = timedelta(hours=24)
_LONG_AGO = datetime.min.replace(tzinfo=UTC)

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


class Store(Table):
    """One open state file; never holds a secret (trackers' credentials stay in the config)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: StateLock | None) -> None:
        super().__init__(path, conn)
        self._lock = lock
        self.journal = SqliteJournal(path, conn)
        self.seen = SeenTable(path, conn)
        self.history = History(path, conn)
        self.rejections = RejectionTable(path, conn)
        self.reconciliations = ReconciliationTable(path, conn)
        self.deliveries = DeliveryTable(path, conn)
        self.spending = SpendingTable(path, conn)
        self.outbox = OutboxTable(path, conn)
        self.placements = PlacementTable(path, conn)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False) -> Store:
        """Lock (unless `read_only`), create (mode 0600) and migrate the file at `path`.

        `read_only` is for `syncd status` next to a running daemon: no lock, no migration.
        Raises StateLocked when another process holds the file, StateError when it is unusable.
        """
        if read_only:
            return cls(path, _connect_read_only(path), None)
        try:
            lock = StateLock.acquire(path)
        except OSError as exc:
            raise unusable(path, exc) from exc
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

    def records(
        self, tracker: str | None = None, keys: Collection[str] | None = None
    ) -> dict[RecordKey, IssueRecord]:
        """Every record, or those of one tracker, by (tracker, key); only `keys` when given (a
        webhook's one issue costs one row, not the tracker's thousands)."""
        with self._sql() as conn:
            if tracker is None:
                rows = conn.execute(_SELECT_RECORDS).fetchall()
            elif keys is None:
                rows = conn.execute(_SELECT_RECORDS + " WHERE tracker = ?", (tracker,)).fetchall()
            else:
                rows = [row for chunk in _chunks(keys) for row in self._keyed(conn, tracker, chunk)]
        read = ((row[:2], self._read("records", row[1], _record, row[2:])) for row in rows)
        return {(tracker, key): record for (tracker, key), record in read if record is not None}

    @staticmethod
    def _keyed(conn: sqlite3.Connection, tracker: str, keys: list[str]) -> list[tuple[object, ...]]:
        marks = ", ".join("?" * len(keys))
        query = f"{_SELECT_RECORDS} WHERE tracker = ? AND key IN ({marks})"
        return conn.execute(query, (tracker, *keys)).fetchall()

    def save_record(self, tracker: str, key: str, record: IssueRecord) -> None:
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

    # --- watermarks and ETags ----------------------------------------------------------------

    def watermark(self, tracker: str) -> datetime | None:
        """The latest `updated` time fully handled for `tracker`."""
        with self._sql() as conn:
            row = conn.execute(
                "SELECT watermark FROM watermarks WHERE tracker = ?", (tracker,)
            ).fetchone()
        return None if row is None else self._read("watermarks", tracker, _time, row[0])

    def set_watermark(self, tracker: str, when: datetime) -> None:
        """Move `tracker`'s watermark to `when`."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO watermarks (tracker, watermark) VALUES (?, ?)",
                (tracker, when.isoformat()),
            )

    def etags(self, tracker: str) -> TrackerEtags:
        """The ETag store of one tracker (implements syncd.service_layer.tracker.EtagStore)."""
        return TrackerEtags(self._path, self._conn, tracker)

    def jira_site(self, tracker: str) -> JiraSiteTable:
        """What a Jira tracker learnt about its site (syncd.adapters.jira.facts.SiteFactsStore)."""
        return JiraSiteTable(self._path, self._conn, tracker)

    # --- unassignable identities -------------------------------------------------------------

    def mark_unassignable(self, refusal: Refusal, since: datetime) -> None:
        """Remember a refused assignee (in its repository or project), so later plans skip it."""
        with self._sql() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO unassignable (tracker, scope, identity, since)"
                " VALUES (?, ?, ?, ?)",
                (*refusal, since.isoformat()),
            )

    def unassignable(self, now: datetime) -> frozenset[Refusal]:
        """Every refused assignee, and where, refused within UNASSIGNABLE_TTL before `now`."""
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT tracker, scope, identity, since FROM unassignable"
            ).fetchall()
        # Compared as datetimes, not text: old files may hold non-UTC offsets.
        return frozenset(
            Refusal(tracker, scope, identity)
            for tracker, scope, identity, since in rows
            if now - self._since(identity, since) < UNASSIGNABLE_TTL
        )

    def _since(self, identity: str, since: object) -> datetime:
        """When a refusal was made; an unreadable time counts as long ago (so it expires)."""
        return self._read("unassignable", identity, _time, since) or _LONG_AGO

    # --- cycles and audit (syncd.adapters.state.history) -------------------------------------

    def record_cycle(self, row: CycleRow) -> None:
        """Append one tracker's cycle."""
        self.history.record_cycle(row)

    def last_cycles(self) -> dict[str, CycleRow]:
        """The latest cycle of every tracker that has run one."""
        return self.history.last_cycles()

    def audit(self, entry: AuditEntry) -> None:
        """Append one write to the audit log."""
        self.history.audit(entry)

    def audit_since(self, since: datetime) -> list[AuditEntry]:
        """Audit entries at or after `since`, oldest first."""
        return self.history.audit_since(since)

    def prune(self, now: datetime) -> Pruned:
        """Housekeeping at a full reconciliation: old cycles, old audit, expired refusals."""
        cutoff = now - UNASSIGNABLE_TTL
        with self._sql() as conn:
            rows = conn.execute("SELECT rowid, identity, since FROM unassignable").fetchall()
            expired = [(row,) for row, who, since in rows if self._since(who, since) <= cutoff]
            conn.executemany("DELETE FROM unassignable WHERE rowid = ?", expired)
        self.placements.prune(now)  # kept over a year, for `syncd report`
        return self.history.prune(now)


def _connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Create the file ourselves so it is 0600 from its first byte (sqlite would use the umask).
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
        conn = sqlite3.connect(path, isolation_level=None, timeout=5.0)
    except (OSError, sqlite3.Error) as exc:
        raise unusable(path, exc) from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        schema.migrate(conn)
    except (sqlite3.Error, ValueError) as exc:
        conn.close()
        raise unusable(path, exc) from exc
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    wrong = misplaced(path)
    if wrong is not None:
        raise wrong
    if not path.exists():
        raise StateError(f"state file {path} does not exist (has `syncd run` been started?)")
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise unusable(path, exc) from exc
    try:
        found = schema.version(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise unusable(path, exc) from exc
    if found != schema.LATEST:
        conn.close()
        raise StateError(
            f"state file {path} is at schema version {found}, this syncd reads {schema.LATEST}"
        )
    return conn


def _record(values: Sequence[object]) -> IssueRecord:
    named = dict(zip(_RECORD_COLUMNS, values, strict=True))
    return IssueRecord(
        tier=_text(named["tier"]),
        placed_at=_time(named["placed_at"]),
        member=_text(named["member"]),
        tier_label=_text(named["tier_label"]),
        assignee=_text(named["assignee"]),
        assign_settled=bool(named["assign_settled"]),
        flagged=bool(named["flagged"]),
        commented=bool(named["commented"]),
        seen_updated=_time(named["seen_updated"]),
        wrote_at=_time(named["wrote_at"]),
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


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_CHUNK = 500  # keys per query: well under SQLite's limit on parameters


def _chunks(keys: Collection[str]) -> list[list[str]]:
    ordered = sorted(set(keys))
    return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]
