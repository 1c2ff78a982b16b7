"""`syncd report` in-process: a state file built with the Store API; table, CSV, JSON and SVG."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from syncd.adapters.state import AuditEntry, Store
from syncd.clock import fixed
from syncd.domain.placements import Assigned, Flagged, Placed, Placement
from syncd.domain.report import CARRY_OVER_RULE
from syncd.entrypoints.cli import main

CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh}}
  bob: {{github: bobby}}
  carol: {{github: carol-c}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  shift_length: 2
  start: 2026-11-02
  members: [alice, bob, carol]
  skips:
    - {{member: bob, from: 2026-11-04, to: 2026-11-05, reason: billing rewrite}}
  overrides:
    - {{member: carol, start: "2026-11-03T10:00", end: "2026-11-03T12:00", reason: "=SUM(A1)"}}
tiers:
  label_prefix: "tier/"
  rules:
    - tier: fire
      assign: rotation
      when: {{labels_any: [outage]}}
    - tier: queue
      assign: rotation
      when: {{text: "(?i)export"}}
  default: {{tier: triage, assign: none}}
estimates:
  limit: 2d
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    token: ${{GITHUB_TOKEN}}
    team: alice
"""

MONDAY = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 09:00 in Detroit: alice's shift begins
THURSDAY = datetime(2026, 11, 5, 17, 0, tzinfo=UTC)  # carol's shift (bob skipped) runs
FRIDAY = datetime(2026, 11, 6, 15, 0, tzinfo=UTC)  # bob's deferred turn has begun
HOSTILE_TIER = "\x1b]0;pwned\x07"


def a_fire(key: str, created: datetime, placed: datetime, assigned: datetime) -> list[object]:
    """A fire placed in alice's shift and assigned to her."""
    placement = Placement("web", key, "fire", placed, created, "alice")
    return [Placed(placement), Assigned("web", key, "fire", "alice-gh", assigned, created)]


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    """The config above, and a state file: two fires, a flagged queue item, a pinned tier with
    an escape sequence, and one carry-over in Thursday's shift."""
    state = tmp_path / "var" / "syncd.db"
    config = tmp_path / "syncd.yaml"
    config.write_text(CONFIG.format(state=state))
    minute = timedelta(minutes=1)
    happenings = [
        *a_fire("acme/web#1", MONDAY + 50 * minute, MONDAY + 60 * minute, MONDAY + 65 * minute),
        *a_fire("acme/web#2", MONDAY + 60 * minute, MONDAY + 120 * minute, MONDAY + 130 * minute),
        Placed(Placement("web", "acme/web#3", "queue", MONDAY + 3 * minute, MONDAY, "alice")),
        Flagged("web", "acme/web#3", MONDAY + 4 * minute),
        Placed(Placement("web", "acme/web#4", HOSTILE_TIER, THURSDAY, THURSDAY, "carol")),
    ]
    with Store.open(state) as store:
        for happening in happenings:
            assert isinstance(happening, Placed | Assigned | Flagged)
            store.placements.note(happening)
        store.audit(
            AuditEntry(THURSDAY, "web", "acme/web#5", "assign", "carol-c", CARRY_OVER_RULE,
                       "carried over at the handoff", "ok")
        )  # fmt: skip
    return config


def report(
    config: Path, capsys: pytest.CaptureFixture[str], now: datetime, *extra: str
) -> tuple[int, str]:
    """Run `syncd report` at `now`; its status and stdout."""
    status = main(["report", "-c", str(config), *extra], clock=fixed(now))
    return status, capsys.readouterr().out


