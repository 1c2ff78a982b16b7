"""The state file: what syncd wrote, the rotation journal, watermarks, ETags, cycles, audit."""

from syncd.state.history import History, Pruned
from syncd.state.journal import SqliteJournal
from syncd.state.lock import StateLock
from syncd.state.reconciliations import Reconciliation, ReconciliationTable
from syncd.state.rejections import Rejection, RejectionTable
from syncd.state.rows import AuditEntry, CycleOutcome, CycleRow
from syncd.state.seen import SeenIssue, SeenTable, sighting, sightings
from syncd.state.store import Store

__all__ = [
    "AuditEntry",
    "CycleOutcome",
    "CycleRow",
    "History",
    "Pruned",
    "Reconciliation",
    "ReconciliationTable",
    "Rejection",
    "RejectionTable",
    "SeenIssue",
    "SeenTable",
    "SqliteJournal",
    "StateLock",
    "Store",
    "sighting",
    "sightings",
]
