"""The sandbox's own JSON API under `/_admin/`: state, stats, faults, reset, clock, edits."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from syncd.sandbox.exchange import BadRequest, Request, Response, Route, json_response, route
from syncd.sandbox.faults import Fault, Service, fault_from_json
from syncd.sandbox.slack import SlackHooks
from syncd.sandbox.snapshot import Snapshot
from syncd.sandbox.store import UnknownIssue
from syncd.sandbox.traffic import Stats
from syncd.sandbox.webhooks import Webhooks, targets_from_json


class Controls(Protocol):
    """What the admin API drives: the Sandbox object."""

    webhooks: Webhooks
    slack: SlackHooks

    def snapshot(self) -> Snapshot: ...
    def stats(self) -> Stats: ...
    def inject(self, fault: Fault) -> None: ...
    def clear_faults(self) -> None: ...
    def reset(self) -> None: ...
    def set_time(self, moment: datetime | None) -> None: ...
    def edit_issue(
        self,
        key: str,
        *,
        add_labels: tuple[str, ...] = (),
        remove_labels: tuple[str, ...] = (),
        assignees: tuple[str, ...] | None = None,
    ) -> None: ...


class AdminApi:
    """Routes of `/_admin/`; no authentication (the sandbox listens on loopback)."""

    service = Service.ADMIN

    def __init__(self, controls: Controls) -> None:
        c = controls
        self.controls = controls
        self.routes: tuple[Route, ...] = (
            route(
                "admin.state",
                "GET",
                "/state",
                lambda r, p: json_response(200, c.snapshot().as_json()),
            ),
            route(
                "admin.stats", "GET", "/stats", lambda r, p: json_response(200, c.stats().as_json())
            ),
            route("admin.faults", "POST", "/faults", self._inject),
            route("admin.faults.clear", "DELETE", "/faults", self._clear),
            route("admin.reset", "POST", "/reset", self._reset),
            route("admin.clock", "POST", "/clock", self._clock),
            route("admin.edit", "POST", "/edit", self._edit),
            route(
                "admin.webhooks",
                "GET",
                "/webhooks",
                lambda r, p: json_response(200, c.webhooks.report()),
            ),
            route("admin.webhooks.set", "PUT", "/webhooks", self._set_webhooks),
            route("admin.webhooks.off", "DELETE", "/webhooks", self._webhooks_off),
            route("admin.webhooks.drain", "POST", "/webhooks/drain", self._drain),
            route(
                "admin.slack",
                "GET",
                "/slack",
                lambda r, p: json_response(200, {"messages": c.slack.messages()}),
            ),
            route("admin.slack.clear", "DELETE", "/slack", self._clear_slack),
        )

    def handle(self, request: Request, target: Route, params: Mapping[str, str]) -> Response:
        """Answer; bad input is a 400 with a message."""
        try:
            return target.handler(request, params)
        except BadRequest as exc:
            return json_response(400, {"error": str(exc)})
        except UnknownIssue as exc:
            return json_response(404, {"error": f"no issue {exc.args[0]!r}"})

    def _clear(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.clear_faults()
        return json_response(200, {"ok": True})

    def _reset(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.reset()
        return json_response(200, {"ok": True})

    def _inject(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.inject(fault_from_json(request.json_object()))
        return json_response(201, {"ok": True})

    def _clock(self, request: Request, params: Mapping[str, str]) -> Response:
        raw = request.json_object().get("now")
        if raw is not None and not isinstance(raw, str):
            raise BadRequest("now must be an ISO 8601 time or null")
        try:
            moment = datetime.fromisoformat(raw) if raw else None
        except ValueError:
            raise BadRequest(f"not an ISO 8601 time: {raw!r}") from None
        if moment is not None and moment.tzinfo is None:
            raise BadRequest("now needs a UTC offset, e.g. 2026-11-26T10:00:00+00:00")
        self.controls.set_time(moment)
        return json_response(200, {"ok": True})

    def _edit(self, request: Request, params: Mapping[str, str]) -> Response:
        body = request.json_object()
        key = body.get("key")
        if not isinstance(key, str):
            raise BadRequest("key is required, e.g. acme/web#3 or SUP-1")
        assignees = body.get("assignees")
        self.controls.edit_issue(
            key,
            add_labels=_texts(body.get("add_labels", [])),
            remove_labels=_texts(body.get("remove_labels", [])),
            assignees=None if assignees is None else _texts(assignees),
        )
        return json_response(200, {"ok": True})

    def _clear_slack(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.slack.clear()
        return json_response(200, {"ok": True})

    def _set_webhooks(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.webhooks.configure(targets_from_json(request.json_object()))
        return json_response(200, {"ok": True})

    def _webhooks_off(self, request: Request, params: Mapping[str, str]) -> Response:
        self.controls.webhooks.configure({})
        return json_response(200, {"ok": True})

    def _drain(self, request: Request, params: Mapping[str, str]) -> Response:
        """Wait (at most `timeout` seconds, default 10) until every queued delivery is posted."""
        timeout = request.json_object().get("timeout", 10)
        if not isinstance(timeout, (int, float)) or not 0 <= timeout <= 60:
            raise BadRequest("timeout must be a number of seconds from 0 to 60")
        drained = self.controls.webhooks.drain(float(timeout))
        return json_response(200, {"drained": drained, **self.controls.webhooks.deliverer.counts()})


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise BadRequest("labels and assignees must be arrays of strings")
    return tuple(str(item) for item in value)
