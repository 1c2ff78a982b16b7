"""The online check's rows, table, summary and exit status, and who is checked where."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from syncd.config.model import Override
from syncd.entrypoints.commands.online import (
    assignees,
    exit_status,
    needed_labels,
    render_table,
    summary,
)
from syncd.service_layer.checks import Assignee, CheckRow, Outcome
from tests.builders import a_config, a_github_tracker

ROWS = [
    CheckRow("web", "token", Outcome.OK, "valid"),
    CheckRow("web", "acme/api: assign carol", Outcome.WARN, "not assignable"),
    CheckRow("support", "JQL", Outcome.FAIL, "rejected"),
]


class TestRenderTable:
    """The aligned table."""

    def test_columns_line_up_under_the_header(self) -> None:
        """Each result starts at the same column as RESULT in the header."""
        lines = render_table(ROWS).splitlines()

        column = lines[0].index("RESULT")
        assert [line[column:].split()[0] for line in lines[1:]] == ["ok", "warn", "FAIL"]
        assert lines[2].startswith("web      acme/api: assign carol")


class TestSummaryAndExitStatus:
    """What the last line says and what the process returns."""

    def test_a_failure_blocks_and_exits_two(self) -> None:
        """Any FAIL row: exit 2 and a summary saying syncd cannot do its job."""
        assert exit_status(ROWS) == 2
        assert summary(ROWS) == (
            "3 checks: 1 passed, 1 warnings, 1 failed;"
            " syncd cannot do its job until the failures are fixed"
        )

    def test_warnings_alone_exit_zero(self) -> None:
        """Warnings do not block syncd."""
        rows = ROWS[:2]

        assert exit_status(rows) == 0
        assert summary(rows).endswith("syncd can run (warnings: it falls back as documented)")

    def test_all_passing_exits_zero(self) -> None:
        """Only ok rows: exit 0."""
        assert exit_status(ROWS[:1]) == 0
        assert summary(ROWS[:1]) == "1 checks: 1 passed, 0 warnings, 0 failed; syncd can run"


class TestWhoAndWhat:
    """Who is checked as assignable and which labels must be writable."""

    def test_members_then_the_fallback_then_the_team_each_once(self) -> None:
        """lead is both fallback and team: listed once, as the fallback."""
        config = a_config(members=("alice", "bob"), fallback="lead")

        found = assignees(config, a_github_tracker(team="carol"))

        assert found == (
            Assignee("alice", "rotation member"),
            Assignee("bob", "rotation member"),
            Assignee("lead", "rotation fallback"),
            Assignee("carol", "team"),
        )

    def test_a_person_who_only_covers_an_override_is_checked_too(self) -> None:
        """dana is no member, but syncd assigns her while her override runs."""
        config = a_config(members=("alice",), fallback=None)
        cover = Override(
            "dana", datetime(2026, 12, 10, 18, tzinfo=UTC), datetime(2026, 12, 11, 14, tzinfo=UTC)
        )
        config = replace(config, rotation=replace(config.rotation, overrides=(cover,)))

        found = assignees(config, a_github_tracker(team=None))

        assert found == (Assignee("alice", "rotation member"), Assignee("dana", "override cover"))

    def test_every_tier_label_and_the_flag_label(self) -> None:
        """The SPEC rules give fire, acknowledged, queue; the default is triage."""
        labels = needed_labels(a_config())

        assert labels == (
            "tier/fire",
            "tier/acknowledged",
            "tier/queue",
            "tier/triage",
            "needs-team",
        )
