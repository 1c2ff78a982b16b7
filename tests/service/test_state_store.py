"""The SQLite state file: schema, records, journal, ETags, cycles, audit, lock, bad files."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow, Rejection, Store, schema
from syncd.adapters.state.history import AUDIT_RETENTION, CYCLE_RETENTION
from syncd.adapters.state.records import _RECORD_COLUMNS
from syncd.adapters.state.store import UNASSIGNABLE_TTL
from syncd.domain.issue import Refusal
from syncd.domain.ledger import IssueRecord
from syncd.domain.rotation.journal import JournalEntry
from syncd.errors import StateError, StateLocked

T0 = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "var" / "state" / "syncd.db"


class TestOpening:
    def test_a_new_file_is_created_with_its_directory_and_migrated(self, path: Path) -> None:
        """Opening a path that does not exist creates the directory and the latest schema."""
        with Store.open(path):
            pass
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"records", "journal", "watermarks", "etags", "cycles", "audit"} <= tables

    def test_the_file_is_readable_by_its_owner_only(self, path: Path) -> None:
        """The state file is created with mode 0600."""
        with Store.open(path):
            pass
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    def test_the_file_uses_write_ahead_logging(self, path: Path) -> None:
        """WAL lets `syncd status` read while the daemon writes."""
        with Store.open(path):
            pass
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def test_a_file_that_is_not_a_database_is_a_clear_state_error(self, path: Path) -> None:
        """Garbage in the state file gives StateError naming the file, not a traceback."""
        path.parent.mkdir(parents=True)
        path.write_bytes(b"this is not sqlite at all, just text " * 100)
        with pytest.raises(StateError, match=str(path)):
            Store.open(path)

    def test_a_file_from_a_newer_syncd_is_refused(self, path: Path) -> None:
        """A schema version above what this build knows is a StateError."""
        with Store.open(path):
            pass
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
        conn.close()
        with pytest.raises(StateError, match="newer"):
            Store.open(path)

    def test_record_columns_match_the_ledger_record(self) -> None:
        """Every IssueRecord field has a column, in order, so no field is silently dropped."""
        assert tuple(f.name for f in dataclasses.fields(IssueRecord)) == _RECORD_COLUMNS


class TestRecords:
    def test_records_survive_a_reopen(self, path: Path) -> None:
        """A saved record reads back equal after the file is closed and opened again."""
        record = IssueRecord(
            tier="fire",
            placed_at=T0,
            member="alice",
            tier_label="tier/fire",
            assignee="alice-gh",
            assign_settled=True,
            flagged=True,
            commented=True,
        )
        with Store.open(path) as store:
            store.save_record("web", "acme/web#1", record)
            store.save_record("support", "SUP-1", IssueRecord(tier="queue"))
        with Store.open(path) as store:
            assert store.records("web") == {("web", "acme/web#1"): record}
            assert set(store.records()) == {("web", "acme/web#1"), ("support", "SUP-1")}

    def test_the_activity_times_survive_a_reopen(self, path: Path) -> None:
        """`seen_updated` and `wrote_at` read back as the aware datetimes that were saved."""
        record = IssueRecord(tier="stale", seen_updated=T0, wrote_at=T0 + timedelta(minutes=5))
        with Store.open(path) as store:
            store.save_record("web", "acme/web#1", record)
        with Store.open(path) as store:
            assert store.records("web")[("web", "acme/web#1")] == record

    def test_a_version_2_file_keeps_its_records_and_gains_the_new_columns(self, path: Path) -> None:
        """Migration 3 adds the activity columns (empty) and the rejections table; nothing lost."""
        path.parent.mkdir(parents=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(
            schema.MIGRATIONS[0] + schema.MIGRATIONS[1] + "\nPRAGMA user_version = 2;"
        )
        conn.execute(
            "INSERT INTO records (tracker, key, tier, tier_label, flagged)"
            " VALUES ('web', 'acme/web#1', 'fire', 'tier/fire', 1)"
        )
        conn.close()

        with Store.open(path) as store:
            records = store.records()
            rejections = store.rejections.of("web")

        expected = IssueRecord(tier="fire", tier_label="tier/fire", flagged=True)
        assert records == {("web", "acme/web#1"): expected}
        assert rejections == {}

    def test_a_version_4_file_keeps_its_records_with_nobody_sent(self, path: Path) -> None:
        """The sent-assignees migration reads every earlier record as having none in flight."""
        path.parent.mkdir(parents=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript("".join(schema.MIGRATIONS[:4]) + "\nPRAGMA user_version = 4;")
        conn.execute(
            "INSERT INTO records (tracker, key, tier, assignee, sent_labels)"
            " VALUES ('web', 'acme/web#1', 'fire', 'alice-gh', '[\"tier/fire\"]')"
        )
        conn.close()

        with Store.open(path) as store:
            records = store.records()

        expected = IssueRecord(tier="fire", assignee="alice-gh", sent_labels=("tier/fire",))
        assert records == {("web", "acme/web#1"): expected}

    def test_identities_sent_without_an_answer_survive_a_reopen(self, path: Path) -> None:
        """`sent_assignees` reads back in the order it was saved."""
        record = IssueRecord(tier="fire", sent_assignees=("alice-gh", "acme-lead"))
        with Store.open(path) as store:
            store.save_record("web", "acme/web#1", record)
        with Store.open(path) as store:
            assert store.records("web")[("web", "acme/web#1")] == record

    def test_saving_again_replaces_the_record(self, path: Path) -> None:
        """The last save of an issue wins."""
        with Store.open(path) as store:
            store.save_record("web", "acme/web#1", IssueRecord(tier="fire"))
            store.save_record("web", "acme/web#1", IssueRecord(tier="queue"))
            assert store.records() == {("web", "acme/web#1"): IssueRecord(tier="queue")}


class TestWatermarksAndEtags:
    def test_watermarks_are_kept_per_tracker(self, path: Path) -> None:
        """Each tracker has its own watermark; an unknown one has none."""
        with Store.open(path) as store:
            store.set_watermark("web", T0)
        with Store.open(path) as store:
            assert store.watermark("web") == T0
            assert store.watermark("support") is None

    def test_etags_are_namespaced_per_tracker(self, path: Path) -> None:
        """Two trackers listing the same URL never see each other's ETag."""
        url = "http://127.0.0.1:9/repos/acme/web/issues"
        with Store.open(path) as store:
            store.etags("web").remember_etag(url, '"abc"')
            store.etags("web").remember_etag(url, '"def"')
            assert store.etags("web").etag(url) == '"def"'
            assert store.etags("other").etag(url) is None


