"""What a tracker's trouble does: a rate limit pauses it, an error backs it off, both reported."""

from __future__ import annotations

import structlog

from syncd.adapters.state import CycleOutcome
from syncd.domain.timestamps import iso_utc
from syncd.errors import RateLimited, TrackerError
from syncd.service_layer.applier import Clock
from syncd.service_layer.backoff import Backoff
from syncd.service_layer.metrics import Metrics, error_kind
from syncd.service_layer.reports import TrackerReport

log = structlog.get_logger("syncd.service")


class Troubles:
    """Turns how a tracker's part ended into its report, its pause or backoff, and metrics."""

    def __init__(self, backoff: Backoff, metrics: Metrics, clock: Clock) -> None:
        self._backoff = backoff
        self._metrics = metrics
        self._clock = clock

    def failed(self, name: str, exc: Exception, writes: int = 0, errors: int = 0) -> TrackerReport:
        """The report of a tracker's part that `exc` ended after `writes` and `errors`."""
        if isinstance(exc, RateLimited):
            self._backoff.paused(name, exc.until, str(exc))
            self._metrics.paused(name, exc.until)
            log.warning("tracker paused", tracker=name, until=iso_utc(exc.until), reason=str(exc))
            message = f"rate limited: {exc}"
            return TrackerReport(name, CycleOutcome.PAUSED, writes, errors, message, exc.until)
        if isinstance(exc, TrackerError):
            message = str(exc)
        else:
            # A bug or odd data in one tracker must not stop the others; logged with its traceback.
            log.error("tracker cycle crashed", tracker=name, exc_info=exc)
            message = f"internal error: {type(exc).__name__}: {exc}"
        self._metrics.failed(name, error_kind(exc))
        delay = self._backoff.failed(name, self._clock(), message)
        log.error("tracker failed", tracker=name, error=message, retry_in_seconds=round(delay, 1))
        return TrackerReport(name, CycleOutcome.ERROR, writes, errors + 1, message)

    def synced(self, name: str, message: str, writes: int = 0, errors: int = 0) -> TrackerReport:
        """The report of a tracker's part that ended well; its backoff starts over."""
        self._backoff.succeeded(name)
        # Writes refused for good are counted as errors but do not fail the tracker's cycle:
        # one bad issue must not keep /healthz at 503 while the tracker itself works.
        return TrackerReport(name, CycleOutcome.OK, writes, errors, message)
