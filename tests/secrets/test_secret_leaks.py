"""`syncd run --once` through auth failures, echoed headers and dropped connections leaks no
credential to stdout, stderr, the state file or `syncd status`; its files are private."""

from __future__ import annotations

import base64
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.server import Sandbox
from tests.soak.sandbox_world import Credentials, demo_config, seed_accepting

SECRETS = Credentials(
    github_token="ghp_SOAKSECRET_123456",
    jira_email="soak.secret.user@example.com",
    jira_cloud_token="JIRASOAKSECRET_987654",
    jira_dc_token="JIRADCSOAKSECRET_24680",
)
# Accepted by nobody: the sandbox answers 401 to it, quoting nothing.
WRONG_CLOUD_TOKEN = "JIRAWRONGSECRET_135790"
RUN_TIMEOUT = 60


def _needles(credentials: Credentials, *extra: str) -> dict[str, bytes]:
    """Every form in which a credential could leak: raw, Basic header, Bearer header."""
    basic = f"{credentials.jira_email}:{credentials.jira_cloud_token}".encode()
    wrong = f"{credentials.jira_email}:{WRONG_CLOUD_TOKEN}".encode()
    found = {
        "github token": credentials.github_token,
        "jira cloud token": credentials.jira_cloud_token,
        "jira dc token": credentials.jira_dc_token,
        "jira email:token base64": base64.b64encode(basic).decode(),
        "wrong token": WRONG_CLOUD_TOKEN,
        "wrong email:token base64": base64.b64encode(wrong).decode(),
    }
    found.update({f"extra {i}": value for i, value in enumerate(extra)})
    return {name: value.encode() for name, value in found.items()}


@dataclass
class Run:
    """One finished `syncd run --once` and where its files are."""

    status: int
    stdout: bytes
    stderr: bytes
    state_dir: Path


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The demo seed accepting SECRETS, on a free loopback port."""
    with Sandbox(seed_accepting(SECRETS)) as running:
        yield running


def _run(sandbox: Sandbox, tmp: Path, env: dict[str, str], *args: str) -> Run:
    state_dir = tmp / "state"
    config = tmp / "syncd.yaml"
    config.write_text(demo_config(sandbox.url, state_dir / "syncd.db"))
    done = subprocess.run(
        [sys.executable, "-m", "syncd", *args, "-c", str(config)],
        env={**os.environ, **env},
        capture_output=True,
        timeout=RUN_TIMEOUT,
        umask=0o022,  # a permissive umask: syncd must make its files private by itself
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, state_dir)


def _leaks(blob: bytes, needles: dict[str, bytes]) -> list[str]:
    return [name for name, needle in needles.items() if needle in blob]


def _state_bytes(state_dir: Path) -> bytes:
    """Every byte of every file syncd left: the database, its -wal and -shm, the lock."""
    return b"".join(path.read_bytes() for path in sorted(state_dir.rglob("*")) if path.is_file())


@pytest.mark.e2e
class TestSecretsStayHidden:
    """Tokens, emails and their Basic encoding appear in no output and no file."""

    def test_echoed_headers_auth_failure_and_a_dropped_connection_leak_nothing(
        self, sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """GitHub 500s quoting Authorization, Jira Cloud 401 (wrong token), Jira DC dropped."""
        sandbox.inject(
            Fault(FaultKind.STATUS, route="github.issues.list", status=500, echo_headers=True)
        )
        sandbox.inject(Fault(FaultKind.DROP, route="jira.dc.serverInfo", count=5))
        env = {**SECRETS.environment(), "SOAK_JIRA_TOKEN": WRONG_CLOUD_TOKEN}

        run = _run(sandbox, tmp_path, env, "run", "--once")

        assert run.status == 1, run.stderr.decode()
        assert sandbox.stats().faults >= 2
        needles = _needles(SECRETS)
        assert _leaks(run.stdout + run.stderr, needles) == []
        assert _leaks(_state_bytes(run.state_dir), needles) == []
        assert b"HTTP 500" in run.stdout and b"HTTP 401" in run.stdout

    def test_failed_writes_whose_errors_echo_headers_leak_nothing(
        self, sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """Writes fail with 500s quoting the request headers; the audit and cycles stay clean."""
        for route in (
            "github.issue.labels.add",
            "github.issue.comments.create",
            "jira.cloud.issue.edit",
            "jira.cloud.issue.comment",
            "jira.dc.issue.edit",
        ):
            sandbox.inject(
                Fault(FaultKind.STATUS, route=route, status=500, echo_headers=True, count=2)
            )

        run = _run(sandbox, tmp_path, SECRETS.environment(), "run", "--once")

        # A failed write ends that tracker's cycle: one fault per tracker is reached at least.
        assert sandbox.stats().faults >= 3
        needles = _needles(SECRETS)
        assert _leaks(run.stdout + run.stderr, needles) == []
        assert _leaks(_state_bytes(run.state_dir), needles) == []
        assert run.status == 1

    def test_syncd_status_shows_no_credential(self, sandbox: Sandbox, tmp_path: Path) -> None:
        """After a failing run, `syncd status` (and --json) quotes no credential."""
        sandbox.inject(
            Fault(FaultKind.STATUS, route="github.issues.list", status=500, echo_headers=True)
        )
        _run(sandbox, tmp_path, SECRETS.environment(), "run", "--once")

        status = _run(sandbox, tmp_path, SECRETS.environment(), "status")
        as_json = _run(sandbox, tmp_path, SECRETS.environment(), "status", "--json")

        needles = _needles(SECRETS)
        for run in (status, as_json):
            assert _leaks(run.stdout + run.stderr, needles) == []


@pytest.mark.e2e
class TestStateFilesArePrivate:
    """Everything syncd creates next to its state is readable by its owner only."""

    def test_state_lock_wal_and_shm_are_not_world_readable_under_umask_022(
        self, sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """With umask 022 the database, -wal, -shm, lock file and state directory are private."""
        run = _run(sandbox, tmp_path, SECRETS.environment(), "run", "--once")

        created = [run.state_dir, *sorted(run.state_dir.rglob("*"))]
        names = {path.name for path in created}
        assert run.status == 0, run.stdout.decode()[-2000:]
        assert {"syncd.db", "syncd.db.lock"} <= names
        loose = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in created}
        assert {name: mode for name, mode in loose.items() if int(mode, 8) & 0o077} == {}
