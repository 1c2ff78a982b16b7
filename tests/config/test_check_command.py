"""`syncd check` run in-process through the command line."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from syncd.entrypoints.cli import main
from tests.config.sample import VALID, replacing
from tests.config.test_loader import EXAMPLE, EXAMPLE_ENV


@pytest.fixture
def example_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables config/syncd.yaml reads."""
    for name, value in EXAMPLE_ENV.items():
        monkeypatch.setenv(name, value)


class TestCheckCommand:
    """Exit 0 with a summary for a good file, 2 with every problem for a bad one."""

    def test_the_example_config_checks_out(
        self, example_env: None, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 0; the summary lists the trackers and never a secret."""
        status = main(["check", "-c", str(EXAMPLE)])

        out = capsys.readouterr().out
        assert status == 0
        assert "tracker platform: jira, https://jira.example.internal, Server/DC (token)" in out
        assert all(value not in out for value in EXAMPLE_ENV.values())

    def test_a_broken_file_exits_2_with_every_problem_on_stderr(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Two problems, two lines on stderr, exit 2."""
        monkeypatch.setenv("GITHUB_TOKEN", "ghp-check-secret")
        broken = tmp_path / "broken.yaml"
        broken.write_text(replacing("America/Detroit", "Nowhere/Land", "colour: blue\n" + VALID))

        status = main(["check", "-c", str(broken)])

        err = capsys.readouterr().err
        assert status == 2
        assert f"{broken}:1: unknown key 'colour'" in err
        assert f"{broken}:6: rotation.timezone: unknown time zone 'Nowhere/Land'" in err
        assert len(err.strip().splitlines()) == 2
        assert "ghp-check-secret" not in err

    def test_a_missing_file_exits_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A path that does not exist is a clear config error."""
        status = main(["check", "-c", str(tmp_path / "nope.yaml")])

        assert status == 2
        assert "cannot read the file: No such file or directory" in capsys.readouterr().err

    def test_online_validates_first_then_reports_each_tracker_it_cannot_reach(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--online` prints the offline summary, then a failed row for a dead tracker: exit 2."""
        monkeypatch.setenv("GITHUB_TOKEN", "ghp-check-secret")
        with socket.socket() as probe:  # a loopback port nobody listens on once released
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        dead = replacing(
            "    repos: [acme/web]\n",
            f"    repos: [acme/web]\n    base_url: http://127.0.0.1:{port}/api/v3\n",
        )
        path = tmp_path / "syncd.yaml"
        path.write_text(dead)

        status = main(["check", "-c", str(path), "--online"])

        out = capsys.readouterr().out
        assert status == 2
        assert out.startswith(f"{path}: OK")
        assert "web      reach GitHub  FAIL" in out
        assert "ghp-check-secret" not in out
