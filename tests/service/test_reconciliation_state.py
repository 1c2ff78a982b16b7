"""The `reconciliations` table: per tracker, kept across reopens, absent from older files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from syncd.adapters.state import Reconciliation, Store, schema

T0 = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


class TestReconciliationTable:
    def test_a_reconciliation_reads_back_per_tracker_after_a_reopen(self, tmp_path: Path) -> None:
        """The latest completed pass of each tracker survives a restart; others have none."""
        path = tmp_path / "syncd.db"
        with Store.open(path) as store:
            store.reconciliations.completed("web", Reconciliation(T0, "abc"))
            store.reconciliations.completed("web", Reconciliation(T0.replace(hour=15), "abd"))

        with Store.open(path) as store:
            assert store.reconciliations.last("web") == Reconciliation(T0.replace(hour=15), "abd")
            assert store.reconciliations.last("support") is None

    def test_a_version_4_file_opens_with_no_reconciliation_remembered(self, tmp_path: Path) -> None:
        """An upgraded state file keeps its records; its first start reconciles every tracker."""
        path = tmp_path / "syncd.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript("".join(schema.MIGRATIONS[:4]) + "\nPRAGMA user_version = 4;")
        conn.execute(
            "INSERT INTO watermarks (tracker, watermark) VALUES ('web', ?)", (T0.isoformat(),)
        )
        conn.close()

        with Store.open(path) as store:
            assert store.watermark("web") == T0
            assert store.reconciliations.last("web") is None

    def test_due_after_the_interval_or_under_another_config(self) -> None:
        """A pass is due once the interval has passed, or at once when the config changed."""
        last = Reconciliation(T0, "abc")
        hour = T0 - T0.replace(hour=13)

        assert not last.due(T0.replace(minute=59), hour, "abc")
        assert last.due(T0.replace(hour=15), hour, "abc")
        assert last.due(T0.replace(minute=1), hour, "other")
