"""Fault injection: each kind, by route and by count, through the Python and admin APIs."""

from __future__ import annotations

import time

import pytest
import requests

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed_yaml import load_seed
from syncd.sandbox.server import Sandbox
from tests.sandbox.conftest import NOW

GITHUB_AUTH = {"Authorization": "token sandbox-github-token"}


def _issues(sandbox: Sandbox) -> requests.Response:
    return requests.get(
        f"{sandbox.github_url}/repos/acme/web/issues", headers=GITHUB_AUTH, timeout=5
    )


class TestFaults:
    """Each fault kind affects `count` matching requests, then expires."""

    def test_status_fault_answers_502_once(self, sandbox: Sandbox) -> None:
        """A 502 on the list route, then normal service."""
        sandbox.inject(Fault(FaultKind.STATUS, route="github.issues.list", status=502))

        statuses = [_issues(sandbox).status_code, _issues(sandbox).status_code]

        assert statuses == [502, 200]

    def test_primary_rate_limit_is_403_with_zero_remaining(self, sandbox: Sandbox) -> None:
        """GitHub's primary limit: 403, X-RateLimit-Remaining 0, a reset time."""
        sandbox.inject(Fault(FaultKind.RATELIMIT, path=r"/issues$"))

        response = _issues(sandbox)

        assert response.status_code == 403
        assert response.headers["X-RateLimit-Remaining"] == "0"
        assert int(response.headers["X-RateLimit-Reset"]) == int(NOW.timestamp()) + 60
        assert response.json()["message"].startswith("API rate limit exceeded")

    def test_secondary_rate_limit_carries_retry_after(self, sandbox: Sandbox) -> None:
        """With retry_after the GitHub limit is the secondary one, status as asked."""
        sandbox.inject(
            Fault(FaultKind.RATELIMIT, route="github.issues.list", status=429, retry_after=7)
        )

        response = _issues(sandbox)

        assert response.status_code == 429 and response.headers["Retry-After"] == "7"

    def test_jira_rate_limit_is_429_with_retry_after_and_reset(self, sandbox: Sandbox) -> None:
        """Jira Cloud's 429 shape."""
        sandbox.inject(Fault(FaultKind.RATELIMIT, route="jira.cloud.myself", retry_after=3))

        response = requests.get(
            f"{sandbox.jira_cloud_url}/rest/api/2/myself",
            auth=("demo@example.com", "sandbox-jira-cloud-token"),
            timeout=5,
        )

        assert response.status_code == 429
        assert response.headers["Retry-After"] == "3" and "X-RateLimit-Reset" in response.headers

    def test_latency_delays_the_answer(self, sandbox: Sandbox) -> None:
        """A latency fault sleeps before answering normally."""
        sandbox.inject(Fault(FaultKind.LATENCY, route="github.issues.list", latency_ms=300))
        started = time.monotonic()

        response = _issues(sandbox)

        assert response.status_code == 200 and time.monotonic() - started >= 0.3

    def test_dropped_connection_raises_a_connection_error(self, sandbox: Sandbox) -> None:
        """The socket closes without an answer, twice, then service resumes."""
        sandbox.inject(Fault(FaultKind.DROP, route="github.issues.list", count=2))

        for _ in range(2):
            with pytest.raises(requests.ConnectionError):
                _issues(sandbox)

        assert _issues(sandbox).status_code == 200
        assert sandbox.stats().faults == 2

    def test_drop_after_performs_the_write_and_loses_the_answer(self, sandbox: Sandbox) -> None:
        """The comment is posted, yet the client sees the connection close with no answer."""
        sandbox.inject(Fault(FaultKind.DROP_AFTER, route="github.issue.comments.create"))
        url = f"{sandbox.github_url}/repos/acme/web/issues/101/comments"

        with pytest.raises(requests.ConnectionError):
            requests.post(url, json={"body": "landed"}, headers=GITHUB_AUTH, timeout=5)

        assert sandbox.snapshot().issue("acme/web#101").comments[-1] == "landed"
        assert (sandbox.stats().faults, sandbox.stats().writes) == (1, 1)

    def test_drop_after_leaves_other_routes_answered(self, sandbox: Sandbox) -> None:
        """A drop_after on a write route does not touch reads, and expires after `count`."""
        sandbox.inject(Fault(FaultKind.DROP_AFTER, route="github.issue.labels.add"))
        url = f"{sandbox.github_url}/repos/acme/web/issues/101/labels"

        listed = _issues(sandbox).status_code
        with pytest.raises(requests.ConnectionError):
            requests.post(url, json=["tier/fire"], headers=GITHUB_AUTH, timeout=5)
        again = requests.post(url, json=["tier/fire"], headers=GITHUB_AUTH, timeout=5)

        assert (listed, again.status_code) == (200, 200)
        labels = sandbox.snapshot().issue("acme/web#101").labels
        assert [label for label in labels if label == "tier/fire"] == ["tier/fire"]

    def test_admin_api_accepts_a_drop_after_fault(self, sandbox: Sandbox) -> None:
        """`{"kind": "drop_after"}` through POST /_admin/faults is a 201."""
        fault = {"kind": "drop_after", "route": "jira.cloud.issue.comment", "method": "POST"}

        response = requests.post(f"{sandbox.url}/_admin/faults", json=fault, timeout=5)

        assert response.status_code == 201

    def test_admin_api_injects_and_clears_faults(self, sandbox: Sandbox) -> None:
        """POST /_admin/faults then DELETE /_admin/faults."""
        fault = {"kind": "status", "route": "github.issues.list", "status": 503, "count": 5}
        requests.post(f"{sandbox.url}/_admin/faults", json=fault, timeout=5)
        first = _issues(sandbox).status_code

        requests.delete(f"{sandbox.url}/_admin/faults", timeout=5)

        assert (first, _issues(sandbox).status_code) == (503, 200)

    def test_admin_api_rejects_a_bad_fault(self, sandbox: Sandbox) -> None:
        """An unknown kind is a 400 with a message, not a traceback."""
        response = requests.post(f"{sandbox.url}/_admin/faults", json={"kind": "meteor"}, timeout=5)

        assert response.status_code == 400 and "kind" in response.json()["error"]


