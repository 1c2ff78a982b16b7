"""The sandbox's GitHub App endpoints (§9) over HTTP: JWTs verified against the app's public key
and the sandbox clock, installations, expiring installation tokens, the bot as comment author."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
import requests

from syncd.sandbox.github_app import SandboxApp, serve_app
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.app_keys import private_pem, public_pem

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


class Clock:
    """The sandbox's time, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """At START."""
    return Clock()


@pytest.fixture
def sandbox(clock: Clock) -> Iterator[Sandbox]:
    """App 31 on acme (installation 7), tokens living 60 seconds."""
    with Sandbox(demo_seed(), clock=clock) as running:
        app = SandboxApp(31, "syncd-app", public_pem(), {"acme": 7}, token_lifetime=60)
        serve_app(running.store, app)
        yield running


def a_jwt(*, at: datetime = START, minutes: float = 9, issuer: str = "31", which: int = 0) -> str:
    """A JWT as GitHub documents it: issued a minute back, expiring `minutes` ahead."""
    claims = {
        "iat": int((at - timedelta(seconds=60)).timestamp()),
        "exp": int((at + timedelta(minutes=minutes)).timestamp()),
        "iss": issuer,
    }
    return jwt.encode(claims, private_pem(which), algorithm="RS256")


def call(
    sandbox: Sandbox, method: str, path: str, auth: str, body: object = None
) -> requests.Response:
    """One request to the GitHub API of the sandbox."""
    headers = {"Authorization": auth}
    return requests.request(
        method, f"{sandbox.github_url}{path}", headers=headers, json=body, timeout=5
    )


def mint(sandbox: Sandbox) -> str:
    """A fresh installation token of installation 7."""
    answer = call(sandbox, "POST", "/app/installations/7/access_tokens", f"Bearer {a_jwt()}")
    assert answer.status_code == 201, answer.text
    token: str = answer.json()["token"]
    return token


class TestTheAppsJwt:
    """App routes take a valid JWT only."""

    def test_a_good_jwt_reads_the_app_and_its_installations(self, sandbox: Sandbox) -> None:
        """GET /app (slug) and GET /app/installations (acme's)."""
        app = call(sandbox, "GET", "/app", f"Bearer {a_jwt()}")
        listed = call(sandbox, "GET", "/app/installations", f"Bearer {a_jwt()}")

        assert (app.status_code, app.json()["slug"]) == (200, "syncd-app")
        assert [(i["id"], i["account"]["login"]) for i in listed.json()] == [(7, "acme")]

    @pytest.mark.parametrize(
        "token",
        [
            pytest.param(a_jwt(which=1), id="another key"),
            pytest.param(a_jwt(issuer="32"), id="another app"),
            pytest.param(a_jwt(at=START - timedelta(minutes=10)), id="expired"),
            pytest.param(a_jwt(minutes=11), id="expiring more than 10 minutes ahead"),
            pytest.param("sandbox-github-token", id="the user token"),
        ],
    )
    def test_anything_else_is_refused_with_401(self, sandbox: Sandbox, token: str) -> None:
        """Bad credentials, as GitHub answers."""
        answer = call(sandbox, "GET", "/app", f"Bearer {token}")

        assert answer.status_code == 401

    def test_a_repository_of_an_account_without_the_app_has_no_installation(
        self, sandbox: Sandbox
    ) -> None:
        """acme/web: installation 7; with the app on no account: 404."""
        found = call(sandbox, "GET", "/repos/acme/web/installation", f"Bearer {a_jwt()}")
        assert sandbox.store.github.app is not None
        sandbox.store.github.app.accounts.clear()
        missing = call(sandbox, "GET", "/repos/acme/web/installation", f"Bearer {a_jwt()}")

        assert (found.status_code, found.json()["id"]) == (200, 7)
        assert found.json()["permissions"] == {"issues": "write", "metadata": "read"}
        assert missing.status_code == 404


class TestInstallationTokens:
    """Minted tokens work until they expire."""

    def test_a_token_reads_issues_until_it_expires_then_gets_401_bad_credentials(
        self, sandbox: Sandbox, clock: Clock
    ) -> None:
        """60 seconds of sandbox time; the refusal is counted against the token."""
        token = mint(sandbox)
        before = call(sandbox, "GET", "/repos/acme/web/issues", f"token {token}")
        clock.now = START + timedelta(seconds=60)
        after = call(sandbox, "GET", "/repos/acme/web/issues", f"token {token}")

        assert token.startswith("ghs_")
        assert before.status_code == 200
        assert (after.status_code, after.json()["message"]) == (401, "Bad credentials")
        assert sandbox.store.github.app is not None
        assert sandbox.store.github.app.refused == {token: 1}

    def test_the_answer_says_when_it_expires(self, sandbox: Sandbox) -> None:
        """`expires_at` in ISO 8601 UTC, `token_lifetime` after now."""
        answer = call(sandbox, "POST", "/app/installations/7/access_tokens", f"Bearer {a_jwt()}")

        assert answer.json()["expires_at"] == "2026-11-26T15:01:00Z"

    def test_an_unknown_installation_gets_no_token(self, sandbox: Sandbox) -> None:
        """404."""
        answer = call(sandbox, "POST", "/app/installations/8/access_tokens", f"Bearer {a_jwt()}")

        assert answer.status_code == 404

    def test_a_comment_with_a_token_is_by_the_bot_and_get_user_is_refused(
        self, sandbox: Sandbox
    ) -> None:
        """The author is `syncd-app[bot]`; an app's token has no /user (403)."""
        token = mint(sandbox)
        posted = call(
            sandbox, "POST", "/repos/acme/web/issues/105/comments", f"token {token}", {"body": "x"}
        )
        user = call(sandbox, "GET", "/user", f"token {token}")

        assert posted.json()["user"]["login"] == "syncd-app[bot]"
        assert user.status_code == 403
