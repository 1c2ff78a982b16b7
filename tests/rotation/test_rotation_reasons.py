"""Skip and override reasons, on the shifts they shape and in every `syncd rotation` view."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from syncd.config.model import Override, Skip
from syncd.domain.rotation.shift import Absence
from syncd.entrypoints.cli import main
from tests.rotation.rotation_world import roster, rotation, utc

CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh}}
  bob: {{github: bobby}}
  carol: {{github: carol-c}}
rotation:
  timezone: America/Detroit
  start: 2026-11-02
  members: [alice, bob, carol]
  skips:
    - {{member: alice, from: 2026-11-02, to: 2026-11-03, reason: "offsite; Berlin, then Paris"}}
  overrides:
    - {{member: carol, start: "2026-11-05T13:00", end: "2026-11-05T17:00", reason: dentist}}
tiers:
  rules: []
  default: {{tier: triage, assign: none}}
trackers:
  - {{name: web, kind: github, repos: [acme/web], token: "${{GITHUB_TOKEN}}", team: bob}}
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """alice away on shift 0 (with a reason full of TEXT specials), carol covering for a dentist."""
    path = tmp_path / "syncd.yaml"
    path.write_text(CONFIG.format(state=tmp_path / "state.db"), encoding="utf-8")
    return path


def rotation_output(config: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """What `syncd rotation` prints from Monday 2 November, 10:00 local, four segments on."""
    status = main(
        ["rotation", "-c", str(config), "--at", "2026-11-02T10:00", "--next", "3", *extra]
    )
    assert status == 0
    return capsys.readouterr().out


class TestShiftsCarryTheirReasons:
    """The roster puts skips and override reasons on the shifts."""

    def test_a_shift_names_who_was_away_on_a_skip_and_why(self) -> None:
        """alice's skip on Monday: shift 0 goes to bob and lists alice with the skip's reason."""
        away = Skip("alice", date(2026, 11, 2), date(2026, 11, 2), reason="conference")
        shifts = roster(rotation(skips=[away])).shifts(utc(2026, 11, 2, 14), 2)

        assert shifts[0].member == "bob"
        assert shifts[0].skipped == (Absence("alice", "conference"),)
        assert shifts[1].skipped == ()

    def test_an_override_segment_carries_the_overrides_reason(self) -> None:
        """The cover's segment has the override's reason; the pieces around it have none."""
        swap = Override("carol", utc(2026, 11, 3, 18), utc(2026, 11, 3, 22), reason="swap")
        shifts = roster(rotation(overrides=[swap])).shifts(utc(2026, 11, 2, 14), 3)

        assert [(s.member, s.reason) for s in shifts] == [
            ("alice", ""),
            ("carol", "swap"),
            ("alice", ""),
        ]


class TestTheCommandShowsReasons:
    """Table, --json and --ics all say why a shift is held as it is."""

    def test_the_table_shows_the_skip_and_the_override_reason(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A `why` column: who was skipped and why on bob's shift, `dentist` on carol's cover."""
        out = rotation_output(config, capsys)

        bob = next(line for line in out.splitlines() if line.startswith("Mon 2026-11-02"))
        carol = next(line for line in out.splitlines() if "override" in line)
        assert "why" in out.splitlines()[2]
        assert bob.endswith("alice skipped (offsite; Berlin, then Paris)")
        assert carol.endswith("dentist")

    def test_json_puts_a_reason_and_the_skipped_on_each_shift(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Each shift has `reason` (the override's, else null) and `skipped` (member, reason)."""
        document = json.loads(rotation_output(config, capsys, "--json"))

        first, *_, cover, _after = document["shifts"]
        assert first["member"] == "bob"
        assert first["reason"] is None
        assert first["skipped"] == [{"member": "alice", "reason": "offsite; Berlin, then Paris"}]
        assert (cover["member"], cover["reason"], cover["skipped"]) == ("carol", "dentist", [])

    def test_ics_descriptions_carry_the_reasons_escaped(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """DESCRIPTION names the skip and its reason with commas and semicolons escaped."""
        feed = rotation_output(config, capsys, "--ics")

        unfolded = feed.replace("\r\n ", "")
        descriptions = [line for line in unfolded.split("\r\n") if line.startswith("DESCRIPTION:")]
        assert descriptions[0] == (
            "DESCRIPTION:shift 0\\, source: rotation\\n"
            "skipped: alice (offsite\\; Berlin\\, then Paris)"
        )
        assert "DESCRIPTION:shift 1\\, source: override\\nreason: dentist" in descriptions
        assert all(len(line.encode()) <= 75 for line in feed.split("\r\n"))
