"""One cycle of the service, per tracker: gather (fetch), plan (pure core), apply, record."""

from __future__ import annotations

import random
from collections import ChainMap
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

import structlog

from syncd.adapters.state import CycleOutcome, CycleRow, Store, sightings
from syncd.config.model import Config
from syncd.domain.actions import IssuePlan
from syncd.domain.issue import IssueSnapshot, Refusal
from syncd.domain.ledger import IssueRecord, RecordKey, after_decision
from syncd.domain.rotation import Roster
from syncd.domain.timestamps import iso_utc
from syncd.entrypoints.metrics import Metrics, NullMetrics, Traffic, error_kind
from syncd.errors import FetchStopped, RateLimited, StateError, TrackerError
from syncd.service_layer.applier import Applier, Clock, Sleep, activity_of
from syncd.service_layer.backoff import Backoff
from syncd.service_layer.patience import Patience, PatientTracker
from syncd.service_layer.reconciling import OVERLAP, Reconciling
from syncd.service_layer.reports import (
    CycleReport,
    Preview,
    Progress,
    TrackerReport,
    report_of,
    summary_of,
)
from syncd.service_layer.tracker import Fetch, Tracker

__all__ = ["OVERLAP", "CycleReport", "Planner", "Preview", "Service", "TrackerReport"]

log = structlog.get_logger("syncd.service")

_FRESH = IssueRecord()


