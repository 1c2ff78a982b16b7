"""When a tracker's rate-limit headers say to try again: `Retry-After` and reset times."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from syncd.domain.issue import utc_time


def retry_after(value: object, now: datetime, *, longest: timedelta) -> datetime | None:
    """`Retry-After` (RFC 9110: delay-seconds or an HTTP date) as a moment in [now, now+longest].

    None when the header is absent or unreadable (negative, not finite, not a date): the caller
    knows what its tracker means by a limit that names no time.
    """
    if value is None:
        return None
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        return _bounded(http_date(text), now, longest)
    if not math.isfinite(seconds) or seconds < 0:
        return None
    return now + min(timedelta(seconds=seconds), longest)


def reset_time(value: object, now: datetime, *, longest: timedelta) -> datetime | None:
    """A reset header (epoch seconds, or Jira Cloud's ISO 8601 time) within [now, now+longest].

    A reset further out is clock skew or junk. None when absent or unreadable.
    """
    if value is None:
        return None
    text = str(value).strip()
    try:
        moment: datetime | None = datetime.fromtimestamp(float(text), UTC)
    except (ValueError, OverflowError, OSError):
        moment = _iso(text)
    return _bounded(moment, now, longest)


def http_date(text: str | None) -> datetime | None:
    """An HTTP date (`Retry-After`, `Date`) as aware UTC; None when absent or unreadable."""
    if not text:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(text: str) -> datetime | None:
    if len(text) > 40:
        return None
    try:
        return utc_time(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _bounded(moment: datetime | None, now: datetime, longest: timedelta) -> datetime | None:
    if moment is None:
        return None
    return min(max(moment, now), now + longest)
