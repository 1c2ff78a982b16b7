"""The stand-up view model: rotation, trackers' last cycles, the queue by tier, recent writes."""

from __future__ import annotations

from datetime import timedelta

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow
from syncd.domain.rotation import Shift, ShiftSource
from syncd.entrypoints.standup import WRITES_WINDOW, standup, tier_order
from tests.builders import NOW, a_config
from tests.status.test_seen_issues import a_seen

ALICE = Shift(3, NOW - timedelta(days=1), NOW + timedelta(days=1), "alice", ShiftSource.ROTATION)
BOB = Shift(4, NOW + timedelta(days=1), NOW + timedelta(days=3), "bob", ShiftSource.ROTATION)


def a_cycle(tracker: str, outcome: CycleOutcome, **overrides: object) -> CycleRow:
    fields: dict[str, object] = {
        "tracker": tracker,
        "started": NOW - timedelta(minutes=1),
        "finished": NOW - timedelta(seconds=50),
        "outcome": outcome,
        "writes": 2,
        "errors": 0,
        "message": "3 issues, 2 actions",
    }
    fields.update(overrides)
    return CycleRow(**fields)  # type: ignore[arg-type]


def a_write(minutes_ago: float, issue: str = "acme/web#1") -> AuditEntry:
    when = NOW - timedelta(minutes=minutes_ago)
    return AuditEntry(
        when, "web", issue, "add_label", "tier/fire", "tiers.rules[0]", "outage", "ok"
    )


class TestTierOrder:
    def test_rules_then_default_then_others_by_name(self) -> None:
        """Tiers follow the rules' order, then the default, then unknown tiers alphabetically."""
        order = tier_order(a_config().tiers, ["zeta", "fire", "hotfix"])

        assert order == ["fire", "acknowledged", "queue", "triage", "hotfix", "zeta"]


class TestQueue:
    def test_issues_are_grouped_by_tier_in_tier_order_oldest_first(self) -> None:
        """Fire comes first, each group oldest first, ignored issues last, empty tiers kept."""
        seen = [
            a_seen("acme/web#1", tier="queue", created=NOW - timedelta(days=1)),
            a_seen("acme/web#2", tier="fire", created=NOW - timedelta(hours=2)),
            a_seen("acme/web#3", tier="fire", created=NOW - timedelta(days=3)),
            a_seen("acme/web#4", tier=None),
            a_seen("acme/web#5", tier="hotfix"),
        ]

        view = standup(a_config(), [ALICE, BOB], {}, seen, [], NOW)

        assert [(g.tier, [i.issue.key for i in g.items]) for g in view.queue] == [
            ("fire", ["acme/web#3", "acme/web#2"]),
            ("acknowledged", []),
            ("queue", ["acme/web#1"]),
            ("triage", []),
            ("hotfix", ["acme/web#5"]),
            (None, ["acme/web#4"]),
        ]
        assert view.queue[0].label == "tier/fire"
        assert view.open_issues == 5

    def test_ages_are_measured_from_creation_to_the_views_time(self) -> None:
        """An issue created 50 hours before `now` is 50 hours old."""
        seen = [a_seen(created=NOW - timedelta(hours=50))]

        view = standup(a_config(), [ALICE], {}, seen, [], NOW)

        assert view.queue[0].items[0].age == timedelta(hours=50)

    def test_assignees_are_named_by_person_in_their_tracker(self) -> None:
        """A known identity is shown with its person id; an unknown one stays as it is."""
        seen = [
            a_seen(assignees=("acme-lead", "stranger")),
            a_seen("SUP-1", tracker="support", assignees=("bob",), created=NOW),
        ]

        view = standup(a_config(), [ALICE], {}, seen, [], NOW)

        people = [(a.identity, a.person) for g in view.queue for i in g.items for a in i.assignees]
        assert people == [("acme-lead", "lead"), ("stranger", None), ("bob", "bob")]

    def test_issues_of_trackers_no_longer_configured_are_left_out(self) -> None:
        """Rows left by a tracker removed from the config do not show."""
        seen = [a_seen(), a_seen("OLD-1", tracker="retired")]

        view = standup(a_config(), [ALICE], {}, seen, [], NOW)

        assert [i.issue.key for g in view.queue for i in g.items] == ["acme/web#1"]


class TestTrackers:
    def test_a_running_pause_is_shown_and_an_ended_one_is_not(self) -> None:
        """`paused_until` is set only while the rate-limit pause lasts at `now`."""
        cycles = {
            "web": a_cycle("web", CycleOutcome.PAUSED, paused_until=NOW + timedelta(minutes=2)),
            "support": a_cycle(
                "support", CycleOutcome.PAUSED, paused_until=NOW - timedelta(minutes=2)
            ),
        }

        view = standup(a_config(), [ALICE], cycles, [], [], NOW)

        assert [(t.name, t.kind, t.paused_until) for t in view.trackers] == [
            ("web", "github", NOW + timedelta(minutes=2)),
            ("support", "jira", None),
        ]

    def test_a_tracker_without_a_cycle_has_no_last_cycle(self) -> None:
        """Every configured tracker is listed, even one that never ran."""
        cycles = {"web": a_cycle("web", CycleOutcome.OK)}

        view = standup(a_config(), [ALICE], cycles, [], [], NOW)

        assert [(t.name, t.last is None) for t in view.trackers] == [
            ("web", False),
            ("support", True),
        ]


class TestRotationAndWrites:
    def test_on_call_and_next_come_from_the_shifts(self) -> None:
        """The first shift is on call, the second is next."""
        view = standup(a_config(), [ALICE, BOB], {}, [], [], NOW)

        assert (view.on_call.member, view.next_shift) == ("alice", BOB)

    def test_only_writes_of_the_last_24_hours_are_kept(self) -> None:
        """A write older than the window is dropped, one inside it kept."""
        minutes = WRITES_WINDOW.total_seconds() / 60
        writes = [a_write(minutes + 1, "acme/web#1"), a_write(minutes - 1, "acme/web#2")]

        view = standup(a_config(), [ALICE], {}, [], writes, NOW)

        assert [w.issue for w in view.writes] == ["acme/web#2"]
