"""Slack incoming webhooks in the sandbox: `POST /_slack/<anything>` keeps the message.

It answers as Slack does: 200 `ok` (text) for a JSON object with `text` or `blocks`, 400
`invalid_payload` for a body that is not one, 400 `no_text` for one with neither. The messages
are kept in order; the admin API lists them (`GET /_admin/slack`) and forgets them.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from syncd.sandbox.exchange import Request, Response, Route, route
from syncd.sandbox.faults import Service

JsonObject = dict[str, object]
MAX_KEPT = 1000  # a demo runs for minutes; a runaway sender must not fill the memory


class SlackHooks:
    """Every incoming-webhook URL under the prefix; the path after it names the hook."""

    service = Service.SLACK

    def __init__(self, now: Callable[[], datetime]) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._messages: list[JsonObject] = []
        self.routes: tuple[Route, ...] = (route("slack.post", "POST", "/{hook+}", self._post),)

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response:
        """Answer as Slack's incoming webhook does."""
        return target.handler(request, params)

    def messages(self) -> list[JsonObject]:
        """The messages accepted so far, oldest first: hook, time (UTC ISO) and the body."""
        with self._lock:
            return list(self._messages)

    def clear(self) -> None:
        """Forget every message."""
        with self._lock:
            self._messages.clear()

    def _post(self, request: Request, params: Mapping[str, str]) -> Response:
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return _text(400, "invalid_payload")
        if not isinstance(body, dict):
            return _text(400, "invalid_payload")
        if not body.get("text") and not body.get("blocks"):
            return _text(400, "no_text")
        message: JsonObject = {
            "hook": params["hook"],
            "at": self._now().isoformat(),
            "message": body,
        }
        with self._lock:
            self._messages.append(message)
            del self._messages[:-MAX_KEPT]
        return _text(200, "ok")


def _text(status: int, word: str) -> Response:
    return Response(status, word.encode(), {"Content-Type": "text/html"})
