"""One cycle of the service, per tracker: gather (fetch), then settle: plan, apply, record."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

import structlog

from syncd.adapters.state import CycleRow, Store, sightings
from syncd.config.model import Config
from syncd.domain.actions import IssuePlan
from syncd.domain.activity import activity_of
from syncd.domain.issue import IssueSnapshot
from syncd.domain.ledger import IssueRecord, RecordKey
from syncd.domain.planner import plan
from syncd.domain.rotation import Roster
from syncd.domain.urgency import fire_tier, urgent_first
from syncd.errors import FetchStopped, StateError, TrackerError
from syncd.service_layer.applier import Applier, Clock, Sleep
from syncd.service_layer.backoff import Backoff
from syncd.service_layer.bookkeeping import Bookkeeping
from syncd.service_layer.chronicle import Chronicle
from syncd.service_layer.fire_news import SettleHook
from syncd.service_layer.metrics import Metrics, NullMetrics, Traffic
from syncd.service_layer.pacing import Pacers, backlog_of
from syncd.service_layer.patience import Patience, PatientTracker
from syncd.service_layer.reconciling import OVERLAP, Reconciling
from syncd.service_layer.reports import CycleReport, Preview, Settled, TrackerReport, summary_of
from syncd.service_layer.shift_change import ShiftChange
from syncd.service_layer.tracker import Tracker
from syncd.service_layer.troubles import Troubles
from syncd.service_layer.unowned_watch import UnownedWatch

__all__ = ["OVERLAP", "CycleReport", "Preview", "Service", "Settled", "TrackerReport"]

log = structlog.get_logger("syncd.service")


class Service:
    """Runs cycles over every tracker; one tracker failing never stops the others."""

    def __init__(
        self,
        config: Config,
        trackers: Mapping[str, Tracker],
        store: Store,
        clock: Clock,
        sleep: Sleep,
        *,
        rng: random.Random | None = None,
        stop_requested: Callable[[], bool] = lambda: False,
        metrics: Metrics | None = None,
        notify: Callable[[datetime, Roster], object] = lambda now, roster: None,
        settled: SettleHook | None = None,
    ) -> None:
        self.config = config
        self.trackers = dict(trackers)
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self._stop_requested = stop_requested
        self._roster = Roster(config.rotation, store.journal)
        self._reconciling = Reconciling(config, store)
        self._bookkeeping = Bookkeeping(config, store, self._reconciling, stop_requested)
        self._backoff = Backoff(self.trackers, rng or random.Random())  # noqa: S311 - jitter
        self._backoff.resume(store.last_cycles())
        self._metrics = metrics or NullMetrics()
        self._chronicle = Chronicle(config, store, self._metrics)
        self._troubles = Troubles(self._backoff, self._metrics, clock)
        self._metrics.track(tuple(self.trackers))
        self._patience = self._new_patience()
        self._pacers = Pacers(config, store.spending, clock, sleep, self.trackers)
        self._notify = notify  # messages to people (syncd.service_layer.notifier), once a cycle
        self._told_settled = settled  # and what each settle did (fires: Notifier.settled)
        self._unowned = UnownedWatch(config, store)
        self._shift_change = ShiftChange(config.rotation, self._roster)

    def cycle(self, full: bool = False) -> CycleReport:
        """One cycle over every tracker; `full` forces a reconciliation (fetch everything).

        Without it, a tracker is reconciled when its last complete reconciliation (in the
        state) is older than `reconcile_interval` or ran under another config.
        """
        self._patience = self._new_patience()
        now = self._clock()
        full = self._shift_change.calls_for_full_cycle(now) or full
        due = {name: full or self._reconciling.due(name, now) for name in self.trackers}
        if any(due.values()):
            self._housekeeping()
        reports = []
        for name, tracker in self.trackers.items():
            if self._stop_requested():
                break
            try:
                reports.append(self._cycle_one(name, tracker, due[name]))
            except FetchStopped:
                # Like a tracker the stop came before: no cycle row (status keeps the last
                # finished one), no error, no backoff; nothing was applied or advanced.
                log.info("stopping: listing interrupted, nothing applied", tracker=name)
                break
        for name, key in self._unowned.due(self._clock()):
            self.refresh(name, key)  # a fire nobody took: escalated (and told) once it is due
        self._notify(self._clock(), self._roster)
        return CycleReport(tuple(reports))

    def _new_patience(self) -> Patience:
        """A cycle waits out short rate limits, a poll interval (at most a minute) in all."""
        return Patience(self._clock, self._sleep, self.config.poll_interval, self._stop_requested)

    def preview(self) -> Preview:
        """Gather everything and plan it, writing nothing anywhere (the dry run)."""
        now = self._clock()
        # Asking the roster journals nothing (only a cycle records the shifts that started).
        on_call = self._roster.on_call(now).member
        plans: list[IssuePlan] = []
        failed: list[str] = []
        for name, tracker in self.trackers.items():
            try:
                fetch = tracker.fetch(None)
            except TrackerError as exc:
                log.error("tracker failed", tracker=name, error=str(exc))
                failed.append(name)
                continue
            records = self._store.records(name)
            plans.extend(self._planned(fetch.snapshots, records, now, on_call))
        return Preview(tuple(plans), tuple(failed))

    def _housekeeping(self) -> None:
        """The state file's bounded tables are pruned at each full reconciliation."""
        pruned = self._store.prune(self._clock())
        self._store.deliveries.prune(self._clock())
        if pruned.cycles or pruned.audit:
            log.info("state pruned", cycles=pruned.cycles, audit=pruned.audit)

    def settle(
        self,
        name: str,
        snapshots: Sequence[IssueSnapshot],
        *,
        now: datetime | None = None,
        listed_all: bool = False,
    ) -> Settled:
        """Plan, apply and record `snapshots` of tracker `name`, without listing the tracker.

        For an event source that names an issue, and for each cycle after its fetch. `now`: the
        cycle's time (the clock's when None); `listed_all`: the snapshots are every open
        escalation, so the seen table forgets the others. A failure ends the apply and comes
        back in `Applied.failure`, the seen table left as it was. Watermarks, ETags and
        reconciliations are the fetch's bookkeeping (see `cycle`), never the settle's.
        """
        now = self._clock() if now is None else now
        self._roster.record_started(now)
        before = self._store.records(name, None if listed_all else [s.key for s in snapshots])
        plans = self._planned(snapshots, before, now, self._roster.on_call(now).member)
        activity = activity_of(snapshots, before)
        refused = self._store.rejections.of(name)
        ordered = urgent_first(plans, {s.key: s for s in snapshots}, self.config.tiers)
        applied = self._applier(name).apply(ordered, before, activity, refused)
        self._chronicle.settled(name, snapshots, before, applied.records, now)
        if self._told_settled is not None:
            self._told_settled(name, snapshots, plans, before, applied.records, now)
        if applied.failure is None:
            flag = self.config.estimates.flag_label
            seen = sightings(snapshots, plans, before, applied.records, flag, now)
            self._store.seen.save(name, seen, complete=listed_all)
        return Settled(tuple(plans), applied)

    def refresh(self, name: str, key: str) -> Settled | None:
        """Re-read issue `key` of tracker `name` and settle it as a cycle would (a webhook's hint).

        None when nothing was settled: the tracker is gone or paused, the re-read failed (the
        next poll catches up), or the issue is not an open escalation of the tracker. An issue
        already right costs the one read and no write.
        """
        tracker = self.trackers.get(name)
        if tracker is None or self._backoff.waiting(name, self._clock()) is not None:
            log.info("webhook left to the poll", tracker=name, issue=key)
            return None
        self._patience = self._new_patience()
        try:
            snapshot = PatientTracker(tracker, self._patience).fetch_one(key)
            if snapshot is None:
                log.info("webhook: not an open escalation here", tracker=name, issue=key)
                return None
            settled = self.settle(name, [snapshot])
        except TrackerError as exc:
            self._troubles.failed(name, exc)
            return None
        if settled.applied.failure is not None:
            self._troubles.failed(name, settled.applied.failure)
        if settled.applied.writes:
            self._notify(self._clock(), self._roster)  # a fire is announced now, not next poll
        return settled

    def _applier(self, name: str) -> Applier:
        """An applier for one settle of `name`, its writes waiting out short rate limits."""
        settings = self.config.tracker(name)
        return Applier(
            PatientTracker(self.trackers[name], self._patience),
            self._store,
            self._clock,
            self._pacers.of(name),
            cap=settings.max_writes_per_cycle,
            fires=fire_tier(self.config.tiers),
            stop_requested=self._stop_requested,
            metrics=self._metrics,
        )

    def _cycle_one(self, name: str, tracker: Tracker, full: bool) -> TrackerReport:
        started = self._clock()
        traffic = Traffic.of(tracker)
        wait = self._backoff.waiting(name, started)
        if wait is not None:
            report = wait.report(name)
        else:
            report = self._attempt(name, PatientTracker(tracker, self._patience), full)
        row = CycleRow(
            tracker=name,
            started=started,
            finished=self._clock(),
            outcome=report.outcome,
            writes=report.writes,
            errors=report.errors,
            message=report.message,
            paused_until=report.paused_until,
        )
        self._store.record_cycle(row)
        # The count per tier is for metrics alone: an idle cycle without them skips the query.
        queue = {} if isinstance(self._metrics, NullMetrics) else self._queue(name)
        self._metrics.cycle_finished(row, Traffic.of(tracker) - traffic, queue)
        return replace(report, full=full)

    def _queue(self, name: str) -> dict[str, int]:
        """Open escalations per tier as last seen; every configured tier, empty ones as 0."""
        tiers = self.config.tiers
        known = dict.fromkeys([*(rule.tier for rule in tiers.rules), tiers.default_tier], 0)
        return known | self._store.seen.tier_counts(name)

    def _attempt(self, name: str, tracker: Tracker, full: bool) -> TrackerReport:
        try:
            return self._sync(name, tracker, full)
        except FetchStopped:
            raise  # not a failure: the cycle's caller drops the tracker's part (see `cycle`)
        except StateError:
            raise  # no tracker can be synced without the state file: the daemon stops, exit 1
        except Exception as exc:  # noqa: BLE001 - reported (a bug with its traceback); see Troubles
            return self._troubles.failed(name, exc)

    def _sync(self, name: str, tracker: Tracker, full: bool) -> TrackerReport:
        """Fetch, settle what came back, then keep the listing's bookkeeping.

        `full`: the caller's reconciliation, which also retries refused writes.
        """
        now = self._clock()
        watermark = self._store.watermark(name)
        if full:
            # A reconciliation tries every write again, refused ones included.
            self._store.rejections.clear(name)
        since = self._reconciling.since(name, full, watermark)
        fetch = tracker.fetch(since)
        if fetch.unchanged:
            if since is None:
                self._reconciling.recorded(name, now)
                self._reconciling.finished(name)
            return self._troubles.synced(name, "unchanged")
        settled = self.settle(name, fetch.snapshots, now=now, listed_all=fetch.complete)
        applied = settled.applied
        self._store.spending.save_backlog(backlog_of(name, applied, now))
        self._metrics.backlog(name, applied.waiting, applied.done_by or now)
        if applied.failure is not None:
            return self._troubles.failed(name, applied.failure, applied.writes, applied.errors)
        self._bookkeeping.listed(name, fetch, applied, since=since, watermark=watermark, now=now)
        message = summary_of(len(fetch.snapshots), settled.plans, applied.errors)
        return self._troubles.synced(name, message, applied.writes, applied.errors)

    def _planned(
        self,
        snapshots: Sequence[IssueSnapshot],
        records: Mapping[RecordKey, IssueRecord],
        now: datetime,
        on_call: str | None,
    ) -> list[IssuePlan]:
        unassignable = self._store.unassignable(now)
        plans = plan(snapshots, records, self.config, now, on_call, unassignable)
        for made in plans:
            for note in made.notes:
                log.info(note, tracker=made.tracker, issue=made.key)
        return plans
