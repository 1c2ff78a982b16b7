"""Records read by key: a webhook's settle loads its issue's record, not the tracker's all."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from syncd.adapters.state import Store
from syncd.domain.ledger import IssueRecord

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_records_of_some_keys_are_exactly_those(tmp_path: Path) -> None:
    """Only the keys asked for, of the tracker asked for; absent keys are simply absent; more
    keys than one query takes are read in chunks."""
    with Store.open(tmp_path / "state.db") as store:
        for number in range(1200):
            store.save_record("web", f"acme/web#{number}", IssueRecord(tier="queue", placed_at=T0))
        store.save_record("support", "acme/web#1", IssueRecord(tier="fire", placed_at=T0))

        some = store.records("web", ["acme/web#1", "acme/web#7", "acme/web#99999"])
        many = store.records("web", [f"acme/web#{n}" for n in range(0, 1200, 1)])

    assert set(some) == {("web", "acme/web#1"), ("web", "acme/web#7")}
    assert some[("web", "acme/web#1")].tier == "queue"
    assert len(many) == 1200
