"""The state file: what syncd wrote, the rotation journal, watermarks, ETags, cycles, audit."""

from syncd.state.journal import SqliteJournal
from syncd.state.lock import StateLock
from syncd.state.rows import AuditEntry, CycleOutcome, CycleRow
from syncd.state.seen import SeenIssue, SeenTable, sighting, sightings
from syncd.state.store import Store

__all__ = [
    "AuditEntry",
    "CycleOutcome",
    "CycleRow",
    "SeenIssue",
    "SeenTable",
    "SqliteJournal",
    "StateLock",
    "Store",
    "sighting",
    "sightings",
]
