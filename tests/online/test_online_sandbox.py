"""`syncd check --online` end to end: the real adapters against the sandbox over 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.config.loader import load
from syncd.entrypoints.cli import main
from syncd.entrypoints.commands.online import run_checks
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from syncd.service_layer.checks import CheckRow, Outcome

pytestmark = pytest.mark.e2e

# The demo seed's people (syncd/data/demo-seed.yaml); carol cannot be assigned in acme/api or SUP.
CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh, jira: {{support: "5b10ac8d82e05b22cc7d4ef5", ops: alice}}}}
  bob:   {{github: bobby, jira: {{support: "5b10a2844c20165700ede21g", ops: bob}}}}
  carol: {{github: carol-c, jira: {{support: "62a9f0c1e4b0d2a7c3f1b9e8", ops: carol}}}}
  lead:  {{github: acme-lead, jira: {{support: "5d53f3cbc6b9320d9ea5bdc2", ops: lead}}}}
{extra_people}
rotation:
  timezone: America/Detroit
  start: 2026-11-02
  fallback: lead
  members: [{members}]
tiers:
  rules:
    - {{tier: fire, assign: rotation, when: {{labels_any: [outage]}}}}
  default: {{tier: triage, assign: none}}
estimates: {{limit: 2d}}
trackers:
  - name: web
    kind: github
    repos: [{repos}]
    base_url: {github_url}
    token: {github_token}
    team: lead
    write_interval: 0s
  - name: support
    kind: jira
    url: {cloud_url}
    email: demo@example.com
    token: sandbox-jira-cloud-token
    jql: {jql}
    team: lead
  - name: ops
    kind: jira
    url: {dc_url}
    token: sandbox-jira-dc-token
    jql: project = OPS AND labels = escalation
    estimate: {{field: {points}, days_per_point: 0.5}}
    team: lead
"""


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The demo seed on a free loopback port."""
    with Sandbox(demo_seed()) as running:
        yield running


def a_config_file(tmp_path: Path, sandbox: Sandbox, **changes: str) -> Path:
    """A config for the sandbox where everything is right, with `changes` made."""
    values = {
        "state": str(tmp_path / "state.db"),
        "members": "alice, bob",
        "repos": "acme/web, acme/api",
        "github_url": sandbox.github_url,
        "github_token": "sandbox-github-token",
        "cloud_url": sandbox.jira_cloud_url,
        "jql": "project = SUP AND labels = escalation",
        "dc_url": sandbox.jira_dc_url,
        "points": '"Story Points"',
        "extra_people": "",
    }
    values.update(changes)
    path = tmp_path / "syncd.yaml"
    path.write_text(CONFIG.format(**values), encoding="utf-8")
    return path


def checks_of(path: Path) -> list[CheckRow]:
    """The rows of the online check for the config at `path`."""
    return run_checks(load(path, {}))


def rows_with(rows: list[CheckRow], outcome: Outcome) -> list[tuple[str, str]]:
    """(tracker, check) of every row that ended with `outcome`."""
    return [(row.tracker, row.check) for row in rows if row.outcome is outcome]


def a_closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class TestOnlineCheckAgainstTheSandbox:
    """The whole online check over HTTP, through PyGithub and the jira library."""

    def test_a_good_setup_passes_every_check_and_exits_zero(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With valid tokens, existing repos, assignable people and valid JQL all rows pass."""
        path = a_config_file(tmp_path, sandbox)

        status = main(["check", "--online", "-c", str(path)])

        out = capsys.readouterr().out
        assert status == 0
        assert "0 warnings, 0 failed; syncd can run" in out
        assert "FAIL" not in out
        assert "web      repo acme/api" in out

    def test_the_good_setup_checks_every_repo_person_and_tracker(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """Each repo, each assignable person per repo, and each Jira tracker gets its rows."""
        rows = checks_of(a_config_file(tmp_path, sandbox))

        checks = {(row.tracker, row.check) for row in rows}
        assert rows_with(rows, Outcome.FAIL) == []
        assert rows_with(rows, Outcome.WARN) == []
        assert {
            ("web", "token"),
            ("web", "repo acme/web"),
            ("web", "acme/api: labels"),
            ("web", "acme/api: assign lead"),
            ("support", "JQL"),
            ("ops", "estimate field"),
            ("ops", "bob is assignable"),
        } <= checks

    def test_a_wrong_github_token_fails_the_token_row_and_exits_two(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A rejected token is one failed row; the Jira trackers are still checked."""
        path = a_config_file(tmp_path, sandbox, github_token="not-the-token")

        status = main(["check", "--online", "-c", str(path)])

        rows = checks_of(path)
        assert status == 2
        assert rows_with(rows, Outcome.FAIL) == [("web", "token")]
        assert ("support", "JQL") in rows_with(rows, Outcome.OK)
        assert "not-the-token" not in capsys.readouterr().out

    def test_a_missing_repo_fails_its_row_and_the_others_pass(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """A repo that does not exist is a failed row; the other repo is still checked."""
        rows = checks_of(a_config_file(tmp_path, sandbox, repos="acme/web, acme/gone"))

        assert rows_with(rows, Outcome.FAIL) == [("web", "repo acme/gone")]
        assert ("web", "acme/web: assign alice") in rows_with(rows, Outcome.OK)

    def test_an_unassignable_member_warns_but_does_not_block(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """carol cannot be assigned in acme/api nor SUP: warnings, and syncd can still run."""
        path = a_config_file(tmp_path, sandbox, members="alice, bob, carol")

        status = main(["check", "--online", "-c", str(path)])

        rows = checks_of(path)
        assert status == 0
        assert rows_with(rows, Outcome.WARN) == [
            ("web", "acme/api: assign carol"),
            ("support", "carol is assignable"),
        ]
        assert "2 warnings, 0 failed" in capsys.readouterr().out

    def test_a_bad_jql_fails_the_jql_row_and_exits_two(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """JQL the site rejects is a failed row of that tracker only."""
        path = a_config_file(tmp_path, sandbox, jql="project = SUP AND nosuchfield = 1")

        rows = checks_of(path)

        failed = rows_with(rows, Outcome.FAIL)
        assert [tracker for tracker, _ in failed] == ["support"]
        assert main(["check", "--online", "-c", str(path)]) == 2

    def test_a_missing_estimate_field_fails_the_connect_row(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """A story-points field the site does not have blocks that tracker."""
        rows = checks_of(a_config_file(tmp_path, sandbox, points='"Story Pointz"'))

        failed = [row for row in rows if row.outcome is Outcome.FAIL]
        assert [(row.tracker, row.check) for row in failed] == [("ops", "connect and credentials")]
        assert "Story Pointz" in failed[0].detail

    def test_an_unreachable_tracker_is_a_failed_row_not_a_traceback(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Nothing listening at the GitHub URL: one failed row, the Jira trackers pass."""
        dead = f"http://127.0.0.1:{a_closed_port()}/api/v3"
        path = a_config_file(tmp_path, sandbox, github_url=dead)

        status = main(["check", "--online", "-c", str(path)])

        rows = checks_of(path)
        assert status == 2
        assert rows_with(rows, Outcome.FAIL) == [("web", "reach GitHub")]
        assert "Traceback" not in capsys.readouterr().err

    def test_a_login_or_account_that_does_not_exist_fails_and_exits_two(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A mistyped member is no account in any tracker: a failed row each, exit 2."""
        ghost = '  ghost: {github: alice-gj, jira: {support: "5b10ac8d82e05b22cc7d4ef6", ops: x}}'
        path = a_config_file(tmp_path, sandbox, members="alice, bob, ghost", extra_people=ghost)

        status = main(["check", "--online", "-c", str(path)])

        rows = checks_of(path)
        assert status == 2
        assert rows_with(rows, Outcome.FAIL) == [
            ("web", "ghost exists"),
            ("support", "ghost exists"),
            ("ops", "ghost exists"),
        ]
        assert rows_with(rows, Outcome.WARN) == []
        out = capsys.readouterr().out
        assert "no GitHub user alice-gj (rotation member)" in out
        assert "no Jira account x: check people.ghost" in out
