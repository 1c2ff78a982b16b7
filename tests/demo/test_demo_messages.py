"""`syncd demo` sends its messages to the sandbox's Slack hook and prints each one under the
board: the first start's handoff and the fire announcements (SPEC §8)."""

from __future__ import annotations

import io

import pytest

from syncd.clock import starting_at
from syncd.entrypoints.commands.demo import play
from tests.demo.test_demo_command import ALICE_ON_CALL, cycle_blocks


@pytest.fixture(scope="module")
def two_cycles(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The output of a two-cycle demo on a free port, without pauses."""
    out = io.StringIO()
    scratch = tmp_path_factory.mktemp("demo-messages")
    assert play(2, out, port=0, pause=0, scratch=scratch, clock=starting_at(ALICE_ON_CALL)) == 0
    return out.getvalue()


@pytest.mark.e2e
class TestDemoMessages:
    def test_the_first_cycle_prints_the_running_shift_and_its_fires(self, two_cycles: str) -> None:
        """Under the first board: who is on shift now, and a fire announced with its assignee."""
        first = cycle_blocks(two_cycles)[0]

        assert "  slack On shift now: *alice* is on shift until Thu 10 Dec 09:00 EST." in first
        assert "  slack Fire: web acme/web#101 Checkout returns 502" in first

    def test_a_new_fire_is_announced_in_the_cycle_that_places_it(self, two_cycles: str) -> None:
        """SUP-11 appears between the cycles: the second board is followed by its message."""
        second = cycle_blocks(two_cycles)[1]

        assert "  slack Fire: support SUP-11 SSO login fails for every tenant" in second
        assert "On shift now" not in second

    def test_message_lines_stay_within_one_hundred_columns(self, two_cycles: str) -> None:
        """Long titles are cut: every printed message line fits the board's width."""
        lines = [line for line in two_cycles.splitlines() if line.startswith("  slack ")]

        assert lines
        assert all(len(line) <= 100 for line in lines)
