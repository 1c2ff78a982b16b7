"""syncd's own CPU per first sync of 10,000 escalations and per idle cycle, before and after
issue 15's item 5, side by side in one process on the same code.

"before" stands in for the old code by undoing item 5 at run time: each adapter's session keeps
`trust_env` on (requests reads proxies, netrc and the CA bundle again for every request) and the
service reports to a metrics object that is not NullMetrics (so every cycle counts the queue by
tier, as every cycle did). "after" is the code as it is. CPU is syncd's thread
(time.thread_time), the sandbox's threads left out. The order alternates over ROUNDS rounds.

Usage: .venv/bin/python benchmarks/bench_request_cost.py [--repos 5] [--per-repo 1000]
       [--jira 5000] [--rounds 2] [--idle 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
from typing import cast

from testbed import Testbed, machine

import syncd.adapters.github.connections as github_connections
import syncd.adapters.jira.rest as jira_rest
from syncd.adapters.environment import Environment, settle
from syncd.service_layer.metrics import Metrics, NullMetrics
from syncd.service_layer.wiring import build_service


class KeptMetrics:
    """Metrics that are not NullMetrics and keep nothing: the service counts the queue for them."""

    def __init__(self) -> None:
        self._null = NullMetrics()

    def __getattr__(self, name: str) -> object:
        return getattr(self._null, name)


def _trusting(session: object, environment: Environment) -> None:
    """The old way: nothing resolved, the session reads the environment on every request."""


def measure(args: argparse.Namespace, before: bool) -> tuple[float, float]:
    """syncd's CPU seconds for the first sync and the mean of `args.idle` idle cycles."""
    chosen = _trusting if before else settle
    vars(github_connections)["settle"] = chosen
    vars(jira_rest)["settle"] = chosen
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        if before:
            bed.service = build_service(
                bed.config,
                bed.store,
                threading.Event(),
                cast(Metrics, KeptMetrics()),
                clock=bed.clock,
            )
        first = bed.cycle(full=True).cpu_thread
        for _ in range(10):  # the cycles that re-read what cycle 1 wrote, then idle ones
            if all(r.message == "unchanged" for r in bed.cycle(full=False).report.trackers):
                break
        idle = [bed.cycle(full=False).cpu_thread for _ in range(args.idle)]
    return first, statistics.mean(idle)


def main() -> int:
    """Alternate before and after; print each round and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=5)
    parser.add_argument("--per-repo", type=int, default=1000)
    parser.add_argument("--jira", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--idle", type=int, default=5)
    args = parser.parse_args()
    print(f"bench_request_cost: {machine()}")
    print(f"seed: {args.repos} repos x {args.per_repo} GitHub issues + {args.jira} Jira issues")
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for round_ in range(args.rounds):
        for before in (True, False) if round_ % 2 == 0 else (False, True):
            first, idle = measure(args, before)
            results[before].append((first, idle))
            name = "before" if before else "after"
            cost = f"first sync {first:.2f}s, idle cycle {idle * 1000:.1f}ms"
            print(f"  round {round_ + 1} {name}: {cost}")
    for before in (True, False):
        firsts = [first for first, _ in results[before]]
        idles = [idle for _, idle in results[before]]
        print(
            f"{'before' if before else 'after'}: first sync {statistics.median(firsts):.2f}s CPU,"
            f" idle cycle {statistics.median(idles) * 1000:.1f}ms CPU (medians, syncd's thread)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
