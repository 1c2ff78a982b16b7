"""Webhook deliveries: a bounded queue drained by one thread that POSTs each one, never retried.

GitHub does not redeliver a failed delivery on its own (a person may press "Redeliver"), so a
refused connection, a timeout or a non-2xx answer is counted, logged and forgotten here too.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from syncd.sandbox.exchange import JsonObject

_log = logging.getLogger(__name__)

CAPACITY = 1000  # deliveries waiting; more are dropped (counted), as a slow receiver loses events
TIMEOUT = 5.0  # seconds to connect, and to wait for each read of the answer
_KEPT = 10_000  # records kept for the admin report; the counters keep counting past it


class Side(StrEnum):
    """A tracker of the sandbox that sends webhooks (the admin snapshot's names)."""

    GITHUB = "github"
    JIRA_CLOUD = "jira-cloud"
    JIRA_DC = "jira-dc"


@dataclass(frozen=True)
class Target:
    """Where one side's deliveries go and the secret they are signed with."""

    url: str
    secret: str = field(repr=False)


@dataclass(frozen=True)
class Event:
    """A webhook to send, before it is signed: the event name, its action and the payload."""

    name: str  # X-GitHub-Event or webhookEvent: `issues`, `jira:issue_updated`, ...
    action: str  # GitHub's `action`, Jira's `issue_event_type_name`
    payload: JsonObject


@dataclass(frozen=True)
class Outgoing:
    """One signed delivery waiting to be posted."""

    side: Side
    event: str  # X-GitHub-Event or webhookEvent: `issues`, `jira:issue_updated`, ...
    action: str  # GitHub's `action`, Jira's `issue_event_type_name`
    delivery: str  # X-GitHub-Delivery or X-Atlassian-Webhook-Identifier
    url: str
    body: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True)
class Delivery:
    """A delivery posted: when (sandbox clock), what, and the receiver's status (None: no
    answer at all, the connection was refused, reset or timed out)."""

    time: datetime
    side: Side
    event: str
    action: str
    delivery: str
    status: int | None

    @property
    def ok(self) -> bool:
        """The receiver answered 2xx."""
        return self.status is not None and 200 <= self.status < 300

    def as_json(self) -> JsonObject:
        """The admin report's line."""
        return {
            "time": self.time.isoformat(),
            "side": self.side.value,
            "event": self.event,
            "action": self.action,
            "delivery": self.delivery,
            "status": self.status,
        }


class Deliverer:
    """Posts deliveries in the order they were queued, from one daemon thread started by the
    first delivery; `queue` never blocks the caller."""

    def __init__(
        self, clock: Callable[[], datetime], capacity: int = CAPACITY, timeout: float = TIMEOUT
    ) -> None:
        self._clock, self._capacity, self._timeout = clock, capacity, timeout
        self._pending: deque[Outgoing] = deque()
        self._records: deque[Delivery] = deque(maxlen=_KEPT)
        self._busy = 0  # queued or being posted
        self._failed = self._dropped = self._sent = 0
        self._closing = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def queue(self, outgoing: Outgoing) -> bool:
        """Queue a delivery; False (and counted as dropped) when the queue is full."""
        with self._changed:
            if len(self._pending) >= self._capacity or self._closing:
                self._dropped += 1
                _log.warning("webhook queue full: %s %s dropped", outgoing.side, outgoing.event)
                return False
            self._pending.append(outgoing)
            self._busy += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sandbox-webhooks", daemon=True
                )
                self._thread.start()
            self._changed.notify_all()
            return True

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until every queued delivery has been posted; False if `timeout` ran out first."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout)

    def records(self) -> list[Delivery]:
        """Deliveries posted so far, oldest first (the last 10,000)."""
        with self._changed:
            return list(self._records)

    def counts(self) -> dict[str, int]:
        """Posted, failed (no 2xx answer), dropped (queue full) and still pending."""
        with self._changed:
            return {
                "sent": self._sent,
                "failed": self._failed,
                "dropped": self._dropped,
                "pending": self._busy,
            }

    def close(self) -> None:
        """Stop the thread; deliveries still queued are not posted."""
        with self._changed:
            self._closing = True
            self._busy -= len(self._pending)
            self._pending.clear()
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            # A post blocked on a silent receiver ends at its own timeout; the thread is a
            # daemon, so stopping the sandbox need not wait for it.
            thread.join(1.0)

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._pending) or self._closing)
                if self._closing:
                    return
                outgoing = self._pending.popleft()
            status = self._post(outgoing)
            record = Delivery(
                self._clock(),
                outgoing.side,
                outgoing.event,
                outgoing.action,
                outgoing.delivery,
                status,
            )
            with self._changed:
                self._records.append(record)
                self._sent += 1
                if not record.ok:
                    self._failed += 1
                    _log.warning(
                        "webhook %s %s (%s) to %s failed: %s",
                        outgoing.side,
                        outgoing.event,
                        outgoing.delivery,
                        outgoing.url,
                        "no answer" if status is None else f"HTTP {status}",
                    )
                self._busy -= 1
                self._changed.notify_all()

    def _post(self, outgoing: Outgoing) -> int | None:
        """The receiver's status code, or None when it never answered."""
        parts = urlsplit(outgoing.url)
        # http.client rather than urllib: no proxy from the environment, no redirects followed.
        kind = HTTPSConnection if parts.scheme == "https" else HTTPConnection
        connection = kind(parts.hostname or "127.0.0.1", parts.port, timeout=self._timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request("POST", path, outgoing.body, dict(outgoing.headers))
            answer = connection.getresponse()
            answer.read()
            return answer.status
        except (OSError, HTTPException):
            return None
        finally:
            connection.close()
