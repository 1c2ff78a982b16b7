"""Requests to GitHub through PyGithub's requester: counted, and failures translated."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from github.Requester import Requester

from syncd.adapters.github.primary import PrimaryBudget
from syncd.adapters.github.translate import FAILURES, from_exception, from_status
from syncd.adapters.network import Redirected
from syncd.redaction import Redactor

NOT_MODIFIED = 304
UNAUTHORIZED = 401
# PyGithub refuses a 301 to another host or scheme with a RuntimeError that only its text
# explains; the host is read from it for the message alone, never to decide anything.
_PYGITHUB_REDIRECT = re.compile(r"redirected from (?:host|\S+ protocol) \S+ to ([^\s,]+)")


@dataclass
class Stats:
    """Request counters the service and the benchmarks read (since the adapter was built)."""

    requests: int = 0
    not_modified: int = 0
    writes: int = 0


@dataclass(frozen=True)
class Answer:
    """One successful (or 304) answer: status, lower-case headers and the decoded JSON."""

    status: int
    headers: Mapping[str, str]
    data: object


class Transport:
    """Sends one request at a time through PyGithub's requester; never retries (see README)."""

    def __init__(
        self,
        requester: Requester,
        clock: Callable[[], datetime],
        stats: Stats,
        secrets: Iterable[str] = (),
        *,
        auth: Authorizer | None = None,
        primary: PrimaryBudget | None = None,
    ) -> None:
        self._requester = requester
        self._auth = auth  # None: PyGithub's requester carries the token
        self._clock = clock
        self.stats = stats
        self.primary = primary or PrimaryBudget()
        # Error bodies end up in messages, logs and the state file; a proxy may echo the token.
        self._scrub = Redactor(secrets).scrub

    def get(
        self,
        url: str,
        doing: str,
        params: Mapping[str, str] | None = None,
        etag: str | None = None,
    ) -> Answer:
        """GET `url`; with `etag`, a 304 answer comes back as `Answer(304, ...)`."""
        headers = {"If-None-Match": etag} if etag else None
        answer = self._send("GET", url, doing, params=params, headers=headers, write=False)
        if answer.status == NOT_MODIFIED:
            self.stats.not_modified += 1
        return answer

    def write(self, verb: str, url: str, doing: str, body: object) -> object:
        """POST, DELETE or PATCH `url` with a JSON body; returns the decoded answer.

        Not sent (RateLimited) while GitHub's primary budget is down to its reserve.
        """
        self.primary.check_write(self._clock(), doing)
        self.stats.writes += 1
        return self._send(verb, url, doing, input=body, write=True).data

    def _send(
        self,
        verb: str,
        url: str,
        doing: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: dict[str, str] | None = None,
        input: object = None,
        write: bool,
    ) -> Answer:
        self.stats.requests += 1
        try:
            status, answer_headers, text = self._exchange(verb, url, params, headers, input)
            self.primary.heard(answer_headers, self._clock())
            if 300 <= status < 400 and status != NOT_MODIFIED:
                # Not followed: another host must not get the token, nor be read as GitHub.
                raise Redirected(_target(answer_headers.get("location")))
            if status >= 400:
                error = _lenient(self._scrub(text))
            else:
                data = _decode(text) if status != NOT_MODIFIED else None
        except RuntimeError as exc:
            found = _PYGITHUB_REDIRECT.search(str(exc))
            if found is None:
                raise  # not PyGithub's redirect refusal: a bug worth its traceback
            redirected = Redirected(found.group(1))
            raise from_exception(redirected, doing=doing, now=self._clock()) from exc
        except FAILURES as exc:
            raise from_exception(exc, doing=doing, now=self._clock(), write=write) from exc
        if status >= 400:
            now = self._clock()
            raise from_status(status, answer_headers, error, doing=doing, now=now, write=write)
        return Answer(status, answer_headers, data)

    def _exchange(
        self,
        verb: str,
        url: str,
        params: Mapping[str, str] | None,
        headers: dict[str, str] | None,
        input: object,
    ) -> tuple[int, dict[str, Any], str]:
        """One request; with an app's tokens, sent again once after a 401 with a new token
        (it expired early or was revoked), so a renewal costs at most one refused request."""
        for attempt in (1, 2):
            sent = {**(headers or {}), **(self._auth.header(url) if self._auth else {})}
            status, answer_headers, text = self._requester.requestJson(
                verb, url, parameters=dict(params or {}), headers=sent, input=input
            )
            if status != UNAUTHORIZED or self._auth is None or attempt == 2:
                break
            if not self._auth.renew(url):
                break
            self.stats.requests += 1
        return status, answer_headers, text


class Authorizer(Protocol):
    """Chooses the Authorization of each request (a GitHub App's installation tokens)."""

    def header(self, url: str) -> dict[str, str]:
        """The Authorization header to send `url` with."""
        ...

    def renew(self, url: str) -> bool:
        """Drop the credential `url` was refused with; True when a new one is worth a try."""
        ...


def _target(location: object) -> str:
    """The host a redirect points to (the location itself when it names none)."""
    if not isinstance(location, str) or not location:
        return "nowhere (no Location)"
    return urlsplit(location).hostname or location


def _decode(text: str) -> Any:
    """The JSON of an answer body; an empty body (204) is None; raises ValueError if not JSON."""
    if not text:
        return None
    return json.loads(text)


def _lenient(text: str) -> Any:
    """The JSON of an error body, or None: a 502 from a proxy is HTML, and that is no news."""
    try:
        return _decode(text)
    except ValueError:
        return None
