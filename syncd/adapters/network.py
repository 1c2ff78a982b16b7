"""What went wrong on the way to a tracker, in a few words: the host and the cause.

requests wraps the real failure (a DNS error, a refused connection, a TLS alert) in layers of
urllib3 errors; the words here come from the types in that chain, never from their text, which
names URLs and can carry credentials.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions


class Redirected(requests.RequestException):
    """A tracker answered with a redirect to another host; syncd does not follow it there.

    Following would send the credentials (or, with them stripped, read a stranger's answer).
    """

    def __init__(self, target: str) -> None:
        super().__init__(f"redirected to {target}")
        self.target = target


def failure_of(exc: BaseException) -> str:
    """`<host>: <cause>` for a failed request, e.g. `jira.example.com: connection refused`."""
    host = _host(exc)
    return f"{host}: {cause_of(exc)}" if host else cause_of(exc)


def cause_of(exc: BaseException) -> str:
    """The short cause of a failed request: name not found, connection refused, ..."""
    chain = list(_chain(exc))
    if any(isinstance(e, Redirected) for e in chain):
        return str(next(e for e in chain if isinstance(e, Redirected)))
    for kinds, words in _CAUSES:
        if any(isinstance(e, kinds) for e in chain):
            return words
    return f"network error ({type(exc).__name__})"


# The first match wins, so the most precise causes come first.
_CAUSES: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((urllib3.exceptions.NameResolutionError, socket.gaierror), "name not found"),
    (ssl.SSLCertVerificationError, "TLS certificate refused"),
    ((ssl.SSLError, requests.exceptions.SSLError), "TLS handshake failed"),
    (requests.ConnectTimeout, "timed out connecting"),
    ((requests.ReadTimeout, requests.Timeout, TimeoutError), "timed out waiting for an answer"),
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset"),
    (requests.TooManyRedirects, "too many redirects"),
    (requests.ConnectionError, "cannot connect"),
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what is behind it: causes, contexts, and the errors urllib3 keeps as `reason`."""
    todo, seen = [exc], set[int]()
    while todo:
        current = todo.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        behind = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        behind += list(current.args)
        todo += [e for e in behind if isinstance(e, BaseException)]


def _host(exc: BaseException) -> str | None:
    """The host the failed request was for, when the exception knows it."""
    request = getattr(exc, "request", None)
    url = getattr(request, "url", None)
    if isinstance(url, str):
        return urlsplit(url).hostname
    for current in _chain(exc):
        pool = getattr(current, "pool", None)
        host = getattr(pool, "host", None)
        if isinstance(host, str):
            return host
    return None
