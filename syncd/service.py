"""One cycle of the service, per tracker: gather (fetch), plan (pure core), apply, record."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from syncd.actions import IssuePlan
from syncd.applier import Applier, Clock, Sleep
from syncd.config.model import Config
from syncd.errors import RateLimited, TrackerError
from syncd.issue import IssueSnapshot
from syncd.journal import MemoryJournal
from syncd.ledger import IssueRecord, RecordKey, after_decision
from syncd.metrics import Metrics, NullMetrics, Traffic, error_kind
from syncd.rotation import Roster
from syncd.state import CycleOutcome, CycleRow, Store, sightings
from syncd.tracker import Fetch, Tracker

log = structlog.get_logger("syncd.service")

# Trackers stamp `updated` with their own clocks and Jira's JQL has minute precision: re-read a
# little before the watermark so that no change falls between two fetches.
OVERLAP = timedelta(minutes=2)
BACKOFF_BASE = 30.0
BACKOFF_CAP = 600.0


class Planner(Protocol):
    """The shape of syncd.planner.plan (injectable so the service can run a stand-in)."""

    def __call__(  # noqa: PLR0917 - mirrors syncd.planner.plan, which is called positionally
        self,
        issues: Sequence[IssueSnapshot],
        records: Mapping[RecordKey, IssueRecord],
        config: Config,
        now: datetime,
        on_call: str | None,
        unassignable: frozenset[tuple[str, str]] = frozenset(),
    ) -> list[IssuePlan]: ...


@dataclass(frozen=True)
class TrackerReport:
    """How one tracker's part of a cycle went."""

    tracker: str
    outcome: CycleOutcome
    writes: int = 0
    errors: int = 0
    message: str = ""
    paused_until: datetime | None = None


@dataclass(frozen=True)
class CycleReport:
    """Every tracker's part of one cycle."""

    trackers: tuple[TrackerReport, ...]

    @property
    def failed(self) -> bool:
        """Whether any tracker ended in error (a rate-limit pause is not a failure)."""
        return any(report.outcome is CycleOutcome.ERROR for report in self.trackers)

    @property
    def writes(self) -> int:
        """Writes made by every tracker together."""
        return sum(report.writes for report in self.trackers)


@dataclass(frozen=True)
class Preview:
    """A dry run's result: the plans of every tracker reached, and the trackers that failed."""

    plans: tuple[IssuePlan, ...]
    failed: tuple[str, ...]


@dataclass
class _Health:
    """What the service remembers about one tracker between cycles."""

    needs_full: bool = True
    failures: int = 0
    resume_at: datetime | None = None
    rate_limited: bool = False


