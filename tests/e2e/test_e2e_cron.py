"""`syncd run --once` from cron: a run over unchanged trackers costs what an idle cycle costs."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import Outcome, World

pytestmark = pytest.mark.e2e

# An idle run over the demo trackers (GitHub `web` with acme/web and acme/api, Jira Cloud
# `support`, Jira Data Center `ops`): one conditional list per repository, answered 304, and one
# search per Jira tracker; no write, no label or comment read, and nothing asked again about
# the Jira sites (their flavour, zone, working day and fields are kept in the state file).
IDLE_RUN = Counter(
    {
        "GET github.issues.list": 2,
        "GET jira.cloud.search.jql": 1,
        "GET jira.dc.search": 1,
    }
)


def requests_of(sandbox: Sandbox, run: object) -> Counter[str]:
    """The requests the sandbox served during `run()`, by method and route."""
    before = Counter(sandbox.stats().requests)
    run()  # type: ignore[operator]
    return Counter(sandbox.stats().requests) - before


class TestCron:
    """`--once` runs in a row, as a cron job every few minutes makes them."""

    def test_a_run_over_unchanged_trackers_sends_only_conditional_lists_and_searches(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """No reconciliation when one is not due: 2 GitHub 304s, 1 search per Jira tracker.

        The first run syncs the seed; the second reads back the issues its writes changed (the
        lists' ETags changed with them); the third finds the trackers unchanged.
        """
        assert [world.once().status for _ in range(2)] == [0, 0]
        not_modified = sandbox.stats().not_modified
        writes = sandbox.stats().writes

        outcomes: list[Outcome] = []
        sent = requests_of(sandbox, lambda: outcomes.append(world.once()))

        assert outcomes[0].status == 0
        assert sent == IDLE_RUN
        assert sandbox.stats().not_modified - not_modified == 2
        assert sandbox.stats().writes == writes

    def test_a_dry_run_learns_the_jira_sites_without_keeping_them(
        self, world: World, sandbox: Sandbox
    ) -> None:
        """`--dry-run` asks each Jira site itself and leaves the state file's kept facts alone."""
        assert world.once().status == 0
        conn = sqlite3.connect(world.state_path, isolation_level=None)
        conn.execute("DELETE FROM jira_sites")
        conn.close()

        sent = requests_of(sandbox, lambda: world.syncd("--dry-run", "--once"))

        assert sent["GET jira.cloud.serverInfo"] == sent["GET jira.dc.serverInfo"] == 1
        conn = sqlite3.connect(world.state_path)
        assert conn.execute("SELECT COUNT(*) FROM jira_sites").fetchone() == (0,)
        conn.close()
