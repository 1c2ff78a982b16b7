"""SPEC 3 end to end: the real `syncd run` process against the sandbox over HTTP.

GitHub (acme/web, acme/api), Jira Cloud (SUP) and Jira Data Center (OPS) in every test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from syncd.sandbox.server import Sandbox
from syncd.sandbox.snapshot import Snapshot
from syncd.sandbox.traffic import Stats
from tests.e2e.e2e_world import (
    FLAG,
    OVER_ESTIMATE,
    TIERS,
    TRACKER_OF,
    UNTOUCHABLE,
    Outcome,
    World,
    marked_comments,
    tier_labels,
    visible_markers,
    wrong_issues,
)

pytestmark = pytest.mark.e2e

# What people set in the seed; syncd must keep these assignees.
PEOPLES_ASSIGNEES = {
    "acme/web#106": ("dana-dev",),
    "acme/web#114": ("bobby",),
    "SUP-5": ("60e5a1b2c3d4e5f6a7b8c9d0",),
}
FIRES = ("acme/web#101", "SUP-1", "OPS-1")  # one fire per tracker, unassigned in the seed


@dataclass(frozen=True)
class FirstRun:
    """The sandbox before and after one `syncd run --once` from the seed."""

    world: World
    outcome: Outcome
    before: Snapshot
    after: Snapshot
    stats: Stats
    on_call: str


@pytest.fixture(scope="class")
def first_run(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> FirstRun:
    """One run over the fresh seed, shared by the assertions of a class."""
    sandbox.reset()
    world = World(sandbox, tmp_path_factory.mktemp("first"))
    before, on_call = sandbox.snapshot(), world.on_call()
    outcome = world.once()
    return FirstRun(world, outcome, before, sandbox.snapshot(), sandbox.stats(), on_call)


def writes_of(sandbox: Sandbox, outcome_of: World, run: str = "--once") -> tuple[Outcome, int]:
    """Run syncd once more; its outcome and how many writes the sandbox received meanwhile."""
    before = sandbox.stats().writes
    outcome = outcome_of.syncd(run)
    return outcome, sandbox.stats().writes - before


class TestFirstRun:
    """One `syncd run --once` over the demo seed."""

    def test_exits_zero_without_a_traceback(self, first_run: FirstRun) -> None:
        """Every tracker synced; nothing crashed."""
        assert first_run.outcome.status == 0, first_run.outcome.stderr
        assert "Traceback" not in first_run.outcome.stdout + first_run.outcome.stderr

    def test_every_escalation_ends_as_spec_three_asks(self, first_run: FirstRun) -> None:
        """One correct tier label each, rotation assignments, flags with one comment."""
        on_call = first_run.world.identities(first_run.on_call)

        assert wrong_issues(first_run.after, on_call) == []

    def test_labels_outside_the_tier_prefix_and_the_flag_are_untouched(
        self, first_run: FirstRun
    ) -> None:
        """syncd adds its tier label (and the flag) and removes no other label."""
        for key in TIERS:
            before, after = first_run.before.issue(key), first_run.after.issue(key)
            kept = [label for label in after.labels if label not in tier_labels(after)]
            assert [label for label in kept if label != FLAG] == list(before.labels), key

    def test_pull_requests_non_escalations_closed_and_ignored_issues_are_untouched(
        self, first_run: FirstRun
    ) -> None:
        """Nothing about them changes: labels, assignees, comments, updated time."""
        for key in UNTOUCHABLE:
            assert first_run.after.issue(key) == first_run.before.issue(key), key

    def test_assignees_people_set_are_kept(self, first_run: FirstRun) -> None:
        """A fire or triage issue a person assigned keeps that person."""
        for key, assignees in PEOPLES_ASSIGNEES.items():
            assert first_run.after.issue(key).assignees == assignees, key

    def test_over_estimate_items_go_to_the_team_with_one_explaining_comment(
        self, first_run: FirstRun
    ) -> None:
        """Flag label, the team person as assignee, and a comment naming estimate and limit."""
        team = first_run.world.identities("lead")
        for key in OVER_ESTIMATE:
            view = first_run.after.issue(key)
            assert FLAG in view.labels, key
            assert view.assignees == (team[TRACKER_OF[view.tracker]],), key
            assert marked_comments(view) == 1, key
        comment = first_run.after.issue("acme/web#104").comments[0]
        assert "3d" in comment
        assert "2d" in comment

    def test_jira_flag_comments_keep_their_marker_out_of_sight(self, first_run: FirstRun) -> None:
        """On both Jira flavours the marker is a comment property, never text people read."""
        jira = [key for key in OVER_ESTIMATE if first_run.after.issue(key).tracker != "github"]
        assert {first_run.after.issue(key).tracker for key in jira} == {"jira-cloud", "jira-dc"}
        for key in jira:
            assert visible_markers(first_run.after.issue(key)) == 0, key

    def test_writes_each_change_once(self, first_run: FirstRun) -> None:
        """No write succeeded twice for the same issue, kind and value."""
        repeated = {w: n for w, n in first_run.world.successful_writes().items() if n > 1}

        assert repeated == {}


class TestRerun:
    """Later runs over trackers syncd already put in order."""

    def test_a_second_run_writes_nothing(self, world: World, sandbox: Sandbox) -> None:
        """Nothing changed, so nothing is written."""
        assert world.once().status == 0

        outcome, writes = writes_of(sandbox, world)

        assert outcome.status == 0
        assert writes == 0

    def test_a_run_with_the_state_file_lost_doubles_nothing_and_fights_nobody(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """No second comment, no relabel, no reassignment: the trackers stay as they were."""
        assert world.once().status == 0
        settled = sandbox.snapshot()
        for lost in world.home.glob("state.db*"):
            lost.unlink()

        outcome, writes = writes_of(sandbox, world)

        assert outcome.status == 0
        assert writes == 0
        assert sandbox.snapshot() == settled

    def test_a_dry_run_prints_the_plan_and_writes_nothing(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """`--dry-run --once` lists each issue's planned writes; the sandbox stays at its seed."""
        seed = sandbox.snapshot()

        outcome = world.syncd("--dry-run", "--once")

        assert outcome.status == 0, outcome.stderr
        assert "acme/web#101: tier fire" in outcome.stdout
        assert "SUP-4: tier triage" in outcome.stdout
        assert "OPS-2: tier triage" in outcome.stdout
        assert "add label tier/fire" in outcome.stdout
        assert "comment once (syncd:over-estimate)" in outcome.stdout
        assert "nothing was written" in outcome.stdout
        assert sandbox.stats().writes == 0
        assert sandbox.snapshot() == seed
        assert not Path(world.state_path).exists()


