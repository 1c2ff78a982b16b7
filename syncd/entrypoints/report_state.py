"""The rotation's history read from the state file, for `syncd report` and the status page.

Opens the file read-only for the one read (no lock: a daemon may hold it). The journal is read
into memory and the roster records there the shifts started by `until` that the daemon has not
journaled yet (it was stopped), so the report never writes to the file.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.domain.report import CARRY_OVER_RULE, Kept, Report, report
from syncd.domain.rotation import Roster
from syncd.domain.rotation.journal import MemoryJournal

PERIOD = timedelta(weeks=12)  # the default period, and the status page's chart


def read_report(config: Config, since: datetime, until: datetime) -> Report:
    """The report of [since, until) from the configured state file (StateError if unusable)."""
    with Store.open(config.state_path, read_only=True) as store:
        journal = MemoryJournal(store.journal.entries())
        roster = Roster(config.rotation, journal)
        roster.record_started(until)
        segments = roster.shifts_between(since, until)
        start = min([since, *(s.start for s in segments if s.index >= 0)])
        placements = store.placements.between(start, until)
        carried = [
            entry.time
            for entry in store.audit_since(start)
            if entry.rule == CARRY_OVER_RULE and entry.time < until
        ]
    kept = Kept(segments, journal.entries(), placements, carried)
    return report(config.rotation, config.tiers, kept, since, until)
