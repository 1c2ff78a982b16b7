"""`POST /webhooks/<tracker>`: signed deliveries checked, read and queued, never waited on.

The answers, in the order SPEC §7 checks them: 404 a tracker that is unknown or has no
`webhook_secret`; 405 another method; 413 a body over 5 MiB (waitress answers it before any
route: an oversized request to an unknown tracker gets 413 too); 401 a missing or wrong
signature; 400 a signed body that is not JSON or names no event; 200 a ping or a delivery id
taken before; 202 queued (or ignored: another event, another repository); 503 the queue full,
the poller will catch up. Each refusal is logged once with the remote address; the secret and
the signature never are. The handler reads no state file and calls no tracker: the daemon's
loop thread drains the inbox.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Callable

import structlog

from syncd.config.model import Config, TrackerConfig
from syncd.entrypoints.listener.routes import Answer, Request, Route
from syncd.entrypoints.listener.signatures import signed
from syncd.service_layer.hints import AnyFormat, Hint, Ignore, Malformed, Ping, Refresh
from syncd.service_layer.inbox import Inbox, Offered
from syncd.service_layer.metrics import Metrics
from syncd.service_layer.registry import kind_of

log = structlog.get_logger("syncd.webhooks")

PREFIX = "/webhooks/"
UNKNOWN = "(unknown)"  # the metrics' tracker label of a path naming no tracker: bounded labels
# A delivery id as GitHub (a GUID) and Jira (a number or UUID) send them; others are not kept.
_DELIVERY_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_ANSWERS = {Offered.QUEUED: (202, "queued"), Offered.DUPLICATE: (200, "duplicate delivery")}


def webhook_routes(config: Callable[[], Config], inbox: Inbox, metrics: Metrics) -> tuple[Route]:
    """The webhook route; `config()` is the config in use now (a reload changes secrets)."""
    return (Route(PREFIX, every=Webhooks(config, inbox, metrics)),)


class Webhooks:
    """The handler of every request under /webhooks/ (it runs on the listener's threads)."""

    def __init__(self, config: Callable[[], Config], inbox: Inbox, metrics: Metrics) -> None:
        self._config = config
        self._inbox = inbox
        self._metrics = metrics

    def __call__(self, request: Request) -> Answer:
        """The answer to one request, counted and, when refused, logged."""
        name = urllib.parse.unquote(request.path[len(PREFIX) :])
        read = self._read(request, name)
        if isinstance(read, Answer):
            return read
        form, hint = read
        if isinstance(hint, Malformed):
            return self._refused(request, name, 400, "malformed", reason=hint.reason)
        if isinstance(hint, Ping):
            return self._answered(name, 200, "ping", "pong")
        if isinstance(hint, Ignore):
            log.info("webhook ignored", tracker=name, webhook_event=hint.event, reason=hint.reason)
            return self._answered(name, 202, "ignored", f"ignored: {hint.reason}")
        return self._queue(request, name, form, hint)

    def _read(self, request: Request, name: str) -> tuple[AnyFormat, Hint] | Answer:
        """The delivery's hint once tracker, method, signature and JSON are checked."""
        found = self._tracker(name)
        if found is None:
            return self._refused(request, UNKNOWN, 404, "unknown_tracker", name=name[:100])
        tracker, form, secret = found
        if request.method != "POST":
            answer = self._refused(request, name, 405, "method", method=request.method[:20])
            return Answer(answer.status, answer.content_type, answer.body, (("Allow", "POST"),))
        if not signed(secret, request.body, request.headers.get(form.signature_header)):
            return self._refused(request, name, 401, "bad_signature")
        try:
            payload = json.loads(request.body)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return self._refused(request, name, 400, "malformed", reason="the body is not JSON")
        return form, form.read(tracker, request.headers, payload)

    def _queue(self, request: Request, name: str, form: AnyFormat, hint: Refresh) -> Answer:
        raw_id = request.headers.get(form.delivery_header, "").strip()
        delivery = raw_id if _DELIVERY_ID.fullmatch(raw_id) else None
        offered = self._inbox.offer(name, hint.key, hint.event, delivery)
        if offered is Offered.FULL:
            log.warning("webhook dropped: queue full", tracker=name, issue=hint.key)
            answer = self._answered(name, 503, offered.value, "queue full; the poller catches up")
            return Answer(503, answer.content_type, answer.body, (("Retry-After", "60"),))
        status, text = _ANSWERS[offered]
        event = "webhook queued" if offered is Offered.QUEUED else "webhook duplicate"
        log.info(event, tracker=name, issue=hint.key, webhook_event=hint.event, delivery=delivery)
        return self._answered(name, status, offered.value, text)

    def _tracker(self, name: str) -> tuple[TrackerConfig, AnyFormat, str] | None:
        """The tracker called `name` with a secret and a kind that takes webhooks, or None."""
        for tracker in self._config().trackers:
            secret = tracker.webhook_secret
            form = kind_of(tracker).webhook
            if tracker.name == name and secret is not None and form is not None:
                return tracker, form, secret.reveal()
        return None

    def _answered(self, tracker: str, status: int, result: str, text: str) -> Answer:
        self._metrics.delivered(tracker, result)
        return Answer.text(status, text + "\n")

    def _refused(
        self, request: Request, tracker: str, status: int, result: str, **why: str
    ) -> Answer:
        log.warning(
            "webhook refused", tracker=tracker, status=status, result=result,
            remote=request.remote, **why,
        )  # fmt: skip
        text = {404: "no webhooks for this tracker", 405: "use POST", 401: "bad signature"}
        return self._answered(tracker, status, result, text.get(status, why.get("reason", "bad")))
