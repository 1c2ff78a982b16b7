"""A GitHub tracker's `app` key (§9): exactly one of `token` and `app`, errors located."""

from __future__ import annotations

from pathlib import Path

from syncd.config.model import GitHubApp
from syncd.service_layer.registry import secret_values
from tests.app_keys import private_pem
from tests.config.sample import load_text, problems_of, replacing

TOKEN_LINE = "    token: ${GITHUB_TOKEN}\n"
APP_BLOCK = "    app:\n      id: 42\n      private_key: ${GITHUB_APP_KEY}\n"


def _env() -> dict[str, str]:
    return {"GITHUB_APP_KEY": private_pem().strip(), "JIRA_TOKEN": "jira-secret-value-456"}


class TestAppInsteadOfToken:
    """What `app` loads into."""

    def test_an_app_with_its_key_in_the_environment_loads(self) -> None:
        """`app: {id, private_key: ${VAR}}` gives the app and no token."""
        tracker = load_text(replacing(TOKEN_LINE, APP_BLOCK), _env()).trackers[0]

        assert tracker.token is None
        assert isinstance(tracker.app, GitHubApp)
        assert (tracker.app.id, tracker.app.private_key.reveal()) == (42, private_pem().strip())

    def test_a_key_file_loads(self, tmp_path: Path) -> None:
        """`private_key_file: PATH` reads the PEM from the file."""
        path = tmp_path / "app.pem"
        path.write_text(private_pem())
        block = f"    app:\n      id: 42\n      private_key_file: {path}\n"

        tracker = load_text(replacing(TOKEN_LINE, block), _env()).trackers[0]

        assert tracker.app is not None and tracker.app.private_key.reveal() == private_pem()

    def test_a_key_with_escaped_line_breaks_loads(self) -> None:
        """A PEM pasted into one environment line with `\\n` is accepted."""
        env = {**_env(), "GITHUB_APP_KEY": private_pem().strip().replace("\n", "\\n")}

        tracker = load_text(replacing(TOKEN_LINE, APP_BLOCK), env).trackers[0]

        assert tracker.app is not None
        assert tracker.app.private_key.reveal() == private_pem().strip()

    def test_the_key_and_its_lines_are_secrets_for_the_log_redactor(self) -> None:
        """Every body line of the PEM is masked in logs, not only the whole key."""
        config = load_text(replacing(TOKEN_LINE, APP_BLOCK), _env())
        body_line = private_pem().splitlines()[3]

        assert {private_pem().strip(), body_line} <= set(secret_values(config))


class TestAppErrors:
    """Wrong combinations are config errors with line and key path, never quoting the key."""

    def test_both_token_and_app_is_an_error_at_the_app_line(self) -> None:
        """Line 18 is `app:` (after the token on 17)."""
        problems = problems_of(replacing(TOKEN_LINE, TOKEN_LINE + APP_BLOCK), _env())

        assert problems == [
            "syncd.yaml:18: trackers[0].app: give either 'token' or 'app' (a GitHub App), not both"
        ]

    def test_neither_token_nor_app_is_an_error(self) -> None:
        """The tracker's line, naming both keys."""
        problems = problems_of(replacing(TOKEN_LINE, ""), _env())

        assert problems == ["syncd.yaml:14: trackers[0]: missing required key 'token' (or 'app')"]

    def test_both_key_sources_is_an_error(self) -> None:
        """private_key and private_key_file together: at the second one's line."""
        block = APP_BLOCK + "      private_key_file: /etc/app.pem\n"

        problems = problems_of(replacing(TOKEN_LINE, block), _env())

        assert problems == [
            "syncd.yaml:20: trackers[0].app: "
            "give exactly one of 'private_key' and 'private_key_file'"
        ]

    def test_no_id_and_an_unknown_key_are_located(self) -> None:
        """Each problem under `trackers[0].app`."""
        block = "    app:\n      private_key: ${GITHUB_APP_KEY}\n      slug: syncd\n"

        problems = problems_of(replacing(TOKEN_LINE, block), _env())

        assert "syncd.yaml:18: trackers[0].app: missing required key 'id'" in problems
        assert any(
            p.startswith("syncd.yaml:19: trackers[0].app: unknown key 'slug'") for p in problems
        )

    def test_a_value_that_is_no_key_is_an_error_that_never_quotes_it(self) -> None:
        """A token pasted where the key belongs: named by its variable, not shown."""
        env = {**_env(), "GITHUB_APP_KEY": "ghp_not-a-private-key-at-all-0123456789"}

        problems = problems_of(replacing(TOKEN_LINE, APP_BLOCK), env)

        assert len(problems) == 1
        assert problems[0].startswith("syncd.yaml:19: trackers[0].app.private_key: not an")
        assert "ghp_not" not in problems[0]

    def test_a_missing_key_file_is_an_error(self, tmp_path: Path) -> None:
        """The path and the system's reason."""
        block = f"    app:\n      id: 42\n      private_key_file: {tmp_path / 'none.pem'}\n"

        problems = problems_of(replacing(TOKEN_LINE, block), _env())

        assert len(problems) == 1
        assert "trackers[0].app.private_key_file: cannot read" in problems[0]
        assert "No such file" in problems[0]
