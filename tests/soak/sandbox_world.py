"""The demo config pointed at a running sandbox, with chosen credentials: for soak and secrets."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from syncd.sandbox.seed import Seed
from syncd.sandbox.seed_yaml import demo_seed

DEMO_CONFIG = Path(__file__).parents[2] / "config" / "demo.yaml"
DEMO_PORT_URL = "http://127.0.0.1:8765"


@dataclasses.dataclass(frozen=True)
class Credentials:
    """What the sandbox accepts and syncd sends, per tracker."""

    github_token: str = "sandbox-github-token"
    jira_email: str = "demo@example.com"
    jira_cloud_token: str = "sandbox-jira-cloud-token"
    jira_dc_token: str = "sandbox-jira-dc-token"

    def environment(self) -> dict[str, str]:
        """The variables the config written by `demo_config` reads."""
        return {
            "SOAK_GITHUB_TOKEN": self.github_token,
            "SOAK_JIRA_EMAIL": self.jira_email,
            "SOAK_JIRA_TOKEN": self.jira_cloud_token,
            "SOAK_JIRA_DC_TOKEN": self.jira_dc_token,
        }


def seed_accepting(credentials: Credentials) -> Seed:
    """The demo seed, with the sandbox accepting `credentials`."""
    seed = demo_seed()
    return dataclasses.replace(
        seed,
        github=dataclasses.replace(seed.github, token=credentials.github_token),
        jira_cloud=dataclasses.replace(
            seed.jira_cloud, token=credentials.jira_cloud_token, email=credentials.jira_email
        ),
        jira_dc=dataclasses.replace(seed.jira_dc, token=credentials.jira_dc_token),
    )


def demo_config(sandbox_url: str, state: Path, *, poll_interval: str = "10s") -> str:
    """config/demo.yaml against `sandbox_url`, state at `state`, credentials from ${SOAK_*}."""
    text = DEMO_CONFIG.read_text(encoding="utf-8").replace(DEMO_PORT_URL, sandbox_url)
    replacements = {
        "state_path: var/demo.db": f"state_path: {state}",
        "poll_interval: 10s": f"poll_interval: {poll_interval}",
        "token: sandbox-github-token": "token: ${SOAK_GITHUB_TOKEN}",
        "email: demo@example.com": "email: ${SOAK_JIRA_EMAIL}",
        "token: sandbox-jira-cloud-token": "token: ${SOAK_JIRA_TOKEN}",
        "token: sandbox-jira-dc-token": "token: ${SOAK_JIRA_DC_TOKEN}",
    }
    for old, new in replacements.items():
        if text.count(old) != 1:
            raise AssertionError(f"config/demo.yaml changed: {old!r} is not there once")
        text = text.replace(old, new)
    return text
