"""`syncd status`: the morning stand-up view from the state file, as a table or as JSON.

Reads the state file without locking it (next to a running daemon); a missing file is an error
(exit 1). `--json` prints one object, stable for scripts; times are UTC ISO 8601
(`2026-11-02T14:00:00Z`) or null:

    {"at": TIME,
     "rotation": {"on_call": ID|null, "source": SOURCE, "until": TIME|null,
                  "next": {"member": ID|null, "source": SOURCE, "start": TIME|null,
                           "end": TIME|null}|null},
     "trackers": [{"name", "kind": "github"|"jira", "paused_until": TIME|null,
                   "last_cycle": {"started", "finished", "outcome": "ok"|"error"|"paused",
                                  "writes", "errors", "message", "paused_until"}|null,
                   "age_seconds": N|null, "stale": BOOL}],
     "queue": [{"tier": NAME|null, "label": LABEL|null, "count": N,
                "issues": [{"tracker", "key", "title", "url", "created", "updated", "seen_at",
                            "age_seconds", "reporters", "flagged",
                            "assignees": [{"identity", "person": ID|null}]}]}],
     "writes": [{"time", "tracker", "issue", "kind", "detail", "rule", "reason", "outcome"}]}

`stale`: the tracker's last cycle finished more than 3 poll intervals ago (the daemon looks
stopped); the table marks it STALE. `queue` lists every configured tier in rule order, then
the default, then tiers found on issues (pinned by hand), then `"tier": null` for issues syncd
leaves alone; `writes` covers 24 hours.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from syncd import logs
from syncd.printable import printable_line
from syncd.rotation import Roster, Shift
from syncd.rotation.shift import DAWN, FOREVER
from syncd.standup import WRITES_WINDOW, QueueItem, Standup, TierGroup, TrackerState, standup
from syncd.state import AuditEntry, CycleRow, Store
from syncd.timestamps import iso_utc

TABLE_WRITES = 20  # the table shows the latest writes; --json has them all
TABLE_ISSUES = 15  # per tier: a stand-up reads the oldest few, --json has them all
WIDTH = 100
_LOCAL = "%a %Y-%m-%d %H:%M %Z"
_SHORT = "%a %d %b %H:%M"
_TITLE, _TITLE_MIN = 50, 16


def run(args: argparse.Namespace) -> int:
    """Print the stand-up view of the configured state file."""
    from syncd.config.loader import load  # noqa: PLC0415 - keeps --help fast

    config = load(args.config, require_secrets=False)
    # A state row set aside is reported on stderr: stdout holds the view (or the document).
    logs.configure(logs.secret_values(config), stream=sys.stderr)
    now: datetime = args.clock()
    with Store.open(config.state_path, read_only=True) as store:
        shifts = Roster(config.rotation, store.journal).shifts(now, 2)
        view = standup(
            config,
            shifts,
            store.last_cycles(),
            store.seen.issues(),
            store.audit_since(now - WRITES_WINDOW),
            now,
        )
    print(
        json.dumps(as_json(view), indent=2) if args.json else table(view, config.rotation.timezone)
    )
    return 0


def as_json(view: Standup) -> dict[str, object]:
    """The `--json` document (shape in the module docstring)."""
    following = view.next_shift
    return {
        "at": _iso(view.at),
        "rotation": {
            "on_call": view.on_call.member,
            "source": view.on_call.source.value,
            "until": _iso(view.on_call.end),
            "next": None if following is None else _shift_json(following),
        },
        "trackers": [_tracker_json(t) for t in view.trackers],
        "queue": [
            {
                "tier": group.tier,
                "label": group.label,
                "count": len(group.items),
                "issues": [_item_json(item) for item in group.items],
            }
            for group in view.queue
        ],
        "writes": [_write_json(w) for w in view.writes],
    }


def _shift_json(shift: Shift) -> dict[str, object]:
    return {
        "member": shift.member,
        "source": shift.source.value,
        "start": _iso(shift.start),
        "end": _iso(shift.end),
    }


def _tracker_json(state: TrackerState) -> dict[str, object]:
    last = state.last
    return {
        "name": state.name,
        "kind": state.kind,
        "paused_until": _iso(state.paused_until),
        "last_cycle": None if last is None else _cycle_json(last),
        "age_seconds": None if state.age is None else int(state.age.total_seconds()),
        "stale": state.stale,
    }


def _cycle_json(row: CycleRow) -> dict[str, object]:
    return {
        "started": _iso(row.started),
        "finished": _iso(row.finished),
        "outcome": row.outcome.value,
        "writes": row.writes,
        "errors": row.errors,
        "message": row.message,
        "paused_until": _iso(row.paused_until),
    }


def _item_json(item: QueueItem) -> dict[str, object]:
    issue = item.issue
    return {
        "tracker": issue.tracker,
        "key": issue.key,
        "title": issue.title,
        "url": issue.url,
        "created": _iso(issue.created),
        "updated": _iso(issue.updated),
        "seen_at": _iso(issue.seen_at),
        "age_seconds": int(item.age.total_seconds()),
        "reporters": issue.reporters,
        "flagged": issue.flagged,
        "assignees": [{"identity": a.identity, "person": a.person} for a in item.assignees],
    }


def _write_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "time": _iso(entry.time),
        "tracker": entry.tracker,
        "issue": entry.issue,
        "kind": entry.kind,
        "detail": entry.detail,
        "rule": entry.rule,
        "reason": entry.reason,
        "outcome": entry.outcome,
    }


def table(view: Standup, zone: ZoneInfo) -> str:
    """The readable view, times in the rotation's zone."""
    lines = [f"syncd status at {_local(view.at, zone)}", "", _on_call(view, zone), ""]
    lines += ["trackers:", *_trackers(view, zone), ""]
    lines.append(f"escalations: {view.open_issues} open")
    for group in view.queue:
        lines += _group(group)
    lines += ["", *_writes(view, zone)]
    return "\n".join(lines)


