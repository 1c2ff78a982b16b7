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
from syncd.domain.rotation import Roster, Shift
from syncd.domain.rotation.journal import MemoryJournal
from syncd.domain.rotation.shift import FOREVER

PERIOD = timedelta(weeks=12)  # the default period, and the status page's chart
_BATCH = 64


def read_report(config: Config, since: datetime, until: datetime) -> Report:
    """The report of [since, until) from the configured state file (StateError if unusable)."""
    with Store.open(config.state_path, read_only=True) as store:
        journal = MemoryJournal(store.journal.entries())
        roster = Roster(config.rotation, journal)
        roster.record_started(until)
        segments = segments_between(roster, since, until)
        start = min([since, *(s.start for s in segments if s.index >= 0)])
        placements = store.placements.between(start, until)
        carried = [
            entry.time
            for entry in store.audit_since(start)
            if entry.rule == CARRY_OVER_RULE and entry.time < until
        ]
    kept = Kept(segments, journal.entries(), placements, carried)
    return report(config.rotation, config.tiers, kept, since, until)


def segments_between(roster: Roster, since: datetime, until: datetime) -> list[Shift]:
    """Every segment (overrides applied) that overlaps [since, until), in time order."""
    count = _BATCH
    while True:
        found = roster.shifts(since, count)
        if len(found) < count or found[-1].start >= until or found[-1].end == FOREVER:
            return [s for s in found if s.start < until]
        count *= 2
