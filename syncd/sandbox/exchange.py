"""One HTTP exchange as the sandbox sees it: the parsed request, the response, the route table."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode

JsonObject = dict[str, object]


class BadRequest(Exception):
    """The request body or parameters cannot be understood; the service answers 400."""


@dataclass(frozen=True)
class Request:
    """A request with the service's path prefix stripped; `origin` comes from the Host header."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    origin: str  # e.g. http://127.0.0.1:8765
    prefix: str  # e.g. /github/api/v3

    @property
    def base(self) -> str:
        """The URL every object link in a payload starts with."""
        return f"{self.origin}{self.prefix}"

    def param(self, name: str, default: str = "") -> str:
        """The first value of query parameter `name`, else `default`."""
        values = self.query.get(name)
        return values[0] if values else default

    def int_param(self, name: str, default: int) -> int:
        """Query parameter `name` as an integer; 400 when it is not one."""
        raw = self.param(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise BadRequest(f"{name} must be an integer, not {raw!r}") from None

    def json(self) -> object:
        """The body parsed as JSON (None when empty); 400 when it is not JSON."""
        if not self.body.strip():
            return None
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("Problems parsing JSON") from None

    def json_object(self) -> JsonObject:
        """The body as a JSON object; 400 for anything else."""
        payload = self.json()
        if payload is None:
            return {}
        if not isinstance(payload, dict):
            raise BadRequest("the body must be a JSON object")
        return payload

    def url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """An absolute URL under this service for `path`, with optional query parameters."""
        query = f"?{urlencode(params)}" if params else ""
        return f"{self.base}{path}{query}"


@dataclass
class Response:
    """What the handler answers; the server adds Content-Length."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(
    status: int, payload: object, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response with the content type the real services send."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    all_headers = {"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    return Response(status, body, all_headers)


Handler = Callable[[Request, Mapping[str, str]], Response]


@dataclass(frozen=True)
class Route:
    """One endpoint: `name` is what stats and faults refer to; `write` counts as a write."""

    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    write: bool = False


def route(name: str, method: str, template: str, handler: Handler, *, write: bool = False) -> Route:
    """A route from a template like `/repos/{owner}/{repo}`; each `{x}` matches
    one segment, `{x+}` the rest of the path."""
    regex = re.sub(r"\{(\w+)\+\}", r"(?P<\1>.+)", template)  # label names may hold slashes
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
    return Route(name, method, re.compile(f"^{regex}$"), handler, write)


def find_route(
    routes: tuple[Route, ...], method: str, path: str
) -> tuple[Route, dict[str, str]] | None:
    """The route for `method` and `path` with its decoded path parameters, or None."""
    for candidate in routes:
        if candidate.method != method:
            continue
        match = candidate.pattern.match(path)
        if match:
            return candidate, {k: unquote(v) for k, v in match.groupdict().items()}
    return None
