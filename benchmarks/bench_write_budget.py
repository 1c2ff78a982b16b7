"""Write pacing against GitHub's secondary limits, on a simulated clock: today's vs the budget.

The sandbox enforces 80 content-creating requests a minute and 500 an hour (403 with
`Retry-After` beyond them, as GitHub answers). syncd's first sync of about 1,000 GitHub
escalations (some of them fires) runs cycle after cycle, a poll interval (60 s) apart; every
pause (write_interval, a budget's turn, a short rate limit) advances the simulated clock instead
of sleeping. Compared: today's pacing (`write_budget: none`, `write_interval: 1s`, cap 500) and
the default budget (`{per_minute: 80, per_hour: 500}`, same interval and cap, fires first, a
tenth of the hour kept for fires). One escalation in 20 is a fire, and one more fire is opened
30 minutes into the sync. Reported: the simulated time until the seed's last fire carried its
tier label, how long the late fire waited, when the whole sync was done, the 403s GitHub would
have answered, and the cycles it took (cycles that could write nothing are skipped on the poll
grid: CPU only). "today" runs today's pacing keys on this code with the fires-first order
swapped for the listing order, the order writes went in before.

Run: .venv/bin/python benchmarks/bench_write_budget.py
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from testbed import CONFIG, JQL, SimulatedClock, machine

from syncd.adapters.state import Store
from syncd.config.loader import loads
from syncd.config.model import Tiers
from syncd.domain.actions import IssuePlan
from syncd.domain.issue import IssueSnapshot
from syncd.domain.urgency import urgent_first
from syncd.domain.write_budget import WriteBudget, next_write
from syncd.entrypoints.logs import configure
from syncd.sandbox.seed import GitHubIssueSeed, Seed, generated_seed
from syncd.sandbox.server import Sandbox
from syncd.service_layer import service as service_module
from syncd.service_layer.service import CycleReport, Service
from syncd.service_layer.wiring import build_trackers

REPOS, PER_REPO = 10, 100
POLL = timedelta(seconds=60)
LONGEST = timedelta(hours=12)
FIRE_EVERY = 20  # one escalation in 20 is a fire
LATE_FIRE = timedelta(minutes=30)
LATE_REPO = "bench/repo0"
LATE_KEY = f"{LATE_REPO}#100001"
_NO_PACING = "    write_interval: 0s\n    max_writes_per_cycle: 1000000\n    write_budget: none\n"
# name: (the tracker's pacing keys, whether writes go fires first)
PACINGS = {
    "today (write_budget: none, write_interval: 1s, listing order)": (
        "    write_interval: 1s\n    max_writes_per_cycle: 500\n    write_budget: none\n",
        False,
    ),
    "budget (80/min, 500/h, write_interval: 1s, fires first)": (
        "    write_interval: 1s\n    max_writes_per_cycle: 500\n",
        True,
    ),
}


@dataclass(frozen=True)
class Outcome:
    """What one pacing came to."""

    fires: int
    escalations: int
    last_fire: timedelta | None
    late_fire: timedelta | None  # from its arrival (LATE_FIRE into the sync) to tier/fire
    done: timedelta | None
    refused: int
    cycles: int
    writes: int


def run(pacing: str, fires_first: bool) -> Outcome:
    """A first sync under `pacing` until every escalation carries its tier label and settles.

    Without `fires_first`, plans are applied in listing order, as before issue 15 (the service's
    ordering is swapped for the identity: a benchmark's stand-in for the old code).
    """
    vars(service_module)["urgent_first"] = urgent_first if fires_first else _listing_order
    seed = _some_fires(generated_seed(REPOS, PER_REPO, 0))
    clock = SimulatedClock()
    with tempfile.TemporaryDirectory() as tmp, Sandbox(seed, clock=clock) as sandbox:
        sandbox.enforce_secondary_limits()
        text = CONFIG.format(
            state=Path(tmp) / "state.db",
            repos=", ".join(f"bench/repo{r}" for r in range(REPOS)),
            github_url=sandbox.github_url,
            jira_url=sandbox.jira_cloud_url,
            jql=JQL,
        )
        head = text.partition("  - name: support")[0]
        config = loads(head.replace(_NO_PACING, pacing), "bench_write_budget", {})
        with Store.open(config.state_path) as store:
            trackers = build_trackers(config, store.etags, clock)

            def sleep(seconds: float) -> None:
                clock.advance(timedelta(seconds=seconds))

            service = Service(config, trackers, store, clock, sleep)
            budget = config.tracker("web").write_budget
            return _first_sync(service, sandbox, clock, partial(_idle_until, store, budget))


def _idle_until(store: Store, budget: WriteBudget | None, now: datetime) -> datetime:
    """When the budget lets the next write go: cycles before it would list and write nothing."""
    return next_write(store.spending.write_times("web", now), now, budget, 0.0)


def _first_sync(
    service: Service,
    sandbox: Sandbox,
    clock: SimulatedClock,
    idle_until: Callable[[datetime], datetime],
) -> Outcome:
    start = clock.now
    seen: list[tuple[datetime, frozenset[str]]] = []  # when, and the issues carrying tier/fire
    done: datetime | None = None
    cycles = writes = 0
    escalations = 0
    late: datetime | None = None
    late_done: datetime | None = None
    while clock.now - start < LONGEST:
        if late is None and clock.now - start >= LATE_FIRE:
            late = clock.now
            sandbox.open_issue(LATE_REPO, _late_fire(clock.now))
        report = service.cycle(full=cycles == 0)
        cycles += 1
        writes += report.writes
        labelled, fires, escalations = _board(sandbox)
        seen.append((clock.now, fires))
        if late is not None and late_done is None and LATE_KEY in fires:
            late_done = clock.now
        if labelled == escalations and report.writes == 0 and not _paused(report):
            done = clock.now
            break
        # Cycles that could write nothing are skipped, on the poll grid: only CPU is saved.
        idle = idle_until(clock.now)
        if late is None:
            idle = min(idle, start + LATE_FIRE)  # the late fire arrives on time
        polls = max(1, math.ceil((idle - clock.now) / POLL))
        clock.advance(POLL * polls)
    final = seen[-1][1]
    first = final - {LATE_KEY}  # the fires of the seed, there from the start
    last_fire = next((at for at, fires in seen if first <= fires), None)
    return Outcome(
        len(final),
        escalations,
        None if last_fire is None else last_fire - start,
        None if late is None or late_done is None else late_done - late,
        None if done is None else done - start,
        sandbox.secondary.refused if sandbox.secondary else 0,
        cycles,
        writes,
    )


def _paused(report: CycleReport) -> bool:
    return any(t.outcome.value != "ok" for t in report.trackers)


def _board(sandbox: Sandbox) -> tuple[int, frozenset[str], int]:
    """Open escalations with a tier label, those with tier/fire, and how many there are."""
    issues = [
        i for i in sandbox.snapshot().issues
        if i.tracker == "github" and i.state == "open" and "escalation" in i.labels
        and not i.pull_request
    ]  # fmt: skip
    labelled = sum(any(label.startswith("tier/") for label in i.labels) for i in issues)
    fires = frozenset(i.key for i in issues if "tier/fire" in i.labels)
    return labelled, fires, len(issues)


def _listing_order(
    plans: Sequence[IssuePlan], snapshots: Mapping[str, IssueSnapshot], tiers: Tiers
) -> list[IssuePlan]:
    return list(plans)


def _some_fires(seed: Seed) -> Seed:
    """The seed with one escalation in FIRE_EVERY a fire (an outage) and the rest calm: the
    generated seed makes about a third of them fires (outages, six 👍)."""
    repos = tuple(
        replace(repo, issues=tuple(_calm(issue) for issue in repo.issues))
        for repo in seed.github.repos
    )
    return replace(seed, github=replace(seed.github, repos=repos))


def _calm(issue: GitHubIssueSeed) -> GitHubIssueSeed:
    labels = tuple(label for label in issue.labels if label != "outage")
    if issue.number % FIRE_EVERY == 0:
        labels += ("outage",)
    return replace(issue, labels=labels, plus_one=min(issue.plus_one, 2))


def _late_fire(now: datetime) -> GitHubIssueSeed:
    """An outage reported while the first sync is under way."""
    number = int(LATE_KEY.rpartition("#")[2])
    return GitHubIssueSeed(
        number, "Checkout down", labels=("escalation", "outage"), created=now, updated=now
    )


def _minutes(span: timedelta | None) -> str:
    return "not within 12 h" if span is None else f"{span.total_seconds() / 60:.1f} min"


def main() -> None:
    """Print each pacing's numbers."""
    configure((), stream=Path("/dev/null").open("w"), terminal=False)  # noqa: SIM115
    print(f"bench_write_budget: {machine()}")
    for name, (pacing, fires_first) in PACINGS.items():
        outcome = run(pacing, fires_first)
        print(f"{name}:")
        print(f"  escalations {outcome.escalations}, fires {outcome.fires}")
        print(f"  last fire of the seed written after {_minutes(outcome.last_fire)}")
        late = _minutes(outcome.late_fire)
        print(
            f"  a fire arriving {LATE_FIRE.total_seconds() / 60:.0f} min in: written {late} later"
        )
        print(f"  whole first sync done after {_minutes(outcome.done)}")
        print(f"  403 secondary-limit answers: {outcome.refused}")
        print(f"  cycles {outcome.cycles}, writes {outcome.writes}")


if __name__ == "__main__":
    main()
