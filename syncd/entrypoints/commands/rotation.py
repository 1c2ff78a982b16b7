"""`syncd rotation`: who is on shift now (or at a given time) and next; table, JSON or iCalendar."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from syncd.domain.rotation import Roster, Shift
from syncd.domain.rotation.shift import DAWN, FOREVER
from syncd.domain.timestamps import iso_utc, json_time
from syncd.entrypoints.rotation_feed import feed, journal_of
from syncd.errors import UsageError

MAX_NEXT = 1000
_LOCAL = "%a %Y-%m-%d %H:%M %Z"


def run(args: argparse.Namespace) -> int:
    """Print the rotation around `--at` (default now) in the requested format."""
    # Imported here so that this module imports (and --help works) apart from the loader.
    from syncd.config.loader import load  # noqa: PLC0415

    if not 0 <= args.next <= MAX_NEXT:
        raise UsageError(f"--next must be between 0 and {MAX_NEXT}, got {args.next}")
    config = load(args.config, require_secrets=False)
    zone = config.rotation.timezone
    now: datetime = args.clock()
    at = now if args.at is None else parse_at(args.at, zone)
    if args.ics:  # the feed of /rotation.ics: 4 weeks before `at` to 12 after, whatever --next
        sys.stdout.write(feed(config, now, around=at))
        return 0
    shifts = Roster(config.rotation, journal_of(config)).shifts(at, args.next + 1)
    if args.json:
        print(json.dumps(as_json(at, shifts), indent=2))
    else:
        print(table(at, shifts, zone, named=args.at is not None))
    return 0


def parse_at(text: str, zone: ZoneInfo) -> datetime:
    """An ISO 8601 time as aware UTC; without an offset it is read in the rotation's zone."""
    try:
        parsed = datetime.fromisoformat(text.strip())
        local = parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)
        return local.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise UsageError(f"--at: not an ISO 8601 time: {text!r} ({exc})") from exc


def as_json(at: datetime, shifts: Sequence[Shift]) -> dict[str, object]:
    """The `--json` document: the segment covering `at` and the ones after it."""
    current = shifts[0]
    return {
        "at": iso_utc(at),
        "on_call": current.member,
        "source": current.source.value,
        "shifts": [
            {
                "start": json_time(s.start),
                "end": json_time(s.end),
                "member": s.member,
                "source": s.source.value,
                "reason": s.reason or None,
                "skipped": [{"member": a.member, "reason": a.reason or None} for a in s.skipped],
            }
            for s in shifts
        ],
    }


def table(at: datetime, shifts: Sequence[Shift], zone: ZoneInfo, *, named: bool) -> str:
    """The readable view: who is on call, then one row per segment in local time and UTC."""
    current = shifts[0]
    when = f"at {_local(at, zone)}" if named else "now"
    until = "for good" if current.end == FOREVER else f"until {_local(current.end, zone)}"
    source = current.source.value + (f": {current.reason}" if current.reason else "")
    lines = [f"on call {when}: {current.member or 'nobody'} ({source}) {until}", ""]
    rows = [("start", "end", "start (UTC)", "end (UTC)", "member", "source", "why")]
    for s in shifts:
        rows.append(
            (
                _local(s.start, zone),
                _local(s.end, zone),
                json_time(s.start) or "-",
                json_time(s.end) or "-",
                s.member or "-",
                s.source.value,
                s.why,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )
    lines.append(f"(local times in {zone.key})")
    return "\n".join(lines)


def _local(at: datetime, zone: ZoneInfo) -> str:
    # The open ends of time cannot be shown in a zone (they would overflow) and mean "none".
    return "-" if at in (DAWN, FOREVER) else at.astimezone(zone).strftime(_LOCAL)