class TestJournal:
    def test_journal_entries_round_trip_in_index_order(self, path: Path) -> None:
        """Entries come back equal, ordered by index, after a reopen."""
        second = JournalEntry(
            1, T0 + timedelta(days=2), T0 + timedelta(days=4), None, "unassigned", "bob", ()
        )
        first = JournalEntry(
            0, T0, T0 + timedelta(days=2), "alice", "rotation", "alice", ("carol", "bob")
        )
        with Store.open(path) as store:
            store.journal.append(second)
            store.journal.append(first)
        with Store.open(path) as store:
            assert store.journal.entries() == (first, second)

    def test_a_started_shift_is_never_rewritten(self, path: Path) -> None:
        """Appending an index already recorded keeps the first entry."""
        first = JournalEntry(0, T0, T0 + timedelta(days=2), "alice", "rotation", "alice", ())
        with Store.open(path) as store:
            store.journal.append(first)
            store.journal.append(dataclasses.replace(first, member="bob"))
            assert store.journal.entries() == (first,)

    def test_a_journal_the_file_cannot_serve_is_a_state_error_naming_the_file(
        self, path: Path
    ) -> None:
        """A SQLite failure under the journal is a StateError, as under every other table."""
        entry = JournalEntry(0, T0, T0 + timedelta(days=2), "alice", "rotation", "alice", ())
        with Store.open(path) as store:
            other = sqlite3.connect(path)
            other.execute("DROP TABLE journal")
            other.close()

            with pytest.raises(StateError, match=str(path)):
                store.journal.entries()
            with pytest.raises(StateError, match=str(path)):
                store.journal.append(entry)


