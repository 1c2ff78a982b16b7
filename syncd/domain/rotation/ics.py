"""The rotation as an iCalendar feed (RFC 5545): one event per shift segment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from syncd.domain.rotation.shift import Shift

PRODID = "-//syncd//support rotation//EN"
_LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
UTC_STAMP = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Event:
    """One shift as an event, with its stable UID."""

    shift: Shift
    uid: str


# How many times an event changed since first shown (its SEQUENCE) and when it last did.
Version = tuple[int, datetime]


def events(shifts: Iterable[Shift], rotation_start: date) -> list[Event]:
    """The bounded segments as events, each with its UID (at version 0).

    A UID names the base shift and the segment's place in it, not its times or person, so an
    override or a skip that changes who covers a shift updates the event instead of adding one.
    Segments with an open end (before the rotation starts, or a shift that never ends) have no
    place on a calendar and are left out.
    """
    found: list[Event] = []
    ordinal: Counter[int] = Counter()
    for shift in shifts:
        place = ordinal[shift.index]
        ordinal[shift.index] += 1
        if shift.bounded:
            found.append(Event(shift, f"{rotation_start.isoformat()}-{shift.index}-{place}@syncd"))
    return found


def fingerprint(shift: Shift) -> str:
    """What an event shows: a change to any of it is a new version of the event."""
    return "|".join(
        (_utc(shift.start), _utc(shift.end), shift.member or "", shift.source, shift.why)
    )


def calendar(
    shifts: Iterable[Shift],
    rotation_start: date,
    stamp: datetime,
    *,
    name: str = "Support rotation",
    versions: Mapping[str, Version] | None = None,
) -> str:
    """A VCALENDAR with CRLF line endings; `stamp` (aware) is the DTSTAMP of every event.

    `versions` by UID (from the state file); an event without one is at version 0, modified
    `stamp`. No METHOD: a feed to subscribe to is no iTIP message (METHOD:PUBLISH would need an
    ORGANIZER).
    """
    return document(events(shifts, rotation_start), stamp, name=name, versions=versions)


def document(
    shown: Iterable[Event],
    stamp: datetime,
    *,
    name: str,
    versions: Mapping[str, Version] | None = None,
) -> str:
    """The VCALENDAR of `shown` (see calendar())."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    lines += [f"NAME:{escape(name)}", f"X-WR-CALNAME:{escape(name)}"]
    for event in shown:
        version = (versions or {}).get(event.uid, (0, stamp))
        lines.extend(_event(event, stamp, version))
    lines.append("END:VCALENDAR")
    return "".join(f"{_fold(line)}\r\n" for line in lines)


def _event(event: Event, stamp: datetime, version: Version) -> list[str]:
    shift = event.shift
    who = shift.member or "nobody"
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(version[1])}",
        f"SEQUENCE:{version[0]}",
        f"DTSTART:{_utc(shift.start)}",
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
    return at.astimezone(UTC).strftime(UTC_STAMP)
