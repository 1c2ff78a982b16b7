"""Webhook settings and the delivery record through the admin interface, /_admin/webhooks."""

from __future__ import annotations

import pytest
import requests

from syncd.sandbox.server import Sandbox
from tests.sandbox.receiver import Receiver

SECRET = "admin-set-secret"


def _admin(sandbox: Sandbox, method: str, path: str, body: object = None) -> requests.Response:
    return requests.request(method, f"{sandbox.url}/_admin{path}", json=body, timeout=5)


class TestAdminWebhooks:
    """PUT sets the targets, GET reports deliveries, DELETE turns them off, drain waits."""

    def test_targets_set_over_http_deliver_and_are_reported(self, sandbox: Sandbox) -> None:
        """After PUT, an admin edit is delivered; GET lists it with its status, no secret."""
        with Receiver() as receiver:
            target = {"url": receiver.url, "secret": SECRET}
            put = _admin(sandbox, "PUT", "/webhooks", {"github": target, "jira-cloud": None})
            _admin(sandbox, "POST", "/edit", {"key": "acme/web#101", "add_labels": ["x"]})
            drained = _admin(sandbox, "POST", "/webhooks/drain", {"timeout": 5}).json()

            report = _admin(sandbox, "GET", "/webhooks")

        assert put.status_code == 200 and drained["drained"] is True
        body = report.json()
        assert body["targets"] == {"github": receiver.url}
        assert (body["sent"], body["failed"], body["pending"]) == (1, 0, 0)
        [line] = body["deliveries"]
        assert (line["side"], line["event"], line["action"], line["status"]) == (
            "github",
            "issues",
            "labeled",
            202,
        )
        assert line["time"] == "2026-11-26T15:00:00+00:00"
        assert SECRET not in report.text

    def test_delete_turns_deliveries_off(self, sandbox: Sandbox) -> None:
        """After DELETE /_admin/webhooks, an edit sends nothing."""
        with Receiver() as receiver:
            target = {"url": receiver.url, "secret": SECRET}
            _admin(sandbox, "PUT", "/webhooks", {"jira-dc": target})

            _admin(sandbox, "DELETE", "/webhooks")
            _admin(sandbox, "POST", "/edit", {"key": "OPS-1", "add_labels": ["x"]})
            _admin(sandbox, "POST", "/webhooks/drain", {"timeout": 5})

        assert receiver.received == []
        assert _admin(sandbox, "GET", "/webhooks").json()["targets"] == {}

    @pytest.mark.parametrize(
        "body",
        [
            {"gitlab": {"url": "http://127.0.0.1:1/", "secret": "s"}},
            {"github": {"url": "ftp://127.0.0.1/", "secret": "s"}},
            {"github": {"url": "http://127.0.0.1:1/"}},
            {"github": "http://127.0.0.1:1/"},
        ],
    )
    def test_bad_settings_are_a_400(self, sandbox: Sandbox, body: dict[str, object]) -> None:
        """Unknown side, a URL that is not http(s), no secret, not an object: 400 with a message."""
        answer = _admin(sandbox, "PUT", "/webhooks", body)

        assert answer.status_code == 400 and answer.json()["error"]
        assert sandbox.webhooks.targets() == {}