class TestAdmin:
    """State, stats and reset."""

    def test_reset_restores_the_seed(self, sandbox: Sandbox) -> None:
        """Writes are undone and counters zeroed."""
        sandbox.edit_issue("SUP-2", add_labels=("tier/fire",))
        url = f"{sandbox.github_url}/repos/acme/web/issues/101/labels"
        requests.post(url, json=["tier/fire"], headers=GITHUB_AUTH, timeout=5)

        requests.post(f"{sandbox.url}/_admin/reset", timeout=5)
        state = requests.get(f"{sandbox.url}/_admin/state", timeout=5).json()

        sup2 = next(i for i in state["issues"] if i["key"] == "SUP-2")
        assert sup2["labels"] == ["escalation"]
        assert (
            "tier/fire"
            not in next(i for i in state["issues"] if i["key"] == "acme/web#101")["labels"]
        )
        assert sandbox.stats().writes == 0


class TestSeedFile:
    """Seed files: errors name the key path."""

    def test_unknown_key_names_its_path(self, tmp_path: object) -> None:
        """A typo in an issue is reported with its location."""
        from pathlib import Path

        from syncd.sandbox.seed import SeedError

        path = Path(str(tmp_path)) / "seed.yaml"
        path.write_text(
            "github:\n  token: t\n  repos:\n    o/r:\n"
            "      issues:\n        - {number: 1, titel: x}\n"
        )

        with pytest.raises(
            SeedError, match=r"github\.repos\.o/r\.issues\[0\]: unknown key 'titel'"
        ):
            load_seed(path)
