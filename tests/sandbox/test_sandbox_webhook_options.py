"""`syncd sandbox --webhook-github URL ...`: targets from the options, the secret from the
environment only."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys

import pytest
import requests

from syncd.entrypoints.cli import build_parser
from syncd.entrypoints.commands.sandbox import webhook_targets
from syncd.errors import UsageError
from syncd.sandbox.deliveries import Target
from tests.sandbox.receiver import Receiver
from tests.sandbox.test_sandbox_command import _MAIN, _first_line, _free_port

ENVIRONMENT = {"SANDBOX_WEBHOOK_SECRET": "from-the-environment"}


class TestWebhookOptions:
    """The options name URLs; the one secret comes from $SANDBOX_WEBHOOK_SECRET."""

    def test_each_option_is_a_target_signed_with_the_environment_secret(self) -> None:
        """--webhook-github and --webhook-jira-dc become targets; jira_cloud stays off."""
        args = build_parser().parse_args(
            [
                "sandbox",
                "--webhook-github",
                "http://127.0.0.1:9100/webhooks/github",
                "--webhook-jira-dc",
                "http://127.0.0.1:9100/webhooks/dc",
            ]
        )

        targets = webhook_targets(args, ENVIRONMENT)

        assert targets == {
            "github": Target("http://127.0.0.1:9100/webhooks/github", "from-the-environment"),
            "jira_dc": Target("http://127.0.0.1:9100/webhooks/dc", "from-the-environment"),
        }

    def test_no_option_is_no_target(self) -> None:
        """Without options nothing is delivered, secret or not."""
        args = build_parser().parse_args(["sandbox"])

        assert webhook_targets(args, ENVIRONMENT) == {}

    def test_a_url_without_the_secret_is_a_usage_error_naming_the_variable(self) -> None:
        """A URL and no $SANDBOX_WEBHOOK_SECRET: exit 2 telling where the secret goes."""
        args = build_parser().parse_args(["sandbox", "--webhook-github", "http://127.0.0.1:1/"])

        with pytest.raises(UsageError, match="SANDBOX_WEBHOOK_SECRET"):
            webhook_targets(args, {})

    def test_a_url_that_is_not_http_is_a_usage_error(self) -> None:
        """--webhook-jira-cloud 127.0.0.1:9100 (no scheme) is refused."""
        args = build_parser().parse_args(["sandbox", "--webhook-jira-cloud", "127.0.0.1:9100"])

        with pytest.raises(UsageError, match="http://"):
            webhook_targets(args, ENVIRONMENT)

    def test_the_help_names_the_variable_not_a_secret_option(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--help says where the secret comes from; there is no --webhook-secret."""
        with pytest.raises(SystemExit):
            build_parser().parse_args(["sandbox", "--help"])

        text = capsys.readouterr().out
        assert "SANDBOX_WEBHOOK_SECRET" in text and "--webhook-secret" not in text


@pytest.mark.e2e
def test_the_command_delivers_signed_webhooks_to_the_url_given() -> None:
    """`syncd sandbox --webhook-github URL` with the secret in the environment: an admin edit
    arrives at URL signed with that secret."""
    port = _free_port()
    environment = {**os.environ, **ENVIRONMENT}
    with Receiver() as receiver:
        url = f"{receiver.url}/webhooks/github"
        process = subprocess.Popen(
            [sys.executable, "-c", _MAIN, "sandbox", "--port", str(port), "--webhook-github", url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        try:
            _first_line(process)
            admin = f"http://127.0.0.1:{port}/_admin"
            edit = {"key": "acme/web#101", "add_labels": ["tier/fire"]}
            requests.post(f"{admin}/edit", json=edit, timeout=5)
            requests.post(f"{admin}/webhooks/drain", json={"timeout": 5}, timeout=10)
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=10)

    [delivery] = receiver.received
    expected = hmac.new(b"from-the-environment", delivery.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(delivery.headers["X-Hub-Signature-256"], f"sha256={expected}")
    assert "from-the-environment" not in stderr
