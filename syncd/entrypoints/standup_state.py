"""The stand-up view read from the state file, for `syncd status` and the status page alike,
or from the daemon's published snapshot (the page's fast path: no SQLite at all).

Opens the file read-only for the one read (no lock: a daemon may hold it), so that any thread
can call it: a listener's worker thread never shares the daemon's own connection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.domain.rotation import Roster, Shift
from syncd.domain.rotation.journal import MemoryJournal
from syncd.entrypoints.backlog_view import backlog_json, read_backlogs
from syncd.entrypoints.standup import WRITES_WINDOW, Standup, standup
from syncd.entrypoints.standup_json import as_json
from syncd.service_layer.status_snapshot import StatusSnapshot


def read_standup(config: Config, now: datetime, shifts: int = 2) -> tuple[Standup, list[Shift]]:
    """The view at `now`, and the segment covering `now` with the `shifts - 1` after it."""
    with Store.open(config.state_path, read_only=True) as store:
        upcoming: Sequence[Shift] = Roster(config.rotation, store.journal).shifts(now, shifts)
        view = standup(
            config,
            upcoming,
            store.last_cycles(),
            store.seen.issues(),
            store.audit_since(now - WRITES_WINDOW),
            now,
        )
    return view, list(upcoming)


def snapshot_standup(
    config: Config, snapshot: StatusSnapshot, now: datetime, shifts: int, shown: int
) -> tuple[Standup, list[Shift]]:
    """As `read_standup`, from `snapshot`, each tier listing its oldest `shown` issues."""
    upcoming = Roster(config.rotation, MemoryJournal(snapshot.journal)).shifts(now, shifts)
    seen, cycles, writes = snapshot.seen, snapshot.cycles, snapshot.writes
    return standup(config, upcoming, cycles, seen, writes, now, shown), upcoming


def status_document(view: Standup, config: Config) -> dict[str, object]:
    """The `syncd status --json` document of `view` (and `/api/status`'s): the view, and the
    writes waiting per tracker."""
    return as_json(view) | {"backlog": backlog_json(read_backlogs(config.state_path))}
