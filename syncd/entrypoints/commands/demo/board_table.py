"""The demo board as a terminal table: aligned columns, grouped by tier, colour when wanted."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from syncd.domain.rotation import Shift
from syncd.entrypoints.commands.demo.board import HAND, IGNORED, Board, BoardRow, Headline
from syncd.entrypoints.printable import printable_line

WIDTH = 100
# The assignee column fits a person id or a short display name ("Dana Example").
_TITLE_MIN, _CHANGES_MIN, _ASSIGNEE_MAX = 18, 24, 12
_GAP = _INDENT = "  "


class Palette:
    """ANSI colours, or none at all (not a terminal, or NO_COLOR set)."""

    _CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}
    _CODES |= {"magenta": "35", "grey": "90"}

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def paint(self, text: str, *styles: str) -> str:
        """`text` wrapped in the escape codes of `styles` when colour is on."""
        if not self.enabled or not styles or not text.strip():
            return text
        codes = ";".join(self._CODES[style] for style in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


_TIER_STYLES = {"fire": ("bold", "red"), "queue": ("bold", "yellow"), IGNORED: ("grey",)}


def render(board: Board, palette: Palette, width: int = WIDTH) -> str:
    """The board as text lines of at most `width` columns (escape codes aside)."""
    rows = [_printable(row) for row in board.rows]  # escaped first, so widths measure it
    widths = _widths(rows, width)
    lines = [_headline(board.headline, palette), "", palette.paint(_header(widths), "dim")]
    tier = None
    for row in rows:
        if row.tier != tier:
            tier = row.tier
            count = sum(1 for r in rows if r.tier == tier)
            lines.append(palette.paint(f"{tier} ({count})", *_TIER_STYLES.get(tier, ("cyan",))))
        lines += _row_lines(row, widths, palette)
    if board.untouched:
        note = f"{board.untouched} pull requests, closed issues and non-escalations: left alone"
        lines.append(palette.paint(note, "dim"))
    lines += ["", *_rotation_lines(board.shifts, board.zone, palette)]
    return "\n".join(lines) + "\n"


def _printable(row: BoardRow) -> BoardRow:
    """`row` with the tracker's text (labels, titles, names) safe to print."""
    return replace(
        row,
        key=printable_line(row.key),
        title=printable_line(row.title),
        tier=printable_line(row.tier),
        assignee=printable_line(row.assignee),
        flag=printable_line(row.flag),
        changes=tuple(printable_line(change) for change in row.changes),
    )


def render_quiet(headline: Headline, palette: Palette) -> str:
    """One line for a cycle in which nothing changed and nothing was written."""
    return f"{_headline(headline, palette)} · nothing changed\n"


def _headline(headline: Headline, palette: Palette) -> str:
    title = palette.paint(f"cycle {headline.cycle}", "bold")
    writes = _count(headline.writes, "write")
    cached = f", {headline.not_modified} answered 304" if headline.not_modified else ""
    requests = _count(headline.requests, "request")
    text = f"{title} · {headline.at:%H:%M:%S} UTC · {writes} · {requests}{cached}"
    if headline.failed:
        text += " · " + palette.paint(f"not reached: {', '.join(headline.failed)}", "red")
    return text


def _count(number: int, noun: str) -> str:
    if number == 0:
        return f"no {noun}s"
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class _Widths:
    tracker: int
    key: int
    title: int
    assignee: int
    flag: int
    changes: int


_HEADERS = ("TRACKER", "KEY", "TITLE", "ASSIGNEE", "FLAG", "THIS CYCLE")


def _widths(rows: Sequence[BoardRow], width: int) -> _Widths:
    def widest(values: Iterable[str], header: str, cap: int = width) -> int:
        return max(len(header), min(cap, max((len(v) for v in values), default=0)))

    tracker = widest((r.tracker for r in rows), _HEADERS[0])
    key = widest((r.key for r in rows), _HEADERS[1])
    assignee = widest((r.assignee for r in rows), _HEADERS[3], cap=_ASSIGNEE_MAX)
    flag = widest((r.flag for r in rows), _HEADERS[4])
    room = width - len(_INDENT) - tracker - key - assignee - flag - len(_GAP) * 5
    title = min(widest((r.title for r in rows), _HEADERS[2]), max(_TITLE_MIN, room - _CHANGES_MIN))
    return _Widths(tracker, key, title, assignee, flag, max(_CHANGES_MIN, room - title))


def _header(widths: _Widths) -> str:
    sizes = (widths.tracker, widths.key, widths.title, widths.assignee, widths.flag, 0)
    return (_INDENT + _GAP.join(h.ljust(n) for h, n in zip(_HEADERS, sizes, strict=True))).rstrip()


def _row_lines(row: BoardRow, widths: _Widths, palette: Palette) -> list[str]:
    changes = textwrap.wrap(" ".join(row.changes), widths.changes, break_on_hyphens=False)
    cells = [
        palette.paint(row.tracker.ljust(widths.tracker), "dim"),
        row.key.ljust(widths.key),
        _truncate(row.title, widths.title).ljust(widths.title),
        _truncate(row.assignee or "-", widths.assignee).ljust(widths.assignee),
        palette.paint(row.flag.ljust(widths.flag), "magenta"),
        _paint_changes(changes[0] if changes else "", palette),
    ]
    blank = [" " * n for n in (widths.tracker, widths.key, widths.title, widths.assignee)]
    more = [
        _INDENT + _GAP.join([*blank, " " * widths.flag, _paint_changes(line, palette)])
        for line in changes[1:]
    ]
    return [(_INDENT + _GAP.join(cells)).rstrip(), *more]


def _paint_changes(text: str, palette: Palette) -> str:
    if not text:
        return palette.paint("·", "grey")
    return " ".join(palette.paint(word, _change_style(word)) for word in text.split(" "))


def _change_style(word: str) -> str:
    if word.startswith(HAND) or word == "new":
        return "cyan"
    removal = word.startswith(("-", "unassigned:", "refused:", "failed:"))
    return "red" if removal else "green"


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _rotation_lines(shifts: Sequence[Shift], zone: ZoneInfo, palette: Palette) -> list[str]:
    if not shifts:
        return ["on rotation now: nobody"]
    now, *later = shifts
    until = f" until {_local(now.end, zone)}" if now.bounded else ""
    lines = [f"on rotation now: {palette.paint(now.member or 'nobody', 'bold')}{until}"]
    if later:
        start = f" from {_local(later[0].start, zone)}" if later[0].bounded else ""
        lines.append(f"next:            {later[0].member or 'nobody'}{start}")
    return lines


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%a %d %b %H:%M} ({zone.key})"