class TestPeople:
    """What people do by hand in the trackers, and how syncd responds."""

    def test_a_hand_set_tier_label_pins_the_tier_and_its_assign_still_applies(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """tier/queue set by a person on a fire stays the only tier label; queue routes it."""
        on_call = world.identities(world.on_call())
        for key in FIRES:
            sandbox.edit_issue(key, add_labels=("tier/queue",))

        assert world.once().status == 0

        for key in FIRES:
            view = sandbox.snapshot().issue(key)
            assert tier_labels(view) == ["tier/queue"], key
            assert view.assignees == (on_call[TRACKER_OF[view.tracker]],), key

    def test_removing_the_hand_set_tier_label_unpins(self, world: World, sandbox: Sandbox) -> None:
        """Once the person takes their label off, the rules place the issue again."""
        for key in FIRES:
            sandbox.edit_issue(key, add_labels=("tier/queue",))
        assert world.once().status == 0
        for key in FIRES:
            sandbox.edit_issue(key, remove_labels=("tier/queue",))

        assert world.once().status == 0

        assert [tier_labels(sandbox.snapshot().issue(key)) for key in FIRES] == [["tier/fire"]] * 3

    def test_a_changed_issue_gets_its_new_tier_label_in_place_of_the_old_one(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """Customers pile on: the queue or triage label gives way to exactly one tier/fire."""
        assert world.once().status == 0
        moved = ("acme/web#111", "SUP-5", "OPS-3")
        for key in moved:
            sandbox.add_reporters(key, 4)

        assert world.once().status == 0

        after = sandbox.snapshot()
        assert [tier_labels(after.issue(key)) for key in moved] == [["tier/fire"]] * 3
        assert after.issue("SUP-5").assignees == PEOPLES_ASSIGNEES["SUP-5"]

    def test_an_assignee_a_person_changed_is_never_replaced(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """After a person reassigns syncd's assignments, the next run writes nothing."""
        assert world.once().status == 0
        takers = {"acme/web#101": ("dana-dev",), "SUP-1": ("60e5a1b2c3d4e5f6a7b8c9d0",)}
        takers["OPS-1"] = ("carol",)
        for key, assignees in takers.items():
            sandbox.edit_issue(key, assignees=assignees)

        outcome, writes = writes_of(sandbox, world)

        assert outcome.status == 0
        assert writes == 0
        assert {key: sandbox.snapshot().issue(key).assignees for key in takers} == takers

    def test_an_estimate_back_under_the_limit_removes_the_flag_only(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """The flag label goes; the comment stays, alone."""
        assert world.once().status == 0
        sandbox.edit_issue(
            "acme/web#104", add_labels=("estimate/1d",), remove_labels=("estimate/3d",)
        )
        sandbox.set_estimate("SUP-4", seconds=4 * 3600)
        sandbox.set_estimate("OPS-2", story_points=1)

        assert world.once().status == 0

        for key in ("acme/web#104", "SUP-4", "OPS-2"):
            view = sandbox.snapshot().issue(key)
            assert FLAG not in view.labels, key
            assert marked_comments(view) == 1, key
            assert len(tier_labels(view)) == 1, key


class TestUnassignable:
    """A rotation person a tracker refuses."""

    @pytest.fixture
    def carol_world(self, sandbox: Sandbox, tmp_path: Path) -> World:
        """Carol alone on the rotation: acme/api and Jira Cloud SUP cannot assign her."""
        sandbox.reset()
        return World(sandbox, tmp_path, members=("carol",))

    def test_the_fallback_takes_what_the_rotation_person_cannot(
        self, carol_world: World, sandbox: Sandbox
    ) -> None:
        """carol where she is assignable, the fallback (lead) elsewhere, with a warning."""
        outcome = carol_world.once()

        after = sandbox.snapshot()
        assert outcome.status == 0, outcome.stderr
        assert after.issue("acme/web#101").assignees == ("carol-c",)
        assert after.issue("OPS-1").assignees == ("carol",)
        assert after.issue("acme/api#201").assignees == ("acme-lead",)
        assert after.issue("SUP-1").assignees == (carol_world.identity("lead", "support"),)
        assert "cannot assign" in outcome.stdout
        assert '"person": "carol"' in outcome.stdout

    def test_a_refusal_is_not_retried_on_the_next_run(
        self, carol_world: World, sandbox: Sandbox
    ) -> None:
        """The second run writes nothing: no loop on the unassignable person."""
        assert carol_world.once().status == 0

        outcome, writes = writes_of(sandbox, carol_world)

        assert outcome.status == 0
        assert writes == 0
