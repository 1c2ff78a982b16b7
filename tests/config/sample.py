"""A small valid configuration and ways to load variations of it in tests."""

from __future__ import annotations

import json
import textwrap

from syncd.config.loader import loads
from syncd.config.model import Config
from syncd.errors import ConfigError

FILENAME = "syncd.yaml"
ENV = {"GITHUB_TOKEN": "ghp-secret-value-123", "JIRA_TOKEN": "jira-secret-value-456"}

# Line numbers matter: tests refer to them.
VALID = """\
people:
  alice: {github: alice-gh, jira: alice}
  bob: {github: bobby, jira: bob}
rotation:
  timezone: America/Detroit
  start: 2026-11-02
  members: [alice, bob]
tiers:
  rules:
    - tier: fire
      assign: rotation
      when: {labels_any: [outage]}
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    token: ${GITHUB_TOKEN}
    team: alice
"""


def load_text(text: str, env: dict[str, str] | None = None, **kwargs: bool) -> Config:
    """Load YAML text (dedented) as `syncd.yaml`."""
    return loads(textwrap.dedent(text), FILENAME, ENV if env is None else env, **kwargs)


def problems_of(text: str, env: dict[str, str] | None = None) -> list[str]:
    """Every problem the loader reports for `text`, as printed; fails when it loads."""
    try:
        load_text(text, env)
    except ConfigError as exc:
        return [str(problem) for problem in exc.problems]
    raise AssertionError("the configuration loaded, but a ConfigError was expected")


def with_rule_when(when: object) -> str:
    """VALID with the first rule's `when` replaced (JSON is YAML, so any shape fits one line)."""
    return VALID.replace("when: {labels_any: [outage]}", f"when: {json.dumps(when)}")


def replacing(old: str, new: str, text: str = VALID) -> str:
    """`text` with one exact fragment replaced; fails loudly if the fragment is not there."""
    assert old in text, old
    return text.replace(old, new, 1)
