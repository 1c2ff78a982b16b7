"""fetch_one of syncd's real adapters against the running sandbox: GitHub, Jira Cloud and DC.

Every issue a full listing returns reads back alone as the same snapshot, for one request;
every other issue of the sandbox (closed, unlabelled, a pull request, another project) is None.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.adapters.github.client import GitHubAdapter
from syncd.adapters.jira.client import JiraAdapter
from syncd.config.loader import loads
from syncd.config.model import Config, GitHubTracker, JiraTracker
from syncd.sandbox.server import Sandbox
from tests.github.github_payloads import DictEtags
from tests.sandbox.conftest import NOW
from tests.soak.sandbox_world import Credentials, demo_config

# The demo config's trackers and the sandbox flavour each reads.
FLAVOURS = {"web": "github", "support": "jira-cloud", "ops": "jira-dc"}
UNKNOWN = {"web": "acme/web#9999", "support": "SUP-9999", "ops": "OPS-9999"}

Adapter = GitHubAdapter | JiraAdapter


@pytest.fixture
def config(sandbox: Sandbox, tmp_path: Path) -> Config:
    """config/demo.yaml aimed at the running sandbox."""
    text = demo_config(sandbox.url, tmp_path / "demo.db")
    return loads(text, "demo.yaml", Credentials().environment())


def adapter(config: Config, name: str) -> Adapter:
    """The real adapter of tracker `name`, on the sandbox's frozen clock."""
    settings = next(tracker for tracker in config.trackers if tracker.name == name)
    if isinstance(settings, GitHubTracker):
        return GitHubAdapter(settings, config.estimates, DictEtags(), timeout=5, clock=lambda: NOW)
    assert isinstance(settings, JiraTracker)
    return JiraAdapter(settings, config.estimates, timeout=5, clock=lambda: NOW)


@pytest.fixture(params=sorted(FLAVOURS))
def name(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each tracker of the demo config in turn."""
    yield str(request.param)


class TestFetchOneAgainstTheSandbox:
    """The one-issue read agrees with the listing, issue by issue."""

    def test_every_listed_issue_reads_back_the_same_for_one_request(
        self, sandbox: Sandbox, config: Config, name: str
    ) -> None:
        """fetch_one(key) equals the listing's snapshot of `key`, one request each."""
        made = adapter(config, name)
        listed = made.fetch(None).snapshots
        assert listed, f"the demo seed has open escalations in {name}"

        for snapshot in listed:
            before = made.stats.requests
            assert made.fetch_one(snapshot.key) == snapshot
            assert made.stats.requests - before == 1

    def test_every_other_issue_of_the_tracker_is_none(
        self, sandbox: Sandbox, config: Config, name: str
    ) -> None:
        """Closed, unlabelled or pull-request issues the listing skips read as None."""
        made = adapter(config, name)
        listed = {snapshot.key for snapshot in made.fetch(None).snapshots}
        others = [
            view.key
            for view in sandbox.snapshot().issues
            if view.tracker == FLAVOURS[name] and view.key not in listed
        ]
        assert others, f"the demo seed has issues {name} does not list"

        assert {key: made.fetch_one(key) for key in others} == dict.fromkeys(others)

    def test_an_issue_the_tracker_does_not_have_is_none(
        self, sandbox: Sandbox, config: Config, name: str
    ) -> None:
        """GitHub's 404, and Jira's 400 for a key it does not know, both read as None."""
        assert adapter(config, name).fetch_one(UNKNOWN[name]) is None
