"""The SQLite state file: opened, locked and migrated at start, written as the cycle goes."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Collection
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
from syncd.adapters.state.records import RecordTable, time_of
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


class Store(Table):
    """One open state file; never holds a secret (trackers' credentials stay in the config)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, lock: StateLock | None) -> None:
        super().__init__(path, conn)
        self._lock = lock
        self._records = RecordTable(path, conn)
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

    # --- issue records (syncd.adapters.state.records) ---------------------------------------

    def records(
        self, tracker: str | None = None, keys: Collection[str] | None = None
    ) -> dict[RecordKey, IssueRecord]:
        """Every record, or those of one tracker, by (tracker, key); only `keys` when given (a
        webhook's one issue costs one row, not the tracker's thousands)."""
        return self._records.read(tracker, keys)

    def save_record(self, tracker: str, key: str, record: IssueRecord) -> None:
        """Store (replace) the record of one issue."""
        self._records.save(tracker, key, record)

    # --- watermarks and ETags ----------------------------------------------------------------

    def watermark(self, tracker: str) -> datetime | None:
        """The latest `updated` time fully handled for `tracker`."""
        with self._sql() as conn:
            row = conn.execute(
                "SELECT watermark FROM watermarks WHERE tracker = ?", (tracker,)
            ).fetchone()
        return None if row is None else self._read("watermarks", tracker, time_of, row[0])

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
        return self._read("unassignable", identity, time_of, since) or _LONG_AGO

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
