"""`syncd report --json` (SPEC §11's document) and `--csv` (for spreadsheets).

The CSV is two tables one after the other, each with its header row: the shifts, a blank line,
then the people. A cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first:
a tier label comes from whoever can label an issue) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from syncd.domain.report import PersonLine, Report, ShiftLine
from syncd.domain.timestamps import json_time

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_SHIFT_HEAD: tuple[str, ...] = ("start", "end", "member", "source", "reason")
_SHIFT_HEAD += ("fire_to_assign_p50", "fire_to_assign_max", "flagged", "carried_over")


def as_json(view: Report) -> dict[str, object]:
    """The `--json` document: times UTC ISO 8601, durations in seconds."""
    return {
        "since": json_time(view.since),
        "until": json_time(view.until),
        "shifts": [_shift_json(line) for line in view.shifts],
        "people": [_person_json(line) for line in view.people],
    }


def _shift_json(line: ShiftLine) -> dict[str, object]:
    shift = line.shift
    document: dict[str, object] = {
        "start": json_time(shift.start),
        "end": json_time(shift.end),
        "member": shift.member,
        "source": shift.source.value,
    }
    if shift.why:
        document["reason"] = shift.why  # as in `syncd rotation --json`: a skip's or an override's
    return document | {
        "placed": dict(line.placed),
        "fire_to_assign_p50": line.fire_to_assign_p50,
        "fire_to_assign_max": line.fire_to_assign_max,
        "flagged": line.flagged,
        "carried_over": line.carried_over,
    }


def _person_json(line: PersonLine) -> dict[str, object]:
    return {
        "id": line.person,
        "shifts": line.shifts,
        "covered": line.covered,
        "owed": line.owed,
        "skipped": [
            {"from": s.start.isoformat(), "to": s.end.isoformat(), "reason": s.reason}
            for s in line.skipped
        ],
    }


def as_csv(view: Report) -> str:
    """The shifts table, a blank line, then the people table."""
    tiers = view.tiers()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    placed = [f"placed_{tier}" for tier in tiers]
    writer.writerow(_cells([*_SHIFT_HEAD[:5], *placed, *_SHIFT_HEAD[5:]]))
    for line in view.shifts:
        shift = line.shift
        counts = [line.placed.get(tier, 0) for tier in tiers]
        times = [json_time(shift.start), json_time(shift.end)]
        who = [shift.member, shift.source.value, shift.why]
        rest = [line.fire_to_assign_p50, line.fire_to_assign_max, line.flagged, line.carried_over]
        writer.writerow(_cells([*times, *who, *counts, *rest]))
    writer.writerow([])
    writer.writerow(["id", "shifts", "covered", "owed", "skipped"])
    for person in view.people:
        skipped = "; ".join(
            f"{s.start.isoformat()}..{s.end.isoformat()}" + (f" {s.reason}" if s.reason else "")
            for s in person.skipped
        )
        writer.writerow(
            _cells([person.person, person.shifts, person.covered, person.owed, skipped])
        )
    return out.getvalue()


def _cells(values: Sequence[object]) -> list[str]:
    return [_cell(value) for value in values]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text
