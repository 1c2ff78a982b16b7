"""Signed deliveries as GitHub and Jira send them, and a handler over an in-memory inbox."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field

from syncd.config.model import Config, Secret
from syncd.entrypoints.listener import Answer, Request, Routes
from syncd.entrypoints.listener.webhooks import webhook_routes
from syncd.service_layer.inbox import Inbox
from syncd.service_layer.metrics import NullMetrics
from tests.builders import a_config, a_github_tracker, a_jira_tracker

GITHUB_SECRET = "gh-webhook-secret-1234"
JIRA_SECRET = "jira-webhook-secret-5678"
REMOTE = "203.0.113.7"


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex>` as both trackers send it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def github_issue_event(
    number: int = 12, repo: str = "acme/web", action: str = "labeled", **issue: object
) -> dict[str, object]:
    """An `issues` payload, trimmed to what matters, shaped as GitHub's docs show it."""
    return {
        "action": action,
        "issue": {"number": number, "title": "Checkout is down", "state": "open", **issue},
        "repository": {"id": 1296269, "name": repo.split("/")[1], "full_name": repo},
        "sender": {"login": "octocat", "id": 1, "type": "User"},
    }


def jira_issue_event(key: str = "SUP-7", event: str = "jira:issue_updated") -> dict[str, object]:
    """A `jira:issue_*` payload, trimmed, shaped as Atlassian's docs show it."""
    return {
        "timestamp": 1_772_441_000_000,
        "webhookEvent": event,
        "issue_event_type_name": "issue_updated",
        "user": {"accountId": "5b10a2844c20165700ede21g", "displayName": "Mia"},
        "issue": {"id": "10002", "key": key, "fields": {"summary": "Login fails"}},
        "changelog": {"id": "10400", "items": []},
    }


def github_request(
    payload: object,
    *,
    event: str | None = "issues",
    delivery: str | None = "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    secret: str = GITHUB_SECRET,
    body: bytes | None = None,
    method: str = "POST",
    tracker: str = "web",
) -> Request:
    """A GitHub delivery to /webhooks/<tracker>, signed with `secret`."""
    raw = json.dumps(payload).encode() if body is None else body
    headers = {"content-type": "application/json", "x-hub-signature-256": signature(secret, raw)}
    if event is not None:
        headers["x-github-event"] = event
    if delivery is not None:
        headers["x-github-delivery"] = delivery
    return Request(method, f"/webhooks/{tracker}", "", headers, raw, REMOTE)


def jira_request(
    payload: object,
    *,
    delivery: str = "83a6fa64-4bd8-4a2c-9a1e-5b3d8e0f2c11",
    secret: str = JIRA_SECRET,
) -> Request:
    """A Jira delivery to /webhooks/support, signed with `secret`."""
    raw = json.dumps(payload).encode()
    headers = {
        "content-type": "application/json",
        "x-hub-signature": signature(secret, raw),
        "x-atlassian-webhook-identifier": delivery,
    }
    return Request("POST", "/webhooks/support", "", headers, raw, REMOTE)


def webhook_config() -> Config:
    """The SPEC's trackers, both with a webhook secret, and a third one without."""
    return a_config(
        trackers=(
            a_github_tracker(webhook_secret=Secret(GITHUB_SECRET, "${GITHUB_WEBHOOK_SECRET}")),
            a_jira_tracker(webhook_secret=Secret(JIRA_SECRET, "${JIRA_WEBHOOK_SECRET}")),
            a_github_tracker("mobile", repos=("acme/ios",)),
        )
    )


class CountingMetrics(NullMetrics):
    """Metrics that keep the deliveries' results and reaction times."""

    def __init__(self) -> None:
        self.results: list[tuple[str, str]] = []
        self.reactions: list[tuple[str, float]] = []

    def delivered(self, tracker: str, result: str) -> None:
        """Keep one result."""
        self.results.append((tracker, result))

    def reacted(self, tracker: str, seconds: float) -> None:
        """Keep one reaction time."""
        self.reactions.append((tracker, seconds))


@dataclass
class Endpoint:
    """The webhook routes over an inbox, answering requests without a socket."""

    config: Config = field(default_factory=webhook_config)
    inbox: Inbox = field(default_factory=Inbox)
    metrics: CountingMetrics = field(default_factory=CountingMetrics)

    def answer(self, request: Request) -> Answer:
        """The listener's answer to `request`."""
        return Routes(webhook_routes(lambda: self.config, self.inbox, self.metrics)).answer(request)
