"""A label write that lands although its answer is lost is known as syncd's, never as a pin."""

from __future__ import annotations

from structlog.testing import capture_logs

from syncd.errors import WriteRejected
from tests.builders import WORK_DAY
from tests.service.world import World

FIRE = ("escalation", "outage")


class TestLostLabelAnswers:
    def test_a_label_sent_without_an_answer_is_remembered(self, world: World) -> None:
        """The tier label landed but the answer was lost: the record lists it as sent."""
        key = world.web.open_issue(labels=FIRE)
        world.web.lose_next_answers(1)

        world.service.cycle(full=True)

        assert world.web.labels(key) == (*FIRE, "tier/fire")
        assert world.record(key).sent_labels == ("tier/fire",)
        assert world.record(key).tier_label is None

    def test_the_next_cycle_takes_it_as_syncds_without_a_pin_or_a_write(self, world: World) -> None:
        """No "pinned by hand" note, no second label write, and the record adopts the label."""
        key = world.web.open_issue(labels=FIRE)
        world.web.lose_next_answers(1)
        world.service.cycle(full=True)
        label_writes = [w for w in world.web.writes if w.op == "add_label"]

        world.clock.advance(60)
        with capture_logs() as logs:
            world.service.cycle(full=True)

        assert not [e for e in logs if "pinned" in str(e.get("event", ""))]
        assert [w for w in world.web.writes if w.op == "add_label"] == label_writes
        assert world.record(key).tier_label == "tier/fire"
        assert world.record(key).sent_labels == ()

    def test_a_new_tier_replaces_the_label_whose_answer_was_lost(self, world: World) -> None:
        """When the rules change their mind, syncd swaps its lost-answer label for the new one."""
        key = world.web.open_issue(labels=("escalation",), body="the CSV export is broken")
        world.web.lose_next_answers(1)
        world.service.cycle(full=True)
        world.clock.advance(10 * 60)
        world.web.edit(key, labels=(*world.web.labels(key), "outage"))

        world.service.cycle(full=True)

        tiers = [label for label in world.web.labels(key) if label.startswith("tier/")]
        assert tiers == ["tier/fire"]

    def test_a_flag_whose_answer_was_lost_is_removed_when_the_estimate_drops(
        self, world: World
    ) -> None:
        """The flag label that landed unanswered is syncd's, so syncd takes it off again."""
        key = world.web.open_issue(estimate=1 * WORK_DAY, estimate_text="1d")
        world.service.cycle(full=True)
        world.clock.advance(10 * 60)
        world.web.edit(key, estimate=3 * WORK_DAY, estimate_text="3d")
        world.web.lose_next_answers(1)  # the flag label
        world.service.cycle(full=True)
        flagged_unanswered = world.record(key).sent_labels
        world.clock.advance(10 * 60)  # past the backoff of the failed cycle
        world.web.edit(key, estimate=1 * WORK_DAY, estimate_text="1d")

        world.service.cycle(full=True)

        assert flagged_unanswered == ("needs-team",)
        assert "needs-team" not in world.web.labels(key)

    def test_a_refused_label_is_no_longer_listed_as_sent(self, world: World) -> None:
        """A 422 is a definite answer: the label did not land, so it is not remembered as sent."""
        key = world.web.open_issue(labels=FIRE)
        world.web.refuse(key, "add_label", WriteRejected("422 label name invalid"))

        world.service.cycle(full=True)

        assert world.record(key).sent_labels == ()


class TestLostAssignAnswers:
    """An assignment that lands although its answer is lost stays syncd's, never a person's."""

    def _lost_rotation_assignment(self, world: World) -> str:
        """A fire whose rotation assignment (alice) lands unanswered, then one more cycle."""
        key = world.web.open_issue(labels=FIRE, estimate=1 * WORK_DAY, estimate_text="1d")
        world.web.lose_next_answers(1, op="assign")
        world.service.cycle(full=True)
        world.clock.advance(10 * 60)  # past the backoff of the failed cycle
        world.service.cycle(full=True)
        world.clock.advance(10 * 60)
        return key

    def test_the_identity_being_assigned_is_noted_before_the_write(self, world: World) -> None:
        """The answer is lost: the record lists alice as sent, not yet as syncd's assignee."""
        key = world.web.open_issue(labels=FIRE)
        world.web.lose_next_answers(1, op="assign")

        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("alice-gh",)
        assert world.record(key).sent_assignees == ("alice-gh",)
        assert world.record(key).assignee is None

    def test_the_next_cycle_takes_the_assignee_as_syncds(self, world: World) -> None:
        """Found on the issue, the sent identity becomes the recorded assignee, settled."""
        key = self._lost_rotation_assignment(world)

        record = world.record(key)

        assert (record.assignee, record.sent_assignees, record.assign_settled) == (
            "alice-gh",
            (),
            True,
        )

    def test_going_over_the_limit_hands_it_to_the_team_alone(self, world: World) -> None:
        """Two runs after the lost answer the estimate rises: the team person alone, one comment."""
        key = self._lost_rotation_assignment(world)
        world.web.edit(key, estimate=3 * WORK_DAY, estimate_text="3d")

        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("acme-lead",)
        assert len(world.web.comments[key]) == 1

    def test_a_handoff_whose_answer_was_lost_ends_with_the_team_alone(self, world: World) -> None:
        """The team POST landed unanswered and alice stayed: the next cycle takes alice off."""
        key = world.web.open_issue(labels=FIRE, estimate=1 * WORK_DAY, estimate_text="1d")
        world.service.cycle(full=True)
        world.clock.advance(10 * 60)
        world.web.edit(key, estimate=3 * WORK_DAY, estimate_text="3d")
        world.web.lose_next_answers(1, op="assign")
        world.service.cycle(full=True)
        both = world.web.assignees(key)
        world.clock.advance(10 * 60)

        world.service.cycle(full=True)

        assert both == ("alice-gh", "acme-lead")
        assert world.web.assignees(key) == ("acme-lead",)
        assert len(world.web.comments[key]) == 1

    def test_a_refused_candidate_is_no_longer_listed_as_sent(self, world: World) -> None:
        """alice is refused (a definite answer) and the fallback takes it: only lead is recorded."""
        key = world.web.open_issue(labels=FIRE)
        world.web.unassignable.add("alice-gh")

        world.service.cycle(full=True)

        assert world.web.assignees(key) == ("acme-lead",)
        assert world.record(key).sent_assignees == ()
        assert world.record(key).assignee == "acme-lead"
