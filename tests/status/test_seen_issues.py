"""The `seen` rows: what the service keeps of each open escalation for `syncd status`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import SeenIssue, Store, schema, sighting, sightings
from syncd.domain.actions import Decision, IssuePlan
from syncd.domain.ledger import IssueRecord
from syncd.service_layer.service import Service
from tests.builders import NOW, a_config, a_github_tracker, an_issue
from tests.fakes import FakeClock, FakeTracker

START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


def a_seen(key: str = "acme/web#1", **overrides: object) -> SeenIssue:
    fields: dict[str, object] = {
        "tracker": "web",
        "key": key,
        "title": "Checkout page is slow",
        "url": f"https://github.com/{key.replace('#', '/issues/')}",
        "tier": "fire",
        "assignees": ("alice-gh",),
        "reporters": 3,
        "created": NOW - timedelta(days=2),
        "updated": NOW - timedelta(hours=1),
        "flagged": False,
        "seen_at": NOW,
    }
    fields.update(overrides)
    return SeenIssue(**fields)  # type: ignore[arg-type]


def a_plan(tier: str = "fire") -> IssuePlan:
    decision = Decision(tier, pinned=False, placed_at=NOW, member="alice", rule="tiers.rules[0]")
    return IssuePlan("web", "acme/web#1", decision, ())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "syncd.db") as opened:
        yield opened


class TestSeenTable:
    def test_saved_issues_read_back_equal(self, store: Store) -> None:
        """Every field of a saved row survives the round trip through SQLite."""
        issue = a_seen(tier=None, assignees=("a", "b"), flagged=True)

        store.seen.save("web", [issue], complete=False)

        assert store.seen.issues() == [issue]

    def test_the_estimate_survives_the_round_trip(self, store: Store) -> None:
        """An estimate's work seconds and text come back; no estimate comes back as None."""
        estimated = a_seen("acme/web#1", estimate=3 * 8 * 3600.0, estimate_text="3d")
        unestimated = a_seen("acme/web#2")

        store.seen.save("web", [estimated, unestimated], complete=False)

        read = {i.key: (i.estimate, i.estimate_text) for i in store.seen.issues()}
        assert read == {"acme/web#1": (86400.0, "3d"), "acme/web#2": (None, None)}

    def test_an_incremental_save_keeps_issues_it_does_not_list(self, store: Store) -> None:
        """A partial fetch only updates the issues it saw."""
        store.seen.save("web", [a_seen("acme/web#1"), a_seen("acme/web#2")], complete=False)

        store.seen.save("web", [a_seen("acme/web#2", title="Renamed")], complete=False)

        assert [(i.key, i.title) for i in store.seen.issues()] == [
            ("acme/web#1", "Checkout page is slow"),
            ("acme/web#2", "Renamed"),
        ]

    def test_a_complete_save_forgets_issues_no_longer_listed(self, store: Store) -> None:
        """A closed issue disappears at the next complete fetch, other trackers untouched."""
        store.seen.save("web", [a_seen("acme/web#1"), a_seen("acme/web#2")], complete=False)
        store.seen.save("support", [a_seen("SUP-1", tracker="support")], complete=False)

        store.seen.save("web", [a_seen("acme/web#2")], complete=True)

        assert [i.key for i in store.seen.issues()] == ["SUP-1", "acme/web#2"]

    def test_tier_counts_leave_untiered_issues_out(self, store: Store) -> None:
        """Counts per tier of one tracker; an ignored issue has no tier to count."""
        rows = [a_seen("acme/web#1"), a_seen("acme/web#2"), a_seen("acme/web#3", tier=None)]
        store.seen.save("web", [*rows, a_seen("acme/web#4", tier="queue")], complete=False)

        assert store.seen.tier_counts("web") == {"fire": 2, "queue": 1}

    def test_a_read_only_store_reads_the_rows(self, tmp_path: Path) -> None:
        """`syncd status` opens the file read-only next to the daemon and sees its rows."""
        with Store.open(tmp_path / "syncd.db") as writer:
            writer.seen.save("web", [a_seen()], complete=False)
            with Store.open(tmp_path / "syncd.db", read_only=True) as reader:
                found = reader.seen.issues()

        assert [i.key for i in found] == ["acme/web#1"]


