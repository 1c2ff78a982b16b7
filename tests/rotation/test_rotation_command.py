"""Tests for `syncd rotation`, run in-process through syncd.entrypoints.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syncd.entrypoints.cli import main

CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh}}
  bob: {{github: bobby}}
  carol: {{github: carol-c}}
  lead: {{github: acme-lead}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  shift_length: 2
  start: 2026-11-02
  fallback: lead
  members: [alice, bob, carol]
  overrides:
    - {{member: carol, start: "2026-11-05T13:00", end: "2026-11-05T17:00", reason: dentist}}
tiers:
  rules: []
  default: {{tier: triage, assign: none}}
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    token: ${{GITHUB_TOKEN}}
    team: lead
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    """A small rotation config in a temporary directory."""
    path = tmp_path / "syncd.yaml"
    path.write_text(CONFIG.format(state=tmp_path / "state.db"), encoding="utf-8")
    return path


class TestRotationCommand:
    """`syncd rotation` prints the rotation as a table, JSON or iCalendar."""

    def test_the_table_names_who_is_on_call_and_until_when(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """At noon on Wednesday 4 November bob is on call until Friday's handoff."""
        status = main(["rotation", "-c", str(config), "--at", "2026-11-04T12:00", "--next", "2"])

        out = capsys.readouterr().out
        assert status == 0
        assert out.startswith("on call at Wed 2026-11-04 12:00 EST: bob (rotation)")
        assert "until Thu 2026-11-05 13:00 EST" in out  # the override cuts bob's shift
        # Each local time is four words (day, date, time, zone): UTC times, member, source follow.
        rows = [line.split()[8:12] for line in out.splitlines() if "Z  " in line]
        assert rows == [
            ["2026-11-04T14:00:00Z", "2026-11-05T18:00:00Z", "bob", "rotation"],
            ["2026-11-05T18:00:00Z", "2026-11-05T22:00:00Z", "carol", "override"],
            ["2026-11-05T22:00:00Z", "2026-11-06T14:00:00Z", "bob", "rotation"],
        ]

    def test_json_output_has_the_documented_shape(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--json gives at, on_call, source and the current segment plus N more, in UTC."""
        status = main(["rotation", "-c", str(config), "--at", "2026-11-05T14:00:00-05:00",
                       "--next", "2", "--json"])  # fmt: skip

        document = json.loads(capsys.readouterr().out)
        assert status == 0
        assert document == {
            "at": "2026-11-05T19:00:00Z",
            "on_call": "carol",
            "source": "override",
            "shifts": [
                {"start": "2026-11-05T18:00:00Z", "end": "2026-11-05T22:00:00Z",
                 "member": "carol", "source": "override", "reason": "dentist", "skipped": []},
                {"start": "2026-11-05T22:00:00Z", "end": "2026-11-06T14:00:00Z",
                 "member": "bob", "source": "rotation", "reason": None, "skipped": []},
                {"start": "2026-11-06T14:00:00Z", "end": "2026-11-10T14:00:00Z",
                 "member": "carol", "source": "rotation", "reason": None, "skipped": []},
            ],
        }  # fmt: skip

    def test_before_the_start_json_says_nobody_with_an_open_start(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Before the first shift on_call is null and the open start is null too."""
        main(["rotation", "-c", str(config), "--at", "2026-10-01", "--next", "0", "--json"])

        document = json.loads(capsys.readouterr().out)
        assert (document["on_call"], document["source"]) == (None, "unassigned")
        assert document["shifts"] == [
            {"start": None, "end": "2026-11-02T14:00:00Z", "member": None, "source": "unassigned",
             "reason": None, "skipped": []}
        ]  # fmt: skip

    def test_ics_output_is_a_calendar_with_one_event_per_segment(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--ics prints a CRLF VCALENDAR of the 12 weeks from --at (the rotation's start here),
        whatever --next says: the feed of /rotation.ics."""
        status = main(["rotation", "-c", str(config), "--at", "2026-11-02T10:00", "--ics",
                       "--next", "3"])  # fmt: skip

        out = capsys.readouterr().out
        assert status == 0
        assert out.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        assert out.count("BEGIN:VEVENT\r\n") > 4
        assert "DTSTART:20261102" in out
        assert "SUMMARY:Support: alice\r\n" in out

    def test_a_bad_at_is_a_usage_error(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An --at that is not ISO 8601 exits 2 with a message naming the option."""
        status = main(["rotation", "-c", str(config), "--at", "next tuesday"])

        assert status == 2
        assert "--at" in capsys.readouterr().err

    def test_a_negative_next_is_a_usage_error(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--next below zero exits 2."""
        status = main(["rotation", "-c", str(config), "--next", "-1"])

        assert status == 2
        assert "--next" in capsys.readouterr().err

    def test_without_at_it_answers_for_now(
        self, config: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With no --at the heading speaks of now."""
        status = main(["rotation", "-c", str(config), "--next", "1"])

        assert status == 0
        assert capsys.readouterr().out.startswith("on call now: ")
