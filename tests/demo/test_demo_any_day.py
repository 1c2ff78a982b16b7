"""`syncd demo` on any day: the story its scenes tell agrees with the rotation at that instant.

The demo takes its clock as an input; here it is played at instants spread over a year
(weekends, holidays, a deferred member, both DST changes, before the rotation starts, each
member on shift), and what the boards and the stories say is checked against the roster.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syncd.clock import starting_at
from syncd.config.loader import load
from syncd.domain.rotation import Roster
from syncd.domain.rotation.journal import MemoryJournal
from syncd.entrypoints.commands.demo import play

ROOT = Path(__file__).resolve().parents[2]
CONFIG = load(ROOT / "config" / "demo.yaml", {})
ZONE = ZoneInfo("America/Detroit")  # the demo rotation's time zone

INSTANTS = {
    "before the rotation starts": datetime(2026, 10, 15, 10, 0, tzinfo=ZONE),
    "alice deferred (billing rewrite)": datetime(2026, 12, 2, 12, 0, tzinfo=ZONE),
    "the Sunday CI went red": datetime(2026, 12, 6, 13, 11, tzinfo=UTC),
    "Christmas, a holiday": datetime(2026, 12, 25, 12, 0, tzinfo=ZONE),
    "New Year, a holiday": datetime(2027, 1, 1, 12, 0, tzinfo=ZONE),
    "a winter Wednesday": datetime(2027, 2, 10, 10, 0, tzinfo=ZONE),
    "an hour after clocks spring forward": datetime(2027, 3, 14, 3, 30, tzinfo=ZONE),
    "the Monday after spring forward": datetime(2027, 3, 15, 10, 0, tzinfo=ZONE),
    "late afternoon": datetime(2027, 4, 21, 16, 45, tzinfo=ZONE),
    "a Saturday": datetime(2027, 6, 12, 15, 0, tzinfo=ZONE),
    "just before the handoff hour": datetime(2027, 8, 5, 8, 30, tzinfo=ZONE),
    "late evening": datetime(2027, 9, 30, 23, 0, tzinfo=ZONE),
    "the repeated hour as clocks fall back, first": datetime(2027, 11, 7, 1, 30, tzinfo=ZONE),
    "the repeated hour as clocks fall back, second": datetime(
        2027, 11, 7, 1, 30, fold=1, tzinfo=ZONE
    ),
}


@dataclass(frozen=True)
class Played:
    """One three-cycle demo played at `at`: its output and who the roster says is on call."""

    at: datetime
    output: str

    @property
    def on_call(self) -> str | None:
        """The rotation member on shift at `at`, the journal empty as the demo's starts."""
        return Roster(CONFIG.rotation, MemoryJournal()).on_call(self.at).member

    @property
    def holder(self) -> str:
        """Who syncd must give a fire to at `at`: the member on shift, else the fallback."""
        found = self.on_call or CONFIG.rotation.fallback
        assert found is not None
        return found

    def cycle(self, number: int) -> str:
        """The board (and the story before the next cycle) printed for cycle `number`."""
        return re.split(r"^cycle \d+ ", self.output, flags=re.MULTILINE)[number]


@pytest.fixture(scope="module", params=sorted(INSTANTS), ids=str)
def played(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Played:
    """The demo played for three cycles, without pauses, starting at one of INSTANTS."""
    at = INSTANTS[request.param]
    out = io.StringIO()
    scratch = tmp_path_factory.mktemp("demo")
    assert play(3, out, port=0, pause=0, scratch=scratch, clock=starting_at(at)) == 0
    return Played(at.astimezone(UTC), out.getvalue())


@pytest.mark.e2e
class TestAnyDay:
    """Whatever the day, the demo's board and story say what the rotation says."""

    def test_the_instants_put_every_member_and_nobody_on_shift(self) -> None:
        """The sample is wide enough: each member is on shift at one instant, nobody at one."""
        on_call = {Played(at, "").on_call for at in INSTANTS.values()}

        assert on_call == {None, *(member.person for member in CONFIG.rotation.members)}

    def test_every_board_names_who_is_on_shift_at_that_instant(self, played: Played) -> None:
        """`on rotation now:` on each of the three boards is the roster's answer at the instant."""
        named = re.findall(r"^on rotation now: (\w+)", played.output, flags=re.MULTILINE)

        assert named == [played.on_call or "nobody"] * 3

    def test_the_first_cycle_gives_the_fire_to_whoever_is_on_shift(self, played: Played) -> None:
        """acme/web#101 (an outage) goes to the member on shift, or to the fallback."""
        assert re.search(rf"acme/web#101 .* \+tier/fire →{played.holder}\b", played.cycle(1))

    def test_the_story_takes_the_fire_from_the_person_the_board_shows(self, played: Played) -> None:
        """`X takes acme/web#101 over from Y`: Y holds it on the board, X is someone else."""
        story = re.search(r"^>> (\w+) takes acme/web#101 over from (\w+);", played.output, re.M)

        assert story is not None
        taker, holder = story.group(1).lower(), story.group(2).lower()
        assert holder == played.holder
        assert taker != holder
        assert re.search(rf"acme/web#101 .* {holder} ", played.cycle(2))

    def test_the_third_board_shows_the_hand_over_and_syncd_leaves_it(self, played: Played) -> None:
        """The board shows the person's change as theirs; syncd writes only SUP-2's label."""
        story = re.search(r"^>> (\w+) takes", played.output, re.M)
        assert story is not None
        taker = story.group(1).lower()
        third = played.cycle(3)

        assert third.splitlines()[0].endswith("1 write · 5 requests, 1 answered 304")
        assert re.search(rf"acme/web#101 .* {taker} .* hand:{played.holder}→{taker}$", third, re.M)
        assert re.search(r"SUP-2 .* hand:\+tier/queue\s+-tier/fire", third)

    def test_the_fire_opened_between_polls_goes_to_whoever_is_on_shift(
        self, played: Played
    ) -> None:
        """SUP-12, opened in the pause before cycle 3, is settled from its webhook as the poll
        settled SUP-11 (carol cannot be assigned in SUP: the fallback takes both); cycle 3 then
        has nothing to write for it."""
        polled = re.search(r"^  support  SUP-11 .* new \+tier/fire →(\w+)$", played.cycle(2), re.M)
        assert polled is not None
        holder = polled.group(1)
        reaction = rf"^⚡ SUP-12 reacted to a webhook in [\d.]+ s: \+tier/fire →{holder}$"

        assert holder in {played.holder, CONFIG.rotation.fallback}
        assert re.search(reaction, played.cycle(2), re.M)
        assert re.search(rf"^  support  SUP-12 .* {holder} +·$", played.cycle(3), re.M)
