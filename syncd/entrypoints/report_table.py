"""`syncd report`'s readable table: one row per shift, then one per person, in local time.

Every cell is escaped (syncd.entrypoints.printable): a tier comes from a label anyone may set.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from syncd.domain.durations import ELAPSED, format_duration
from syncd.domain.report import PersonLine, Report, ShiftLine
from syncd.domain.rotation.shift import DAWN, FOREVER
from syncd.entrypoints.printable import printable_line

_LOCAL = "%a %Y-%m-%d %H:%M %Z"
_SHORT = "%a %d %b %H:%M"


def table(view: Report, zone: ZoneInfo) -> str:
    """The report as aligned text, times in the rotation's zone `zone`."""
    days = (view.until - view.since).days
    lines = [
        f"syncd report: {_local(view.since, zone)} to {_local(view.until, zone)} ({days} days)",
        "",
        f"shifts ({len(view.shifts)}):",
    ]
    head = ("start", "end", "member", "source", "placed", "fire p50", "fire max", "flagged")
    rows = [(*head, "carried", "why"), *(_shift_row(line, zone) for line in view.shifts)]
    lines += _aligned(rows)
    lines += ["", "people:"]
    rows = [("person", "shifts", "covered", "owed", "skipped")]
    rows += [_person_row(person) for person in view.people]
    lines += _aligned(rows)
    lines.append(f"(local times in {zone.key}; placed: escalations first placed in each tier)")
    return "\n".join(lines)


def _shift_row(line: ShiftLine, zone: ZoneInfo) -> tuple[str, ...]:
    shift = line.shift
    placed = ", ".join(f"{tier} {n}" for tier, n in line.placed.items())
    return (
        _short(shift.start, zone),
        _short(shift.end, zone),
        shift.member or "nobody",
        shift.source.value,
        placed or "-",
        _duration(line.fire_to_assign_p50),
        _duration(line.fire_to_assign_max),
        str(line.flagged),
        str(line.carried_over),
        shift.why,
    )


def _person_row(person: PersonLine) -> tuple[str, ...]:
    skipped = "; ".join(
        f"{s.start:%d %b}..{s.end:%d %b}" + (f" ({s.reason})" if s.reason else "")
        for s in person.skipped
    )
    return (
        person.person,
        str(person.shifts),
        str(person.covered),
        str(person.owed),
        skipped or "-",
    )


def _aligned(rows: Sequence[tuple[str, ...]]) -> list[str]:
    escaped = [tuple(printable_line(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in escaped) for i in range(len(escaped[0]))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in escaped
    ]


def _duration(seconds: int | None) -> str:
    return "-" if seconds is None else format_duration(seconds, ELAPSED)


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime(_LOCAL)


def _short(at: datetime, zone: ZoneInfo) -> str:
    # The open ends of time cannot be shown in a zone (they would overflow) and mean "none".
    return "-" if at in (DAWN, FOREVER) else at.astimezone(zone).strftime(_SHORT)
