"""The sandbox's Slack incoming webhook: it answers like Slack, keeps each message, and its
admin API lists them; syncd's notifier delivers a handoff to it over HTTP."""

from __future__ import annotations

from pathlib import Path

import requests

from syncd.adapters.notify.poster import WebhookPoster
from syncd.adapters.state import Store
from syncd.config.model import Secret
from syncd.domain.rotation import Roster
from syncd.errors import NotifyRefused
from syncd.sandbox.server import Sandbox
from syncd.service_layer.notifier import SLACK, Notifier
from tests.notify.notify_world import MONDAY_11, notify_config


def poster(sandbox: Sandbox) -> WebhookPoster:
    """syncd's poster aimed at the sandbox's hook."""
    return WebhookPoster(SLACK, Secret(sandbox.slack_url, "${SLACK_WEBHOOK_URL}"), timeout=5.0)


class TestSandboxSlack:
    def test_a_message_is_answered_ok_and_listed_by_the_admin_api(self, sandbox: Sandbox) -> None:
        """200 `ok`; GET /_admin/slack shows the hook's path, the time and the body."""
        poster(sandbox).send('{"text": "hello"}')

        listed = requests.get(f"{sandbox.url}/_admin/slack", timeout=5).json()["messages"]

        assert [m["message"] for m in listed] == [{"text": "hello"}]
        assert listed[0]["hook"] == "services/T0SANDBOX/B0SANDBOX/sandbox"

    def test_a_bad_body_is_refused_as_slack_refuses_it(self, sandbox: Sandbox) -> None:
        """Not JSON: 400 invalid_payload; JSON without text or blocks: 400 no_text."""
        for body, word in (("{not json", "invalid_payload"), ("{}", "no_text")):
            try:
                poster(sandbox).send(body)
            except NotifyRefused as exc:
                assert str(exc) == f"slack: HTTP 400 {word}"
            else:
                raise AssertionError("the sandbox accepted a bad message")
        assert sandbox.slack.messages() == []

    def test_the_admin_api_forgets_the_messages(self, sandbox: Sandbox) -> None:
        """DELETE /_admin/slack empties the list."""
        poster(sandbox).send('{"text": "hello"}')

        requests.delete(f"{sandbox.url}/_admin/slack", timeout=5)

        assert sandbox.slack.messages() == []

    def test_the_notifier_delivers_a_handoff_to_the_sandbox(
        self, sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """The first cycle's 'on shift now' arrives as Block Kit with its text fallback."""
        config = notify_config(standup=False)
        with Store.open(tmp_path / "syncd.db") as store:
            Notifier(config, store, {SLACK: poster(sandbox)}).tick(
                MONDAY_11, Roster(config.rotation, store.journal)
            )

        [kept] = sandbox.slack.messages()
        message = kept["message"]
        assert isinstance(message, dict)
        assert message["text"].startswith("On shift now: <@U024BE7LH> is on shift until")
        assert message["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "On shift now"},
        }
