"""The state file: what syncd wrote, the rotation journal, watermarks, ETags, cycles, audit."""

from syncd.adapters.state.history import History, Pruned
from syncd.adapters.state.journal import SqliteJournal
from syncd.adapters.state.lock import StateLock
from syncd.adapters.state.reconciliations import Reconciliation, ReconciliationTable
from syncd.adapters.state.rejections import Rejection, RejectionTable
from syncd.adapters.state.seen import SeenIssue, SeenTable, sighting, sightings
from syncd.adapters.state.store import Store
from syncd.domain.cycles import AuditEntry, CycleOutcome, CycleRow

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
