"""`syncd status`: the morning stand-up view from the state file, as a table or as JSON.

Reads the state file without locking it (next to a running daemon); a missing file is an error
(exit 1). `--json` prints the document of syncd.entrypoints.standup_json; the table marks a
tracker whose last cycle is older than 3 poll intervals STALE (the daemon looks stopped).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from syncd.adapters.state import AuditEntry
from syncd.adapters.state.spending import Backlog
from syncd.domain.rotation.shift import FOREVER
from syncd.entrypoints import logs
from syncd.entrypoints.backlog_view import read_backlogs, waiting_line
from syncd.entrypoints.printable import printable_line
from syncd.entrypoints.standup import (
    QueueItem,
    Standup,
    TierGroup,
    TrackerState,
)
from syncd.entrypoints.standup_state import read_standup, status_document
from syncd.service_layer import registry

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
    logs.configure(registry.secret_values(config), stream=sys.stderr)
    now: datetime = args.clock()
    view, _ = read_standup(config, now)
    backlogs = read_backlogs(config.state_path)
    if args.json:
        print(json.dumps(status_document(view, config), indent=2))
    else:
        print(table(view, config.rotation.timezone, backlogs))
    return 0


def table(view: Standup, zone: ZoneInfo, backlogs: Mapping[str, Backlog] | None = None) -> str:
    """The readable view, times in the rotation's zone; `backlogs`: writes waiting per tracker."""
    lines = [f"syncd status at {_local(view.at, zone)}", "", _on_call(view, zone), ""]
    lines += ["trackers:", *_trackers(view, zone, backlogs or {}), ""]
    lines.append(f"escalations: {view.open_issues} open")
    lines += _queue(view.queue)
    lines += ["", *_writes(view, zone)]
    return "\n".join(lines)


def _trackers(view: Standup, zone: ZoneInfo, backlogs: Mapping[str, Backlog]) -> list[str]:
    """One row per tracker; the last cycle's message below its row, cut to the table's width,
    then the writes waiting, if any."""
    rows = _rows([_tracker_row(t, zone) for t in view.trackers])
    lines: list[str] = []
    for state, row in zip(view.trackers, rows, strict=True):
        lines.append(row)
        message = _printable(state.last.message) if state.last else ""
        if message:
            lines.append(_cut(f"    {message}", WIDTH))
        backlog = backlogs.get(state.name)
        waiting = waiting_line(backlog, view.at) if backlog is not None else None
        if waiting:
            lines.append(f"    {waiting}")
    return lines


def _queue(groups: Sequence[TierGroup]) -> list[str]:
    """Each tier's heading and its oldest issues, in one set of columns for every tier (the
    columns stay put from one tier to the next); a long tier ends with how many are not shown."""
    shown = [[_item_row(item) for item in group.items[:TABLE_ISSUES]] for group in groups]
    every = [row for rows in shown for row in rows]
    if every:
        # The titles take what the other columns leave of the width, indent and gaps included.
        others = sum(max(len(row[i]) for row in every) for i in range(len(every[0])) if i != 2)
        room = max(_TITLE_MIN, min(_TITLE, WIDTH - 4 - others - 2 * (len(every[0]) - 1)))
        shown = [[(*row[:2], _cut(row[2], room), *row[3:]) for row in rows] for rows in shown]
    widths = _widths([row for rows in shown for row in rows])
    lines: list[str] = []
    for group, rows in zip(groups, shown, strict=True):
        name = _printable(group.label or "left alone (syncd/ignore)")
        lines += [f"  {name} ({len(group.items)})", *_rows(rows, "    ", widths)]
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
        f"est {item.estimate}" if item.estimate else "",
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


def _widths(rows: Sequence[tuple[str, ...]]) -> list[int]:
    """Each column's width over `rows`, measured on the escaped text."""
    escaped = [tuple(_printable(cell) for cell in row) for row in rows]
    return [max(len(row[i]) for row in escaped) for i in range(len(escaped[0]))] if rows else []


def _rows(
    rows: Sequence[tuple[str, ...]], indent: str = "  ", widths: Sequence[int] | None = None
) -> list[str]:
    """`rows` as aligned lines; `widths` when several tables share their columns."""
    if not rows:
        return []
    rows = [tuple(_printable(cell) for cell in row) for row in rows]  # escaped, then measured
    widths = widths or _widths(rows)
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


def _local(at: datetime, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime(_LOCAL)


def _short(at: datetime, zone: ZoneInfo) -> str:
    """A time in a row of the table, whose heading already names the zone."""
    return at.astimezone(zone).strftime(_SHORT)
