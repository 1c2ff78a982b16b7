"""The runs soak: many `run --once`-like runs of two syncd instances over one sandbox, under
dropped answers, short rate limits and 5xx; at the end every issue is right, no comment is
doubled and no assignee is wrong.

Each run builds a new service over its own state file, as a new process would (the real
adapters from syncd.service_layer.wiring, over HTTP). Instance A runs throughout; instance B,
a second instance someone started with another state file, runs every other run during the
first sync and now and then later. Writes are hit by faults that drop the answer after the
write landed (the client never hears of it), so each instance finds writes it cannot know as
its own.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import structlog

from syncd.adapters.state import CycleOutcome, Store
from syncd.config.loader import loads
from syncd.config.model import Config
from syncd.domain.flagging import COMMENT_MARKER
from syncd.domain.rotation import Roster
from syncd.domain.rotation.journal import MemoryJournal
from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed import GitHubIssueSeed, JiraIssueSeed
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from syncd.sandbox.snapshot import IssueView
from syncd.service_layer import wiring
from syncd.service_layer.service import Service
from tests.e2e.e2e_world import OVER_ESTIMATE, ROUTED, TIERS
from tests.fakes import FakeClock
from tests.soak.sandbox_world import Credentials, demo_config
from tests.soak.test_soak import READ_ROUTES, WRITE_ROUTES

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

# Bob's shift (a Monday morning in the rotation's zone); the runs span a few hours of it.
START = datetime(2027, 3, 15, 10, 0, tzinfo=ZoneInfo("America/Detroit"))
RUNS = 48
FIRST_SYNC = 12  # runs in which A and B take turns
MINUTES_BETWEEN_RUNS = 5  # cron's pace

# The routes the first soak faults (tests/soak/test_soak.py): syncd's writes and its reads.
WRITES, READS = WRITE_ROUTES, READ_ROUTES

# A fire that arrives during the soak; syncd's answer to assigning it is lost, and later a
# person estimates it above the limit: it must end with the team person alone, one comment.
LATE_FIRE = GitHubIssueSeed(
    150, "Checkout down for every customer", labels=("escalation", "outage")
)
LATE_FIRE_KEY = "acme/web#150"
LATE_OUTAGE = JiraIssueSeed("SUP-11", "SSO fails for every tenant", labels=("escalation", "outage"))
ARRIVES, ESTIMATED = 20, 30  # runs before which the fire arrives and is estimated
TEAM = {"acme/web": "acme-lead", "acme/api": "acme-lead", "SUP": "5d53f3cbc6b9320d9ea5bdc2"}
TEAM["OPS"] = "lead"


def faults_for(rng: random.Random, run: int) -> list[Fault]:
    """Two or three faults a run: dropped answers (before or after the write), 5xx, short limits.

    When the late fire arrives, only its assignment's answer is lost (nothing stops the cycle
    before that write).
    """
    if run == ARRIVES:
        return [Fault(FaultKind.DROP_AFTER, route="github.issue.assignees.add")]
    faults = []
    for _ in range(rng.randint(2, 3)):
        kind = rng.choice(("drop-after", "drop-after", "drop", "5xx", "limit", "limit"))
        if kind == "drop-after":
            faults.append(Fault(FaultKind.DROP_AFTER, route=rng.choice(WRITES)))
        elif kind == "drop":
            faults.append(Fault(FaultKind.DROP, route=rng.choice(WRITES + READS)))
        elif kind == "5xx":
            route = rng.choice(WRITES + READS)
            faults.append(Fault(FaultKind.STATUS, route=route, status=rng.choice((500, 502))))
        else:
            route = rng.choice(WRITES + READS)
            faults.append(Fault(FaultKind.RATELIMIT, route=route, status=429, retry_after=2))
    return faults


@dataclass
class Instance:
    """One syncd installation: its config and state file; `run` is one `run --once`."""

    name: str
    config: Config

    def run(self, clock: FakeClock) -> tuple[list[CycleOutcome], list[str]]:
        """One cycle by a new service over this instance's state file; outcomes, crash logs."""
        with Store.open(self.config.state_path) as store:
            trackers = wiring.build_trackers(self.config, store.etags, clock)
            service = Service(
                self.config, trackers, store, clock, clock.advance, rng=random.Random(1)
            )
            with structlog.testing.capture_logs() as logs:
                report = service.cycle()
        crashes = [str(e) for e in logs if e["event"] == "tracker cycle crashed"]
        return [r.outcome for r in report.trackers], crashes


