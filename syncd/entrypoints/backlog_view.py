"""The writes waiting per tracker, as `syncd status` shows them: "412 writes waiting, done in
about 49 min", and in `--json` as `"backlog": {tracker: {"writes_waiting": N, "done_by": TIME}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from syncd.adapters.state import Store
from syncd.adapters.state.spending import Backlog
from syncd.domain.timestamps import json_time


def read_backlogs(state_path: Path) -> dict[str, Backlog]:
    """Every tracker's backlog as its last cycle left it (read-only, next to a daemon)."""
    with Store.open(state_path, read_only=True) as store:
        return store.spending.backlogs()


def waiting_line(backlog: Backlog, now: datetime) -> str | None:
    """`N writes waiting, done in about ...`; None when nothing waits."""
    if backlog.waiting <= 0:
        return None
    left = max(0.0, (backlog.done_by - now).total_seconds())
    noun = "write" if backlog.waiting == 1 else "writes"
    return f"{backlog.waiting} {noun} waiting, done in about {about(left)}"


def about(seconds: float) -> str:
    """A rough duration: `under a minute`, `49 min`, `3 h 20 min`."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def backlog_json(backlogs: Mapping[str, Backlog]) -> dict[str, object]:
    """The `backlog` member of `status --json`."""
    return {
        name: {"writes_waiting": b.waiting, "done_by": json_time(b.done_by)}
        for name, b in sorted(backlogs.items())
    }
