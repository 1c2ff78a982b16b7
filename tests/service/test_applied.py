"""The apply step returns what it did: records after, writes, refusals, and how it ended."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.domain.actions import AddLabel, Comment, IssuePlan, Why
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.errors import WriteRejected
from syncd.service_layer.applied import Applied, WriteResult
from syncd.service_layer.applier import Applier
from syncd.service_layer.pacing import Pacer
from tests.fakes import EPOCH, FakeClock, FakeTracker

WHY = Why("tiers.rules[0]", "matched")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A state file of its own, closed afterwards."""
    opened = Store.open(tmp_path / "syncd.db")
    yield opened
    opened.close()


def apply(store: Store, tracker: FakeTracker, *actions: AddLabel | Comment) -> Applied:
    """Apply one plan of `actions` on issue acme/web#1 with no record and no refusal."""
    key: RecordKey = ("web", "acme/web#1")
    plan = IssuePlan("web", "acme/web#1", None, actions)
    applier = Applier(tracker, store, FakeClock(), unpaced(store), cap=10)
    return applier.apply([plan], {}, {key: EPOCH}, {})


def unpaced(store: Store) -> Pacer:
    """A pacer with no budget and no spacing: every write's turn is now."""
    return Pacer("web", store.spending, FakeClock(), lambda _: None, budget=None, spacing=0)


class TestApplied:
    def test_apply_returns_the_records_and_counts_it_made(self, store: Store) -> None:
        """Two writes landed: counted, complete, no failure, and the label noted in the record."""
        tracker = FakeTracker("web")
        key = tracker.open_issue()
        label = AddLabel("web", key, "tier/fire", WHY)
        comment = Comment("web", key, "Placed in fire.", "<!-- syncd -->", WHY)

        applied = apply(store, tracker, label, comment)

        assert (applied.writes, applied.errors, applied.complete) == (2, 0, True)
        assert applied.failure is None
        assert applied.records[("web", key)] == store.records("web")[("web", key)]
        assert applied.records[("web", key)] != IssueRecord()

    def test_apply_leaves_the_records_it_was_given_alone(self, store: Store) -> None:
        """The caller's mapping is read, never written: what changed comes back in the value."""
        tracker = FakeTracker("web")
        key = tracker.open_issue()
        given: dict[RecordKey, IssueRecord] = {}
        plan = IssuePlan("web", key, None, (AddLabel("web", key, "tier/fire", WHY),))
        applier = Applier(tracker, store, FakeClock(), unpaced(store), cap=10)

        applied = applier.apply([plan], given, {("web", key): EPOCH}, {})

        assert given == {}
        assert ("web", key) in applied.records

    def test_a_refused_write_is_counted_and_leaves_the_apply_incomplete(self, store: Store) -> None:
        """A 422: one error, incomplete, and the audit says "failed: <reason>" as before."""
        tracker = FakeTracker("web")
        key = tracker.open_issue()
        tracker.refuse(key, "add_label", WriteRejected("422 label name invalid"))

        applied = apply(store, tracker, AddLabel("web", key, "tier/fire", WHY))

        assert (applied.writes, applied.errors, applied.complete) == (1, 1, False)
        outcomes = [entry.outcome for entry in store.audit_since(EPOCH)]
        assert outcomes == ["failed: 422 label name invalid"]

    def test_a_comment_already_there_is_audited_with_the_same_words(self, store: Store) -> None:
        """A write's result is an Enum whose values are the audit log's outcome strings."""
        tracker = FakeTracker("web")
        key = tracker.open_issue()
        comment = Comment("web", key, "Placed in fire.", "<!-- syncd -->", WHY)
        apply(store, tracker, comment)

        apply(store, tracker, comment)

        outcomes = [entry.outcome for entry in store.audit_since(EPOCH)]
        assert outcomes == ["ok", "already there"]
        assert [result.value for result in WriteResult] == [
            "ok",
            "already there",
            "unassignable",
            "failed",
        ]
