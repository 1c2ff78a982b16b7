"""What `syncd check` warns about: setups that work but expose a token or the daemon."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncd.config.hazards import hazards, is_loopback
from syncd.entrypoints.cli import main
from tests.config.sample import VALID, load_text, replacing

JIRA = """\
  - name: support
    kind: jira
    url: {url}
    email: {email}
    token: {token}
    jql: project = SUP
    team: alice
"""


def with_jira(url: str, email: str = "${JIRA_EMAIL}", token: str = "${JIRA_TOKEN}") -> str:
    """VALID with a Jira Cloud tracker added."""
    return VALID + JIRA.format(url=url, email=email, token=token)


ENV = {"GITHUB_TOKEN": "ghp-secret", "JIRA_TOKEN": "jira-secret", "JIRA_EMAIL": "bot@acme.test"}


def warnings_for(text: str, metrics_host: str | None = None) -> list[str]:
    """Every hazard of the configuration `text`, as printed."""
    return [str(h) for h in hazards(load_text(text, ENV), metrics_host=metrics_host)]


class TestHazards:
    """hazards() names the tracker or option and says what is exposed."""

    def test_a_safe_setup_has_no_warning(self) -> None:
        """https, tokens from the environment, metrics on loopback: nothing to say."""
        assert warnings_for(with_jira("https://acme.atlassian.net"), "127.0.0.1") == []

    def test_plain_http_to_another_host_warns_that_the_token_travels_in_clear(self) -> None:
        """http:// to a host that is not this machine sends the credentials unencrypted."""
        (warning,) = warnings_for(with_jira("http://jira.acme.test:8080"))

        assert warning.startswith("tracker support url: plain http to jira.acme.test:")
        assert "token" in warning and "https" in warning

    @pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost", "http://[::1]"])
    def test_plain_http_to_this_machine_is_fine(self, url: str) -> None:
        """Loopback traffic never leaves the host (a sandbox, a local proxy)."""
        assert warnings_for(with_jira(url)) == []

    def test_a_token_written_in_the_file_warns_and_never_shows_it(self) -> None:
        """A literal token is named by tracker and key; its value is not printed."""
        text = replacing("token: ${GITHUB_TOKEN}", "token: ghp-literal-123")

        (warning,) = warnings_for(text)

        assert warning.startswith("tracker web token: written in the file")
        assert "${VAR}" in warning
        assert "ghp-literal-123" not in warning

    def test_a_webhook_secret_without_a_listener_warns(self) -> None:
        """Deliveries need the http listener: a secret without one is named by tracker."""
        text = replacing(
            "token: ${GITHUB_TOKEN}", "token: ${GITHUB_TOKEN}\n    webhook_secret: ${HOOK}"
        )
        found = [str(h) for h in hazards(load_text(text, {**ENV, "HOOK": "s3cret-hook"}))]
        assert found == [
            "tracker web webhook_secret: set, but there is no `http.listen`: deliveries have"
            " nowhere to arrive unless syncd runs with --metrics-port; add"
            " `http: {listen: 127.0.0.1:9464}`"
        ]
        listening = text + "http:\n  listen: 127.0.0.1:9464\n"
        assert hazards(load_text(listening, {**ENV, "HOOK": "s3cret-hook"})) == []

    def test_a_webhook_secret_written_in_the_file_warns_and_never_shows_it(self) -> None:
        """A literal webhook secret is a credential in the file like a token."""
        text = replacing(
            "token: ${GITHUB_TOKEN}", "token: ${GITHUB_TOKEN}\n    webhook_secret: lit-42"
        )
        text += "http:\n  listen: 127.0.0.1:9464\n"
        (warning,) = warnings_for(text)
        assert warning.startswith("tracker web webhook_secret: written in the file")
        assert "lit-42" not in warning

    def test_an_email_written_in_the_file_warns(self) -> None:
        """The Jira e-mail too belongs in the environment."""
        (warning,) = warnings_for(with_jira("https://acme.atlassian.net", email="bot@acme.test"))

        assert warning.startswith("tracker support email: written in the file")
        assert "bot@acme.test" not in warning

    @pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "10.0.0.5", "metrics.acme.test"])
    def test_a_metrics_listener_off_loopback_warns(self, host: str) -> None:
        """Any address but loopback serves /metrics and /healthz to the network."""
        (warning,) = warnings_for(VALID, metrics_host=host)

        assert warning.startswith("--metrics-host")
        assert "/metrics" in warning

    @pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
    def test_loopback_names_and_addresses_are_loopback(self, host: str) -> None:
        """127.0.0.0/8, ::1 and localhost stay on this machine."""
        assert is_loopback(host)


class TestCheckPrintsHazards:
    """`syncd check` prints the warnings after the summary and still exits 0."""

    def test_warnings_are_printed_and_the_exit_status_stays_zero(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A literal token and a public metrics address: two warning lines, exit 0."""
        path = tmp_path / "syncd.yaml"
        path.write_text(replacing("token: ${GITHUB_TOKEN}", "token: ghp-literal-123"))

        status = main(["check", "-c", str(path), "--metrics-host", "0.0.0.0"])

        out = capsys.readouterr().out
        assert status == 0
        assert out.startswith(f"{path}: OK")
        assert "2 warnings (syncd can run, but this setup is unsafe):" in out
        assert "\n  tracker web token: written in the file" in out
        assert "\n  --metrics-host 0.0.0.0: " in out
        assert "ghp-literal-123" not in out
