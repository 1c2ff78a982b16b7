"""The status page (`/`): the stand-up view as one HTML document, readable on a phone.

Everything that comes from a tracker (keys, titles, URLs, identities, messages) is escaped; the
page loads nothing but the listener's own stylesheet, runs no script, and refreshes itself with
a `<meta http-equiv="refresh">`, which the Content-Security-Policy has no say over.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from syncd.adapters.state import AuditEntry
from syncd.domain.rotation import Shift
from syncd.domain.rotation.shift import DAWN, FOREVER
from syncd.entrypoints.standup import QueueItem, Standup, TierGroup, TrackerState

PAGE_ISSUES = 200  # per tier: a screen shows the oldest; /api/status lists them all
PAGE_WRITES = 100
# The last 12 weeks as `syncd report --svg` draws them, served by the listener at /report.svg.
HISTORY = (
    '<section id="history"><h2>The last 12 weeks</h2><img src="/report.svg" width="720"'
    ' alt="Escalations placed per shift by tier, and shifts per person"></section>'
)
_LOCAL = "%a %d %b %H:%M"


def status_page(
    view: Standup, upcoming: Sequence[Shift], zone: ZoneInfo, refresh_seconds: int
) -> str:
    """The whole page at `view.at`; `upcoming`: the shift covering now and the next ones."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="refresh" content="{refresh_seconds}">',
        '<meta name="referrer" content="no-referrer">',
        "<title>syncd status</title>",
        '<link rel="stylesheet" href="/assets/status.css">',
        "</head><body>",
        f"<header><h1>syncd status</h1><p>at {_time(view.at, zone)} ({_e(zone.key)})",
        f" · refreshes every {refresh_seconds} s</p></header>",
        _rotation(view, upcoming, zone),
        HISTORY,
        _queue(view),
        _trackers(view.trackers, zone),
        _writes(view.writes, zone),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _rotation(view: Standup, upcoming: Sequence[Shift], zone: ZoneInfo) -> str:
    now = view.on_call
    until = "" if now.end == FOREVER else f" until {_time(now.end, zone)}"
    rows = "".join(
        f"<tr><td>{_time(s.start, zone)}</td><td>{_time(s.end, zone)}</td>"
        f"<td>{_e(s.member or 'nobody')}</td><td>{_e(s.source.value)}</td><td>{_e(s.why)}</td></tr>"
        for s in upcoming[1:]
    )
    return (
        '<section id="rotation"><h2>On shift</h2>'
        f'<p class="on-call"><strong>{_e(now.member or "nobody")}</strong>'
        f" ({_e(now.source.value)}){until}</p>"
        "<table><thead><tr><th>from</th><th>to</th><th>who</th><th>source</th><th>why</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _queue(view: Standup) -> str:
    groups = "".join(_tier(group) for group in view.queue)
    return f'<section id="queue"><h2>Queue: {view.open_issues} open</h2>{groups}</section>'


def _tier(group: TierGroup) -> str:
    name = group.label or "left alone (syncd/ignore)"
    shown = group.items[:PAGE_ISSUES]
    rows = "".join(_item(item) for item in shown)
    more = group.count - len(shown)
    rest = f'<p class="more">… and {more} more (/api/status lists all)</p>' if more else ""
    tier = _e(group.tier or "none")
    return (
        f'<div class="tier" data-tier="{tier}"><h3>{_e(name)} ({group.count})</h3>'
        "<table><thead><tr><th>issue</th><th>title</th><th>assignee</th><th>age</th>"
        "<th>reporters</th><th>estimate</th><th>flag</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{rest}</div>"
    )


def _item(item: QueueItem) -> str:
    issue = item.issue
    who = ", ".join(a.person or a.identity for a in item.assignees) or "unassigned"
    flag = '<span class="flag">flagged</span>' if issue.flagged else ""
    return (
        f'<tr class="issue"><td><a href="{_href(issue.url)}" rel="noreferrer">'
        f"{_e(issue.key)}</a></td><td>{_e(issue.title)}</td><td>{_e(who)}</td>"
        f"<td>{age(item.age)}</td><td>{issue.reporters}</td><td>{_e(item.estimate)}</td>"
        f"<td>{flag}</td></tr>"
    )


def _trackers(states: Sequence[TrackerState], zone: ZoneInfo) -> str:
    rows = "".join(_tracker(state, zone) for state in states)
    return (
        '<section id="trackers"><h2>Trackers</h2><table><thead><tr><th>tracker</th>'
        "<th>last cycle</th><th>at</th><th>age</th><th>writes</th><th>message</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def _tracker(state: TrackerState, zone: ZoneInfo) -> str:
    last = state.last
    if last is None:
        empty = "<td></td>" * 4
        return f"<tr><td>{_e(state.name)}</td><td>no cycle yet</td>{empty}</tr>"
    outcome = last.outcome.value
    if state.paused_until is not None:
        outcome = f"paused until {_time(state.paused_until, zone)}"
    stale = ' class="stale"' if state.stale else ""
    warning = " (stale: is syncd running?)" if state.stale else ""
    return (
        f"<tr{stale}><td>{_e(state.name)} ({_e(state.kind)})</td><td>{_e(outcome)}</td>"
        f"<td>{_time(last.finished, zone)}</td><td>{age(state.age)}{warning}</td>"
        f"<td>{last.writes} writes, {last.errors} errors</td><td>{_e(last.message)}</td></tr>"
    )


def _writes(writes: Sequence[AuditEntry], zone: ZoneInfo) -> str:
    shown = list(reversed(writes[-PAGE_WRITES:]))  # newest first
    rows = "".join(
        f"<tr><td>{_time(w.time, zone)}</td><td>{_e(w.tracker)}</td><td>{_e(w.issue)}</td>"
        f"<td>{_e(w.kind)}</td><td>{_e(w.detail)}</td><td>{_e(w.outcome)}</td>"
        f"<td>{_e(w.rule)}</td></tr>"
        for w in shown
    )
    more = f" (the latest {len(shown)} shown)" if len(writes) > len(shown) else ""
    return (
        f'<section id="writes"><h2>Writes in the last 24 hours: {len(writes)}{more}</h2>'
        "<table><thead><tr><th>at</th><th>tracker</th><th>issue</th><th>write</th>"
        "<th>detail</th><th>outcome</th><th>rule</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></section>"
    )


def age(span: timedelta | None) -> str:
    """`3d 2h`, `5h 4m` or `7m`."""
    if span is None:
        return ""
    minutes = int(span.total_seconds()) // 60
    days, hours, mins = minutes // 1440, minutes // 60 % 24, minutes % 60
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins}m" if hours else f"{mins}m"


def _time(at: datetime, zone: ZoneInfo) -> str:
    # The open ends of time have no place in a zone (they would overflow): "open".
    return "open" if at in (DAWN, FOREVER) else at.astimezone(zone).strftime(_LOCAL)


def _href(url: str) -> str:
    """`url` escaped for an attribute, and only when it is http(s): no `javascript:` link."""
    return _e(url) if urlsplit(url).scheme in {"http", "https"} else ""


def _e(text: str) -> str:
    return escape(text, quote=True)