@dataclass
class _Progress:
    writes: int = 0
    errors: int = 0
    applier: Applier | None = field(default=None, repr=False)


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
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._stop_requested = stop_requested
        self._roster = Roster(config.rotation, store.journal)
        self._health = {name: _Health() for name in self.trackers}
        self._metrics = metrics or NullMetrics()
        self._metrics.track(tuple(self.trackers))
        self._resume_pauses()

    def cycle(self, full: bool) -> CycleReport:
        """One cycle over every tracker; `full` forces a reconciliation (fetch everything)."""
        reports = []
        for name, tracker in self.trackers.items():
            if self._stop_requested():
                break
            reports.append(self._cycle_one(name, tracker, full))
        return CycleReport(tuple(reports))

    def preview(self) -> Preview:
        """Gather everything and plan it, writing nothing anywhere (the dry run)."""
        now = self._clock()
        # A copy of the journal: a dry run must not record the shifts it looks at.
        roster = Roster(self.config.rotation, MemoryJournal(self._store.journal.entries()))
        roster.record_started(now)
        plans: list[IssuePlan] = []
        failed: list[str] = []
        for name, tracker in self.trackers.items():
            try:
                fetch = tracker.fetch(None)
            except TrackerError as exc:
                log.error("tracker failed", tracker=name, error=str(exc))
                failed.append(name)
                continue
            plans.extend(self._plan_fetch(name, fetch, now, roster.on_call(now).member))
        return Preview(tuple(plans), tuple(failed))

    def _cycle_one(self, name: str, tracker: Tracker, full: bool) -> TrackerReport:
        started = self._clock()
        traffic = Traffic.of(tracker)
        health = self._health[name]
        progress = _Progress()
        if health.resume_at is not None and started < health.resume_at:
            report = self._still_waiting(name, health)
        else:
            report = self._attempt(name, tracker, full or health.needs_full, progress)
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
        return report

    def _queue(self, name: str) -> dict[str, int]:
        """Open escalations per tier as last seen; every configured tier, empty ones as 0."""
        tiers = self.config.tiers
        known = dict.fromkeys([*(rule.tier for rule in tiers.rules), tiers.default_tier], 0)
        return known | self._store.seen.tier_counts(name)

    def _attempt(
        self, name: str, tracker: Tracker, full: bool, progress: _Progress
    ) -> TrackerReport:
        health = self._health[name]
        try:
            message = self._sync(name, tracker, full, progress)
        except RateLimited as exc:
            health.resume_at, health.rate_limited = exc.until, True
            self._metrics.paused(name, exc.until)
            log.warning("tracker paused", tracker=name, until=exc.until.isoformat())
            return _report(name, CycleOutcome.PAUSED, progress, f"rate limited: {exc}", exc.until)
        except TrackerError as exc:
            self._metrics.failed(name, error_kind(exc))
            return self._failed(name, progress, str(exc))
        except Exception as exc:
            # A bug or odd data in one tracker must not stop the others; logged with its traceback.
            log.exception("tracker cycle crashed", tracker=name)
            self._metrics.failed(name, error_kind(exc))
            return self._failed(name, progress, f"internal error: {type(exc).__name__}: {exc}")
        health.failures, health.resume_at, health.rate_limited = 0, None, False
        outcome = CycleOutcome.ERROR if progress.errors else CycleOutcome.OK
        return _report(name, outcome, progress, message)

    def _failed(self, name: str, progress: _Progress, message: str) -> TrackerReport:
        health = self._health[name]
        health.failures += 1
        delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (health.failures - 1))
        # Jitter spreads retries so that several syncd instances do not hit a tracker together.
        delay *= 0.5 + self._rng.random() / 2
        health.resume_at, health.rate_limited = self._clock() + timedelta(seconds=delay), False
        log.error("tracker failed", tracker=name, error=message, retry_in_seconds=round(delay, 1))
        progress.errors += 1
        return _report(name, CycleOutcome.ERROR, progress, message)

    def _still_waiting(self, name: str, health: _Health) -> TrackerReport:
        until = health.resume_at
        assert until is not None  # checked by the caller
        if health.rate_limited:
            log.info("tracker paused", tracker=name, until=until.isoformat())
            return TrackerReport(
                name, CycleOutcome.PAUSED, message="rate limited", paused_until=until
            )
        log.info("tracker backing off", tracker=name, until=until.isoformat())
        return TrackerReport(name, CycleOutcome.ERROR, message=f"backing off until {until}")

    def _sync(self, name: str, tracker: Tracker, full: bool, progress: _Progress) -> str:
        now = self._clock()
        watermark = self._store.watermark(name)
        since = None if full or watermark is None else watermark - OVERLAP
        fetch = tracker.fetch(since)
        if fetch.unchanged:
            if since is None:
                self._health[name].needs_full = False
            return "unchanged"
        self._roster.record_started(now)
        plans = self._plan_fetch(name, fetch, now, self._roster.on_call(now).member)
        records = self._store.records(name)
        self._record_decisions(plans, records)
        before = dict(records)
        complete = self._apply(name, tracker, plans, records, progress)
        seen = sightings(
            fetch.snapshots, plans, before, records, self.config.estimates.flag_label, now
        )
        self._store.seen.save(name, seen, complete=fetch.complete)
        if complete:
            # Only now: an unapplied write must be fetched again by the next cycle.
            if fetch.watermark is not None and (watermark is None or fetch.watermark > watermark):
                self._store.set_watermark(name, fetch.watermark)
            if since is None:
                self._health[name].needs_full = False
        return f"{len(fetch.snapshots)} issues, {sum(len(p.actions) for p in plans)} actions"

    def _plan_fetch(
        self, name: str, fetch: Fetch, now: datetime, on_call: str | None
    ) -> list[IssuePlan]:
        plans = self._plan(
            fetch.snapshots,
            self._store.records(name),
            self.config,
            now,
            on_call,
            self._store.unassignable(now),
        )
        for plan in plans:
            for note in plan.notes:
                log.info(note, tracker=plan.tracker, issue=plan.key)
        return plans

    def _record_decisions(
        self, plans: Sequence[IssuePlan], records: dict[RecordKey, IssueRecord]
    ) -> None:
        """Persist each decision at once, before any write: placement must survive a crash."""
        for plan in plans:
            if plan.decision is None:
                continue
            key = (plan.tracker, plan.key)
            before = records.get(key, IssueRecord())
            after = after_decision(before, plan.decision)
            if after != before:
                records[key] = after
                self._store.save_record(plan.tracker, plan.key, after)

    def _apply(
        self,
        name: str,
        tracker: Tracker,
        plans: Sequence[IssuePlan],
        records: dict[RecordKey, IssueRecord],
        progress: _Progress,
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
        try:
            return applier.apply(plans, records)
        finally:
            progress.writes, progress.errors = applier.writes, applier.errors

    def _resume_pauses(self) -> None:
        """A rate-limit pause outlives a restart or a reload: it is read back from the state."""
        for name, row in self._store.last_cycles().items():
            if name in self._health and row.outcome is CycleOutcome.PAUSED and row.paused_until:
                self._health[name].resume_at = row.paused_until
                self._health[name].rate_limited = True


def _report(
    name: str,
    outcome: CycleOutcome,
    progress: _Progress,
    message: str,
    until: datetime | None = None,
) -> TrackerReport:
    return TrackerReport(name, outcome, progress.writes, progress.errors, message, until)


def _default_planner() -> Planner:
    from syncd.planner import plan  # noqa: PLC0415 - the planner is large; load it when used

    return plan
