"""Webhook deliveries settled on the daemon's loop thread: each named issue re-read once.

Deliveries naming the same issue are settled together (syncd's own writes come back as a burst
of `labeled`/`assigned` events: one read answers them all). Each delivery's id is remembered in
the state file once it is settled, and its time from accepted to settled observed; an id taken
but not settled (a stop, a crash) is not remembered, so the tracker's redelivery is taken then.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from syncd.service_layer.inbox import Delivery, Inbox
from syncd.service_layer.metrics import Metrics
from syncd.service_layer.service import Service


class DeliveryLedger(Protocol):
    """Where settled delivery ids are kept (the state file's `deliveries` table)."""

    def remember(self, tracker: str, delivery: str, at: datetime) -> None:
        """Record that `delivery` of `tracker` was taken at `at`."""
        ...


class Reactions:
    """Takes what the inbox holds and settles it with the service in use."""

    def __init__(
        self,
        inbox: Inbox,
        ledger: DeliveryLedger,
        metrics: Metrics,
        clock: Callable[[], datetime],
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._inbox = inbox
        self._ledger = ledger
        self._metrics = metrics
        self._clock = clock
        self._monotonic = monotonic

    def react(self, service: Service, stop_requested: Callable[[], bool]) -> int:
        """Settle every queued delivery until a stop; how many issues were re-read."""
        issues: dict[tuple[str, str], list[Delivery]] = {}
        for delivery in self._inbox.take():
            issues.setdefault((delivery.tracker, delivery.key), []).append(delivery)
        for (tracker, key), deliveries in issues.items():
            if stop_requested():
                break  # the rest is left to redeliveries and the poll
            service.refresh(tracker, key)
            now, settled = self._clock(), self._monotonic()
            for delivery in deliveries:
                if delivery.id is not None:
                    self._ledger.remember(tracker, delivery.id, now)
                self._metrics.reacted(tracker, settled - delivery.accepted)
        return len(issues)
