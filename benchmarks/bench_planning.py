"""Planning speed: plan() over 10,000 varied escalations with the SPEC's rules, in issues/second.

Usage: .venv/bin/python benchmarks/bench_planning.py [--issues N] [--rounds R] [--config FILE]
Without --config the SPEC example config is used: config/syncd.yaml through the loader when it
loads, else the same rules built in Python (tests/builders.py). Budget (SPEC 5): well above
10,000 issues a second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere; tests.builders lives in the repo

from syncd.config.loader import load  # noqa: E402
from syncd.config.model import Config  # noqa: E402
from syncd.domain.issue import IssueSnapshot  # noqa: E402
from syncd.domain.ledger import IssueRecord, RecordKey  # noqa: E402
from syncd.domain.planner import plan  # noqa: E402
from syncd.errors import ConfigError  # noqa: E402
from tests.builders import NOW, WORK_DAY, a_config, a_jira_issue, an_issue  # noqa: E402

TITLES = (
    "Salesforce integration drops contacts",
    "CSV export times out",
    "Login page slow for EU customers",
    "Import of invoices fails on line 3",
    "Dashboard shows wrong totals",
)
EXTRA_LABELS = ("outage", "data-loss", "wontfix-soon", "customer/acme", "needs-team")
TIER_LABELS = ("tier/fire", "tier/queue", "tier/triage", "tier/acknowledged")


def snapshot(rng: random.Random, index: int) -> IssueSnapshot:
    """One escalation with a random mix of what the rules look at."""
    labels = ["escalation", *rng.sample(EXTRA_LABELS, rng.randint(0, 2))]
    if rng.random() < 0.3:
        labels.append(rng.choice(TIER_LABELS))
    fields = {
        "title": rng.choice(TITLES),
        "body": "Customer reports the problem.\nEstimate: 3d" if rng.random() < 0.1 else "",
        "labels": tuple(labels),
        "assignees": ("bobby",) if rng.random() < 0.2 else (),
        "created": NOW - timedelta(hours=rng.randint(1, 2000)),
        "updated": NOW - timedelta(minutes=rng.randint(1, 5000)),
        "reporters": rng.randint(1, 8),
        "estimate": rng.choice((None, 2 * 3600.0, WORK_DAY, 3 * WORK_DAY)),
    }
    if index % 2:
        priority = rng.choice(("Highest", "High", "Medium", "Blocker", None))
        return a_jira_issue(key=f"SUP-{index}", priority=priority, **fields)
    return an_issue(key=f"acme/web#{index}", **fields)


def records_for(rng: random.Random, issues: list[IssueSnapshot]) -> dict[RecordKey, IssueRecord]:
    """Half the issues have a record, as after earlier cycles."""
    return {
        (issue.tracker, issue.key): IssueRecord(
            tier="triage", placed_at=NOW - timedelta(days=1), tier_label="tier/triage"
        )
        for issue in issues
        if rng.random() < 0.5
    }


def spec_config(path: Path | None) -> tuple[Config, str]:
    """The config to plan with and where it came from."""
    candidate = path or ROOT / "config" / "syncd.yaml"
    try:
        return load(candidate, require_secrets=False), str(candidate)
    except ConfigError as exc:
        if path is not None:
            raise SystemExit(f"cannot load {path}:\n{exc}") from None
        return a_config(), "the SPEC example built in Python (tests/builders.py)"


def main() -> int:
    """Build the snapshots, time plan() a few rounds, print issues per second."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--config", type=Path)
    args = parser.parse_args()
    rng = random.Random(7)  # the same issues every run, so runs compare
    config, source = spec_config(args.config)
    issues = [snapshot(rng, i) for i in range(args.issues)]
    records = records_for(rng, issues)
    timings = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        plans = plan(issues, records, config, NOW, "alice")
        timings.append(time.perf_counter() - started)
    writes = sum(len(p.actions) for p in plans)
    best, median = min(timings), statistics.median(timings)
    print(f"config: {source}")
    print(f"{args.issues} issues, {writes} planned writes, {args.rounds} rounds")
    print(f"best {args.issues / best:,.0f} issues/s, median {args.issues / median:,.0f} issues/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
