"""Sending the outbox: each pending message due is POSTed once; the outcome is recorded.

A 2xx marks a message sent (never sent again); a network error, 5xx or 429 leaves it pending
for a later cycle (not before the receiver's Retry-After); a refusal (400, 403, 404), or a
message past its `relevant_until`, is dropped with a log line. When one send to a destination
fails, the others to it wait for the next cycle: they would fail alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Protocol

import structlog

from syncd.adapters.state.outbox import Message, OutboxTable
from syncd.errors import NotifyFailed, NotifyRefused

log = structlog.get_logger("syncd.notify")

# Waits after a failed send, doubled each attempt up to the cap (unless the receiver says more).
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(minutes=30)


class Poster(Protocol):
    """Sends one JSON body to one destination (syncd.adapters.notify.poster.WebhookPoster)."""

    def send(self, payload: str) -> None:
        """Deliver `payload`; NotifyFailed to try again later, NotifyRefused for good."""


class Delivery:
    """Sends what the outbox holds to the posters by destination name."""

    def __init__(
        self,
        outbox: OutboxTable,
        posters: Mapping[str, Poster],
        stop_requested: Callable[[], bool] = lambda: False,
    ) -> None:
        self._outbox = outbox
        self._posters = posters
        self._stop_requested = stop_requested

    def send_due(self, now: datetime) -> int:
        """Send every pending message due at `now`; how many were sent."""
        failed: set[str] = set()
        sent = 0
        for message in self._outbox.due(now):
            if self._stop_requested():
                break
            if message.destination not in failed:
                sent += self._send(message, now, failed)
        return sent

    def _send(self, message: Message, now: datetime, failed: set[str]) -> int:
        poster = self._posters.get(message.destination)
        if now >= message.relevant_until or poster is None:
            why = "no longer relevant" if poster is not None else "destination not configured"
            log.warning("message dropped", id=message.id, reason=why, attempts=message.attempts)
            self._outbox.dropped(message.id, now)
            return 0
        try:
            poster.send(message.payload)
        except NotifyFailed as exc:
            failed.add(message.destination)
            wait = _backoff(message.attempts, exc.retry_after)
            log.warning(
                "message not sent; retrying",
                id=message.id,
                error=str(exc),
                after=wait.total_seconds(),
            )
            self._outbox.retry(message.id, now + wait)
            return 0
        except NotifyRefused as exc:
            log.error("message refused; dropped", id=message.id, error=str(exc))
            self._outbox.dropped(message.id, now)
            return 0
        self._outbox.sent(message.id, now)
        log.info("message sent", id=message.id)
        return 1


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    doubled = min(FIRST_RETRY * (1 << min(attempts, 10)), LONGEST_RETRY)
    asked = timedelta(seconds=retry_after) if retry_after is not None else timedelta(0)
    return max(doubled, asked)
