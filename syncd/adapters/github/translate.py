"""GitHub answers and PyGithub/requests failures turned into syncd's own errors (no secrets)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

import requests
from github.GithubException import GithubException
from github.Requester import Requester

from syncd.adapters.network import failure_of
from syncd.domain.timestamps import iso_utc
from syncd.errors import (
    AuthFailed,
    NotFound,
    RateLimited,
    TrackerError,
    TrackerUnavailable,
    WriteRejected,
)
from syncd.service_layer.rate_limits import reset_time, retry_after

# GitHub's advice for a secondary rate limit that names no time: wait at least a minute.
SECONDARY_WAIT = timedelta(seconds=60)
PRIMARY_WINDOW = timedelta(hours=1)
# What the adapter catches around every request; anything else is a bug worth a traceback.
FAILURES = (GithubException, requests.RequestException, ValueError, AssertionError)


def from_status(
    status: int,
    headers: Mapping[str, object],
    data: object,
    *,
    doing: str,
    now: datetime,
    write: bool = False,
) -> TrackerError:
    """The syncd error for an HTTP error answer; `doing` says what was asked, for the message."""
    message = f"GitHub {doing}: HTTP {status}{_message_of(data)}"
    if status in (403, 429):
        until = rate_limit_until(status, headers, data, now)
        if until is not None:
            return RateLimited(f"{message}; paused until {iso_utc(until)}", until)
    if status in (401, 403):
        return AuthFailed(message)
    if status in (404, 410):  # 410: issues disabled on the repository, or the issue deleted
        return NotFound(message)
    if write and status in (400, 422):
        return WriteRejected(message)
    return TrackerUnavailable(message)


def from_exception(
    exc: BaseException, *, doing: str, now: datetime, write: bool = False
) -> TrackerError:
    """The syncd error for a failure PyGithub or requests raised; never quotes headers."""
    if isinstance(exc, GithubException):
        status = exc.status
        if not isinstance(status, int) or status < 400:
            return TrackerUnavailable(f"GitHub {doing}: unusable answer (HTTP {status})")
        headers = exc.headers if isinstance(exc.headers, Mapping) else {}
        return from_status(status, headers, exc.data, doing=doing, now=now, write=write)
    if isinstance(exc, requests.RequestException):
        return TrackerUnavailable(f"GitHub {doing}: {failure_of(exc)}")
    if isinstance(exc, ValueError):
        return TrackerUnavailable(f"GitHub {doing}: the answer is not valid JSON")
    # PyGithub asserts on URLs it refuses to follow (another host or port in a Link header)
    return TrackerUnavailable(f"GitHub {doing}: unexpected answer ({type(exc).__name__})")


def rate_limit_until(
    status: int, headers: Mapping[str, object], data: object, now: datetime
) -> datetime | None:
    """When a 403/429 answer says the limit lifts, or None when it is not a rate limit."""
    if headers.get("retry-after") is not None:
        # a Retry-After says "rate limit" even when its value cannot be read
        until = retry_after(headers["retry-after"], now, longest=PRIMARY_WINDOW)
        return until or now + SECONDARY_WAIT
    if str(headers.get("x-ratelimit-remaining", "")).strip() == "0":
        reset = reset_time(headers.get("x-ratelimit-reset"), now, longest=PRIMARY_WINDOW)
        return reset or now + SECONDARY_WAIT
    # A secondary limit may come as a bare 403: only its message tells it from a permission
    # problem, so we use PyGithub's own classification of that message as the last resort.
    if status == 429 or Requester.isRateLimitError(_raw_message(data)):
        return now + SECONDARY_WAIT
    return None


def _raw_message(data: object) -> str:
    message = data.get("message") if isinstance(data, Mapping) else None
    return message if isinstance(message, str) else ""


def _message_of(data: object) -> str:
    """`: <message>` from GitHub's error body (never headers, which carry the token)."""
    message = _raw_message(data)
    if not message:
        return ""
    return ": " + json.dumps(message[:200], ensure_ascii=False)[1:-1]
