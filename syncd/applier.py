"""Applying one tracker's plans: writes in order, paced and capped, each recorded as it lands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

import structlog

from syncd.actions import Action, AddLabel, Assign, Comment, IssuePlan, RemoveLabel, Unassign
from syncd.errors import NotFound, Unassignable, WriteRejected
from syncd.ledger import IssueRecord, RecordKey, after_write
from syncd.metrics import Metrics, NullMetrics, error_kind
from syncd.state import AuditEntry, Store
from syncd.tracker import Tracker

log = structlog.get_logger("syncd.applier")

Clock = Callable[[], datetime]
Sleep = Callable[[float], object]  # e.g. time.sleep, or Event.wait to end early on a stop


class Applier:
    """Applies the plans of one tracker for one cycle; counts its writes and failed writes.

    A write the tracker rejects for good (WriteRejected, NotFound) is logged and the rest of that
    issue's actions wait for a later cycle; any other TrackerError stops the tracker's cycle.
    """

    def __init__(
        self,
        tracker: Tracker,
        store: Store,
        clock: Clock,
        sleep: Sleep,
        *,
        interval: float,
        cap: int,
        stop_requested: Callable[[], bool] = lambda: False,
        metrics: Metrics | None = None,
    ) -> None:
        self._tracker = tracker
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self._interval = interval
        self._cap = cap
        self._stop_requested = stop_requested
        self._metrics = metrics or NullMetrics()
        self.writes = 0
        self.errors = 0

    def apply(self, plans: Sequence[IssuePlan], records: dict[RecordKey, IssueRecord]) -> bool:
        """Apply every plan's actions in order; True when every action was applied."""
        complete = True
        for plan in plans:
            key = (plan.tracker, plan.key)
            for action in plan.actions:
                if not self._may_write():
                    return False
                try:
                    records[key] = self._apply(action, records.get(key, IssueRecord()))
                except _Interrupted:
                    return False
                except (WriteRejected, NotFound) as exc:
                    self.errors += 1
                    self._metrics.failed(plan.tracker, error_kind(exc))
                    self._audit(action, f"failed: {exc}")
                    log.error("write failed", **_about(action), error=str(exc))
                    complete = False
                    break
                self._store.save_record(plan.tracker, plan.key, records[key])
        return complete

    def _may_write(self) -> bool:
        if self._stop_requested():
            log.info("stopping: remaining writes wait for the next start", tracker=self._name)
            return False
        if self.writes >= self._cap:
            log.info("write cap reached", tracker=self._name, cap=self._cap)
            return False
        return True

    @property
    def _name(self) -> str:
        return self._tracker.name

    def _apply(self, action: Action, record: IssueRecord) -> IssueRecord:
        match action:
            case AddLabel(key=key, label=label):
                self._write(action, lambda: self._tracker.add_label(key, label))
            case RemoveLabel(key=key, label=label):
                self._write(action, lambda: self._tracker.remove_label(key, label))
            case Unassign(key=key, identity=identity):
                self._write(action, lambda: self._tracker.unassign(key, identity))
            case Comment():
                self._write(action, lambda: self._comment(action))
            case Assign():
                return after_write(record, action, assigned=self._assign(action))
        return after_write(record, action)

    def _comment(self, action: Comment) -> str:
        posted = self._tracker.comment(action.key, action.body, action.marker)
        return "ok" if posted else "already there"

    def _assign(self, action: Assign) -> str | None:
        """The identity that took the issue, or None when every candidate was refused."""
        for candidate in action.candidates:
            outcome = self._write(
                action,
                partial(self._tracker.assign, action.key, candidate.identity, action.replacing),
                identity=candidate.identity,
            )
            if outcome == "ok":
                return candidate.identity
            log.warning(
                "cannot assign this person in this tracker; trying the next candidate",
                **_about(action),
                person=candidate.person,
                identity=candidate.identity,
            )
            self._store.mark_unassignable(action.tracker, candidate.identity, self._clock())
            if candidate != action.candidates[-1] and not self._may_write():
                # The next candidates wait for the next cycle; the refusals are already stored.
                raise _Interrupted
        log.warning("nobody could be assigned; left as it is", **_about(action))
        return None

    def _write(
        self, action: Action, call: Callable[[], object], identity: str | None = None
    ) -> str:
        """Run one write (after the pause since the last one); its outcome for the audit log."""
        if self.writes:
            # Trackers limit how fast content may be created (GitHub: ~80 a minute).
            self._sleep(self._interval)
        self.writes += 1
        try:
            result = call()
        except Unassignable:
            outcome = "unassignable"
        else:
            outcome = result if isinstance(result, str) else "ok"
        self._metrics.wrote(action.tracker, _KINDS[type(action)])
        self._audit(action, outcome, identity)
        log.info("write", **_about(action), detail=_detail(action, identity), outcome=outcome)
        return outcome

    def _audit(self, action: Action, outcome: str, identity: str | None = None) -> None:
        self._store.audit(
            AuditEntry(
                time=self._clock(),
                tracker=action.tracker,
                issue=action.key,
                kind=_KINDS[type(action)],
                detail=_detail(action, identity),
                rule=action.why.rule,
                reason=action.why.reason,
                outcome=outcome,
            )
        )


class _Interrupted(Exception):
    """A stop or the write cap came between two candidates of one Assign."""


_KINDS: dict[type, str] = {
    AddLabel: "add_label",
    RemoveLabel: "remove_label",
    Assign: "assign",
    Unassign: "unassign",
    Comment: "comment",
}


def _detail(action: Action, identity: str | None = None) -> str:
    match action:
        case AddLabel(label=label) | RemoveLabel(label=label):
            return label
        case Unassign(identity=who):
            return who
        case Assign():
            return identity or ",".join(c.identity for c in action.candidates)
        case Comment(marker=marker):
            return marker


def _about(action: Action) -> dict[str, str]:
    """The fields every line about a write carries: where, what kind, which rule and why."""
    return {
        "tracker": action.tracker,
        "issue": action.key,
        "action": _KINDS[type(action)],
        "rule": action.why.rule,
        "reason": action.why.reason,
    }
