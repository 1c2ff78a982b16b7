"""`syncd run` with `poll_interval: 5m` reacts to the sandbox's signed webhooks within seconds.

One daemon serves the whole module (its first cycle takes most of the time): the sandbox
delivers to it for GitHub, Jira Cloud and Jira Data Center, each with its own secret. Each test
makes a change, waits for it to be settled between two polls, then waits until every delivery
(the change's and the echoes of syncd's own writes) is posted and settled: "quiet".
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from syncd.sandbox.deliveries import Target
from syncd.sandbox.seed import GitHubIssueSeed
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import RUN_TIMEOUT, TRACKER_OF, World, tier_labels
from tests.e2e.webhook_daemon import (
    SECRETS,
    Daemon,
    github_delivery,
    jira_delivery,
    start_daemon,
    wait_for,
)

pytestmark = pytest.mark.e2e

SETTLED_WITHIN = 15.0  # seconds; the poll would come after 5 minutes
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def daemon(sandbox: Sandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Daemon]:
    """The sandbox at its seed delivering webhooks to a `syncd run` whose first cycle settled."""
    sandbox.reset()
    running = start_daemon(World(sandbox, tmp_path_factory.mktemp("webhooks")))
    sandbox.deliver_webhooks(
        github=Target(running.hook("web"), SECRETS["web"]),
        jira_cloud=Target(running.hook("support"), SECRETS["support"]),
        jira_dc=Target(running.hook("ops"), SECRETS["ops"]),
    )
    try:
        wait_for(lambda: running.cycles() >= len(SECRETS), "the first cycle")
        running.quiet()
        yield running
    finally:
        sandbox.deliver_webhooks()
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(RUN_TIMEOUT) == 0, running.log()[-3000:]


def _placed(daemon: Daemon, key: str, tracker: str) -> Callable[[], bool]:
    """True once `key` is a fire assigned to the person on call, in `tracker`'s identity."""
    expected = daemon.world.identity(daemon.world.on_call(), tracker)
    sandbox = daemon.world.sandbox

    def placed() -> bool:
        view = sandbox.snapshot().issue(key)
        return tier_labels(view) == ["tier/fire"] and view.assignees == (expected,)

    return placed


@dataclass(frozen=True)
class Reaction:
    """What a change cost, from the change until all was quiet."""

    seconds: float  # until it had landed
    writes: int  # writes the sandbox served
    reads: int  # other requests it served
    deliveries: int  # the change's own deliveries
    echoes: int  # deliveries of syncd's writes
    cycles: float  # polling cycles meanwhile
    audited: Counter[tuple[str, str, str]]  # syncd's successful writes meanwhile


def react(daemon: Daemon, change: Callable[[], None], landed: Callable[[], bool]) -> Reaction:
    """Make `change` through the sandbox, wait until `landed`, then until all is quiet."""
    sandbox, world = daemon.world.sandbox, daemon.world
    cycles, before, audited = daemon.cycles(), sandbox.stats(), world.successful_writes()
    queued = _queued(sandbox)
    change()
    own = _queued(sandbox)  # the change's deliveries are queued before it returns
    seconds = wait_for(landed, "the change settled", SETTLED_WITHIN)
    daemon.quiet()
    after = sandbox.stats()
    return Reaction(
        seconds,
        writes=after.writes - before.writes,
        reads=(after.total - after.writes) - (before.total - before.writes),
        deliveries=own - queued,
        echoes=_queued(sandbox) - own,
        cycles=daemon.cycles() - cycles,
        audited=world.successful_writes() - audited,
    )


def _queued(sandbox: Sandbox) -> int:
    """Deliveries the sandbox has queued since it started (posted, pending or dropped)."""
    counts = sandbox.webhooks.deliverer.counts()
    return counts["sent"] + counts["pending"] + counts["dropped"]


