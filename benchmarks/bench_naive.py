"""syncd against the naive poller, on the same data and the same edits, cycle by cycle.

Usage: .venv/bin/python benchmarks/bench_naive.py [--repos 5] [--per-repo 1000] [--jira 5000]
       [--cycles 8] [--fraction 0.01]
Each side gets a fresh sandbox from the same seed; cycle 1 is the first sync, and before every
later cycle the same 1 % of escalations are edited on both sides (same random sequence). The
naive poller (benchmarks/naive.py) lists everything unconditionally and PUTs every tier label
set every cycle. Prints requests and writes per cycle for both and the ratio naive / syncd.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass

from naive import NaivePoller
from testbed import Requests, Testbed, churn, machine


@dataclass(frozen=True)
class Cost:
    """One cycle of one side."""

    requests: int
    writes: int
    wall: float


def syncd_costs(args: argparse.Namespace) -> list[Cost]:
    """syncd's cycles on a fresh testbed."""
    rng = random.Random(23)
    costs = []
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        for number in range(1, args.cycles + 1):
            if number > 1:
                churn(bed.sandbox, bed.escalations, args.fraction, rng)
            numbers = bed.cycle(full=number == 1)
            costs.append(Cost(numbers.requests.total, numbers.requests.writes, numbers.wall))
    return costs


def naive_costs(args: argparse.Namespace) -> list[Cost]:
    """The naive poller's cycles on a fresh testbed (its syncd service is never run)."""
    rng = random.Random(23)
    costs = []
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        poller = NaivePoller(bed.config)
        for number in range(1, args.cycles + 1):
            if number > 1:
                bed.clock.advance(bed.poll)
                churn(bed.sandbox, bed.escalations, args.fraction, rng)
            before, started = bed.sandbox.stats(), time.perf_counter()
            poller.cycle(bed.clock())
            wall = time.perf_counter() - started
            requests = Requests.between(before, bed.sandbox.stats())
            costs.append(Cost(requests.total, requests.writes, wall))
    return costs


def main() -> int:
    """Run both sides and print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=5)
    parser.add_argument("--per-repo", type=int, default=1000)
    parser.add_argument("--jira", type=int, default=5000)
    parser.add_argument("--cycles", type=int, default=8)
    parser.add_argument("--fraction", type=float, default=0.01)
    args = parser.parse_args()
    print(machine())
    print(f"seed: {args.repos} repos x {args.per_repo} GitHub issues + {args.jira} Jira issues")
    ours, theirs = syncd_costs(args), naive_costs(args)
    print("cycle   syncd requests  writes  wall     naive requests  writes  wall")
    for number, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        print(
            f"{number:>5}   {a.requests:>14}  {a.writes:>6}  {a.wall:>5.2f}s   "
            f"{b.requests:>14}  {b.writes:>6}  {b.wall:>5.2f}s"
        )
    ratios("cycles 2 and on", ours[1:], theirs[1:])
    # Cycles 2-5 still re-read the first sync's writes inside the overlap window.
    ratios("steady (cycles 6 and on)", ours[5:], theirs[5:])
    return 0


def ratios(name: str, ours: list[Cost], theirs: list[Cost]) -> None:
    """Mean requests and writes per cycle of both sides, and naive / syncd."""
    if not ours:
        return
    mean = statistics.mean
    req_a, req_b = mean(c.requests for c in ours), mean(c.requests for c in theirs)
    wr_a, wr_b = mean(c.writes for c in ours), mean(c.writes for c in theirs)
    print(
        f"{name} mean: syncd {req_a:.1f} requests, {wr_a:.1f} writes; "
        f"naive {req_b:.1f} requests, {wr_b:.1f} writes; "
        f"naive/syncd: requests x{req_b / req_a:.0f}, writes x{wr_b / max(wr_a, 1e-9):.0f}"
    )


if __name__ == "__main__":
    sys.exit(main())