def _trackers(view: Standup, zone: ZoneInfo) -> list[str]:
    """One row per tracker; the last cycle's message below its row, cut to the table's width."""
    rows = _rows([_tracker_row(t, zone) for t in view.trackers])
    lines: list[str] = []
    for state, row in zip(view.trackers, rows, strict=True):
        lines.append(row)
        message = _printable(state.last.message) if state.last else ""
        if message:
            lines.append(_cut(f"    {message}", WIDTH))
    return lines


def _group(group: TierGroup) -> list[str]:
    """A tier's heading and its oldest issues; a long queue ends with how many are not shown."""
    name = _printable(group.label or "left alone (syncd/ignore)")
    rows = [_item_row(item) for item in group.items[:TABLE_ISSUES]]
    if rows:
        # The titles take what the other columns leave of the width, indent and gaps included.
        others = sum(max(len(row[i]) for row in rows) for i in range(len(rows[0])) if i != 2)
        room = max(_TITLE_MIN, min(_TITLE, WIDTH - 4 - others - 2 * (len(rows[0]) - 1)))
        rows = [(*row[:2], _cut(row[2], room), *row[3:]) for row in rows]
    lines = [f"  {name} ({len(group.items)})", *_rows(rows, "    ")]
    if len(group.items) > len(rows):
        lines.append(f"    … and {len(group.items) - len(rows)} more (--json lists all)")
    return lines


def _on_call(view: Standup, zone: ZoneInfo) -> str:
    now, following = view.on_call, view.next_shift
    until = "" if now.end == FOREVER else f" until {_local(now.end, zone)}"
    text = f"on call: {now.member or 'nobody'} ({now.source.value}){until}"
    if following is not None:
        text += f"; next: {following.member or 'nobody'} ({following.source.value})"
    return text


def _tracker_row(state: TrackerState, zone: ZoneInfo) -> tuple[str, ...]:
    last = state.last
    if last is None:
        return (state.name, state.kind, "no cycle yet", "", "", "")
    outcome = last.outcome.value
    if state.paused_until is not None:
        outcome = f"paused until {_short(state.paused_until, zone)}"
    counts = f"{_count(last.writes, 'write')}, {_count(last.errors, 'error')}"
    age = "" if state.age is None else f" ({_age(state.age)} ago)"
    row = (state.name, state.kind, outcome, f"at {_short(last.finished, zone)}{age}", counts)
    # A daemon that stopped leaves its last cycle behind: say the view may be out of date.
    return (*row, "STALE: is syncd running?") if state.stale else (*row, "")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def _who(view: Standup, tracker: str, identity: str) -> str:
    """`person (identity)` when the config knows who `identity` is, else the identity."""
    person = view.person(tracker, identity)
    return identity if person is None or person == identity else f"{person} ({identity})"


def _item_row(item: QueueItem) -> tuple[str, ...]:
    issue = item.issue
    who = ", ".join(_printable(a.person or a.identity) for a in item.assignees) or "unassigned"
    return (
        issue.tracker,
        _printable(issue.key),
        _printable(issue.title),
        f"age {_age(item.age)}",
        f"{issue.reporters} reporter{'s' if issue.reporters != 1 else ''}",
        _cut(who, 20),
        "FLAGGED" if issue.flagged else "",
    )


def _writes(view: Standup, zone: ZoneInfo) -> list[str]:
    per_tracker = Counter(w.tracker for w in view.writes)
    summary = ", ".join(f"{name} {n}" for name, n in sorted(per_tracker.items()))
    lines = [
        f"writes in the last 24 hours: {len(view.writes)}" + (f" ({summary})" if summary else "")
    ]
    shown = view.writes[-TABLE_WRITES:]
    rows = [
        (
            _short(w.time, zone),
            w.tracker,
            w.issue,
            w.kind,
            _printable(_detail(view, w)),
            w.outcome,
            w.rule,
        )
        for w in shown
    ]
    lines += _rows(rows)
    if len(view.writes) > len(shown):
        lines.append(f"  (the latest {len(shown)} shown; --json lists all)")
    return lines


def _detail(view: Standup, write: AuditEntry) -> str:
    """A write's detail; an (un)assignment names the person as well as the identity."""
    if write.kind in {"assign", "unassign"}:
        return _who(view, write.tracker, write.detail)
    return write.detail


def _rows(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    if not rows:
        return []
    rows = [tuple(_printable(cell) for cell in row) for row in rows]  # escaped, then measured
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _age(age: timedelta) -> str:
    minutes = int(age.total_seconds()) // 60
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins}m" if hours else f"{mins}m"


def _printable(text: str) -> str:
    # Tracker text (labels, keys, titles, errors) comes from anyone who can edit an issue: no
    # escape sequence acts, and no newline breaks a row.
    return printable_line(text)


def _iso(at: datetime | None) -> str | None:
    """UTC ISO 8601, or None for no time and the open ends of time (JSON null)."""
    return None if at is None or at in (DAWN, FOREVER) else iso_utc(at)


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime(_LOCAL)


def _short(at: datetime, zone: ZoneInfo) -> str:
    """A time in a row of the table, whose heading already names the zone."""
    return at.astimezone(zone).strftime(_SHORT)
