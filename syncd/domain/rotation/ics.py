"""The rotation as an iCalendar feed (RFC 5545): one event per shift segment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from syncd.domain.rotation.shift import Shift

PRODID = "-//syncd//support rotation//EN"
_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
UTC_STAMP = "%Y%m%dT%H%M%SZ"


def calendar(shifts: Iterable[Shift], rotation_start: date, stamp: datetime) -> str:
    """A VCALENDAR with CRLF line endings; `stamp` (aware) is the DTSTAMP of every event.

    UIDs depend only on the rotation's start and the segment, so a subscribed calendar updates
    the same events from one run to the next. Segments with an open end (before the rotation
    starts, or a shift that never ends) have no place on a calendar and are left out.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines.append("METHOD:PUBLISH")
    for shift in shifts:
        if shift.bounded:
            lines.extend(_event(shift, rotation_start, stamp))
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)


def _event(shift: Shift, rotation_start: date, stamp: datetime) -> list[str]:
    start = _utc(shift.start)
    who = shift.member or "nobody"
    uid = f"{rotation_start.isoformat()}-{shift.index}-{shift.source.value}-{start}@syncd"
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{start}",
        f"DTEND:{_utc(shift.end)}",
        f"SUMMARY:{escape(f'Support: {who}')}",
        f"DESCRIPTION:{escape(_description(shift))}",
        "TRANSP:TRANSPARENT",  # being on support does not make anyone busy for meetings
        "END:VEVENT",
    ]


def _description(shift: Shift) -> str:
    """The shift's number and source, the override's reason, who was away and why: one a line."""
    lines = [f"shift {shift.index}, source: {shift.source.value}"]
    if shift.reason:
        lines.append(f"reason: {shift.reason}")
    if shift.skipped:
        away = [f"{a.member} ({a.reason})" if a.reason else a.member for a in shift.skipped]
        lines.append(f"skipped: {', '.join(away)}")
    return "\n".join(lines)


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    pieces: list[str] = []
    current, size, limit = "", 0, _LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # A continuation line starts with one space, which counts towards its 75 octets.
            current, size, limit = "", 0, _LINE_OCTETS - 1
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc(at: datetime) -> str:
    return at.strftime(UTC_STAMP)
