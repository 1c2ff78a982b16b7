"""GitHub's secondary limits on content creation, enforced by the sandbox on its own clock.

Off by default. When on (Sandbox.enforce_secondary_limits), a GitHub POST, PATCH, PUT or DELETE
beyond `per_minute` in any minute or `per_hour` in any hour is answered as GitHub answers it:
403, `Retry-After` (seconds until the oldest write leaves its window) and the secondary-limit
message. A refused write creates nothing and is not counted against the windows.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from syncd.sandbox.exchange import Response, json_response

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)
_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    " If you reach out to GitHub Support for help, please include the request ID SANDBOX."
)


class SecondaryLimits:
    """Sliding windows of accepted GitHub writes; counts the writes refused."""

    def __init__(self, per_minute: int = 80, per_hour: int = 500) -> None:
        self.windows = ((per_minute, timedelta(minutes=1)), (per_hour, timedelta(hours=1)))
        self._times: deque[datetime] = deque(maxlen=max(per_minute, per_hour))
        self._lock = threading.Lock()
        self.refused = 0

    def admit(self, method: str, now: datetime) -> Response | None:
        """None when the request may go on (and a write is counted); else the 403 to answer."""
        if method not in WRITE_METHODS:
            return None
        with self._lock:
            free_at = now
            for limit, window in self.windows:
                if len(self._times) >= limit:
                    free_at = max(free_at, self._times[-limit] + window)
            if free_at <= now:
                self._times.append(now)
                return None
            self.refused += 1
        wait = math.ceil((free_at - now).total_seconds())
        body = {"message": _MESSAGE, "documentation_url": _DOCS, "status": "403"}
        return json_response(403, body, {"Retry-After": str(wait)})