class TestCyclesAuditUnassignable:
    def test_last_cycle_per_tracker_is_the_latest_one(self, path: Path) -> None:
        """`last_cycles` gives each tracker's most recent cycle, pause time included."""
        older = CycleRow("web", T0, T0, CycleOutcome.OK, 3, 0, "fine")
        newer = CycleRow(
            "web",
            T0 + timedelta(minutes=1),
            T0 + timedelta(minutes=1),
            CycleOutcome.PAUSED,
            0,
            0,
            "rate limited",
            T0 + timedelta(hours=1),
        )
        jira = CycleRow("support", T0, T0, CycleOutcome.ERROR, 0, 1, "timeout")
        with Store.open(path) as store:
            for row in (older, jira, newer):
                store.record_cycle(row)
            assert store.last_cycles() == {"web": newer, "support": jira}

    def test_audit_since_returns_later_entries_in_order(self, path: Path) -> None:
        """Only entries at or after the given time, oldest first."""
        entries = [
            AuditEntry(
                T0 + timedelta(minutes=n),
                "web",
                f"acme/web#{n}",
                "add_label",
                "tier/fire",
                "tiers.rules[0]",
                "labels_any outage",
                "ok",
            )
            for n in range(3)
        ]
        with Store.open(path) as store:
            for entry in entries:
                store.audit(entry)
            assert store.audit_since(T0 + timedelta(minutes=1)) == entries[1:]

    def test_an_unassignable_identity_expires_after_a_day(self, path: Path) -> None:
        """A refusal holds for UNASSIGNABLE_TTL; then the person may be tried once more."""
        with Store.open(path) as store:
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), T0)

            within = store.unassignable(T0 + UNASSIGNABLE_TTL - timedelta(seconds=1))
            after = store.unassignable(T0 + UNASSIGNABLE_TTL)

        assert within == {Refusal("web", "acme/web", "bobby")}
        assert after == frozenset()

    def test_a_new_refusal_starts_the_day_again(self, path: Path) -> None:
        """Refused again after expiry, the identity is skipped for another full day."""
        later = T0 + UNASSIGNABLE_TTL + timedelta(hours=1)
        with Store.open(path) as store:
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), T0)
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), later)

            refused = store.unassignable(later + timedelta(hours=23))

        assert refused == {Refusal("web", "acme/web", "bobby")}

    def test_unassignable_identities_are_remembered_once(self, path: Path) -> None:
        """Marking the same identity twice keeps one entry, per tracker."""
        with Store.open(path) as store:
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), T0)
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), T0 + timedelta(hours=1))
            store.mark_unassignable(Refusal("support", "SUP", "bob"), T0)
        with Store.open(path) as store:
            assert store.unassignable(T0 + timedelta(hours=2)) == {
                Refusal("web", "acme/web", "bobby"),
                Refusal("support", "SUP", "bob"),
            }


