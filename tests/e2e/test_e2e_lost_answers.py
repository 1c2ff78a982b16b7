"""Lost answers end to end: the write lands in the tracker, but syncd never hears back."""

from __future__ import annotations

import pytest

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import Outcome, World, marked_comments, tier_labels, wrong_issues

pytestmark = pytest.mark.e2e

MAX_RUNS = 6
# #104 is over the estimate limit (one comment due); #103 is `queue` by the rules.
LOST_COMMENT = Fault(
    FaultKind.DROP_AFTER, route="github.issue.comments.create", path=r"/issues/104/comments$"
)
LOST_LABEL = Fault(
    FaultKind.DROP_AFTER, route="github.issue.labels.add", path=r"/issues/103/labels$"
)
LOST_ASSIGN = Fault(
    FaultKind.DROP_AFTER, route="github.issue.assignees.add", path=r"/issues/103/assignees$"
)


def until_clean(world: World) -> list[Outcome]:
    """Run `syncd run --once` until it exits 0 (at most MAX_RUNS times); every outcome."""
    outcomes: list[Outcome] = []
    while len(outcomes) < MAX_RUNS:
        outcomes.append(world.once())
        if outcomes[-1].status == 0:
            break
    return outcomes


@pytest.fixture(scope="class")
def lost(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> tuple[World, list[Outcome]]:
    """Both answers lost on the first run over the fresh seed, then runs until one exits 0."""
    sandbox.reset()
    world = World(sandbox, tmp_path_factory.mktemp("lost"))
    sandbox.inject(LOST_COMMENT)
    sandbox.inject(LOST_LABEL)
    return world, until_clean(world)


class TestAnswersLostAfterTheWrite:
    """A comment POST and a label POST land, and their connections close unanswered."""

    def test_the_run_that_lost_an_answer_fails_and_a_later_one_succeeds(
        self, lost: tuple[World, list[Outcome]]
    ) -> None:
        """The lost answers are errors (exit 1, no traceback) until a run exits 0."""
        world, runs = lost

        assert runs[0].status == 1
        assert runs[-1].status == 0
        assert all("Traceback" not in run.stderr for run in runs)
        assert world.sandbox.stats().faults == 2

    def test_the_issue_whose_comment_answer_was_lost_has_exactly_one_comment(
        self, lost: tuple[World, list[Outcome]]
    ) -> None:
        """syncd finds its own marker on the re-run instead of posting the comment again."""
        world, _ = lost

        view = world.sandbox.snapshot().issue("acme/web#104")

        assert marked_comments(view) == 1
        assert len(view.comments) == 1

    def test_the_issue_whose_label_answer_was_lost_carries_one_tier_label(
        self, lost: tuple[World, list[Outcome]]
    ) -> None:
        """tier/queue is on #103 once, and every escalation ends as SPEC 3 asks."""
        world, _ = lost
        snapshot = world.sandbox.snapshot()

        assert tier_labels(snapshot.issue("acme/web#103")) == ["tier/queue"]
        assert wrong_issues(snapshot, world.identities(world.on_call())) == []

    def test_no_label_flaps_and_a_further_run_writes_nothing(
        self, lost: tuple[World, list[Outcome]]
    ) -> None:
        """No label was removed, nothing landed twice, and one more run performs zero writes."""
        world, _ = lost
        landed = world.successful_writes()
        writes = world.sandbox.stats().writes

        outcome = world.once()

        assert [w for w in landed if w[1] == "remove_label"] == []
        assert {w: n for w, n in landed.items() if n > 1} == {}
        assert outcome.status == 0
        assert world.sandbox.stats().writes == writes


class TestALostLabelAnswerLaterOn:
    """After a lost label answer, the issue changes tier; syncd must still own its label."""

    def test_a_new_tier_replaces_the_label_whose_answer_was_lost(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """#103 gains `outage`: tier/fire replaces tier/queue, which syncd itself wrote."""
        sandbox.inject(LOST_LABEL)
        until_clean(world)
        sandbox.edit_issue("acme/web#103", add_labels=("outage",))

        outcome = world.once()

        assert outcome.status == 0
        assert tier_labels(sandbox.snapshot().issue("acme/web#103")) == ["tier/fire"]


class TestALostAssignAnswer:
    """#103's rotation assignment lands, its connection closes unanswered; later it grows."""

    def test_going_over_the_limit_hands_it_to_the_team_person_alone(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """Two runs after the lost answer #103 is estimated at 3d: lead alone, one comment."""
        sandbox.inject(LOST_ASSIGN)
        runs = until_clean(world)
        world.once()
        sandbox.edit_issue("acme/web#103", add_labels=("estimate/3d",))

        outcome = world.once()

        view = sandbox.snapshot().issue("acme/web#103")
        assert [run.status for run in runs] == [1, 0]
        assert outcome.status == 0
        assert view.assignees == (world.identity("lead", "web"),)
        assert marked_comments(view) == 1
