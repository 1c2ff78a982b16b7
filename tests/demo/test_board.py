"""The demo board's rows: which issues it shows, their tier, assignee, flag and changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncd.adapters.state import AuditEntry
from syncd.config.loader import load
from syncd.entrypoints.commands.demo.board import (
    HandEdit,
    Legend,
    board_rows,
    hand_edits,
    legend_for,
)
from syncd.sandbox.snapshot import IssueView

DEMO_CONFIG = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"
AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def legend() -> Legend:
    """The legend of the bundled demo config, Jira trackers on their sandbox flavours."""
    config = load(DEMO_CONFIG, {})
    return legend_for(config, {"support": "jira-cloud", "ops": "jira-dc"})


def a_view(key: str = "acme/web#1", **overrides: object) -> IssueView:
    """An open GitHub escalation in acme/web, unless overridden."""
    view = IssueView(
        tracker="github",
        container="acme/web",
        key=key,
        title="Checkout is down",
        state="open",
        labels=("escalation",),
        assignees=(),
        comments=(),
        updated="2026-11-26T10:00:00Z",
    )
    return replace(view, **overrides)  # type: ignore[arg-type]


def a_write(
    key: str, kind: str, detail: str, outcome: str = "ok", tracker: str = "web"
) -> AuditEntry:
    """One audit entry of the cycle."""
    return AuditEntry(AT, tracker, key, kind, detail, "tiers.rules[0]", "why", outcome)


class TestLegendFor:
    """legend_for: names, people and tier order from the config."""

    def test_maps_each_repository_and_jira_site_to_its_tracker_name(self, legend: Legend) -> None:
        """GitHub repos and whole Jira sites resolve to the configured tracker names."""
        assert legend.trackers[("github", "acme/api")] == "web"
        assert legend.trackers[("jira-cloud", "*")] == "support"
        assert legend.trackers[("jira-dc", "*")] == "ops"

    def test_knows_people_by_their_identity_in_each_tracker(self, legend: Legend) -> None:
        """A Jira Cloud accountId and a GitHub login both lead back to the person id."""
        assert legend.people[("support", "5b10ac8d82e05b22cc7d4ef5")] == "alice"
        assert legend.people[("web", "bobby")] == "bob"

    def test_orders_tiers_as_the_rules_then_the_default(self, legend: Legend) -> None:
        """Rule tiers come first in file order, the default tier last."""
        assert legend.tier_order == ("fire", "acknowledged", "queue", "triage")


class TestBoardRows:
    """board_rows: one row per open escalation, with what the cycle did to it."""

    def test_shows_tier_person_and_flag_of_an_escalation(self, legend: Legend) -> None:
        """Tier from the tier label, assignee as a person id, the flag label when present."""
        view = a_view(labels=("escalation", "tier/queue", "needs-team"), assignees=("alice-gh",))

        rows, _ = board_rows([view], [], legend)

        assert [(r.tier, r.assignee, r.flag) for r in rows] == [("queue", "alice", "needs-team")]

    def test_shows_a_jira_assignee_outside_people_by_display_name(self) -> None:
        """An accountId the config does not know reads as the sandbox user's display name."""
        users = {"jira-cloud": {"60e5a1b2c3d4e5f6a7b8c9d0": "Dana Example"}}
        named = legend_for(load(DEMO_CONFIG, {}), {"support": "jira-cloud"}, users)
        view = a_view(
            "SUP-5",
            tracker="jira-cloud",
            container="SUP",
            assignees=("60e5a1b2c3d4e5f6a7b8c9d0",),
        )

        rows, _ = board_rows([view], [], named)

        assert [r.assignee for r in rows] == ["Dana Example"]

    def test_shows_an_identity_nobody_knows_as_it_is(self, legend: Legend) -> None:
        """Without a person or a display name, the raw identity is all there is to show."""
        view = a_view(tracker="jira-cloud", container="SUP", key="SUP-5", assignees=("x-9",))

        rows, _ = board_rows([view], [], legend)

        assert [r.assignee for r in rows] == ["x-9"]

    def test_leaves_out_pull_requests_closed_issues_and_non_escalations(
        self, legend: Legend
    ) -> None:
        """Only open escalations are rows; the others are counted as left alone."""
        views = [
            a_view("acme/web#1"),
            a_view("acme/web#2", pull_request=True),
            a_view("acme/web#3", state="closed"),
            a_view("acme/web#4", labels=("enhancement",)),
            a_view("SUP-7", tracker="jira-cloud", container="SUP", state="done"),
        ]

        rows, untouched = board_rows(views, [], legend)

        assert [r.key for r in rows] == ["acme/web#1"]
        assert untouched == 4

    def test_skips_issues_of_trackers_the_config_does_not_know(self, legend: Legend) -> None:
        """A repository outside the config is neither a row nor counted."""
        rows, untouched = board_rows([a_view("other/repo#1", container="other/repo")], [], legend)

        assert (rows, untouched) == ((), 0)

    def test_groups_rows_by_tier_in_rule_order_with_ignored_last(self, legend: Legend) -> None:
        """fire before queue before triage; syncd/ignore issues at the end; keys in number order."""
        views = [
            a_view("acme/web#10", labels=("escalation", "tier/triage")),
            a_view("acme/web#2", labels=("escalation", "syncd/ignore")),
            a_view("acme/web#9", labels=("escalation", "tier/fire")),
            a_view("acme/web#3", labels=("escalation", "tier/triage")),
            a_view("SUP-1", tracker="jira-cloud", container="SUP", labels=("escalation",)),
        ]

        rows, _ = board_rows(views, [], legend)

        assert [(r.tier, r.key) for r in rows] == [
            ("fire", "acme/web#9"),
            ("triage", "acme/web#3"),
            ("triage", "acme/web#10"),
            ("(none)", "SUP-1"),
            ("ignored", "acme/web#2"),
        ]

    def test_lists_the_cycle_writes_of_each_issue_in_words(self, legend: Legend) -> None:
        """Labels as +/-, assignments as an arrow to the person, comments, refusals, failures."""
        writes = [
            a_write("acme/web#1", "add_label", "tier/fire"),
            a_write("acme/web#1", "remove_label", "tier/triage"),
            a_write("acme/web#1", "assign", "carol-c", outcome="unassignable"),
            a_write("acme/web#1", "assign", "acme-lead"),
            a_write("acme/web#1", "comment", "syncd:over-estimate"),
            a_write("acme/web#1", "unassign", "bobby", outcome="failed: 502"),
            a_write("acme/web#2", "add_label", "tier/queue"),
        ]

        rows, _ = board_rows([a_view("acme/web#1")], writes, legend)

        assert rows[0].changes == (
            "+tier/fire",
            "-tier/triage",
            "refused:carol",
            "→lead",
            "commented",
            "failed:unassign:bob",
        )

    def test_ignores_writes_of_the_same_key_in_another_tracker(self, legend: Legend) -> None:
        """An audit entry counts only for the issue of its own tracker."""
        view = a_view("SUP-1", tracker="jira-cloud", container="SUP")

        rows, _ = board_rows(
            [view], [a_write("SUP-1", "add_label", "tier/fire", tracker="ops")], legend
        )

        assert rows[0].changes == ()

    def test_puts_the_edits_people_made_before_syncd_writes(self, legend: Legend) -> None:
        """Hand edits come first, marked `hand:`; a new issue is marked `new`."""
        edits = {
            "acme/web#1": (HandEdit("assign", "bobby", replaced="alice-gh"),),
            "acme/web#2": (HandEdit("new"),),
        }
        writes = [a_write("acme/web#2", "add_label", "tier/fire")]

        rows, _ = board_rows([a_view("acme/web#1"), a_view("acme/web#2")], writes, legend, edits)

        assert [r.changes for r in rows] == [("hand:alice→bob",), ("new", "+tier/fire")]


class TestHandEdits:
    """hand_edits: what people changed between two pictures of the sandbox."""

    def test_finds_labels_added_and_removed(self) -> None:
        """A label set by hand and one taken off are both reported."""
        before = [a_view(labels=("escalation", "tier/fire"))]
        after = [a_view(labels=("escalation", "tier/queue"))]

        assert hand_edits(before, after) == {
            "acme/web#1": (
                HandEdit("add_label", "tier/queue"),
                HandEdit("remove_label", "tier/fire"),
            )
        }

    def test_reports_one_swapped_assignee_as_a_reassignment(self) -> None:
        """alice replaced by bob is one edit, not an unassign and an assign."""
        before, after = [a_view(assignees=("alice-gh",))], [a_view(assignees=("bobby",))]

        assert hand_edits(before, after) == {
            "acme/web#1": (HandEdit("assign", "bobby", replaced="alice-gh"),)
        }

    def test_reports_an_issue_that_was_not_there_before_as_new(self) -> None:
        """A key absent from the earlier picture is new; unchanged issues are absent."""
        before = [a_view("acme/web#1")]
        after = [a_view("acme/web#1"), a_view("acme/web#2")]

        assert hand_edits(before, after) == {"acme/web#2": (HandEdit("new"),)}
