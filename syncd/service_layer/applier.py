"""Applying one tracker's plans: decisions saved, then writes in order, paced and capped."""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial, reduce

import structlog

from syncd.adapters.state import AuditEntry, Rejection, Store
from syncd.adapters.state.rejections import RejectionKey
from syncd.domain.actions import Action, AddLabel, Assign, IssuePlan
from syncd.domain.issue import Refusal, scope_of
from syncd.domain.ledger import (
    IssueRecord,
    RecordKey,
    after_decision,
    after_refusal,
    after_write,
    answered,
    assigning,
    sending,
)
from syncd.domain.routing import after_refusals, refused_here
from syncd.domain.write_terms import about, detail_of, kind_of
from syncd.errors import NotFound, StateError, Unassignable, WriteRejected
from syncd.service_layer.applied import Applied, WriteResult
from syncd.service_layer.calls import LabelBatch, call_of
from syncd.service_layer.metrics import Metrics, NullMetrics, error_kind
from syncd.service_layer.pacing import Pacer
from syncd.service_layer.refusals import Refusals
from syncd.service_layer.tracker import Tracker

log = structlog.get_logger("syncd.applier")

Clock = Callable[[], datetime]
Sleep = Callable[[float], object]  # e.g. time.sleep, or Event.wait to end early on a stop