class TestChangesSettledBetweenPolls:
    """A change in each tracker is settled by its webhook, not by the 5-minute poll."""

    def test_a_new_github_escalation_is_placed_within_seconds(self, daemon: Daemon) -> None:
        """acme/web#115, opened with `outage`: tier/fire and the person on call, no cycle."""
        sandbox = daemon.world.sandbox
        issue = GitHubIssueSeed(115, "Search is down", labels=("escalation", "outage"))

        reaction = react(
            daemon,
            lambda: sandbox.open_issue("acme/web", issue),
            _placed(daemon, "acme/web#115", "web"),
        )

        self._assert_settled_once(reaction)

    def test_an_escalation_label_added_in_jira_cloud_is_settled(self, daemon: Daemon) -> None:
        """SUP-8 labelled `escalation` and `outage` by hand becomes a fire, assigned."""
        sandbox = daemon.world.sandbox

        reaction = react(
            daemon,
            lambda: sandbox.edit_issue("SUP-8", add_labels=("escalation", "outage")),
            _placed(daemon, "SUP-8", TRACKER_OF["jira-cloud"]),
        )

        self._assert_settled_once(reaction)

    def test_an_escalation_label_added_in_jira_dc_is_settled(self, daemon: Daemon) -> None:
        """OPS-4 labelled `escalation` and `outage` by hand becomes a fire, assigned."""
        sandbox = daemon.world.sandbox

        reaction = react(
            daemon,
            lambda: sandbox.edit_issue("OPS-4", add_labels=("escalation", "outage")),
            _placed(daemon, "OPS-4", TRACKER_OF["jira-dc"]),
        )

        self._assert_settled_once(reaction)

    @staticmethod
    def _assert_settled_once(reaction: Reaction) -> None:
        assert reaction.cycles == 0, "a poll ran: the webhook was not what settled it"
        assert reaction.seconds < SETTLED_WITHIN
        # syncd's own writes came back as deliveries and cost reads, never another write:
        # every write the sandbox served is one syncd logged, none twice.
        assert reaction.echoes >= 1
        assert reaction.writes == sum(reaction.audited.values())
        assert set(reaction.audited.values()) == {1}
        assert reaction.reads <= reaction.deliveries + reaction.echoes


class TestRedeliveries:
    """The same delivery id twice: queued once, then answered 200 and not settled again."""

    def test_a_github_redelivery_answers_200_and_writes_nothing(self, daemon: Daemon) -> None:
        """The same signed GitHub delivery posted twice: 202, then 200; no write."""
        delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958"
        body, headers = github_delivery("acme/web#101", delivery, SECRETS["web"])
        writes = daemon.world.sandbox.stats().writes

        answers = [daemon.post("web", body, headers) for _ in range(2)]
        daemon.quiet()

        assert answers == [202, 200]
        assert daemon.world.sandbox.stats().writes == writes

    def test_a_jira_redelivery_answers_200_and_writes_nothing(self, daemon: Daemon) -> None:
        """The same X-Atlassian-Webhook-Identifier twice (Jira's retry): 202, then 200."""
        body, headers = jira_delivery("SUP-1", "4a6c5e2b-retry", SECRETS["support"])
        writes = daemon.world.sandbox.stats().writes

        answers = [daemon.post("support", body, headers) for _ in range(2)]
        daemon.quiet()

        assert answers == [202, 200]
        assert daemon.world.sandbox.stats().writes == writes


class TestRefusedDeliveries:
    """Deliveries the running daemon refuses change nothing in any tracker."""

    def test_a_wrong_signature_answers_401_and_changes_nothing(self, daemon: Daemon) -> None:
        """acme/web#111 gains `outage` unannounced; a delivery naming it signed with another
        secret answers 401 and leaves it triage; the rightly signed one then settles it."""
        sandbox = daemon.world.sandbox
        targets = sandbox.webhooks.targets()
        sandbox.webhooks.configure({})  # this change sends no webhook of its own
        try:
            sandbox.edit_issue("acme/web#111", add_labels=("outage",))
        finally:
            sandbox.webhooks.configure(targets)
        writes = sandbox.stats().writes
        forged = github_delivery("acme/web#111", "forged-1", "not-the-secret")

        status = daemon.post("web", *forged)
        time.sleep(1.0)  # time enough to react, had it been taken
        daemon.quiet()

        assert status == 401
        assert sandbox.stats().writes == writes
        assert tier_labels(sandbox.snapshot().issue("acme/web#111")) == ["tier/triage"]
        assert daemon.post("web", *github_delivery("acme/web#111", "real-1", SECRETS["web"])) == 202
        wait_for(_placed(daemon, "acme/web#111", "web"), "the signed one settled", SETTLED_WITHIN)
        daemon.quiet()

    def test_a_body_over_5_mib_answers_413(self, daemon: Daemon) -> None:
        """A POST of 5 MiB and one byte to a tracker's webhook: 413, nothing written."""
        writes = daemon.world.sandbox.stats().writes
        body = b"{" + b" " * (5 * MIB - 1) + b"}"

        status = daemon.post("support", body, {"Content-Type": "application/json"})

        assert status == 413
        assert daemon.world.sandbox.stats().writes == writes
