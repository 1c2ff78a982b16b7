"""Carry-over (SPEC §8, `rotation.carry_over: true`): at a handoff, escalations syncd assigned to
the outgoing person and that nobody reassigned pass to the incoming one, through the applier;
the handoff message lists them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.notify.fire_world import FIRE_LABELS, FireWorld, carry_over_config, fire_world
from tests.notify.notify_world import WEDNESDAY_HANDOFF

CARRY_OVER_RULE = "rotation.carry_over"


def _to_the_handoff(world: FireWorld) -> None:
    """A full cycle ten minutes before bob's shift, then an incremental one just after it."""
    world.clock.advance((WEDNESDAY_HANDOFF - world.clock()).total_seconds() - 10 * 60)
    world.service.cycle()
    world.clock.advance(11 * 60)
    world.service.cycle()


class TestCarryOver:
    def test_syncds_assignments_pass_to_the_incoming_person(self, tmp_path: Path) -> None:
        """A fire and a queue item syncd gave alice go to bob (bobby) in the cycle after."""
        with fire_world(tmp_path, carry_over_config()) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            queue = world.web.open_issue("The CSV export is broken")
            world.service.cycle(full=True)
            assert world.web.assignees(fire) == world.web.assignees(queue) == ("alice-gh",)

            _to_the_handoff(world)

            assert world.web.assignees(fire) == world.web.assignees(queue) == ("bobby",)
            assert world.store is not None
            audit = world.store.audit_since(WEDNESDAY_HANDOFF)
            assert sorted(e.issue for e in audit if e.rule == CARRY_OVER_RULE) == [fire, queue]

    def test_the_handoff_message_lists_the_carried_items(self, tmp_path: Path) -> None:
        """Bob's handoff, in Slack and JSON, names both items carried over to him."""
        with fire_world(tmp_path, carry_over_config()) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            queue = world.web.open_issue("The CSV export is broken")
            world.service.cycle(full=True)

            _to_the_handoff(world)

            bobs = [e for e in world.events("handoff") if e["person"] == "bob"]
            [handoff] = bobs
            carried = handoff["carried"]
            assert isinstance(carried, list)
            assert [item["key"] for item in carried] == [fire, queue]
            [slack] = [m for m in world.slack.sent if "Handoff: *bob*" in str(m["text"])]
            assert "Carried over to *bob*" in str(slack["blocks"])

    def test_an_issue_a_person_reassigned_stays_where_it_is(self, tmp_path: Path) -> None:
        """carol took the fire from alice by hand: the handoff leaves it with carol."""
        with fire_world(tmp_path, carry_over_config()) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)
            world.clock.advance(3600)
            world.web.edit(fire, assignees=("carol-c",))

            _to_the_handoff(world)

            assert world.web.assignees(fire) == ("carol-c",)
            assert world.assigns("bobby") == 0

    def test_an_issue_with_a_person_added_stays_where_it_is(self, tmp_path: Path) -> None:
        """A person added carol next to alice: the issue is no longer syncd's alone."""
        with fire_world(tmp_path, carry_over_config()) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)
            world.clock.advance(3600)
            world.web.edit(fire, assignees=("alice-gh", "carol-c"))

            _to_the_handoff(world)

            assert world.web.assignees(fire) == ("alice-gh", "carol-c")

    def test_a_lost_answer_during_carry_over_is_not_written_twice(self, tmp_path: Path) -> None:
        """The assign lands but its answer is lost (alice stays on): the next cycle takes alice
        off and does not assign bob again."""
        with fire_world(tmp_path, carry_over_config()) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)
            world.web.lose_next_answers(1, "assign")

            _to_the_handoff(world)
            assert world.web.assignees(fire) == ("alice-gh", "bobby")
            world.clock.advance(10 * 60)  # past the failed cycle's backoff
            world.service.cycle(full=True)
            world.clock.advance(60)
            world.service.cycle(full=True)

            assert world.web.assignees(fire) == ("bobby",)
            assert world.assigns("bobby") == 1

    def test_off_by_default(self, tmp_path: Path) -> None:
        """Without carry_over the fire stays with alice after bob's handoff (SPEC 3.2)."""
        with fire_world(tmp_path) as world:
            fire = world.web.open_issue(labels=FIRE_LABELS)
            world.service.cycle(full=True)

            _to_the_handoff(world)
            world.clock.advance(timedelta(hours=2).total_seconds())
            world.service.cycle(full=True)

            assert world.web.assignees(fire) == ("alice-gh",)
