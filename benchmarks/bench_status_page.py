"""How long the listener takes to answer `GET /` with 10,000 open escalations in the state.

Usage: .venv/bin/python benchmarks/bench_status_page.py [--issues 10000] [--requests 50]
A state file is seeded with ISSUES seen records (a quarter of them fires, some flagged, each
with an assignee) and a day of writes; a real listener (waitress, as `syncd run` serves it) then
answers REQUESTS page loads over HTTP on loopback, one at a time. Printed: p50 and p95 of the
whole request (open the state read-only, read, render, send), and the page's size.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.adapters.state import SeenIssue, Store
from syncd.clock import fixed
from syncd.config.loader import load
from syncd.domain.cycles import AuditEntry, CycleOutcome, CycleRow
from syncd.entrypoints.listener import Listener
from syncd.entrypoints.pages import page_routes

NOW = datetime(2027, 3, 15, 14, 0, tzinfo=UTC)
TIERS = ("fire", "queue", "triage", "triage")
CONFIG = """\
state_path: {state}
people:
  alice: {{github: alice-gh}}
  bob: {{github: bobby}}
rotation: {{timezone: Europe/Berlin, start: 2026-11-02, members: [alice, bob]}}
tiers:
  label_prefix: "tier/"
  rules:
    - {{tier: fire, assign: rotation, when: {{labels_any: [outage]}}}}
    - {{tier: queue, assign: rotation, when: {{labels_any: [import]}}}}
  default: {{tier: triage, assign: none}}
trackers:
  - {{name: web, kind: github, repos: [acme/web], token: "${{GITHUB_TOKEN}}", team: alice}}
"""


def seed(state: Path, issues: int) -> None:
    """ISSUES seen records of tracker web, a cycle, and 500 writes in the last day."""
    seen = [
        SeenIssue("web", f"acme/web#{n}", f"Checkout fails for customer {n} <again>",
                  f"https://github.com/acme/web/issues/{n}", TIERS[n % 4],
                  ("alice-gh",) if n % 3 else (), 1 + n % 7, NOW - timedelta(minutes=7 * n),
                  NOW - timedelta(minutes=n), n % 11 == 0, NOW)
        for n in range(1, issues + 1)
    ]  # fmt: skip
    with Store.open(state) as store:
        store.seen.save("web", seen, complete=True)
        store.record_cycle(CycleRow("web", NOW, NOW, CycleOutcome.OK, 3, 0, "ok"))
        for n in range(500):
            at = NOW - timedelta(minutes=2 * n)
            store.audit(AuditEntry(at, "web", f"acme/web#{n}", "add_label", "tier/fire",
                                   "tiers.rules[0]", "outage", "ok"))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        state, config_path = Path(scratch, "state.db"), Path(scratch, "syncd.yaml")
        config_path.write_text(CONFIG.format(state=state))
        config = load(config_path, require_secrets=False)
        seed(state, args.issues)
        with Listener(page_routes(lambda: config, fixed(NOW)), "127.0.0.1", 0) as listener:
            url = f"http://127.0.0.1:{listener.port}/"
            # Cold: another ?refresh= each time, so every page is read and rendered afresh (as
            # after each change of the state); warm: the same page while the state stands.
            cold = _timings([f"{url}?refresh={n + 1}" for n in range(args.requests + 3)])
            warm = _timings([url] * (args.requests + 3))
    print(f"GET / with {args.issues:,} open escalations, {args.requests} requests each:")
    for name, (timings, size) in (("cold (state changed)", cold), ("warm (unchanged)", warm)):
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        median = statistics.median(timings)
        print(f"  {name}: p50 {median:.1f} ms, p95 {p95:.1f} ms, page {size / 1024:.0f} KiB")


def _timings(urls: list[str]) -> tuple[list[float], int]:
    """Milliseconds per request, sorted, without the first three (imports, SQLite's cache)."""
    timings, size = [], 0
    for url in urls:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as answer:
            size = len(answer.read())
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings[3:]), size


if __name__ == "__main__":
    main()
