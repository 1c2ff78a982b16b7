"""How long `syncd run` takes to exit after SIGTERM while it lists slow GitHub pages.

Usage: .venv/bin/python benchmarks/bench_stop.py [--pages 6] [--seconds 1 3] [--repos 1 2]
The sandbox serves REPOS repositories of PAGES/REPOS full list pages (100 issues each), every
list page answered after SECONDS; syncd starts on a fresh state file (a first sync: every page
is listed), and SIGTERM is sent as soon as the sandbox has answered the first page. Printed: the
time from SIGTERM to exit, the pages listed, and what listing them all would have taken.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox

LIST = "github.issues.list"
CONFIG = """\
poll_interval: 60s
state_path: {state}
people:
  alice: {{github: alice-gh}}
  lead: {{github: acme-lead}}
rotation: {{timezone: UTC, handoff_time: "09:00", start: 2026-11-02, fallback: lead,
           members: [alice]}}
tiers:
  label_prefix: "tier/"
  rules:
    - {{tier: fire, assign: rotation, when: {{labels_any: [outage]}}}}
  default: {{tier: triage, assign: none}}
estimates: {{limit: 2d, flag_label: needs-team, handoff: team, comment: false}}
trackers:
  - name: web
    kind: github
    repos: [{repos}]
    base_url: {url}
    token: bench-github-token
    escalation_labels: [escalation]
    team: lead
"""


def one(pages: int, seconds: float, repos: int) -> tuple[float, int]:
    """Seconds from SIGTERM to exit, and the list pages the sandbox answered."""
    seed = generated_seed(github_repos=repos, issues_per_repo=100 * pages // repos, jira_issues=0)
    with Sandbox(seed) as sandbox, tempfile.TemporaryDirectory() as scratch:
        sandbox.inject(
            Fault(FaultKind.LATENCY, route=LIST, latency_ms=int(seconds * 1000), count=999)
        )
        names = ", ".join(f"bench/repo{n}" for n in range(repos))
        config = Path(scratch, "syncd.yaml")
        config.write_text(
            CONFIG.format(state=Path(scratch, "s.db"), repos=names, url=sandbox.github_url)
        )
        env = {k: v for k, v in os.environ.items() if not k.endswith(("TOKEN", "EMAIL"))}
        process = subprocess.Popen(
            [sys.executable, "-m", "syncd", "run", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        deadline = time.monotonic() + 60
        while sandbox.stats().count("GET", LIST) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        sent = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
        return time.monotonic() - sent, sandbox.stats().count("GET", LIST)


def main() -> int:
    """Print one line per (pages, seconds, repos) case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--seconds", type=float, nargs="+", default=[1.0, 3.0])
    parser.add_argument("--repos", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print(f"{args.pages} list pages of 100 issues; SIGTERM once the first page was answered")
    for seconds in args.seconds:
        for repos in args.repos:
            took, listed = one(args.pages, seconds, repos)
            print(
                f"  {seconds:g} s pages, {repos} repo(s): exit {took:.2f} s after SIGTERM, "
                f"{listed} of {args.pages} pages listed (the whole listing: "
                f"{args.pages * seconds:g} s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
