"""Metrics kept for Prometheus in a dedicated registry (no global state), and their health."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from syncd.adapters.state import CycleOutcome, CycleRow
from syncd.entrypoints.metrics.health import Health, Waiting, health_of
from syncd.service_layer.metrics import Traffic

# A cycle is one request when idle and minutes on a first sync of thousands of issues.
DURATION_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
# A delivery is settled in a fraction of a second (SPEC §7: p95 under 1 s), or waits for a cycle.
REACTION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
# A fire is assigned within a poll of its creation, or hours later when it was placed late.
FIRE_BUCKETS = (30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 7200.0, 14400.0, 86400.0)


class PrometheusMetrics:
    """Metrics kept in a dedicated registry, and the health they imply; safe across threads."""

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        scrub: Callable[[str], str] = str,
    ) -> None:
        self.registry = CollectorRegistry()
        self.scrub = scrub  # masks secrets in messages; replaced when a reload changes them
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._trackers: tuple[str, ...] = ()
        self._rows: dict[str, CycleRow] = {}
        self._tiers: dict[str, set[str]] = {}
        self._backlogs: dict[str, Waiting] = {}
        self._since = _SinceSuccess(monotonic, self._current)
        self._define()
        self.registry.register(self._since)

    def _define(self) -> None:
        r, t = self.registry, ("tracker",)
        self._cycles = Counter(
            "syncd_cycles", "Tracker cycles by outcome", (*t, "outcome"), registry=r
        )
        self._duration = Histogram(
            "syncd_cycle_duration_seconds", "Duration of one tracker's cycle", t,
            buckets=DURATION_BUCKETS, registry=r,
        )  # fmt: skip
        self._writes = Counter(
            "syncd_writes", "Writes answered by a tracker", (*t, "action"), registry=r
        )
        self._errors = Counter("syncd_errors", "Errors in tracker cycles", (*t, "kind"), registry=r)
        self._pauses = Counter("syncd_rate_limit_pauses", "Rate-limit pauses begun", t, registry=r)
        self._requests = Counter("syncd_api_requests", "HTTP requests to trackers", t, registry=r)
        self._not_modified = Counter(
            "syncd_api_not_modified", "Requests answered 304 Not Modified", t, registry=r
        )
        self._queue = Gauge(
            "syncd_queue_size", "Open escalations by tier", (*t, "tier"), registry=r
        )
        self._paused_until = Gauge(
            "syncd_paused_until_timestamp", "End of a rate-limit pause (0: none)", t, registry=r
        )
        self._waiting = Gauge(
            "syncd_writes_waiting", "Writes the last cycle left for later ones", t, registry=r
        )
        self._done_by = Gauge(
            "syncd_writes_done_by_timestamp", "When the write budget sees them done", t, registry=r
        )
        self._deliveries = Counter(
            "syncd_webhook_deliveries", "Webhook deliveries by answer", (*t, "result"), registry=r
        )
        self._reaction = Histogram(
            "syncd_webhook_reaction_seconds", "From a delivery accepted to its writes landed", t,
            buckets=REACTION_BUCKETS, registry=r,
        )  # fmt: skip
        self._shifts = Counter(
            "syncd_shifts", "Shift segments begun, by who holds them and why", ("member", "source"),
            registry=r,
        )  # fmt: skip
        self._fire_assign = Histogram(
            "syncd_fire_time_to_assign_seconds", "From a fire's creation to syncd's assignment",
            buckets=FIRE_BUCKETS, registry=r,
        )  # fmt: skip

    def track(self, trackers: Sequence[str]) -> None:
        """The trackers of the config in use; health waits for a cycle of each new one."""
        with self._lock:
            self._trackers = tuple(trackers)
            self._rows = {name: row for name, row in self._rows.items() if name in trackers}

    def cycle_finished(self, row: CycleRow, traffic: Traffic, queue: Mapping[str, int]) -> None:
        """Count the cycle, its traffic and queue; remember it for /healthz."""
        name = row.tracker
        self._cycles.labels(name, row.outcome.value).inc()
        self._duration.labels(name).observe(max(0.0, (row.finished - row.started).total_seconds()))
        self._requests.labels(name).inc(max(0, traffic.requests))
        self._not_modified.labels(name).inc(max(0, traffic.not_modified))
        until = (
            row.paused_until.timestamp()
            if row.outcome is CycleOutcome.PAUSED and row.paused_until
            else 0.0
        )
        self._paused_until.labels(name).set(until)
        for tier in self._tiers.get(name, set()) - set(queue):
            self._queue.remove(name, tier)  # a tier gone from the config: no stale series
        for tier, size in queue.items():
            self._queue.labels(name, tier).set(size)
        self._tiers[name] = set(queue)
        if row.outcome is CycleOutcome.OK:
            self._since.succeeded(name)
        with self._lock:
            self._rows[name] = row

    def wrote(self, tracker: str, action: str) -> None:
        """Count one answered write."""
        self._writes.labels(tracker, action).inc()

    def failed(self, tracker: str, kind: str) -> None:
        """Count one error."""
        self._errors.labels(tracker, kind).inc()

    def paused(self, tracker: str, until: datetime) -> None:
        """Count the start of a rate-limit pause."""
        self._pauses.labels(tracker).inc()
        self._paused_until.labels(tracker).set(until.timestamp())

    def backlog(self, tracker: str, waiting: int, done_by: datetime) -> None:
        """Set the writes waiting and when they will be done; remembered for /healthz."""
        self._waiting.labels(tracker).set(waiting)
        self._done_by.labels(tracker).set(done_by.timestamp())
        with self._lock:
            self._backlogs[tracker] = Waiting(waiting, done_by)

    def delivered(self, tracker: str, result: str) -> None:
        """Count one answered delivery."""
        self._deliveries.labels(tracker, result).inc()

    def reacted(self, tracker: str, seconds: float) -> None:
        """Observe one delivery's time from accepted to settled."""
        self._reaction.labels(tracker).observe(seconds)

    def shift_started(self, member: str, source: str) -> None:
        """Count one shift segment begun."""
        self._shifts.labels(member, source).inc()

    def fire_assigned(self, seconds: float) -> None:
        """Observe one fire's time from creation to syncd's assignment."""
        self._fire_assign.observe(seconds)

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The /metrics body and its content type, in the format the `Accept` header asks for."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type

    def health(self) -> Health:
        """The /healthz answer now, secrets masked in every message."""
        with self._lock:
            trackers, rows, backlogs = self._trackers, dict(self._rows), dict(self._backlogs)
        masked = {n: replace(r, message=self.scrub(r.message)) for n, r in rows.items()}
        return health_of(trackers, masked, backlogs)

    def _current(self) -> tuple[str, ...]:
        with self._lock:
            return self._trackers


class _SinceSuccess(Collector):
    """`syncd_seconds_since_last_success`, computed when scraped (since start before any)."""

    def __init__(
        self, monotonic: Callable[[], float], trackers: Callable[[], Sequence[str]]
    ) -> None:
        self._monotonic = monotonic
        self._trackers = trackers
        self._started = monotonic()
        self._last: dict[str, float] = {}

    def succeeded(self, tracker: str) -> None:
        """A cycle of `tracker` succeeded now."""
        self._last[tracker] = self._monotonic()

    def collect(self) -> Iterator[Metric]:
        """One sample per tracker in use."""
        family = GaugeMetricFamily(
            "syncd_seconds_since_last_success",
            "Seconds since the tracker's last successful cycle (or since syncd started)",
            labels=("tracker",),
        )
        now = self._monotonic()
        for name in self._trackers():
            family.add_metric((name,), now - self._last.get(name, self._started))
        yield family
