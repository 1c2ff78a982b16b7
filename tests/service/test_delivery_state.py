"""The state file's webhook delivery ids: kept 72 hours, across a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.adapters.state import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_delivery_ids_survive_a_restart(tmp_path: Path) -> None:
    """An id taken before a restart is known after it, per tracker."""
    path = tmp_path / "state.db"
    with Store.open(path) as store:
        store.deliveries.remember("web", "d-1", T0)
    with Store.open(path) as store:
        assert store.deliveries.recent(T0 + timedelta(hours=1)) == {("web", "d-1")}


def test_delivery_ids_are_forgotten_after_72_hours(tmp_path: Path) -> None:
    """An id older than 72 hours is neither recent nor kept by a prune."""
    with Store.open(tmp_path / "state.db") as store:
        store.deliveries.remember("web", "old", T0)
        store.deliveries.remember("support", "new", T0 + timedelta(hours=48))
        later = T0 + timedelta(hours=72, seconds=1)
        assert store.deliveries.recent(later) == {("support", "new")}
        assert store.deliveries.prune(later) == 1
        assert store.deliveries.recent(T0) == {("support", "new")}
