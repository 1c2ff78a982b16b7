"""What the listener serves, as WSGI: requests routed by path to handlers that return answers.

A handler sees a `Request` (method, path, query, headers, the raw body) and returns an `Answer`;
it never touches WSGI. HEAD is answered as GET without the body; an unknown path is 404 and a
method the path does not take is 405 naming the ones it does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import structlog

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

log = structlog.get_logger("syncd.http")

_TEXT = "text/plain; charset=utf-8"
_REASONS = {
    200: "OK",
    202: "Accepted",
    303: "See Other",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Request:
    """One request as a handler sees it; header names are lower case."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes
    remote: str


@dataclass(frozen=True)
class Answer:
    """What a handler answers: status, content type, body and any other headers."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def text(cls, status: int, text: str) -> Answer:
        """A plain-text answer."""
        return cls(status, _TEXT, text.encode())


Handler = Callable[[Request], Answer]


@dataclass(frozen=True)
class Route:
    """A path and the handler of each method it takes (HEAD comes with GET).

    A route whose path ends with `/` and that has an `every` handler takes every path under it
    and every method: the handler answers 404 and 405 itself (webhooks check the tracker named
    in the path before the method).
    """

    path: str
    methods: Mapping[str, Handler] = field(default_factory=dict)
    every: Handler | None = None


class Routes:
    """The WSGI application: each request to the route of its path, or 404/405."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self._routes: dict[str, Route] = {}
        self._trees: dict[str, Handler] = {}
        for route in routes:
            if route.every is not None and route.path.endswith("/"):
                self._trees[route.path] = route.every
            else:
                self._routes[route.path] = route

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> list[bytes]:
        """Answer one request (waitress calls this on one of its worker threads)."""
        request = _request_of(environ)
        answer = self.answer(request)
        headers = [
            ("Content-Type", answer.content_type),
            ("Content-Length", str(len(answer.body))),
            *answer.headers,
        ]
        start_response(f"{answer.status} {_REASONS.get(answer.status, '')}".rstrip(), headers)
        return [] if request.method == "HEAD" else [answer.body]

    def answer(self, request: Request) -> Answer:
        """The answer to `request`: its route's handler's, or 404, 405, or 500 when it failed."""
        handler = self._handler(request)
        if isinstance(handler, Answer):
            return handler
        try:
            return handler(request)
        except Exception:  # one failing page must not take the listener down
            log.exception("http handler failed", path=request.path, remote=request.remote)
            return Answer.text(500, "internal error; see the daemon's log\n")

    def _handler(self, request: Request) -> Handler | Answer:
        """The handler of the request's path and method, or the 404 or 405 answer."""
        route = self._routes.get(request.path)
        if route is None:
            tree = next((p for p in self._trees if request.path.startswith(p)), None)
            if tree is not None:
                return self._trees[tree]
            known = " or ".join(sorted([*self._routes, *(f"{p}..." for p in self._trees)]))
            return Answer.text(404, f"not found: try {known}\n")
        method = "GET" if request.method == "HEAD" else request.method
        handler = route.methods.get(method)
        if handler is None:
            allowed = _allowed(route)
            return Answer(
                405, _TEXT, f"{request.method} not allowed here\n".encode(), (("Allow", allowed),)
            )
        return handler


def _allowed(route: Route) -> str:
    methods = set(route.methods)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def _request_of(environ: WSGIEnvironment) -> Request:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = str(environ["CONTENT_TYPE"])
    length = int(environ.get("CONTENT_LENGTH") or 0)
    # waitress has already refused a body over the cap (413) and buffered the rest.
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    return Request(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        path=str(environ.get("PATH_INFO", "/")) or "/",
        query=str(environ.get("QUERY_STRING", "")),
        headers=headers,
        body=body,
        remote=str(environ.get("REMOTE_ADDR", "")),
    )
