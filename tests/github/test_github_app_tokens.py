"""The GitHub adapter as a GitHub App (§9), against the sandbox: installation tokens found,
minted, cached, renewed before they expire and once after a 401; comments by `<slug>[bot]`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import structlog
from github_payloads import ESTIMATES, DictEtags, tracker

from syncd.adapters.github.client import GitHubAdapter
from syncd.config.model import GitHubApp, GitHubTracker, Secret
from syncd.errors import AuthFailed
from syncd.sandbox.github_app import SandboxApp, serve_app
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.app_keys import private_pem, public_pem

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
KEY = "acme/web#105"  # over the estimate limit in the demo seed: flagged, with a comment
MARKER = "syncd:over-estimate"


class Clock:
    """One time for the sandbox and the adapter, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """The shared clock at START."""
    return Clock()


@pytest.fixture
def sandbox(clock: Clock) -> Iterator[Sandbox]:
    """The demo seed with the app `syncd-app` installed on the account acme (installation 7)."""
    with Sandbox(demo_seed(), clock=clock) as running:
        serve_app(running.store, SandboxApp(31, "syncd-app", public_pem(), {"acme": 7}))
        yield running


def app_of(sandbox: Sandbox) -> SandboxApp:
    """The app the sandbox serves."""
    assert sandbox.store.github.app is not None
    return sandbox.store.github.app


def settings(sandbox: Sandbox, pem: str | None = None) -> GitHubTracker:
    """The demo's `web` tracker as app 31, with its key (or another)."""
    key = Secret(pem or private_pem(), "${GITHUB_APP_KEY}")
    base = tracker(("acme/web", "acme/api"))
    return replace(base, token=None, app=GitHubApp(31, key), base_url=sandbox.github_url)


def app_adapter(sandbox: Sandbox, clock: Clock, pem: str | None = None) -> GitHubAdapter:
    """The adapter as the composition root builds it, on the shared clock."""
    return GitHubAdapter(settings(sandbox, pem), ESTIMATES, DictEtags(), timeout=5, clock=clock)


class TestInstallationTokens:
    """Found once, minted once, renewed on time."""

    def test_two_fetches_mint_one_token_and_find_the_installation_once(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """Both repositories are in installation 7: one lookup each, one token for all."""
        adapter = app_adapter(sandbox, clock)

        first = adapter.fetch(None)
        adapter.fetch(None)

        assert len(first.snapshots) > 0
        assert len(app_of(sandbox).tokens) == 1
        assert sandbox.stats().count("GET", "github.app.repo.installation") == 2

    def test_a_token_is_renewed_five_minutes_before_it_expires_without_a_401(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """At 56 minutes the hour-long token is renewed; GitHub never refuses one."""
        adapter = app_adapter(sandbox, clock)
        adapter.fetch(None)
        clock.now = START + timedelta(minutes=54)
        adapter.fetch(None)
        clock.now = START + timedelta(minutes=56)

        adapter.fetch(None)

        assert len(app_of(sandbox).tokens) == 2
        assert sum(app_of(sandbox).refused.values()) == 0

    def test_a_token_refused_early_is_renewed_once_and_the_request_succeeds(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """A token GitHub expires before its time: one 401, one new token, the fetch goes on."""
        adapter = app_adapter(sandbox, clock)
        adapter.fetch(None)
        (token,) = app_of(sandbox).tokens
        app_of(sandbox).tokens[token].expires = START

        fetched = adapter.fetch(None)

        assert len(fetched.snapshots) > 0
        assert app_of(sandbox).refused == {token: 1}
        assert len(app_of(sandbox).tokens) == 2


class TestBotComments:
    """The app's comments are by `syncd-app[bot]`, and never doubled."""

    def test_the_comment_is_by_the_bot_and_posted_once(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """Two calls: one comment, authored by the bot (no GET /user, which an app cannot call)."""
        adapter = app_adapter(sandbox, clock)

        posted = [adapter.comment(KEY, "Too big for one person.", MARKER) for _ in range(2)]

        comments = sandbox.store.github.repos["acme/web"].issues[105].comments
        assert posted == [True, False]
        assert [note.author for note in comments if MARKER in note.body] == ["syncd-app[bot]"]
        assert sandbox.stats().count("GET", "github.user") == 0

    def test_a_comment_posted_with_the_token_before_a_switch_is_not_repeated(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """The marker holds across the switch from a token to the app: still one comment."""
        token_config = replace(
            settings(sandbox), app=None, token=Secret("sandbox-github-token", "x")
        )
        as_token = GitHubAdapter(token_config, ESTIMATES, DictEtags(), timeout=5, clock=clock)
        as_token.comment(KEY, "Too big for one person.", MARKER)

        posted = app_adapter(sandbox, clock).comment(KEY, "Too big for one person.", MARKER)

        comments = sandbox.store.github.repos["acme/web"].issues[105].comments
        assert posted is False
        assert [note.author for note in comments if MARKER in note.body] == ["syncd-bot"]

    def test_a_copy_a_race_left_is_deleted_by_the_bot(self, sandbox: Sandbox, clock: Clock) -> None:
        """Two bot comments with the marker: the later one is deleted, the earliest stays."""
        adapter = app_adapter(sandbox, clock)
        adapter.comment(KEY, "Too big for one person.", MARKER)
        issue = sandbox.store.github.repos["acme/web"].issues[105]
        issue.comments.append(replace(issue.comments[-1], id=sandbox.store.new_id()))

        adapter.comment(KEY, "Too big for one person.", MARKER)

        assert sum(MARKER in note.body for note in issue.comments) == 1


class TestFailures:
    """Clear errors that never carry a key or a token."""

    def test_a_repository_without_the_app_installed_fails_naming_it(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """No installation on acme: AuthFailed saying to install the app there."""
        app_of(sandbox).accounts.clear()

        with pytest.raises(AuthFailed, match=r"not installed on acme/web"):
            app_adapter(sandbox, clock).fetch(None)

    def test_a_revoked_key_fails_saying_so(self, sandbox: Sandbox, clock: Clock) -> None:
        """A key GitHub no longer knows: its JWT is refused, and the message says what to do."""
        with pytest.raises(AuthFailed, match=r"refused its JWT.*private key") as caught:
            app_adapter(sandbox, clock, pem=private_pem(1)).fetch(None)

        assert "PRIVATE KEY" not in str(caught.value)

    def test_no_token_or_key_line_reaches_a_log_line_or_an_error(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """Minting, renewing after a 401 and a refused write: tokens and key stay out of all."""
        adapter = app_adapter(sandbox, clock)
        with structlog.testing.capture_logs() as logs:
            adapter.fetch(None)
            token = next(iter(app_of(sandbox).tokens))
            app_of(sandbox).tokens[token].expires = START
            adapter.fetch(None)
            with pytest.raises(AuthFailed) as caught:
                app_adapter(sandbox, clock, pem=private_pem(1)).fetch(None)

        texts = [repr(logs), str(caught.value), repr(adapter.app)]
        secrets = [*app_of(sandbox).tokens, *private_pem().splitlines()[1:-1]]
        assert [secret for secret in secrets if any(secret in text for text in texts)] == []
        assert any(line["event"] == "github app token minted" for line in logs)
