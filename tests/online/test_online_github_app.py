"""`syncd check --online` for a GitHub tracker that runs as a GitHub App (§9), over the sandbox:
the app's row, each repository's installation and permissions, a missing installation fails."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.entrypoints.cli import main
from syncd.sandbox.github_app import SandboxApp, serve_app
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from syncd.service_layer.checks import Outcome
from tests.app_keys import private_pem, public_pem
from tests.online.test_online_sandbox import a_config_file, checks_of, rows_with

pytestmark = pytest.mark.e2e

TOKEN_LINE = "    token: sandbox-github-token\n"


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """The demo seed with app 31 (`syncd-app`) installed on acme as installation 7."""
    with Sandbox(demo_seed()) as running:
        serve_app(running.store, SandboxApp(31, "syncd-app", public_pem(), {"acme": 7}))
        yield running


def app_of(sandbox: Sandbox) -> SandboxApp:
    """The app the sandbox serves."""
    assert sandbox.store.github.app is not None
    return sandbox.store.github.app


def an_app_config(tmp_path: Path, sandbox: Sandbox, pem: str | None = None) -> Path:
    """The good config with `web` as app 31, its key in a file."""
    key_file = tmp_path / "app.pem"
    key_file.write_text(pem or private_pem())
    path = a_config_file(tmp_path, sandbox)
    app = f"    app: {{id: 31, private_key_file: {key_file}}}\n"
    path.write_text(path.read_text().replace(TOKEN_LINE, app), encoding="utf-8")
    return path


class TestAppCheck:
    """The app's rows."""

    def test_an_installed_app_passes_with_its_installation_shown_per_repository(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """App row, installation rows with the permissions, then the usual repository rows."""
        rows = checks_of(an_app_config(tmp_path, sandbox))

        shown = {(row.tracker, row.check): row.detail for row in rows}
        assert rows_with(rows, Outcome.FAIL) == []
        assert shown[("web", "app")] == "valid, app 31; comments as syncd-app[bot]"
        assert shown[("web", "acme/api: installation")] == (
            "installation 7 (account acme), issues:write, metadata:read"
        )
        assert ("web", "acme/web: labels") in shown
        assert ("web", "acme/api: assign lead") in shown

    def test_a_repository_without_the_app_installed_fails_the_check(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Not installed on acme: each listed repository fails, and `check` exits 2."""
        app_of(sandbox).accounts.clear()

        status = main(["check", "--online", "-c", str(an_app_config(tmp_path, sandbox))])

        out = capsys.readouterr().out
        assert status == 2
        assert "acme/web: installation" in out
        assert "not installed on acme/api" in out

    def test_an_installation_without_issues_write_fails(
        self, tmp_path: Path, sandbox: Sandbox
    ) -> None:
        """Issues read-only: the installation row fails, saying what syncd needs."""
        app_of(sandbox).permissions = {"issues": "read", "metadata": "read"}

        rows = checks_of(an_app_config(tmp_path, sandbox))

        failed = [row.detail for row in rows if row.outcome is Outcome.FAIL]
        assert len(failed) == 2
        assert all("syncd needs issues:write" in detail for detail in failed)

    def test_a_revoked_key_fails_the_app_row_and_leaks_nothing(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A key GitHub does not know: one failed row naming the key; no line of it printed."""
        path = an_app_config(tmp_path, sandbox, pem=private_pem(1))

        status = main(["check", "--online", "-c", str(path)])

        printed = "".join(capsys.readouterr())
        assert status == 2
        assert "refused its JWT" in printed
        assert [line for line in private_pem(1).splitlines()[1:-1] if line in printed] == []

    def test_the_check_prints_no_token_and_no_key(
        self, tmp_path: Path, sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A passing check minted tokens; neither they nor the key's lines are in its output."""
        main(["check", "--online", "-c", str(an_app_config(tmp_path, sandbox))])

        printed = "".join(capsys.readouterr())
        secrets = [*app_of(sandbox).tokens, *private_pem().splitlines()[1:-1]]
        assert app_of(sandbox).tokens
        assert [secret for secret in secrets if secret in printed] == []
