"""Each calendar event's version: SEQUENCE and LAST-MODIFIED grow when the shift changes.

The feed is computed afresh on every request, so the versions live in the state file: each
UID with the fingerprint (times, person, source, reasons) it was last shown with. The table is
written through a connection of its own, opened for the one update (the feed is served on the
listener's threads and by `syncd rotation --ics`, never on the daemon's connection); SQLite's
locking and the daemon's busy timeout keep the two writers apart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from syncd.adapters.state import schema
from syncd.adapters.state.trouble import unusable

_TABLE_SINCE = 10  # the schema version that added calendar_events


@dataclass(frozen=True)
class EventVersion:
    """How many times an event changed since first shown, and when it last did."""

    sequence: int
    modified: datetime


def event_versions(
    path: Path, fingerprints: Mapping[str, str], now: datetime
) -> dict[str, EventVersion]:
    """The version of each UID in `fingerprints`, bumped (at `now`) where the fingerprint moved.

    Without a state file (or one from before the table), every event is at version 0, first
    modified `now`: nothing is created just to serve a feed.
    """
    if not path.exists():
        return {uid: EventVersion(0, now) for uid in fingerprints}
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=5.0, isolation_level=None
        )
    except sqlite3.Error as exc:
        raise unusable(path, exc) from exc
    try:
        if schema.version(conn) < _TABLE_SINCE:  # an older file: the daemon migrates it at start
            return {uid: EventVersion(0, now) for uid in fingerprints}
        conn.execute("BEGIN IMMEDIATE")  # two feeds at once bump an event once
        found = _update(conn, fingerprints, now)
        conn.execute("COMMIT")
        return found
    except sqlite3.Error as exc:
        raise unusable(path, exc) from exc
    finally:
        conn.close()  # an open transaction is rolled back


def _update(
    conn: sqlite3.Connection, fingerprints: Mapping[str, str], now: datetime
) -> dict[str, EventVersion]:
    known = {
        uid: (fingerprint, sequence, modified)
        for uid, fingerprint, sequence, modified in conn.execute(
            "SELECT uid, fingerprint, sequence, modified FROM calendar_events"
        )
    }
    found: dict[str, EventVersion] = {}
    for uid, fingerprint in fingerprints.items():
        before = known.get(uid)
        if before is not None and before[0] == fingerprint:
            found[uid] = EventVersion(int(before[1]), datetime.fromisoformat(str(before[2])))
            continue
        version = EventVersion(0 if before is None else int(before[1]) + 1, now)
        conn.execute(
            "INSERT OR REPLACE INTO calendar_events (uid, fingerprint, sequence, modified)"
            " VALUES (?, ?, ?, ?)",
            (uid, fingerprint, version.sequence, now.isoformat()),
        )
        found[uid] = version
    return found