class TestSighting:
    def test_an_assignment_syncd_made_replaces_the_fetched_assignees(self) -> None:
        """The row shows who syncd assigned during the cycle, not the stale snapshot."""
        issue = an_issue(assignees=("someone",))
        after = IssueRecord(assignee="alice-gh")

        seen = sighting(issue, a_plan(), IssueRecord(), after, "needs-team", NOW)

        assert seen.assignees == ("someone", "alice-gh")
        assert seen.tier == "fire"

    def test_a_handoff_swaps_syncds_assignee(self) -> None:
        """The over-estimate handoff replaces the rotation person syncd had assigned."""
        issue = an_issue(assignees=("alice-gh",))
        before, after = IssueRecord(assignee="alice-gh"), IssueRecord(assignee="acme-lead")

        seen = sighting(issue, a_plan(), before, after, "needs-team", NOW)

        assert seen.assignees == ("acme-lead",)

    def test_the_estimate_is_kept_from_the_snapshot(self) -> None:
        """The row carries the issue's estimate as the cycle read it (seconds and text)."""
        issue = an_issue(estimate=5 * 3600.0, estimate_text="5h")

        seen = sighting(issue, a_plan(), IssueRecord(), IssueRecord(), "needs-team", NOW)

        assert (seen.estimate, seen.estimate_text) == (18000.0, "5h")

    def test_the_flag_follows_what_syncd_wrote_in_the_cycle(self) -> None:
        """A flag label syncd added this cycle counts, one already on the issue too."""
        fresh = sighting(
            an_issue(), a_plan(), IssueRecord(), IssueRecord(flagged=True), "needs-team", NOW
        )
        by_hand = sighting(
            an_issue(labels=("escalation", "Needs-Team")),
            a_plan(),
            IssueRecord(),
            IssueRecord(),
            "needs-team",
            NOW,
        )

        assert (fresh.flagged, by_hand.flagged) == (True, True)

    def test_an_issue_without_a_decision_has_no_tier(self) -> None:
        """An ignored issue (no decision) is kept untiered."""
        plan = IssuePlan("web", "acme/web#1", None, ())

        seen = sightings([an_issue()], [plan], {}, {}, "needs-team", NOW)

        assert [(s.key, s.tier, s.seen_at) for s in seen] == [("acme/web#1", None, NOW)]


class TestServiceSavesSightings:
    def test_a_cycle_stores_every_fetched_issue_with_its_tier_and_assignee(
        self, tmp_path: Path
    ) -> None:
        """After a cycle the state holds each open escalation as the trackers now show it."""
        clock = FakeClock(START)
        web = FakeTracker("web", clock)
        fire = web.open_issue("Checkout down", labels=("escalation", "outage"), reporters=4)
        calm = web.open_issue("Typo on the pricing page")
        config = a_config(trackers=(a_github_tracker("web"),))
        with Store.open(tmp_path / "syncd.db") as store:
            Service(config, {"web": web}, store, clock, lambda s: None).cycle(full=True)
            seen = {i.key: i for i in store.seen.issues()}

        assert (seen[fire].tier, seen[fire].assignees, seen[fire].reporters) == (
            "fire",
            web.assignees(fire),
            4,
        )
        assert seen[fire].assignees == ("alice-gh",)
        assert (seen[calm].tier, seen[calm].assignees) == ("triage", ())

    def test_a_full_cycle_forgets_a_closed_issue(self, tmp_path: Path) -> None:
        """An issue gone from the tracker leaves the state at the next full cycle."""
        clock = FakeClock(START)
        web = FakeTracker("web", clock)
        kept = web.open_issue("Still open")
        closed = web.open_issue("Closed soon")
        config = a_config(trackers=(a_github_tracker("web"),))
        with Store.open(tmp_path / "syncd.db") as store:
            service = Service(config, {"web": web}, store, clock, lambda s: None)
            service.cycle(full=True)
            del web.issues[closed]
            clock.advance(60)
            service.cycle(full=True)
            keys = [i.key for i in store.seen.issues()]

        assert keys == [kept]


class TestUpgrade:
    def test_a_version_1_file_gains_the_table_and_forgets_its_etags(self, tmp_path: Path) -> None:
        """Upgrading drops ETags, so the first cycle lists every issue instead of a bare 304."""
        path = tmp_path / "syncd.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(schema.MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
        conn.execute("INSERT INTO etags VALUES ('web', 'https://x/issues', 'W/\"1\"')")
        conn.close()

        with Store.open(path) as store:
            etag = store.etags("web").etag("https://x/issues")
            rows = store.seen.issues()

        assert (etag, rows) == (None, [])