@dataclass
class Soak:
    """The sandbox on a fake clock and the two instances over it."""

    sandbox: Sandbox
    clock: FakeClock
    a: Instance
    b: Instance


@pytest.fixture
def soak(tmp_path: Path) -> Iterator[Soak]:
    """The demo seed on a fake clock at START, and instances A and B with their own state."""
    clock = FakeClock(START.astimezone(ZoneInfo("UTC")))
    with Sandbox(demo_seed(), clock=clock) as sandbox:
        instances = []
        for name in ("a", "b"):
            text = demo_config(sandbox.url, tmp_path / name / "state.db")
            config = loads(text, f"{name}.yaml", Credentials().environment())
            instances.append(Instance(name, config))
        yield Soak(sandbox, clock, *instances)


def _tiers(view: IssueView) -> list[str]:
    return [label for label in view.labels if label.startswith("tier/")]


def _marked(view: IssueView) -> int:
    """Marked comments: the marker in a GitHub body or a Jira property line (IssueView.comments)."""
    return sum(COMMENT_MARKER in text for text in view.comments)


class TestRunsOfTwoInstances:
    """Many short runs, two instances, lost answers and short limits: the end is right."""

    def test_every_issue_ends_right_with_one_comment_and_the_right_assignee(
        self, soak: Soak
    ) -> None:
        """Tiers as the rules say, flagged items with one comment and the team alone, routed
        items with the person on shift alone; then a run of each instance writes nothing."""
        on_call = Roster(soak.a.config.rotation, MemoryJournal()).on_call(soak.clock())
        assert on_call.member == "bob", "START must fall in bob's shift"
        rng = random.Random(20261206)
        crashes: list[str] = []
        outcomes: list[CycleOutcome] = []
        for run in range(RUNS):
            soak.sandbox.clear_faults()
            for fault in faults_for(rng, run):
                soak.sandbox.inject(fault)
            if run == ARRIVES:
                soak.sandbox.open_issue("acme/web", LATE_FIRE)
                soak.sandbox.open_issue("SUP", LATE_OUTAGE)
            if run == ESTIMATED:
                soak.sandbox.edit_issue(LATE_FIRE_KEY, add_labels=("estimate/5d",))
            second = (run < FIRST_SYNC and run % 2 == 1) or run in (25, 41)
            done, crashed = (soak.b if second else soak.a).run(soak.clock)
            outcomes += done
            crashes += crashed
            soak.clock.advance(60 * MINUTES_BETWEEN_RUNS)
        soak.sandbox.clear_faults()
        faulted = soak.sandbox.stats().faults
        soak.clock.advance(3600)  # past every backoff and pause
        settle = [soak.a.run(soak.clock) for _ in range(2)]
        writes = soak.sandbox.stats().writes
        last = [soak.a.run(soak.clock), soak.b.run(soak.clock)]

        assert crashes == []
        assert faulted >= 20, "the faults should have been reached"
        assert CycleOutcome.ERROR in outcomes
        assert all(done == [CycleOutcome.OK] * 3 for done, _ in settle + last), settle + last
        assert soak.sandbox.stats().writes == writes, "settled trackers: no write from A nor B"
        self._assert_right(soak.sandbox.snapshot().issues, on_call.member)

    def _assert_right(self, issues: tuple[IssueView, ...], person: str) -> None:
        views = {view.key: view for view in issues}
        expected_tiers = {**TIERS, LATE_FIRE_KEY: "fire", "SUP-11": "fire"}
        tiers = {key: _tiers(views[key]) for key in expected_tiers}
        assert tiers == {key: [f"tier/{tier}"] for key, tier in expected_tiers.items()}
        flagged = (*OVER_ESTIMATE, LATE_FIRE_KEY)
        comments = {key: _marked(views[key]) for key in expected_tiers}
        assert comments == {key: int(key in flagged) for key in expected_tiers}
        for key in flagged:
            assert "needs-team" in views[key].labels, key
            assert views[key].assignees == (TEAM[views[key].container],), key
        bob = {"github": "bobby", "jira-cloud": "5b10a2844c20165700ede21g", "jira-dc": "bob"}
        assert person == "bob"
        for key in (*ROUTED, "SUP-11"):
            if key not in flagged:
                assert views[key].assignees == (bob[views[key].tracker],), key
