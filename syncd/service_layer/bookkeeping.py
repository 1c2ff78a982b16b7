"""A listing's bookkeeping once its issues are settled: reconciliation, watermark, ETags."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.service_layer.applied import Applied
from syncd.service_layer.reconciling import Reconciling
from syncd.service_layer.tracker import Fetch


class Bookkeeping:
    """What a cycle keeps of its fetch, and only once what the fetch found is applied."""

    def __init__(
        self,
        config: Config,
        store: Store,
        reconciling: Reconciling,
        stop_requested: Callable[[], bool],
    ) -> None:
        self._config = config
        self._store = store
        self._reconciling = reconciling
        self._stop_requested = stop_requested

    def listed(
        self,
        name: str,
        fetch: Fetch,
        applied: Applied,
        *,
        since: datetime | None,
        watermark: datetime | None,
        now: datetime,
    ) -> None:
        """Record the reconciliation, advance the watermark and keep the ETags, as far as the
        apply allows: an unapplied write must be fetched again by the next cycle (and a kept
        ETag would have that fetch answered 304)."""
        if since is None and (applied.complete or self._only_refused(name, applied)):
            # Writes refused for good wait for the next due reconciliation, not for every start.
            self._reconciling.recorded(name, now)
        if not applied.complete:
            return
        if fetch.watermark is not None and (watermark is None or fetch.watermark > watermark):
            self._store.set_watermark(name, fetch.watermark)
        etags = self._store.etags(name)
        for url, etag in fetch.etags:
            etags.remember_etag(url, etag)
        if since is None:
            self._reconciling.finished(name)

    def _only_refused(self, name: str, applied: Applied) -> bool:
        """Whether writes refused for good, not a stop or the write cap, left the apply short."""
        cap = self._config.tracker(name).max_writes_per_cycle
        return applied.errors > 0 and not self._stop_requested() and applied.writes < cap
