"""Fault injection: latency, error statuses, rate limits and dropped connections, on request.

`drop` closes the connection before the request is handled (nothing happened); `drop_after`
handles it, then closes the connection without an answer: the write landed but the client
never hears of it, as when a proxy or the network fails on the way back.
"""

from __future__ import annotations

import enum
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from syncd.sandbox.exchange import BadRequest, JsonObject, Response, json_response

T = TypeVar("T")


class FaultKind(enum.Enum):
    """What a fault does to the requests it matches."""

    LATENCY = "latency"
    STATUS = "status"
    RATELIMIT = "ratelimit"
    DROP = "drop"
    DROP_AFTER = "drop_after"


class Service(enum.Enum):
    """Which API a request went to; rate limits and error bodies differ."""

    GITHUB = "github"
    JIRA = "jira"
    ADMIN = "admin"
    SLACK = "slack"


@dataclass(frozen=True)
class Fault:
    """Affects the next `count` requests matching `route` (a route name) or `path` (a regex).

    For GitHub, `ratelimit` is the primary limit (403, X-RateLimit-Remaining: 0) unless
    `retry_after` is set, which makes it the secondary limit (`status` 403 or 429).
    `echo_headers` makes a `status` fault quote the request headers in its body, as some broken
    proxies do: a test that syncd never repeats what a server echoes of its credentials.
    """

    kind: FaultKind
    route: str | None = None
    path: str | None = None
    method: str | None = None
    status: int | None = None
    retry_after: int | None = None
    latency_ms: int = 0
    count: int = 1
    echo_headers: bool = False

    def matches(self, route_name: str, method: str, path: str) -> bool:
        """Whether this fault applies to one request."""
        if self.method and self.method.upper() != method:
            return False
        if self.route and self.route != route_name:
            return False
        return not (self.path and not re.search(self.path, path))


_FIELDS = {
    *("kind", "route", "path", "method", "status", "retry_after", "latency_ms", "count"),
    "echo_headers",
}


def fault_from_json(payload: JsonObject) -> Fault:
    """A Fault from the admin API's JSON body; BadRequest names what is wrong."""
    unknown = sorted(set(payload) - _FIELDS)
    if unknown:
        raise BadRequest(f"unknown fault field {unknown[0]!r}")
    try:
        kind = FaultKind(payload.get("kind"))
    except ValueError:
        kinds = ", ".join(kind.value for kind in FaultKind)
        raise BadRequest(f"kind must be one of {kinds}") from None
    fault = Fault(
        kind,
        _optional(payload, "route", str),
        _optional(payload, "path", str),
        _optional(payload, "method", str),
        _optional(payload, "status", int),
        _optional(payload, "retry_after", int),
        _optional(payload, "latency_ms", int) or 0,
        _count(payload),
        _optional(payload, "echo_headers", bool) or False,
    )
    return check_fault(fault)


def _count(payload: JsonObject) -> int:
    """`count` defaults to 1 when absent; an explicit 0 stays 0 so check_fault refuses it."""
    count = _optional(payload, "count", int)
    return 1 if count is None else count


def check_fault(fault: Fault) -> Fault:
    """`fault` when it makes sense, else BadRequest."""
    if fault.path is not None:
        try:
            re.compile(fault.path)
        except re.error as exc:
            raise BadRequest(f"path is not a valid regex: {exc}") from None
    if fault.kind is FaultKind.STATUS and not (fault.status and 400 <= fault.status <= 599):
        raise BadRequest("a status fault needs a status between 400 and 599")
    if fault.count < 1:
        raise BadRequest("count must be at least 1")
    return fault


def _optional(payload: JsonObject, name: str, kind: type[T]) -> T | None:
    value = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise BadRequest(f"{name} must be a {kind.__name__}")
    return value


class FaultBook:
    """The active faults; each expires after affecting `count` requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Activate `fault`."""
        with self._lock:
            self._faults.append(check_fault(fault))

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def take(self, route_name: str, method: str, path: str) -> Fault | None:
        """The first fault matching this request, used up by one."""
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.matches(route_name, method, path):
                    if fault.count > 1:
                        self._faults[index] = replace(fault, count=fault.count - 1)
                    else:
                        del self._faults[index]
                    return fault
        return None


_STATUS_BODIES = {
    500: "Internal Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def fault_response(
    fault: Fault, service: Service, now: datetime, headers: Mapping[str, str] | None = None
) -> Response:
    """The answer a STATUS or RATELIMIT fault gives, in the service's own shapes.

    `now` is the sandbox clock (rate-limit resets count from it). With `echo_headers`, the
    request `headers` are quoted in the error message.
    """
    if fault.kind is FaultKind.RATELIMIT:
        return _rate_limited(fault, service, now)
    status = fault.status or 500
    if fault.echo_headers:
        # Credentials first: a client that trims long messages must not be saved by the trim.
        shown = sorted((headers or {}).items(), key=lambda item: item[0] != "authorization")
        echoed = "; ".join(f"{name}: {value}" for name, value in shown)
        text = f"{_STATUS_BODIES.get(status, 'Error')} (request headers: {echoed})"
        body = {"errorMessages": [text], "errors": {}} if service is Service.JIRA else {}
        return json_response(status, body or {"message": text})
    if service is Service.JIRA:
        return json_response(
            status, {"errorMessages": [_STATUS_BODIES.get(status, "Error")], "errors": {}}
        )
    if status >= 500:
        # GitHub's load balancers answer 5xx with an HTML-free JSON message like this one.
        return json_response(status, {"message": _STATUS_BODIES.get(status, "Server Error")})
    return json_response(status, {"message": "Injected failure", "documentation_url": _DOCS})


_DOCS = "https://docs.github.com/rest"
_LIMIT_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)


def _rate_limited(fault: Fault, service: Service, now: datetime) -> Response:
    reset = int(now.timestamp()) + (fault.retry_after or 60)
    if service is Service.JIRA:
        headers = {"Retry-After": str(fault.retry_after or 5), "X-RateLimit-Reset": _iso(reset)}
        return json_response(
            429, {"errorMessages": ["Rate limit exceeded."], "errors": {}}, headers
        )
    if fault.retry_after is None:
        headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Used": "5000",
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Resource": "core",
        }
        message = "API rate limit exceeded for user ID 1000."
        body = {"message": message, "documentation_url": _DOCS, "status": "403"}
        return json_response(403, body, headers)
    status = fault.status or 403
    body = {
        "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
        "try again.",
        "documentation_url": _LIMIT_DOCS,
        "status": str(status),
    }
    return json_response(status, body, {"Retry-After": str(fault.retry_after)})


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime(epoch))
