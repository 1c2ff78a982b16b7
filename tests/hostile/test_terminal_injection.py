"""Tracker text with escape sequences never acts on the operator's terminal, on any output.

Anyone who can label an issue can write `tier/\\x1b[31mRED`; a Jira key or an error message can
carry `\\x1b]0;PWNED\\x07` (sets the window title) or an 8-bit CSI (`\\x9b`). Every readable
output shows them escaped; JSON output escapes them as JSON does.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import structlog

from syncd.adapters.state import AuditEntry, CycleOutcome, CycleRow, Store
from syncd.clock import fixed
from syncd.domain.actions import AddLabel, Assign, Candidate, Decision, IssuePlan, RemoveLabel, Why
from syncd.domain.rotation import Shift, ShiftSource
from syncd.entrypoints import logs
from syncd.entrypoints.cli import main
from syncd.entrypoints.commands.demo.board import Board, BoardRow, Headline
from syncd.entrypoints.commands.demo.board_table import Palette, render
from syncd.entrypoints.commands.online import render_table
from syncd.entrypoints.commands.run import render_plans
from syncd.service_layer.checks import CheckRow, Outcome
from tests.status.test_seen_issues import a_seen
from tests.status.test_status_command import write_config

LABEL = "tier/\x1b[31mRED"
KEY = "SUP-1\x1b]0;PWNED\x07"
WHO = "\x9b31mmallory"
TITLE = "Export\x7f stalls\x1b[2J\nFAKE ROW"
NOW = datetime(2027, 3, 14, 22, 5, 17, tzinfo=UTC)
# A person id written with YAML escapes: an OSC window-title sequence and an 8-bit CSI.
ROTATION_CONFIG = """\
state_path: {state}
people:
  "al\\e]0;PWNED\\aice\\u009b": {{github: alice-gh}}
  bob: {{github: bobby}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  shift_length: 2
  start: 2026-11-02
  members: ["al\\e]0;PWNED\\aice\\u009b", bob]
tiers:
  rules: []
  default: {{tier: triage, assign: none}}
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    token: ${{GITHUB_TOKEN}}
    team: bob
"""
_OURS = re.compile(r"\x1b\[[0-9;]*m")  # the colours syncd (or the log renderer) adds itself


def controls(text: str, allowed: str = "\n\t") -> list[str]:
    """Every C0 (but `allowed`), DEL and C1 character in `text`."""
    return [c for c in text if (ord(c) < 0x20 and c not in allowed) or 0x7F <= ord(c) < 0xA0]


def raw_controls(text: str) -> list[str]:
    """Every control character in `text` but newline, tab and our own colour codes."""
    return controls(_OURS.sub("", text))


def hostile_state(state: Path) -> None:
    """A hand-pinned hostile tier, key, assignee, title, cycle message and write."""
    with Store.open(state) as store:
        store.record_cycle(
            CycleRow("support", NOW - timedelta(minutes=1), NOW - timedelta(seconds=30),
                     CycleOutcome.ERROR, 0, 1, f"401 {KEY} Bad credentials")
        )  # fmt: skip
        issue = a_seen(KEY, tracker="support", tier=LABEL.removeprefix("tier/"), title=TITLE,
                       assignees=(WHO,), created=NOW - timedelta(days=1))  # fmt: skip
        store.seen.save("support", [issue], complete=True)
        store.audit(
            AuditEntry(NOW - timedelta(minutes=5), "support", KEY, "add_label", LABEL,
                       "tiers.rules[0]", f"pinned {LABEL}", f"failed: 400 {WHO}")
        )  # fmt: skip


class TestStatus:
    """`syncd status`, as a table and as JSON."""

    def test_the_table_shows_hostile_tier_key_assignee_title_and_message_escaped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Heading, row, cycle message and write row carry no raw ESC, BEL, DEL or C1."""
        config, state = write_config(tmp_path)
        hostile_state(state)

        main(["status", "-c", str(config)], clock=fixed(NOW))

        out = capsys.readouterr().out
        assert raw_controls(out) == []
        assert "tier/\\x1b[31mRED (1)" in out
        assert "SUP-1\\x1b]0;PWNED\\x07" in out
        assert "\\x9b31mmallory" in out
        assert "FAKE ROW" not in out.split("\n")[0] and not any(
            line.startswith("FAKE ROW") for line in out.splitlines()
        )

    def test_json_escapes_control_characters_and_keeps_the_text(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--json` holds no raw control character, and parses back to the tracker's text."""
        config, state = write_config(tmp_path)
        hostile_state(state)

        main(["status", "-c", str(config), "--json"], clock=fixed(NOW))

        out = capsys.readouterr().out
        assert controls(out, allowed="\n") == []
        issue = next(g for g in json.loads(out)["queue"] if g["label"] == LABEL)["issues"][0]
        assert (issue["key"], issue["title"]) == (KEY, TITLE)


class TestRotationJson:
    """`syncd rotation --json` (its people come from the config, not from a tracker)."""

    def test_json_escapes_control_characters_in_a_person_id(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A person id with an OSC sequence and a C1 byte is escaped as JSON escapes it."""
        config = tmp_path / "syncd.yaml"
        config.write_text(ROTATION_CONFIG.format(state=tmp_path / "s.db"))

        main(
            ["rotation", "-c", str(config), "--json", "--at", "2026-11-02T10:00"], clock=fixed(NOW)
        )

        out = capsys.readouterr().out
        assert controls(out, allowed="\n") == []
        assert json.loads(out)["on_call"] == "al\x1b]0;PWNED\x07ice\x9b"


class TestErrors:
    """The one-line error every command prints before its exit status."""

    def test_an_error_naming_a_hostile_file_name_is_escaped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An error quoting odd text (here a file name with an OSC sequence) cannot act."""
        missing = tmp_path / "x\x1b]0;PWNED\x07.yaml"

        status = main(["status", "-c", str(missing)], clock=fixed(NOW))

        err = capsys.readouterr().err
        assert status != 0
        assert raw_controls(err) == []
        assert "x\\x1b]0;PWNED\\x07.yaml" in err


class TestDryRun:
    """`syncd run --dry-run`: the printed plan."""

    def test_hostile_key_labels_and_identities_are_escaped(self) -> None:
        """A Jira key with an OSC sequence and a colour-coded label read as plain text."""
        why = Why("tiers.rules[0]", f"tier pinned by hand with {LABEL}")
        decision = Decision("\x1b[31mRED", True, NOW, None, "tiers.rules[0]")
        actions = (
            AddLabel("support", KEY, LABEL, why),
            RemoveLabel("support", KEY, "tier/\x9bfire", why),
            Assign("support", KEY, (Candidate("bob", WHO),), "\x1b]0;x\x07", why),
        )

        out = render_plans([IssuePlan("support", KEY, decision, actions)])

        assert raw_controls(out) == []
        assert "support SUP-1\\x1b]0;PWNED\\x07: tier \\x1b[31mRED (pinned)" in out
        assert "dry run: 1 issues would change" in out


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    yield out
    structlog.reset_defaults()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "syncd"]:
        root.removeHandler(handler)


class TestLogs:
    """Log lines on a terminal (key=value) and elsewhere (JSON)."""

    def test_console_lines_escape_the_event_and_every_value(self, stream: io.StringIO) -> None:
        """`tier pinned by hand: tier/...` and a hostile key show escaped; no forged line."""
        logs.configure(stream=stream, terminal=True)

        structlog.get_logger("t").info(
            f"tier pinned by hand: {LABEL}\nFAKE", tracker="support", issue=KEY, who=[WHO]
        )
        logging.getLogger("jira").warning("server said %s", KEY)

        out = stream.getvalue()
        assert raw_controls(out) == []
        assert "tier/\\x1b[31mRED" in out
        assert "SUP-1\\x1b]0;PWNED\\x07" in out
        assert len(out.strip().splitlines()) == 2

    def test_json_lines_escape_control_characters_as_json_does(self, stream: io.StringIO) -> None:
        """A JSON log line holds no raw control character and parses back to the text."""
        logs.configure(stream=stream, terminal=False)

        structlog.get_logger("t").info(f"tier pinned by hand: {LABEL}", issue=KEY, who=WHO)

        out = stream.getvalue()
        assert controls(out, allowed="\n") == []
        line = json.loads(out)
        assert (line["event"], line["issue"], line["who"]) == (
            f"tier pinned by hand: {LABEL}", KEY, WHO
        )  # fmt: skip


class TestBoard:
    """The demo board."""

    @pytest.mark.parametrize("colour", [False, True])
    def test_hostile_labels_titles_and_names_are_escaped(self, colour: bool) -> None:
        """Tier heading, key, title, assignee, flag and changes carry no raw control."""
        row = BoardRow("support", KEY, TITLE, "\x1b[31mRED", WHO, "needs\x9b-team",
                       (f"+{LABEL}", f"hand:→{WHO}"))  # fmt: skip
        shift = Shift(1, NOW - timedelta(days=1), NOW + timedelta(days=1), "bob",
                      ShiftSource.ROTATION)  # fmt: skip
        board = Board(Headline(1, NOW, 1, 2, 0), (row,), (shift,), ZoneInfo("UTC"))

        out = render(board, Palette(enabled=colour))

        assert raw_controls(out) == []
        assert "\\x1b[31mRED (1)" in out
        assert "SUP-1\\x1b]0;PWNED\\x07" in out

    def test_widths_are_measured_on_the_escaped_text(self) -> None:
        """Columns line up: the escaped key is as wide as its column, the title cut to fit."""
        rows = (
            BoardRow("support", KEY, TITLE, "fire", "bob", ""),
            BoardRow("support", "SUP-2", "Plain", "fire", "bob", ""),
        )
        board = Board(Headline(1, NOW, 0, 0, 0), rows, (), ZoneInfo("UTC"))

        lines = render(board, Palette(enabled=False)).splitlines()

        first, second = (next(x for x in lines if k in x) for k in ("SUP-1", "SUP-2"))
        assert first.index("bob") == second.index("bob")


class TestOnlineCheck:
    """`syncd check --online` table."""

    def test_hostile_details_and_checks_are_escaped(self) -> None:
        """A tracker's error text or a display name with escapes reads as plain text."""
        rows = [
            CheckRow("support", f"assign {WHO}", Outcome.WARN, f"user {KEY} not found"),
            CheckRow("support", "JQL", Outcome.FAIL, "rejected\x1b[2J\nFAKE  ok"),
        ]

        out = render_table(rows)

        assert raw_controls(out) == []
        assert "user SUP-1\\x1b]0;PWNED\\x07 not found" in out
        assert len(out.splitlines()) == 3
