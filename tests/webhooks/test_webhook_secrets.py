"""Webhook secrets are credentials: masked in every log line like tokens."""

from __future__ import annotations

from syncd.service_layer import registry
from tests.webhooks.deliveries import GITHUB_SECRET, JIRA_SECRET, webhook_config


def test_webhook_secrets_are_handed_to_the_log_redactor() -> None:
    """The redactor's list holds each tracker's webhook secret next to its token."""
    secrets = registry.secret_values(webhook_config())
    assert GITHUB_SECRET in secrets
    assert JIRA_SECRET in secrets