class Planner(Protocol):
    """The shape of syncd.domain.planner.plan (injectable so the service can run a stand-in)."""

    def __call__(  # noqa: PLR0917 - mirrors syncd.domain.planner.plan, which is called positionally
        self,
        issues: Sequence[IssueSnapshot],
        records: Mapping[RecordKey, IssueRecord],
        config: Config,
        now: datetime,
        on_call: str | None,
        unassignable: frozenset[Refusal] = frozenset(),
    ) -> list[IssuePlan]: ...


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
        planner: Planner | None = None,
        rng: random.Random | None = None,
        stop_requested: Callable[[], bool] = lambda: False,
        metrics: Metrics | None = None,
    ) -> None:
        self.config = config
        self.trackers = dict(trackers)
        self._store = store
        self._clock = clock
        self._sleep = sleep
        self._plan = planner or _default_planner()
        self._stop_requested = stop_requested
        self._roster = Roster(config.rotation, store.journal)
        self._reconciling = Reconciling(config, store)
        self._backoff = Backoff(self.trackers, rng or random.Random())  # noqa: S311 - jitter
        self._backoff.resume(store.last_cycles())
        self._metrics = metrics or NullMetrics()
        self._metrics.track(tuple(self.trackers))
        self._patience = self._new_patience()

    def cycle(self, full: bool = False) -> CycleReport:
        """One cycle over every tracker; `full` forces a reconciliation (fetch everything).

        Without it, a tracker is reconciled when its last complete reconciliation (in the
        state) is older than `reconcile_interval` or ran under another config.
        """
        self._patience = self._new_patience()
        now = self._clock()
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
            plans.extend(self._plan_fetch(fetch, records, now, on_call))
        return Preview(tuple(plans), tuple(failed))

    def _housekeeping(self) -> None:
        """The state file's bounded tables are pruned at each full reconciliation."""
        pruned = self._store.prune(self._clock())
        if pruned.cycles or pruned.audit:
            log.info("state pruned", cycles=pruned.cycles, audit=pruned.audit)

    def _cycle_one(self, name: str, tracker: Tracker, full: bool) -> TrackerReport:
        started = self._clock()
        traffic = Traffic.of(tracker)
        progress = Progress()
        wait = self._backoff.waiting(name, started)
        if wait is not None:
            report = wait.report(name)
        else:
            report = self._attempt(name, PatientTracker(tracker, self._patience), full, progress)
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
        self._metrics.cycle_finished(row, Traffic.of(tracker) - traffic, self._queue(name))
        return replace(report, full=full)

    def _queue(self, name: str) -> dict[str, int]:
        """Open escalations per tier as last seen; every configured tier, empty ones as 0."""
        tiers = self.config.tiers
        known = dict.fromkeys([*(rule.tier for rule in tiers.rules), tiers.default_tier], 0)
        return known | self._store.seen.tier_counts(name)

    def _attempt(
        self, name: str, tracker: Tracker, full: bool, progress: Progress
    ) -> TrackerReport:
        try:
            message = self._sync(name, tracker, full, progress)
        except FetchStopped:
            raise  # not a failure: the cycle's caller drops the tracker's part (see `cycle`)
        except StateError:
            raise  # no tracker can be synced without the state file: the daemon stops, exit 1
        except RateLimited as exc:
            self._backoff.paused(name, exc.until, str(exc))
            self._metrics.paused(name, exc.until)
            log.warning("tracker paused", tracker=name, until=iso_utc(exc.until), reason=str(exc))
            return report_of(name, CycleOutcome.PAUSED, progress, f"rate limited: {exc}", exc.until)
        except TrackerError as exc:
            self._metrics.failed(name, error_kind(exc))
            return self._failed(name, progress, str(exc))
        except Exception as exc:
            # A bug or odd data in one tracker must not stop the others; logged with its traceback.
            log.exception("tracker cycle crashed", tracker=name)
            self._metrics.failed(name, error_kind(exc))
            return self._failed(name, progress, f"internal error: {type(exc).__name__}: {exc}")
        self._backoff.succeeded(name)
        # Writes refused for good are counted as errors but do not fail the tracker's cycle:
        # one bad issue must not keep /healthz at 503 while the tracker itself works.
        return report_of(name, CycleOutcome.OK, progress, message)

    def _failed(self, name: str, progress: Progress, message: str) -> TrackerReport:
        delay = self._backoff.failed(name, self._clock(), message)
        log.error("tracker failed", tracker=name, error=message, retry_in_seconds=round(delay, 1))
        progress.errors += 1
        return report_of(name, CycleOutcome.ERROR, progress, message)

    def _sync(self, name: str, tracker: Tracker, full: bool, progress: Progress) -> str:
        """`full`: the caller's reconciliation, which also retries refused writes."""
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
            return "unchanged"
        self._roster.record_started(now)
        before = self._store.records(name)
        plans = self._plan_fetch(fetch, before, now, self._roster.on_call(now).member)
        # The cycle's changes go into the first map; `before` stays as loaded, for sightings.
        records: ChainMap[RecordKey, IssueRecord] = ChainMap({}, before)
        self._record_decisions(plans, records)
        activity = activity_of(fetch.snapshots, before)
        complete = self._apply(name, tracker, plans, records, activity, progress)
        flag = self.config.estimates.flag_label
        seen = sightings(fetch.snapshots, plans, before, records, flag, now)
        self._store.seen.save(name, seen, complete=fetch.complete)
        if since is None and (complete or self._only_refused(name, progress)):
            # Writes refused for good wait for the next due reconciliation, not for every start.
            self._reconciling.recorded(name, now)
        if complete:
            # Only now: an unapplied write must be fetched again by the next cycle (and a kept
            # ETag would have that fetch answered 304).
            if fetch.watermark is not None and (watermark is None or fetch.watermark > watermark):
                self._store.set_watermark(name, fetch.watermark)
            etags = self._store.etags(name)
            for url, etag in fetch.etags:
                etags.remember_etag(url, etag)
            if since is None:
                self._reconciling.finished(name)
        return summary_of(len(fetch.snapshots), plans, progress)

    def _only_refused(self, name: str, progress: Progress) -> bool:
        """Whether writes refused for good, not a stop or the write cap, left the apply short."""
        cap = self.config.tracker(name).max_writes_per_cycle
        return progress.errors > 0 and not self._stop_requested() and progress.writes < cap

    def _plan_fetch(
        self,
        fetch: Fetch,
        records: Mapping[RecordKey, IssueRecord],
        now: datetime,
        on_call: str | None,
    ) -> list[IssuePlan]:
        unassignable = self._store.unassignable(now)
        plans = self._plan(fetch.snapshots, records, self.config, now, on_call, unassignable)
        for plan in plans:
            for note in plan.notes:
                log.info(note, tracker=plan.tracker, issue=plan.key)
        return plans

    def _record_decisions(
        self, plans: Sequence[IssuePlan], records: MutableMapping[RecordKey, IssueRecord]
    ) -> None:
        """Persist each decision at once, before any write: placement must survive a crash."""
        for plan in plans:
            if plan.decision is None:
                continue
            key = (plan.tracker, plan.key)
            before = records.get(key, _FRESH)
            after = after_decision(before, plan.decision)
            if after != before:
                records[key] = after
                self._store.save_record(plan.tracker, plan.key, after)

    def _apply(  # noqa: PLR0917 - one cycle's pieces, all needed
        self,
        name: str,
        tracker: Tracker,
        plans: Sequence[IssuePlan],
        records: MutableMapping[RecordKey, IssueRecord],
        activity: Mapping[RecordKey, datetime],
        progress: Progress,
    ) -> bool:
        settings = self.config.tracker(name)
        applier = Applier(
            tracker,
            self._store,
            self._clock,
            self._sleep,
            interval=settings.write_interval,
            cap=settings.max_writes_per_cycle,
            stop_requested=self._stop_requested,
            metrics=self._metrics,
        )
        refused = self._store.rejections.of(name)
        try:
            return applier.apply(plans, records, activity, refused)
        finally:
            progress.writes, progress.errors = applier.writes, applier.errors


def _default_planner() -> Planner:
    from syncd.domain.planner import plan  # noqa: PLC0415 - the planner is large; load it when used

    return plan
