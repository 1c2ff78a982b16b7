"""`syncd sandbox --secondary-limits`: GitHub's content limits over HTTP, on the sandbox's clock."""

from __future__ import annotations

import requests

from syncd.entrypoints.cli import build_parser
from syncd.entrypoints.commands.sandbox import describe
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox


def test_the_option_is_parsed_and_off_by_default() -> None:
    """--secondary-limits turns them on; without it they are off."""
    assert build_parser().parse_args(["sandbox", "--secondary-limits"]).secondary_limits
    assert not build_parser().parse_args(["sandbox"]).secondary_limits


def test_a_write_beyond_the_minute_is_a_403_over_http() -> None:
    """One write a minute: the second label POST is GitHub's 403 with Retry-After; reads pass."""
    seed = demo_seed()
    with Sandbox(seed) as sandbox:
        sandbox.enforce_secondary_limits(per_minute=1, per_hour=500)
        headers = {"Authorization": f"token {seed.github.token}"}
        repo = seed.github.repos[0]
        labels = (
            f"{sandbox.github_url}/repos/{repo.full_name}/issues/{repo.issues[0].number}/labels"
        )

        first = requests.post(labels, json={"labels": ["x"]}, headers=headers, timeout=5)
        second = requests.post(labels, json={"labels": ["y"]}, headers=headers, timeout=5)
        read = requests.get(labels, headers=headers, timeout=5)

        assert first.status_code == 200
        assert second.status_code == 403
        assert "secondary rate limit" in second.json()["message"]
        assert int(second.headers["Retry-After"]) > 0
        assert read.status_code == 200
        assert "limits       GitHub writes" in describe(sandbox, seed)
