"""GitHub's primary budget as its answers report it (`X-RateLimit-Remaining`, `-Reset`).

Writes stop while no more than a small reserve is left, until the reset: syncd slows down
before GitHub refuses it, and the reserve keeps the reads of the next cycles possible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from syncd.adapters.github.translate import PRIMARY_WINDOW
from syncd.domain.timestamps import iso_utc
from syncd.errors import RateLimited
from syncd.service_layer.rate_limits import reset_time

RESERVE = 50  # requests left to reads when writes stop


@dataclass
class PrimaryBudget:
    """The last `remaining` and `reset` GitHub answered with (None before any answer).

    `reserve` None: never stop before GitHub does (`write_budget: none`, a local sandbox, whose
    headers count down but which never refuses).
    """

    remaining: int | None = None
    reset: datetime | None = None
    reserve: int | None = RESERVE

    def heard(self, headers: Mapping[str, str], now: datetime) -> None:
        """Note the budget an answer reports; an answer without the headers changes nothing."""
        text = str(headers.get("x-ratelimit-remaining", "")).strip()
        if not text.isdigit():
            return
        self.remaining = int(text)
        self.reset = reset_time(headers.get("x-ratelimit-reset"), now, longest=PRIMARY_WINDOW)

    def check_write(self, now: datetime, doing: str) -> None:
        """Raise RateLimited (nothing sent) while only the reserve is left before the reset."""
        if self.reserve is None or self.remaining is None or self.remaining > self.reserve:
            return
        if self.reset is None or self.reset <= now:
            return
        raise RateLimited(
            f"{doing}: GitHub's rate limit is down to {self.remaining} requests, kept for"
            f" reads; writes paused until {iso_utc(self.reset)}",
            self.reset,
        )
