"""Applying one tracker's plans: writes in order, paced and capped, each recorded as it lands."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial

import structlog

from syncd.adapters.state import AuditEntry, Rejection, Store
from syncd.adapters.state.rejections import RejectionKey
from syncd.domain.actions import Action, AddLabel, Assign, Comment, IssuePlan, RemoveLabel, Unassign
from syncd.domain.issue import IssueSnapshot, Refusal, scope_of
from syncd.domain.ledger import (
    IssueRecord,
    RecordKey,
    after_refusal,
    after_write,
    answered,
    assigning,
    seen_before_writes,
    sending,
)
from syncd.domain.routing import after_refusals, refused_here
from syncd.domain.write_terms import about, detail_of, ident_of, kind_of
from syncd.entrypoints.metrics import Metrics, NullMetrics, error_kind
from syncd.errors import NotFound, Unassignable, WriteRejected
from syncd.service_layer.tracker import Tracker

log = structlog.get_logger("syncd.applier")

Clock = Callable[[], datetime]
Sleep = Callable[[float], object]  # e.g. time.sleep, or Event.wait to end early on a stop


def activity_of(
    issues: Sequence[IssueSnapshot], records: Mapping[RecordKey, IssueRecord]
) -> dict[RecordKey, datetime]:
    """Each issue's `updated` as people left it (syncd's own latest writes are not activity)."""
    fresh = IssueRecord()
    return {
        (issue.tracker, issue.key): seen_before_writes(
            records.get((issue.tracker, issue.key), fresh), issue.updated
        )
        for issue in issues
    }


class Applier:
    """Applies the plans of one tracker for one cycle; counts its writes and refused writes.

    A write the tracker refuses for good (WriteRejected, NotFound) is logged, remembered in the
    state and the rest of that issue's actions wait for the next cycle; the refused write is not
    tried again until the issue changes (or a full reconciliation forgets the refusals). Any
    other TrackerError stops the tracker's cycle and is retried by a later one.
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
        # Refused in this cycle, by the issue it was refused on: not tried again, and named.
        self._refused_on: dict[Refusal, str] = {}

    def apply(
        self,
        plans: Sequence[IssuePlan],
        records: MutableMapping[RecordKey, IssueRecord],
        activity: Mapping[RecordKey, datetime],
        refused: Mapping[RejectionKey, Rejection],
    ) -> bool:
        """Apply every plan's actions in order; True when none is left for a later cycle.

        `activity`: each issue's `updated` as syncd saw it before its own writes
        (syncd.domain.ledger.seen_before_writes); `refused`: the tracker's remembered refusals.
        """
        complete = True
        for plan in plans:
            key = (plan.tracker, plan.key)
            for action in plan.actions:
                if self._still_refused(action, activity[key], refused):
                    continue
                if not self._may_write():
                    return False
                record = self._before(action, records.get(key, IssueRecord()))
                records[key] = record
                try:
                    records[key] = self._apply(action, record, activity[key])
                except _Interrupted:
                    return False
                except (WriteRejected, NotFound) as exc:
                    self._refused(action, activity[key], exc)
                    records[key] = after_refusal(record, action)
                    self._store.save_record(plan.tracker, plan.key, records[key])
                    complete = False
                    break
                self._store.save_record(plan.tracker, plan.key, records[key])
        return complete

    def _before(self, action: Action, record: IssueRecord) -> IssueRecord:
        """Note a label about to be added, so that if the answer is lost it is known as ours."""
        if not isinstance(action, AddLabel):
            return record
        return self._noted(action, sending(record, action.label))

    def _noted(self, action: Action, record: IssueRecord) -> IssueRecord:
        """`record`, saved before the write it notes (an answer lost with the cycle keeps it)."""
        self._store.save_record(action.tracker, action.key, record)
        return record

    def _still_refused(
        self, action: Action, seen: datetime, refused: Mapping[RejectionKey, Rejection]
    ) -> bool:
        """Whether `action` was refused for good and nobody has touched the issue since."""
        earlier = refused.get(ident_of(action))
        if earlier is None:
            return False
        if earlier.updated == seen:
            return True
        self._store.rejections.forget(action.tracker, earlier.ident)
        return False

    def _refused(self, action: Action, seen: datetime, exc: WriteRejected | NotFound) -> None:
        """Count, audit, log (once) and remember a write the tracker refused for good."""
        self.errors += 1
        self._metrics.failed(action.tracker, error_kind(exc))
        self._audit(action, f"failed: {exc}")
        key, kind, detail = ident_of(action)
        rejection = Rejection(action.tracker, key, kind, detail, seen, str(exc), self._clock())
        self._store.rejections.remember(rejection)
        log.error(
            "write refused; not tried again until the issue changes or a full reconciliation",
            **about(action),
            error=str(exc),
        )

    def _may_write(self) -> bool:
        if self._stopping():
            return False
        if self.writes >= self._cap:
            log.info("write cap reached", tracker=self._name, cap=self._cap)
            return False
        return True

    def _stopping(self) -> bool:
        """Whether a stop was asked for (logged): the remaining writes wait for the next start."""
        if not self._stop_requested():
            return False
        log.info("stopping: remaining writes wait for the next start", tracker=self._name)
        return True

    @property
    def _name(self) -> str:
        return self._tracker.name

    def _apply(self, action: Action, record: IssueRecord, seen: datetime) -> IssueRecord:
        """Run one action; the record after it, stamped with the write when one landed."""
        if isinstance(action, Assign):
            assigned, record = self._assign(action, record)
            after, landed = after_write(record, action, assigned=assigned), assigned is not None
        else:
            landed = self._write(action, self._call(action)) == "ok"
            after = after_write(record, action)
        # The write bumps the issue's `updated`; remember what it was before, and when we wrote.
        return replace(after, seen_updated=seen, wrote_at=self._clock()) if landed else after

    def _call(self, action: AddLabel | RemoveLabel | Unassign | Comment) -> Callable[[], object]:
        match action:
            case AddLabel(key=key, label=label):
                return partial(self._tracker.add_label, key, label)
            case RemoveLabel(key=key, label=label):
                return partial(self._tracker.remove_label, key, label)
            case Unassign(key=key, identity=identity):
                return partial(self._tracker.unassign, key, identity)
            case Comment():
                return partial(self._comment, action)

    def _comment(self, action: Comment) -> str:
        posted = self._tracker.comment(action.key, action.body, action.marker)
        return "ok" if posted else "already there"

    def _assign(self, action: Assign, record: IssueRecord) -> tuple[str | None, IssueRecord]:
        """The identity that took the issue (None when every candidate was refused), and the
        record with each candidate noted while it is tried (so a lost answer leaves it known
        as syncd's) and un-noted once refused."""
        refused: list[str] = []  # the candidates passed over, for the reason of the next one
        for candidate in action.candidates:
            refusal = Refusal(action.tracker, scope_of(action.key), candidate.identity)
            if refusal in self._refused_on:
                # refused a moment ago in the same place: one attempt per cycle
                refused.append(refused_here(candidate, refusal.scope, self._refused_on[refusal]))
                continue
            record = self._noted(action, assigning(record, candidate.identity))
            outcome = self._write(
                after_refusals(action, refused, candidate),
                partial(self._tracker.assign, action.key, candidate.identity, action.replacing),
                identity=candidate.identity,
            )
            if outcome == "ok":
                return candidate.identity, record
            record = self._noted(action, answered(record, candidate.identity))
            log.warning(
                "cannot assign this person in this tracker; trying the next candidate",
                **about(action),
                person=candidate.person,
                identity=candidate.identity,
                where=refusal.scope,
            )
            self._refused_on[refusal] = action.key
            refused.append(refused_here(candidate, refusal.scope, action.key))
            self._store.mark_unassignable(refusal, self._clock())
            if candidate != action.candidates[-1] and not self._may_write():
                # The next candidates wait for the next cycle; the refusals are already stored.
                raise _Interrupted
        log.warning("nobody could be assigned; left as it is", **about(action))
        return None, record

    def _write(
        self, action: Action, call: Callable[[], object], identity: str | None = None
    ) -> str:
        """Run one write (after the pause since the last one); its outcome for the audit log."""
        if self.writes:
            # Trackers limit how fast content may be created (GitHub: ~80 a minute).
            self._sleep(self._interval)
            if self._stopping():
                # A stop ends the pause early; the write after it is not in flight yet.
                raise _Interrupted
        self.writes += 1
        try:
            result = call()
        except Unassignable:
            outcome = "unassignable"
        else:
            outcome = result if isinstance(result, str) else "ok"
        self._metrics.wrote(action.tracker, kind_of(action))
        self._audit(action, outcome, identity)
        log.info("write", **about(action), detail=detail_of(action, identity), outcome=outcome)
        return outcome

    def _audit(self, action: Action, outcome: str, identity: str | None = None) -> None:
        self._store.audit(
            AuditEntry(
                time=self._clock(),
                tracker=action.tracker,
                issue=action.key,
                kind=kind_of(action),
                detail=detail_of(action, identity),
                rule=action.why.rule,
                reason=action.why.reason,
                outcome=outcome,
            )
        )


class _Interrupted(Exception):
    """A stop came during the pause before a write, or a stop or the cap between candidates."""