class TestScopedRefusalsMigration:
    """The migration that scopes refused assignees to a repository or project."""

    def old_file(self, path: Path) -> None:
        """A state file at the schema before scopes, holding one tracker-wide refusal."""
        before = next(n for n, step in enumerate(schema.MIGRATIONS) if "scope TEXT" in step)
        path.parent.mkdir(parents=True)
        conn = sqlite3.connect(path, isolation_level=None)
        for number in range(before):
            conn.executescript(
                f"BEGIN;\n{schema.MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;"
            )
        conn.execute("INSERT INTO unassignable VALUES ('web', 'bobby', ?)", (T0.isoformat(),))
        conn.execute("INSERT INTO watermarks VALUES ('web', ?)", (T0.isoformat(),))
        conn.close()

    def test_an_old_file_opens_at_the_latest_schema_keeping_its_data(self, path: Path) -> None:
        """The file is migrated; other tables are untouched; unscoped refusals are dropped."""
        self.old_file(path)

        with Store.open(path) as store:
            refused = store.unassignable(T0)
            watermark = store.watermark("web")
        version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]

        assert version == schema.LATEST
        assert refused == frozenset()
        assert watermark == T0

    def test_refusals_are_kept_per_repository_after_the_migration(self, path: Path) -> None:
        """The same person refused in two repositories is two refusals, each in its place."""
        self.old_file(path)
        with Store.open(path) as store:
            store.mark_unassignable(Refusal("web", "acme/api", "bobby"), T0)
            store.mark_unassignable(Refusal("web", "acme/web", "bobby"), T0)

            refused = store.unassignable(T0)

        assert refused == {
            Refusal("web", "acme/api", "bobby"),
            Refusal("web", "acme/web", "bobby"),
        }


class TestHousekeeping:
    def cycle(self, tracker: str, finished: datetime) -> CycleRow:
        return CycleRow(tracker, finished, finished, CycleOutcome.OK, 0, 0, "")

    def entry(self, time: datetime) -> AuditEntry:
        return AuditEntry(time, "web", "acme/web#1", "add_label", "tier/fire", "r", "why", "ok")

    def test_cycles_older_than_the_retention_are_pruned(self, path: Path) -> None:
        """Cycle rows past CYCLE_RETENTION go; younger ones and the count removed are reported."""
        now = T0 + timedelta(days=100)
        old, young = now - CYCLE_RETENTION - timedelta(hours=1), now - timedelta(days=1)
        with Store.open(path) as store:
            store.record_cycle(self.cycle("web", old))
            store.record_cycle(self.cycle("web", young))

            pruned = store.prune(now)
            left = store.history.last_cycles()

        assert pruned.cycles == 1
        assert left == {"web": self.cycle("web", young)}

    def test_each_trackers_latest_cycle_is_kept_however_old(self, path: Path) -> None:
        """A tracker that has not cycled for months still shows its last cycle in status."""
        now = T0 + timedelta(days=100)
        with Store.open(path) as store:
            store.record_cycle(self.cycle("gone", T0))
            store.record_cycle(self.cycle("gone", T0 + timedelta(minutes=1)))

            store.prune(now)
            left = store.last_cycles()

        assert left == {"gone": self.cycle("gone", T0 + timedelta(minutes=1))}

    def test_audit_entries_older_than_the_retention_are_pruned(self, path: Path) -> None:
        """Audit entries past AUDIT_RETENTION go; the others stay in order."""
        now = T0 + timedelta(days=200)
        kept = [self.entry(now - AUDIT_RETENTION + timedelta(hours=1)), self.entry(now)]
        with Store.open(path) as store:
            store.audit(self.entry(now - AUDIT_RETENTION - timedelta(hours=1)))
            for entry in kept:
                store.audit(entry)

            pruned = store.prune(now)
            left = store.audit_since(T0)

        assert pruned.audit == 1
        assert left == kept

    def test_expired_unassignable_rows_are_deleted(self, path: Path) -> None:
        """Pruning removes refusals past UNASSIGNABLE_TTL and keeps recent ones."""
        now = T0 + timedelta(days=3)
        with Store.open(path) as store:
            store.mark_unassignable(Refusal("web", "acme/web", "old"), T0)
            store.mark_unassignable(Refusal("web", "acme/web", "new"), now - timedelta(hours=1))

            store.prune(now)
            rows = sqlite3.connect(path).execute("SELECT identity FROM unassignable").fetchall()

        assert rows == [("new",)]


