"""`syncd run` as a GitHub App over the sandbox (§9): installation tokens that expire during the
run, comments by the bot never doubled, a revoked key, and no key or token in any output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from syncd.clock import utc_now
from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.github_app import SandboxApp, serve_app
from syncd.sandbox.seed_shift import moved
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.app_keys import private_pem, public_pem
from tests.e2e.e2e_world import MARKER, OVER_ESTIMATE, Outcome, World, tier_labels, wrong_issues

pytestmark = pytest.mark.e2e

LIFETIME = 2.0  # seconds a token lives: several expire during each run
BOT = "syncd-app[bot]"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """The demo seed an hour back, on the real clock (syncd runs on it too)."""
    with Sandbox(moved(demo_seed(), utc_now())) as running:
        yield running


def app_of(sandbox: Sandbox) -> SandboxApp:
    """The app the sandbox serves."""
    assert sandbox.store.github.app is not None
    return sandbox.store.github.app


def as_app(world: World, pem: str) -> None:
    """Rewrite the world's config: the `web` tracker as app 31, its key in a file."""
    key_file = world.home / "github-app.pem"
    key_file.write_text(pem, encoding="utf-8")
    document = yaml.safe_load(world.config_path.read_text(encoding="utf-8"))
    web = next(t for t in document["trackers"] if t["kind"] == "github")
    web.pop("token", None)
    web["app"] = {"id": 31, "private_key_file": str(key_file)}
    world.config_path.write_text(yaml.safe_dump(document), encoding="utf-8")


@pytest.fixture
def world(sandbox: Sandbox, tmp_path: Path) -> World:
    """The sandbox at its seed serving app 31 on acme with 2-second tokens; syncd as the app."""
    sandbox.reset()
    serve_app(
        sandbox.store,
        SandboxApp(31, "syncd-app", public_pem(), {"acme": 7}, token_lifetime=LIFETIME),
    )
    made = World(sandbox, tmp_path)
    as_app(made, private_pem())
    return made


def log_lines(outcome: Outcome, event: str) -> list[dict[str, object]]:
    """The JSON log lines of one run with this event."""
    lines = [json.loads(line) for line in outcome.stdout.splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("event") == event]


def leaked(texts: list[str], secrets: list[str]) -> list[str]:
    """The secrets found in any of the texts (shortened, to say which without showing it)."""
    return [secret[:8] for secret in secrets if any(secret in text for text in texts)]


class TestTokensExpiringDuringTheRun:
    """Every run succeeds while its tokens expire under it."""

    def test_three_runs_succeed_with_tokens_renewed_and_refused_at_most_once_each(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """Slow listings stretch each run past a token's life: renewals, at most one 401 per
        token, every issue right, one comment per flagged issue, by the bot."""
        sandbox.inject(
            Fault(FaultKind.LATENCY, route="github.issues.list", latency_ms=1200, count=99)
        )
        on_call = world.identities(world.on_call())

        outcomes = [world.once() for _ in range(3)]

        assert [o.status for o in outcomes] == [0, 0, 0], outcomes[-1].stdout[-3000:]
        minted = [len(log_lines(o, "github app token minted")) for o in outcomes]
        assert all(count >= 2 for count in minted), minted  # renewed within each run
        assert max(app_of(sandbox).refused.values(), default=0) <= 1
        assert wrong_issues(sandbox.snapshot(), on_call) == []
        for key in (k for k in OVER_ESTIMATE if "#" in k):
            repo, number = key.split("#")
            notes = sandbox.store.github.repos[repo].issues[int(number)].comments
            assert [n.author for n in notes if MARKER in n.body] == [BOT], key

    def test_no_token_or_key_line_is_in_the_output_or_the_state_file(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """Logs (stdout, stderr) and the state file hold no minted token and no key line."""
        outcomes = [world.once() for _ in range(2)]

        texts = [o.stdout + o.stderr for o in outcomes]
        texts.append(world.state_path.read_bytes().decode("latin-1"))
        secrets = [*app_of(sandbox).tokens, *private_pem().splitlines()[1:-1]]
        assert len(app_of(sandbox).tokens) >= 2
        assert leaked(texts, secrets) == []


class TestARevokedKey:
    """A key GitHub no longer knows stops the app's tracker only."""

    def test_the_tracker_fails_clearly_and_the_jira_trackers_go_on(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """Exit 1; `web` failed saying the JWT was refused; Jira issues tiered; nothing leaked."""
        as_app(world, private_pem(1))

        outcome = world.once()

        failed = log_lines(outcome, "tracker failed")
        assert outcome.status == 1
        assert [line["tracker"] for line in failed] == ["web"]
        assert "refused its JWT" in str(failed[0]["error"])
        assert tier_labels(sandbox.snapshot().issue("SUP-1")) == ["tier/fire"]
        assert tier_labels(sandbox.snapshot().issue("acme/web#101")) == []
        state = world.state_path.read_bytes().decode("latin-1")
        assert (
            leaked([outcome.stdout, outcome.stderr, state], private_pem(1).splitlines()[1:-1]) == []
        )
