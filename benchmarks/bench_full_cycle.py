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


def is_idle(numbers: CycleNumbers) -> bool:
    """Whether every tracker found nothing new (GitHub: all 304; Jira: an empty search)."""
    return all(report.message == "unchanged" for report in numbers.report.trackers)


def within_idle_budget(numbers: CycleNumbers, repos: int) -> bool:
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
    """Run cycle 1 (full), then incremental cycles until one is idle; print what each cost."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=5)
    parser.add_argument("--per-repo", type=int, default=1000)
    parser.add_argument("--jira", type=int, default=5000)
    parser.add_argument("--no-tracemalloc", action="store_true")
    args = parser.parse_args()
    print(machine())
    print(f"seed: {args.repos} repos x {args.per_repo} GitHub issues + {args.jira} Jira issues")
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        first = bed.cycle(full=True)
        show("cycle 1 (full reconciliation, first sync)", first, args.repos)
        print(f"  ru_maxrss {max_rss_mib():.1f} MiB (the whole process, sandbox included)")
        trackers = args.repos + 1
        for number in range(2, MAX_CYCLES + 1):
            numbers = bed.cycle(full=False)
            idle = is_idle(numbers)
            what = "idle" if idle else "incremental: re-reads what changed within the overlap"
            show(f"cycle {number} ({what})", numbers, args.repos)
            if idle:
                break
        met = idle and within_idle_budget(numbers, args.repos)
        print(
            f"idle budget ({trackers} requests, {args.repos} of them 304, 0 writes): "
            f"{f'met by cycle {number}, the first idle one' if met else 'MISSED'}"
        )
    if not args.no_tracemalloc:
        traced_first_sync(args)
    return 0


def traced_first_sync(args: argparse.Namespace) -> None:
    """The first sync again on a fresh sandbox, under tracemalloc (about 5x slower, so apart)."""
    with Testbed(args.repos, args.per_repo, args.jira) as bed:
        tracemalloc.start()
        bed.cycle(full=True)
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"first sync under tracemalloc: peak {peak / 2**20:.1f} MiB allocated during the cycle, "
        f"{current / 2**20:.1f} MiB still held after it (syncd and the sandbox together)"
    )


if __name__ == "__main__":
    sys.exit(main())