class TestRejections:
    def rejection(self, key: str = "acme/web#1", detail: str = "tier/fire") -> Rejection:
        return Rejection("web", key, "add_label", detail, T0, "422 invalid label", T0)

    def test_a_rejection_reads_back_per_tracker(self, path: Path) -> None:
        """A remembered refusal comes back after a reopen, under its issue, kind and detail."""
        refused = self.rejection()
        with Store.open(path) as store:
            store.rejections.remember(refused)
        with Store.open(path) as store:
            assert store.rejections.of("web") == {refused.ident: refused}
            assert store.rejections.of("support") == {}

    def test_forget_and_clear_drop_rejections(self, path: Path) -> None:
        """`forget` drops one refusal; `clear` drops every refusal of the tracker."""
        first, second = self.rejection(), self.rejection(key="acme/web#2")
        with Store.open(path) as store:
            store.rejections.remember(first)
            store.rejections.remember(second)

            store.rejections.forget("web", first.ident)
            after_forget = store.rejections.of("web")
            store.rejections.clear("web")
            after_clear = store.rejections.of("web")

        assert after_forget == {second.ident: second}
        assert after_clear == {}


class TestReadOnly:
    def test_a_reader_sees_what_the_holder_wrote_without_the_lock(self, path: Path) -> None:
        """`read_only` opens next to a running daemon and reads its cycles."""
        row = CycleRow("web", T0, T0, CycleOutcome.OK, 0, 0, "")
        with Store.open(path) as holder:
            holder.record_cycle(row)
            with Store.open(path, read_only=True) as reader:
                assert reader.last_cycles() == {"web": row}

    def test_reading_a_missing_file_is_a_clear_error(self, path: Path) -> None:
        """No state file yet gives StateError, not an empty file created by a reader."""
        with pytest.raises(StateError, match="does not exist"):
            Store.open(path, read_only=True)
        assert not path.exists()


class TestLock:
    def test_a_second_store_on_the_same_path_is_refused(self, path: Path) -> None:
        """While one store is open, another open raises StateLocked naming the file."""
        with Store.open(path), pytest.raises(StateLocked, match=str(path)):
            Store.open(path)

    def test_the_lock_is_released_on_close(self, path: Path) -> None:
        """After close, the file can be opened again."""
        Store.open(path).close()
        with Store.open(path) as store:
            assert store.watermark("web") is None

    def test_a_symlink_to_the_file_in_use_is_refused(self, path: Path, tmp_path: Path) -> None:
        """Another name that resolves to the same file is the same instance: StateLocked."""
        alias = tmp_path / "elsewhere" / "alias.db"
        alias.parent.mkdir()
        alias.symlink_to(path)
        with Store.open(path), pytest.raises(StateLocked, match=r"alias\.db"):
            Store.open(alias)

    def test_a_symlink_to_a_state_file_not_yet_created_is_refused(
        self, path: Path, tmp_path: Path
    ) -> None:
        """The link is opened first and creates the file; the real name is then refused."""
        path.parent.mkdir(parents=True)
        alias = tmp_path / "alias.db"
        alias.symlink_to(path)
        with Store.open(alias), pytest.raises(StateLocked, match=str(path)):
            Store.open(path)

    def test_a_hard_link_in_another_directory_is_refused(self, path: Path, tmp_path: Path) -> None:
        """A hard link with another name elsewhere is the same file: StateLocked."""
        Store.open(path).close()
        other = tmp_path / "other" / "copy.db"
        other.parent.mkdir()
        os.link(path, other)
        with Store.open(other), pytest.raises(StateLocked, match="in use by process"):
            Store.open(path)

    def test_another_process_is_refused_with_the_holders_pid(self, path: Path) -> None:
        """A real second process gets StateLocked whose message names this process's pid."""
        script = (
            "import sys, pathlib\n"
            "from syncd.errors import StateLocked\n"
            "from syncd.adapters.state import Store\n"
            "try:\n"
            "    Store.open(pathlib.Path(sys.argv[1]))\n"
            "except StateLocked as exc:\n"
            "    print(exc); sys.exit(3)\n"
        )
        with Store.open(path):
            done = subprocess.run(
                [sys.executable, "-c", script, str(path)],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        assert done.returncode == 3
        assert f"process {os.getpid()}" in done.stdout
