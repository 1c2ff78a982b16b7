"""The `syncd status --json` document: one object, stable for scripts; times are UTC ISO 8601
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
                            "estimate_seconds": N|null, "estimate": "1w 2d"|null,
                            "assignees": [{"identity", "person": ID|null}]}]}],
     "writes": [{"time", "tracker", "issue", "kind", "detail", "rule", "reason", "outcome"}]}

`stale`: the tracker's last cycle finished more than 3 poll intervals ago (the daemon looks
stopped); the table marks it STALE. `queue` lists every configured tier in rule order, then
the default, then tiers found on issues (pinned by hand), then `"tier": null` for issues syncd
leaves alone; `writes` covers 24 hours.
"""

from __future__ import annotations

from syncd.adapters.state import AuditEntry, CycleRow
from syncd.domain.rotation import Shift
from syncd.domain.timestamps import json_time
from syncd.entrypoints.standup import QueueItem, Standup, TrackerState


def as_json(view: Standup) -> dict[str, object]:
    """The `--json` document (shape in the module docstring)."""
    following = view.next_shift
    return {
        "at": json_time(view.at),
        "rotation": {
            "on_call": view.on_call.member,
            "source": view.on_call.source.value,
            "until": json_time(view.on_call.end),
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
        "start": json_time(shift.start),
        "end": json_time(shift.end),
    }


def _tracker_json(state: TrackerState) -> dict[str, object]:
    last = state.last
    return {
        "name": state.name,
        "kind": state.kind,
        "paused_until": json_time(state.paused_until),
        "last_cycle": None if last is None else _cycle_json(last),
        "age_seconds": None if state.age is None else int(state.age.total_seconds()),
        "stale": state.stale,
    }


def _cycle_json(row: CycleRow) -> dict[str, object]:
    return {
        "started": json_time(row.started),
        "finished": json_time(row.finished),
        "outcome": row.outcome.value,
        "writes": row.writes,
        "errors": row.errors,
        "message": row.message,
        "paused_until": json_time(row.paused_until),
    }


def _item_json(item: QueueItem) -> dict[str, object]:
    issue = item.issue
    return {
        "tracker": issue.tracker,
        "key": issue.key,
        "title": issue.title,
        "url": issue.url,
        "created": json_time(issue.created),
        "updated": json_time(issue.updated),
        "seen_at": json_time(issue.seen_at),
        "age_seconds": int(item.age.total_seconds()),
        "reporters": issue.reporters,
        "flagged": issue.flagged,
        "estimate_seconds": issue.estimate,
        "estimate": item.estimate or None,
        "assignees": [{"identity": a.identity, "person": a.person} for a in item.assignees],
    }


def _write_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "time": json_time(entry.time),
        "tracker": entry.tracker,
        "issue": entry.issue,
        "kind": entry.kind,
        "detail": entry.detail,
        "rule": entry.rule,
        "reason": entry.reason,
        "outcome": entry.outcome,
    }
