"""The `syncd status` table at the edges: no issues, hundreds of issues, paused, idle trackers."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from syncd.adapters.state import CycleOutcome
from syncd.entrypoints.commands.status import TABLE_ISSUES, WIDTH, table
from syncd.entrypoints.standup import standup
from tests.builders import NOW, a_config
from tests.status.test_seen_issues import a_seen
from tests.status.test_standup_view import ALICE, BOB, a_cycle, a_write

ZONE = ZoneInfo("America/Detroit")
LONG_TITLE = "Customers cannot export invoices to the accounting integration " * 3
PAUSE = "rate limited by GitHub until 2026-11-26T15:30:00Z (secondary limit) " * 2


def a_busy_table() -> str:
    """500 escalations with long titles, a paused tracker with a long message, one never run."""
    seen = [
        a_seen(
            f"acme/web#{1000 + n}",
            tier=("fire", "queue", "triage", None)[n % 4],
            created=NOW - timedelta(hours=n),
            title=LONG_TITLE,
        )
        for n in range(500)
    ]
    paused = a_cycle(
        "web", CycleOutcome.PAUSED, paused_until=NOW + timedelta(minutes=30), message=PAUSE
    )
    writes = [a_write(minutes) for minutes in range(40)]
    return table(standup(a_config(), [ALICE, BOB], {"web": paused}, seen, writes, NOW), ZONE)


class TestStatusTableShape:
    """Every line fits the terminal width the rest of syncd uses, whatever the queue holds."""

    def test_every_line_fits_a_hundred_columns_with_a_long_queue(self) -> None:
        """Long titles and a long pause message are cut, never wrapped past the width."""
        lines = a_busy_table().splitlines()

        assert max(len(line) for line in lines) <= WIDTH

    def test_a_long_tier_shows_its_oldest_issues_and_counts_the_rest(self) -> None:
        """125 fire issues: the oldest few are listed, then one line says how many more."""
        text = a_busy_table()

        assert "  tier/fire (125)" in text
        assert f"    … and {125 - TABLE_ISSUES} more (--json lists all)" in text
        assert "acme/web#1496" in text  # the oldest fire issue
        assert "acme/web#1000 " not in text  # the newest is among those counted

    def test_a_paused_tracker_and_one_that_never_ran_read_plainly(self) -> None:
        """The pause and its message on their own lines; the idle tracker says no cycle yet."""
        lines = a_busy_table().splitlines()

        web = next(i for i, line in enumerate(lines) if line.startswith("  web "))
        assert "paused until" in lines[web]
        assert lines[web + 1].startswith("    rate limited by GitHub")
        assert any(line.split() == ["support", "jira", "no", "cycle", "yet"] for line in lines)

    def test_an_empty_queue_lists_every_tier_with_zero(self) -> None:
        """No escalations: each configured tier shows `(0)` and no `more` line appears."""
        text = table(standup(a_config(), [ALICE], {}, [], [], NOW), ZONE)

        assert "escalations: 0 open" in text
        assert "  tier/fire (0)" in text
        assert "more (--json" not in text


class TestStableColumns:
    """The queue's columns line up from one tier to the next, whatever each tier holds."""

    def test_the_age_column_starts_at_the_same_place_in_every_tier(self) -> None:
        """A long key in the fire tier and short ones in the queue tier share one layout."""
        seen = [
            a_seen("acme/web#100000", tier="fire", created=NOW - timedelta(hours=3)),
            a_seen("acme/web#7", tier="queue", created=NOW - timedelta(hours=2), title="Short"),
            a_seen("acme/web#8", tier="triage", created=NOW - timedelta(days=40), title="x"),
        ]
        text = table(standup(a_config(), [ALICE], {}, seen, [], NOW), ZONE)

        rows = [line for line in text.splitlines() if line.startswith("    web ")]
        assert len(rows) == 3
        assert len({row.index(" age ") for row in rows}) == 1, rows