class Applier:
    """Applies the plans of one tracker once (a cycle's, or one issue's); see `Applied`.

    A write the tracker refuses for good (WriteRejected, NotFound) is logged, remembered in the
    state and the rest of that issue's actions wait for the next cycle; the refused write is not
    tried again until the issue changes (or a full reconciliation forgets the refusals). Any
    other error ends the apply (`Applied.failure`); a later cycle tries again.
    """

    def __init__(
        self,
        tracker: Tracker,
        store: Store,
        clock: Clock,
        pacer: Pacer,
        *,
        cap: int,
        fires: str | None = None,
        stop_requested: Callable[[], bool] = lambda: False,
        metrics: Metrics | None = None,
    ) -> None:
        self._tracker = tracker
        self._store = store
        self._clock = clock
        self._pacer = pacer  # the tracker's, kept by the service: its history outlives an apply
        self._cap = cap
        self._labels = LabelBatch(tracker)
        self._fires = fires  # the fire tier: its writes may spend the budget's fire reserve
        self._stop_requested = stop_requested
        self._metrics = metrics or NullMetrics()
        self._writes = 0
        self._errors = 0
        self._waiting = 0  # actions left for a later cycle by a stop, the cap or the budget
        # Refused in this cycle, by the issue it was refused on: not tried again, and named.
        self._refused_on: dict[Refusal, str] = {}

    def apply(
        self,
        plans: Sequence[IssuePlan],
        records: Mapping[RecordKey, IssueRecord],
        activity: Mapping[RecordKey, datetime],
        refused: Mapping[RejectionKey, Rejection],
    ) -> Applied:
        """Save every plan's decision, then apply every plan's actions in order.

        `records`: the tracker's records as loaded (read only; `Applied.records` has them as
        the apply left them); `activity`: each issue's `updated` as syncd saw it before its own
        writes (syncd.domain.ledger.seen_before_writes); `refused`: the tracker's remembered
        refusals. A stop, the write cap or the write budget ends the apply, incomplete, with
        the actions left counted (`Applied.waiting`) and when the budget would see them done.
        """
        after = dict(records)
        self._decide(plans, after)
        try:
            refusals = Refusals(self._store, self._clock, refused)
            complete = self._apply_all(plans, after, activity, refusals)
        except StateError:
            raise  # nothing can be synced without the state file: the daemon stops
        except Exception as exc:  # noqa: BLE001 - returned: the caller reports it with the counts
            return Applied(after, self._writes, self._errors, complete=False, failure=exc)
        done_by = self._pacer.done_by(self._waiting)
        return Applied(after, self._writes, self._errors, complete, None, self._waiting, done_by)

    def _decide(
        self, plans: Sequence[IssuePlan], records: MutableMapping[RecordKey, IssueRecord]
    ) -> None:
        """Save each decision at once, before any write: placement must survive a crash."""
        for plan in plans:
            if plan.decision is None:
                continue
            key = (plan.tracker, plan.key)
            before = records.get(key, IssueRecord())
            after = after_decision(before, plan.decision)
            if after != before:
                records[key] = after
                self._store.save_record(plan.tracker, plan.key, after)

    def _apply_all(
        self,
        plans: Sequence[IssuePlan],
        records: MutableMapping[RecordKey, IssueRecord],
        activity: Mapping[RecordKey, datetime],
        refusals: Refusals,
    ) -> bool:
        """Every plan's actions in order, each record saved as it changes; whether all ran."""
        complete = True
        left = sum(len(plan.actions) for plan in plans)
        for plan in plans:
            key = (plan.tracker, plan.key)
            self._labels.start(plan, partial(refusals.hold, seen=activity[key]))
            self._pacer.urgent = plan.decision is not None and plan.decision.tier == self._fires
            for action in plan.actions:
                if refusals.hold(action, activity[key]):
                    left -= 1
                    continue
                if self._labels.sent(action):
                    records[key] = self._sent_before(action, records.get(key, IssueRecord()))
                    left -= 1
                    continue
                if not self._may_write():
                    self._waiting = left
                    return False
                record = self._before(action, records.get(key, IssueRecord()))
                records[key] = record
                try:
                    records[key] = self._apply(action, record, activity[key])
                except _Interrupted:
                    self._waiting = left
                    return False
                except (WriteRejected, NotFound) as exc:
                    self._refused(action, exc)
                    refusals.remember(action, activity[key], exc)
                    records[key] = after_refusal(record, action)
                    self._store.save_record(plan.tracker, plan.key, records[key])
                    complete = False
                    left -= len(plan.actions) - plan.actions.index(action)
                    break
                self._store.save_record(plan.tracker, plan.key, records[key])
                left -= 1
        return complete

    def _before(self, action: Action, record: IssueRecord) -> IssueRecord:
        """Note the labels about to be added, so that if the answer is lost they are ours."""
        if not isinstance(action, AddLabel):
            return record
        return self._noted(action, reduce(sending, self._labels.together(action.label), record))

    def _sent_before(self, action: Action, record: IssueRecord) -> IssueRecord:
        """The record once a label that went with an earlier one of its issue is in (audited)."""
        after = after_write(record, action)
        self._store.save_record(action.tracker, action.key, after)
        self._audit(action, WriteResult.OK)
        return after

    def _noted(self, action: Action, record: IssueRecord) -> IssueRecord:
        """`record`, saved before the write it notes (an answer lost with the cycle keeps it)."""
        self._store.save_record(action.tracker, action.key, record)
        return record

    def _refused(self, action: Action, exc: WriteRejected | NotFound) -> None:
        """Count and audit a write the tracker refused for good."""
        self._errors += 1
        self._metrics.failed(action.tracker, error_kind(exc))
        self._audit(action, WriteResult.FAILED, reason=str(exc))

    def _may_write(self) -> bool:
        if self._stopping():
            return False
        if self._writes >= self._cap:
            log.info("write cap reached", tracker=self._tracker.name, cap=self._cap)
            return False
        # The pause before a write (its turn in the budget) ends early on a stop.
        return self._pacer.turn() and not self._stopping()

    def _stopping(self) -> bool:
        """Whether a stop was asked for (logged): the remaining writes wait for the next start."""
        if not self._stop_requested():
            return False
        log.info("stopping: remaining writes wait for the next start", tracker=self._tracker.name)
        return True

    def _apply(self, action: Action, record: IssueRecord, seen: datetime) -> IssueRecord:
        """Run one action; the record after it, stamped with the write when one landed."""
        if isinstance(action, Assign):
            assigned, record = self._assign(action, record)
            after, landed = after_write(record, action, assigned=assigned), assigned is not None
        else:
            call = call_of(self._tracker, self._labels, action)
            landed = self._write(action, call) is WriteResult.OK
            after = after_write(record, action)
        # The write bumps the issue's `updated`; remember what it was before, and when we wrote.
        return replace(after, seen_updated=seen, wrote_at=self._clock()) if landed else after

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
            if outcome is WriteResult.OK:
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
    ) -> WriteResult:
        """Run one write (its turn in the budget taken by `_may_write`), audited; how it ended."""
        self._writes += 1
        try:
            result = call()
        except Unassignable:
            outcome = WriteResult.UNASSIGNABLE
        else:
            outcome = result if isinstance(result, WriteResult) else WriteResult.OK
        finally:
            self._pacer.spent()
        self._metrics.wrote(action.tracker, kind_of(action))
        self._audit(action, outcome, identity)
        detail = detail_of(action, identity)
        log.info("write", **about(action), detail=detail, outcome=outcome.value)
        return outcome

    def _audit(
        self,
        action: Action,
        outcome: WriteResult,
        identity: str | None = None,
        reason: str | None = None,
    ) -> None:
        self._store.audit(
            AuditEntry(
                time=self._clock(),
                tracker=action.tracker,
                issue=action.key,
                kind=kind_of(action),
                detail=detail_of(action, identity),
                rule=action.why.rule,
                reason=action.why.reason,
                outcome=outcome.audited(reason),
            )
        )


class _Interrupted(Exception):
    """A stop, the cap or the write budget between two assignee candidates."""
