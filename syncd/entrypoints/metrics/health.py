"""What `/healthz` answers: healthy while every tracker's last cycle succeeded or is paused.

A tracker with no finished cycle since this process started (or reloaded its config) makes the
whole answer "starting", which is unhealthy: the usual readiness meaning, so that an orchestrator
waits for the first cycle before it counts syncd as up. The body is JSON:
`{"status": "ok"|"paused"|"starting"|"failing", "reason": str, "trackers": {name:
{"outcome": "ok"|"paused"|"error"|"starting", "finished": ISO UTC|null,
"paused_until": ISO UTC|null, "message": str, "writes_waiting": N,
"writes_done_by": ISO UTC|null}}}`: the writes the last cycle left for later ones (the write
budget, the cap, a stop) and when the budget would see them done; a backlog is no trouble.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from syncd.adapters.state import CycleOutcome, CycleRow
from syncd.domain.timestamps import json_time


@dataclass(frozen=True)
class Health:
    """The answer of /healthz: `ok` gives 200, else 503; `document` is the JSON body."""

    ok: bool
    document: Mapping[str, object]


@dataclass(frozen=True)
class Waiting:
    """The writes a tracker's last cycle left for later ones, and when they will be done."""

    writes: int
    done_by: datetime


def health_of(
    trackers: Sequence[str],
    rows: Mapping[str, CycleRow],
    backlogs: Mapping[str, Waiting] | None = None,
) -> Health:
    """Health from the last cycle of each tracker in use (absent: none finished yet)."""
    backlogs = backlogs or {}
    failing = [rows[t] for t in trackers if t in rows and rows[t].outcome is CycleOutcome.ERROR]
    waiting = [t for t in trackers if t not in rows]
    paused = [rows[t] for t in trackers if t in rows and rows[t].outcome is CycleOutcome.PAUSED]
    if not trackers:
        status, reason = "starting", "the service is not running yet"
    elif failing:
        status, reason = "failing", "; ".join(f"{r.tracker}: {r.message}" for r in failing)
    elif waiting:
        status, reason = "starting", f"no cycle finished yet: {', '.join(waiting)}"
    elif paused:
        status = "paused"
        reason = "; ".join(
            f"{r.tracker}: rate limited until {json_time(r.paused_until)}" for r in paused
        )
    else:
        status, reason = "ok", "every tracker's last cycle succeeded"
    document = {
        "status": status,
        "reason": reason,
        "trackers": {
            name: _tracker_health(rows.get(name)) | _backlog(backlogs.get(name))
            for name in trackers
        },
    }
    return Health(status in {"ok", "paused"}, document)


def _backlog(waiting: Waiting | None) -> dict[str, object]:
    if waiting is None:
        return {"writes_waiting": 0, "writes_done_by": None}
    return {"writes_waiting": waiting.writes, "writes_done_by": json_time(waiting.done_by)}


def _tracker_health(row: CycleRow | None) -> dict[str, object]:
    if row is None:
        return {"outcome": "starting", "finished": None, "paused_until": None, "message": ""}
    return {
        "outcome": row.outcome.value,
        "finished": json_time(row.finished),
        "paused_until": json_time(row.paused_until),
        "message": row.message,
    }
