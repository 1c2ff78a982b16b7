"""The board rendered as a terminal table: alignment, width, colour, the rotation lines."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from syncd.domain.rotation import Shift, ShiftSource
from syncd.entrypoints.commands.demo.board import Board, BoardRow, Headline
from syncd.entrypoints.commands.demo.board_table import Palette, render, render_quiet

AT = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
DETROIT = ZoneInfo("America/Detroit")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LONG_TITLE = "Checkout returns 502 for every customer in every region on every day of the week"


def a_board(*rows: BoardRow, writes: int = 3, failed: tuple[str, ...] = ()) -> Board:
    """A board with alice on call until Monday 09:00 Detroit time, then bob."""
    handoff = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)
    shifts = (
        Shift(
            10, datetime(2026, 11, 26, 14, 0, tzinfo=UTC), handoff, "alice", ShiftSource.ROTATION
        ),
        Shift(11, handoff, datetime(2026, 12, 2, 14, 0, tzinfo=UTC), "bob", ShiftSource.ROTATION),
    )
    headline = Headline(cycle=2, at=AT, writes=writes, requests=9, not_modified=2, failed=failed)
    return Board(headline, rows, shifts, DETROIT, untouched=4)


def a_row(key: str = "acme/web#101", tier: str = "fire", **fields: object) -> BoardRow:
    """A row of tracker web, assigned to alice, with two changes."""
    values: dict[str, object] = {
        "tracker": "web",
        "key": key,
        "title": "Checkout is down",
        "tier": tier,
        "assignee": "alice",
        "flag": "",
        "changes": ("+tier/fire", "→alice"),
    }
    values.update(fields)
    return BoardRow(**values)  # type: ignore[arg-type]


class TestRender:
    """render: the whole board as text."""

    def test_fits_one_hundred_columns_even_with_long_titles_and_many_changes(self) -> None:
        """No line is wider than 100 characters; long change lists wrap under their column."""
        changes = ("+tier/triage", "+needs-team", "commented", "→lead", "-tier/queue", "+x") * 2
        board = a_board(a_row(title=LONG_TITLE, changes=changes, flag="needs-team"))

        lines = render(board, Palette(enabled=False)).splitlines()

        assert max(len(line) for line in lines) <= 100
        assert any(line.startswith(" " * 40) and "→lead" in line for line in lines)

    def test_truncates_a_long_title_with_an_ellipsis(self) -> None:
        """The title is cut to its column and ends with an ellipsis."""
        text = render(a_board(a_row(title=LONG_TITLE)), Palette(enabled=False))

        assert "Checkout returns 502" in text
        assert LONG_TITLE not in text
        assert "…" in text

    def test_aligns_every_column_across_tiers(self) -> None:
        """The key column starts at the same offset in every row."""
        rows = (a_row("acme/web#101"), a_row("SUP-2", tier="queue", tracker="support"))

        lines = render(a_board(*rows), Palette(enabled=False)).splitlines()

        starts = {
            line.index(key) for line in lines for key in ("acme/web#101", "SUP-2") if key in line
        }
        assert len(starts) == 1

    def test_heads_each_tier_group_with_its_size(self) -> None:
        """A group line names the tier and how many issues it holds."""
        rows = (a_row("acme/web#1"), a_row("acme/web#2"), a_row("SUP-2", tier="queue"))

        lines = render(a_board(*rows), Palette(enabled=False)).splitlines()

        assert "fire (2)" in lines
        assert "queue (1)" in lines

    def test_says_who_is_on_rotation_now_and_next_in_local_time(self) -> None:
        """The handoff shows in the rotation's time zone."""
        text = render(a_board(a_row()), Palette(enabled=False))

        assert "on rotation now: alice until Mon 30 Nov 09:00 (America/Detroit)" in text
        assert "bob from Mon 30 Nov 09:00" in text

    def test_marks_an_issue_without_changes_with_a_dot(self) -> None:
        """An untouched row ends in a single dot, not in blank space."""
        lines = render(a_board(a_row(changes=())), Palette(enabled=False)).splitlines()

        row = next(line for line in lines if "acme/web#101" in line)
        assert row.endswith("·")

    def test_uses_no_escape_codes_without_colour(self) -> None:
        """A plain palette writes plain text."""
        text = render(a_board(a_row(flag="needs-team")), Palette(enabled=False))

        assert "\x1b[" not in text

    def test_colours_without_moving_columns(self) -> None:
        """With colour on, the text without escape codes is the same as without colour."""
        board = a_board(a_row(flag="needs-team"), a_row("SUP-1", tier="queue"))

        coloured = render(board, Palette(enabled=True))

        assert "\x1b[" in coloured
        assert ANSI.sub("", coloured) == render(board, Palette(enabled=False))

    def test_headline_counts_writes_requests_and_unreached_trackers(self) -> None:
        """The first line says the cycle, its writes and requests, and what failed."""
        text = render(a_board(a_row(), writes=1, failed=("ops",)), Palette(enabled=False))

        assert text.splitlines()[0] == (
            "cycle 2 · 15:00:00 UTC · 1 write · 9 requests, 2 answered 304 · not reached: ops"
        )


class TestRenderQuiet:
    """render_quiet: the one line of a cycle in which nothing happened."""

    def test_says_nothing_changed(self) -> None:
        """No writes and the request count, on one line."""
        headline = Headline(cycle=4, at=AT, writes=0, requests=4, not_modified=2)

        assert render_quiet(headline, Palette(enabled=False)) == (
            "cycle 4 · 15:00:00 UTC · no writes · 4 requests, 2 answered 304 · nothing changed\n"
        )
