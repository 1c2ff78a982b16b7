"""Turns `jira` and `requests` failures into syncd's errors, with messages that leak nothing.

`str(JIRAError)` carries the request and response headers and bodies, which can hold the
credentials; messages here are built only from the status code and Jira's `errorMessages`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta

import requests
from jira.exceptions import JIRAError

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
from syncd.redaction import Redactor
from syncd.service_layer.rate_limits import reset_time, retry_after

# When Jira says "slow down" without saying for how long.
DEFAULT_PAUSE = timedelta(seconds=60)
# Anything further out is a clock skew or junk: pause a day at most, then ask again.
LONGEST_PAUSE = timedelta(days=1)
_MAX_MESSAGE = 300

BadRequest = Callable[[str], TrackerError]


def jira_problems(response: object) -> tuple[str, ...]:
    """Jira's `errorMessages` and `errors` values from an error answer, short and as text."""
    if not isinstance(response, requests.Response):
        return ()
    try:
        body = response.json()
    except ValueError:
        return ()
    if not isinstance(body, Mapping):
        return ()
    found: list[object] = []
    messages, errors = body.get("errorMessages"), body.get("errors")
    if isinstance(messages, list):
        found.extend(messages)
    if isinstance(errors, Mapping):
        found.extend(errors.values())
    scrub = Redactor(sent_credentials(response)).scrub
    return tuple(scrub(m)[:_MAX_MESSAGE] for m in found if isinstance(m, str) and m)


def sent_credentials(response: requests.Response) -> tuple[str, ...]:
    """The credentials the request carried (a proxy may echo them back in an error body).

    From the Authorization header: a Bearer token, or the Basic pair with its email and token.
    """
    request = response.request
    header = request.headers.get("Authorization") if request is not None else None
    if not isinstance(header, str) or " " not in header:
        return ()
    scheme, _, value = header.partition(" ")
    if scheme.casefold() != "basic":
        return (value,)
    try:
        pair = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return (value,)
    email, _, token = pair.partition(":")
    return (value, pair, email, token)


def error_fields(response: object) -> frozenset[str]:
    """The field names of Jira's `errors` object (e.g. `assignee`): structure, not text."""
    if not isinstance(response, requests.Response):
        return frozenset()
    try:
        body = response.json()
    except ValueError:
        return frozenset()
    errors = body.get("errors") if isinstance(body, Mapping) else None
    return frozenset(str(k) for k in errors) if isinstance(errors, Mapping) else frozenset()


def pause_until(headers: Mapping[str, str], now: datetime) -> datetime:
    """When to try again: `Retry-After`, else `X-RateLimit-Reset`, else a default pause."""
    until = retry_after(headers.get("Retry-After"), now, longest=LONGEST_PAUSE)
    until = until or reset_time(headers.get("X-RateLimit-Reset"), now, longest=LONGEST_PAUSE)
    return until or now + DEFAULT_PAUSE


def _status_error(
    exc: JIRAError, where: str, now: datetime, bad_request: BadRequest | None
) -> TrackerError:
    status = exc.status_code
    response = exc.response
    problems = "; ".join(jira_problems(response))
    message = f"{where}: HTTP {status}" + (f": {problems}" if problems else "")
    headers = response.headers if isinstance(response, requests.Response) else {}
    if status == 429 or (status == 503 and "Retry-After" in headers):
        until = pause_until(headers, now)
        return RateLimited(f"{message} (paused until {iso_utc(until)})", until)
    if status in (401, 403):
        return AuthFailed(message)
    if status == 404:
        return NotFound(message)
    if status is None or status >= 500:
        return TrackerUnavailable(message)
    if status == 400 and bad_request is not None:
        return bad_request(problems or "no reason given")
    return WriteRejected(message)


def translate(
    exc: BaseException, where: str, now: datetime, bad_request: BadRequest | None = None
) -> TrackerError:
    """The syncd error for a failure of the request described by `where` (no secrets in it)."""
    if isinstance(exc, JIRAError):
        return _status_error(exc, where, now, bad_request)
    if isinstance(exc, ValueError):  # requests' JSONDecodeError is one, and a RequestException
        return TrackerUnavailable(f"{where}: Jira's answer is not valid JSON")
    if isinstance(exc, requests.RequestException):
        # Never requests' own text: it names the whole URL and can carry user info.
        return TrackerUnavailable(f"{where}: {failure_of(exc)}")
    return TrackerUnavailable(f"{where}: unexpected failure ({type(exc).__name__})")


@contextmanager
def translated(
    where: str, clock: Callable[[], datetime], bad_request: BadRequest | None = None
) -> Iterator[None]:
    """Run a block of Jira calls; re-raise any failure as a TrackerError `from` the original."""
    try:
        yield
    except TrackerError:
        raise
    except (JIRAError, requests.RequestException, ValueError) as exc:
        raise translate(exc, where, clock(), bad_request) from exc


# Keys of Jira's `errors` object that blame the user rather than the issue.
_ASSIGNEE_FIELDS = frozenset({"assignee", "accountId", "name", "username"})


def assignee_refused(exc: JIRAError) -> bool:
    """Whether an assignee PUT failed because of the user: any 400, or a 404 naming the user."""
    if exc.status_code == 400:
        return True
    return exc.status_code == 404 and bool(error_fields(exc.response) & _ASSIGNEE_FIELDS)
