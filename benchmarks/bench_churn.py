"""Churn: many cycles with 1 % of the escalations edited by people before each one.

Usage: .venv/bin/python benchmarks/bench_churn.py [--repos 2] [--per-repo 500] [--jira 1000]
       [--cycles 200] [--fraction 0.01] [--no-tracemalloc]
The default dataset is 2,000 issues, not 10,000: under tracemalloc (about 5x slower) 200 cycles
over 10,000 take over ten minutes; `--repos 5 --per-repo 1000 --jira 5000 --no-tracemalloc`
runs the full size in a few minutes.
Cycle 1 is the first full sync; before every later cycle 1 % of the escalations get a label that
changes their tier (outage, wontfix-soon, added or removed) or 5 more reporters. Cycles are 60 s
apart on a simulated clock. Budgets (SPEC 5): a changed issue costs only the writes it needs;
memory does not grow with the number of cycles (tracemalloc current after cycle 1, the middle
one and the last, after a gc; it traces syncd and the in-process sandbox together).
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
import tracemalloc

from testbed import CycleNumbers, Testbed, churn, machine, max_rss_mib

# Cycles 2-5 still re-read the first sync's writes inside the overlap window (bench_full_cycle).
STEADY_FROM = 6


def memory_mib() -> float:
    """Traced memory in use now, after a full collection."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0] / 2**20 if tracemalloc.is_tracing() else 0.0


def summary(name: str, cycles: list[CycleNumbers], edits: int) -> None:
    """Mean and max of requests, writes and time per cycle over `cycles`."""
    if not cycles:
        return
    requests = [c.requests.total for c in cycles]
    writes = [c.writes for c in cycles]
    walls = [c.wall for c in cycles]
    print(
        f"{name} ({len(cycles)} cycles, {edits} issues edited before each): "
        f"requests mean {statistics.mean(requests):.1f} max {max(requests)}; "
        f"writes mean {statistics.mean(writes):.1f} max {max(writes)}; "
        f"wall mean {statistics.mean(walls) * 1000:.0f} ms max {max(walls) * 1000:.0f} ms; "
        f"writes per edited issue {statistics.mean(writes) / edits:.2f}"
    )


def main() -> int:
    """Run the cycles, print the per-cycle costs and the memory checkpoints."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=2)
    parser.add_argument("--per-repo", type=int, default=500)
    parser.add_argument("--jira", type=int, default=1000)
    parser.add_argument("--cycles", type=int, default=200)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--no-tracemalloc", action="store_true")
    args = parser.parse_args()
    print(machine())
    print(f"seed: {args.repos} repos x {args.per_repo} GitHub issues + {args.jira} Jira issues")
    if not args.no_tracemalloc:
        tracemalloc.start()
    rng = random.Random(11)  # the same edits every run
    started = time.perf_counter()
    checkpoints = {*range(50, args.cycles, 50), args.cycles // 2, args.cycles}
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        first = bed.cycle(full=True)
        print(f"cycle 1 (first sync): {first.requests.total} requests, {first.writes} writes")
        print(f"  memory after cycle 1: {memory_mib():.1f} MiB traced, rss {max_rss_mib():.1f}")
        cycles: list[CycleNumbers] = []
        edits = 0
        for number in range(2, args.cycles + 1):
            edits = churn(bed.sandbox, bed.escalations, args.fraction, rng)
            cycles.append(bed.cycle(full=False))
            if number in checkpoints:
                print(
                    f"  memory after cycle {number}: {memory_mib():.1f} MiB traced, "
                    f"rss {max_rss_mib():.1f}"
                )
        print(f"{len(bed.escalations)} open escalations; {edits} edited before each cycle")
        summary("cycles 2 and on", cycles, edits)
        summary(f"steady (cycles {STEADY_FROM} and on)", cycles[STEADY_FROM - 2 :], edits)
    print(f"total time {time.perf_counter() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
