"""First full sync of 10,000 escalations against the sandbox, then the cycles right after it.

Usage: .venv/bin/python benchmarks/bench_full_cycle.py [--repos 5] [--per-repo 1000]
       [--jira 5000] [--no-tracemalloc]
Budgets (SPEC 5): the first sync completes in one cycle; an idle cycle costs one request per
GitHub repo (answered 304) and per Jira tracker, and writes nothing. Cycles are 60 s apart on a
simulated clock. Cycle 2 legitimately sees the issues cycle 1 wrote (their updated_at moved), and
Jira searches keep returning them while they are inside the 2-minute overlap window; the first
cycle after that is the idle one.
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc

from testbed import CycleNumbers, Testbed, machine, max_rss_mib, show_requests

MAX_CYCLES = 10


def is_idle(numbers: CycleNumbers, repos: int) -> bool:
    """Whether a cycle cost what SPEC 5 allows an idle one: a request per repo (304) and one."""
    r = numbers.requests
    return r.total == repos + 1 and r.not_modified == repos and numbers.writes == 0


def show(title: str, numbers: CycleNumbers, repos: int) -> None:
    """Print one cycle's numbers."""
    r = numbers.requests
    lists = r.matching("github.issues.list")
    searches = r.matching("search")
    print(f"{title}:")
    print(
        f"  wall {numbers.wall:.2f}s, CPU {numbers.cpu_process:.2f}s process "
        f"({numbers.cpu_thread:.2f}s syncd's thread)"
    )
    print(
        f"  requests {r.total} (GitHub issue lists {lists} for {repos} repos, "
        f"{r.not_modified} answered 304; Jira searches {searches}); writes {numbers.writes} "
        f"(sandbox counted {r.writes})"
    )
    for report in numbers.report.trackers:
        print(f"  {report.tracker}: {report.outcome.value}, {report.message}")
    show_requests(r)


def main() -> int:
    """Run cycle 1 (full), 2 and 3 (incremental) and print what each cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=5)
    parser.add_argument("--per-repo", type=int, default=1000)
    parser.add_argument("--jira", type=int, default=5000)
    parser.add_argument("--no-tracemalloc", action="store_true")
    args = parser.parse_args()
    print(machine())
    print(f"seed: {args.repos} repos x {args.per_repo} GitHub issues + {args.jira} Jira issues")
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        if not args.no_tracemalloc:
            tracemalloc.start()
        first = bed.cycle(full=True)
        peak = tracemalloc.get_traced_memory()[1] if tracemalloc.is_tracing() else 0
        show("cycle 1 (full reconciliation, first sync)", first, args.repos)
        if peak:
            print(f"  tracemalloc peak {peak / 2**20:.1f} MiB (syncd and the sandbox)")
        print(f"  ru_maxrss {max_rss_mib():.1f} MiB")
        trackers = args.repos + 1
        for number in range(2, MAX_CYCLES + 1):
            numbers = bed.cycle(full=False)
            idle = is_idle(numbers, args.repos)
            what = "idle" if idle else "incremental: re-reads what changed within the overlap"
            show(f"cycle {number} ({what})", numbers, args.repos)
            if idle:
                break
        print(
            f"idle budget ({trackers} requests, {args.repos} of them 304, 0 writes): "
            f"{f'met from cycle {number}' if idle else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
