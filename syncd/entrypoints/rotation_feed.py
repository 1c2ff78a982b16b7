"""The calendar feed to subscribe to: past 4 weeks and next 12 weeks of shifts, versioned.

One function for `GET /rotation.ics` and `syncd rotation --ics`, so both print the same feed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from syncd.adapters.state import Store
from syncd.adapters.state.calendar_events import event_versions
from syncd.config.model import Config
from syncd.domain.rotation import Roster, Shift
from syncd.domain.rotation.ics import document, events, fingerprint
from syncd.domain.rotation.journal import Journal, MemoryJournal

FEED_PAST = timedelta(weeks=4)
FEED_AHEAD = timedelta(weeks=12)
# Segments are numbered within their base shift for their UIDs: start this much earlier so the
# feed's first shift is counted from its own beginning.
_LEAD = timedelta(weeks=4)


def feed(
    config: Config, now: datetime, member: str | None = None, around: datetime | None = None
) -> str:
    """The feed at `now` (of the weeks around `around`, by default `now`); `member`: only that
    person's shifts (with the same UIDs and versions as in the whole feed)."""
    around = now if around is None else around
    shifts = feed_shifts(config, journal_of(config), around)
    kept = events(shifts, config.rotation.start)
    shown = [e for e in kept if e.shift.end > around - FEED_PAST]
    versions = event_versions(config.state_path, {e.uid: fingerprint(e.shift) for e in shown}, now)
    chosen = [e for e in shown if member is None or e.shift.member == member]
    return document(
        chosen,
        now,
        name="Support rotation" + (f": {member}" if member else ""),
        versions={uid: (v.sequence, v.modified) for uid, v in versions.items()},
    )


def feed_shifts(config: Config, journal: Journal, now: datetime) -> list[Shift]:
    """Every segment from `_LEAD` before the feed's window to its end."""
    roster = Roster(config.rotation, journal)
    return roster.shifts_between(now - FEED_PAST - _LEAD, now + FEED_AHEAD)


def journal_of(config: Config) -> Journal:
    """The daemon's journal of started shifts (a read-only copy); none yet: replay from start."""
    if not config.state_path.exists():
        return MemoryJournal()
    with Store.open(config.state_path, read_only=True) as store:
        return MemoryJournal(store.journal.entries())
