"""Fixtures: a running sandbox and real PyGithub / jira clients pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from github import Auth, Github
from jira import JIRA

from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The demo seed served on a free port, with the clock frozen at NOW."""
    with Sandbox(demo_seed(), clock=lambda: NOW) as running:
        yield running


def github_client(sandbox: Sandbox, token: str = "sandbox-github-token") -> Github:
    """PyGithub with no retries and no throttling, as the style guide asks in tests."""
    return Github(
        auth=Auth.Token(token),
        base_url=sandbox.github_url,
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
        timeout=5,
    )


def jira_cloud(sandbox: Sandbox, token: str = "sandbox-jira-cloud-token") -> JIRA:
    """The jira client on the Cloud flavour."""
    return JIRA(
        server=sandbox.jira_cloud_url,
        basic_auth=("demo@example.com", token),
        max_retries=0,
        timeout=5,
    )


def jira_dc(sandbox: Sandbox) -> JIRA:
    """The jira client on the Data Center flavour (personal access token)."""
    return JIRA(
        server=sandbox.jira_dc_url, token_auth="sandbox-jira-dc-token", max_retries=0, timeout=5
    )
