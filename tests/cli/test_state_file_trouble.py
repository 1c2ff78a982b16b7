"""A state file that cannot be used: one line naming it and what to do, exit 1, no traceback."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from syncd.clock import fixed
from syncd.entrypoints.cli import main
from tests.status.test_status_command import NOW, fill_state

# Trackers on a closed local port: whatever happens, no request leaves this machine.
CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh, jira: alice}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  start: 2026-11-02
  members: [alice]
tiers:
  rules:
    - tier: fire
      assign: rotation
      when: {{labels_any: [outage]}}
  default: {{tier: triage, assign: none}}
trackers:
  - name: web
    kind: github
    base_url: http://127.0.0.1:9
    repos: [acme/web]
    token: not-a-secret
    team: alice
  - name: support
    kind: jira
    url: http://127.0.0.1:9
    email: ops@example.com
    token: not-a-secret
    team: alice
    jql: project = SUP
"""


def a_config(tmp_path: Path, state: Path) -> Path:
    config = tmp_path / "syncd.yaml"
    config.write_text(CONFIG.format(state=state))
    return config


def one_clear_line(err: str, state: Path) -> None:
    """`err` is one line that names `state`, without a traceback."""
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert str(state) in err


class TestUnusablePaths:
    @pytest.mark.parametrize("command", ["run", "status"])
    def test_a_directory_in_place_of_the_file_is_one_line(
        self, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`state_path` naming a directory: exit 1, "is a directory", no traceback."""
        state = tmp_path / "state.db"
        state.mkdir()

        status = main([command, "-c", str(a_config(tmp_path, state))], clock=fixed(NOW))

        err = capsys.readouterr().err
        assert status == 1
        one_clear_line(err, state)
        assert "is a directory" in err

    @pytest.mark.parametrize("command", ["run", "status"])
    def test_a_file_in_place_of_its_folder_is_one_line(
        self, tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`state_path` under a regular file: exit 1, naming the file and "not a folder"."""
        (tmp_path / "var").write_text("a file, not a folder\n")
        state = tmp_path / "var" / "state.db"

        status = main([command, "-c", str(a_config(tmp_path, state))], clock=fixed(NOW))

        err = capsys.readouterr().err
        assert status == 1
        one_clear_line(err, state)
        assert "not a folder" in err


def _unprivileged(argv: list[str]) -> list[str]:
    """`syncd argv` run so that file permissions hold: root keeps them only without DAC powers."""
    command = [sys.executable, "-m", "syncd", *argv]
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]


class TestPermissions:
    """Run in a process of its own: permissions must be real, and root's must be taken away."""

    def _syncd(self, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _unprivileged(argv), capture_output=True, text=True, cwd=cwd, timeout=60, check=False
        )

    def test_a_read_only_state_file_stops_run_with_one_line(self, tmp_path: Path) -> None:
        """A state file mode 0400: `run` exits 1 saying it cannot write it, no traceback."""
        state = tmp_path / "state.db"
        fill_state(state, NOW)
        state.chmod(0o400)

        done = self._syncd(["run", "--once", "-c", str(a_config(tmp_path, state))], tmp_path)

        assert done.returncode == 1
        one_clear_line(done.stderr, state)
        assert "permission" in done.stderr

    @pytest.mark.parametrize("command", ["run", "status"])
    def test_a_folder_syncd_cannot_write_is_one_line(self, tmp_path: Path, command: str) -> None:
        """The folder of the state file is read-only: exit 1 naming the file, no traceback."""
        folder = tmp_path / "var"
        state = folder / "state.db"
        fill_state(state, NOW)
        folder.chmod(0o500)
        config = a_config(tmp_path, state)

        try:
            done = self._syncd([command, "-c", str(config)], tmp_path)
        finally:
            folder.chmod(0o700)

        assert done.returncode == 1
        one_clear_line(done.stderr, state)
        assert "write access" in done.stderr


class TestBadRows:
    def test_status_sets_aside_a_cycle_whose_time_is_garbage(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`cycles.finished = 'garbage'`: status shows the rest and warns, naming table and key."""
        state = tmp_path / "state.db"
        fill_state(state, NOW)
        with sqlite3.connect(state) as conn:
            conn.execute("UPDATE cycles SET finished = 'garbage' WHERE tracker = 'web'")

        status = main(["status", "-c", str(a_config(tmp_path, state))], clock=fixed(NOW))

        captured = capsys.readouterr()
        assert status == 0
        assert "Traceback" not in captured.err
        assert "cycles" in captured.err and "web" in captured.err
        assert "support" in captured.out