class TestReportJson:
    def test_the_document_has_the_spec_shape(
        self, config_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Shifts with their placements and fire times, people with their counts and skips."""
        status, out = report(config_file, capsys, FRIDAY, "--json", "--since", "5d")

        document = json.loads(out)
        assert status == 0
        assert (document["since"], document["until"]) == (
            "2026-11-01T15:00:00Z",
            "2026-11-06T15:00:00Z",
        )
        assert document["shifts"][0] == {
            "start": "2026-11-02T14:00:00Z",
            "end": "2026-11-03T15:00:00Z",
            "member": "alice",
            "source": "rotation",
            "placed": {"fire": 2, "queue": 1},
            "fire_to_assign_p50": 2550,
            "fire_to_assign_max": 4200,
            "flagged": 1,
            "carried_over": 0,
        }
        assert [(s["member"], s["source"], s.get("reason")) for s in document["shifts"]] == [
            ("alice", "rotation", None),
            ("carol", "override", "=SUM(A1)"),
            ("alice", "rotation", None),
            ("carol", "rotation", "bob skipped (billing rewrite)"),
            ("bob", "deferred", None),
        ]
        assert document["shifts"][3]["carried_over"] == 1
        assert document["people"] == [
            {"id": "alice", "shifts": 1, "covered": 0, "owed": 0, "skipped": []},
            {
                "id": "bob",
                "shifts": 1,
                "covered": 0,
                "owed": 0,
                "skipped": [
                    {"from": "2026-11-04", "to": "2026-11-05", "reason": "billing rewrite"}
                ],
            },
            {"id": "carol", "shifts": 1, "covered": 1, "owed": 0, "skipped": []},
        ]

    def test_a_deferred_turn_is_owed_until_it_is_served(
        self, config_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Bob, skipped on Wednesday, is owed his turn on Thursday and not once it has begun."""
        _, thursday = report(config_file, capsys, THURSDAY, "--json")
        _, friday = report(config_file, capsys, FRIDAY, "--json")

        owed = [
            {p["id"]: p["owed"] for p in json.loads(out)["people"]} for out in (thursday, friday)
        ]
        assert owed == [{"alice": 0, "bob": 1, "carol": 0}, {"alice": 0, "bob": 0, "carol": 0}]


class TestReportTable:
    def test_the_table_shows_shifts_and_people_with_tracker_text_escaped(
        self, config_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Rows per shift and per person; a tier label's escape sequence is shown, not obeyed."""
        status, out = report(config_file, capsys, FRIDAY)

        assert status == 0
        assert "\x1b" not in out and "\x07" not in out
        assert "\\x1b]0;pwned\\x07 1" in out
        assert "fire 2, queue 1" in out
        assert "42m" in out and "1h 10m" in out  # the fires' p50 and max
        assert "billing rewrite" in out
        assert "(local times in America/Detroit" in out


class TestReportCsv:
    def test_the_csv_is_the_shifts_then_the_people(
        self, config_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two tables with headers; a cell a spreadsheet would run as a formula is quoted."""
        status, out = report(config_file, capsys, FRIDAY, "--csv")

        shifts, people = out.split("\n\n")
        rows = list(csv.DictReader(io.StringIO(shifts)))
        assert status == 0
        assert (rows[0]["member"], rows[0]["placed_fire"], rows[0]["fire_to_assign_p50"]) == (
            "alice",
            "2",
            "2550",
        )
        assert rows[1]["reason"] == "'=SUM(A1)"
        assert [
            (r["id"], r["shifts"], r["covered"]) for r in csv.DictReader(io.StringIO(people))
        ] == [
            ("alice", "1", "0"),
            ("bob", "1", "0"),
            ("carol", "1", "1"),
        ]


class TestReportSvg:
    def test_the_chart_is_self_contained_svg(
        self, config_file: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Well-formed SVG with bars and names; no script, style or link to anywhere."""
        chart = tmp_path / "chart.svg"

        status, out = report(config_file, capsys, FRIDAY, "--svg", str(chart))

        text = chart.read_text()
        root = ET.fromstring(text)
        assert (status, out) == (0, "")
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert len(root.findall(".//{http://www.w3.org/2000/svg}rect")) >= 5
        assert "alice" in text and "\\x1b]0;pwned\\x07" in text
        for forbidden in ("<script", "style=", "<style", "href", "\x1b"):
            assert forbidden not in text


class TestReportErrors:
    def test_a_period_that_is_not_a_duration_is_a_usage_error(
        self, config_file: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--since yesterday`: exit 2 and a message naming the option."""
        status = main(
            ["report", "-c", str(config_file), "--since", "yesterday"], clock=fixed(FRIDAY)
        )

        assert status == 2
        assert "--since" in capsys.readouterr().err

    def test_no_state_file_is_an_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Before the daemon ever ran there is no history: exit 1, the file named."""
        config = tmp_path / "syncd.yaml"
        config.write_text(CONFIG.format(state=tmp_path / "none.db"))

        status = main(["report", "-c", str(config)], clock=fixed(FRIDAY))

        assert status == 1
        assert "none.db" in capsys.readouterr().err
