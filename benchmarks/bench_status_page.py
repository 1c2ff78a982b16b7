"""How long the listener takes to answer `GET /` with 10,000 open escalations in the state.

Usage: .venv/bin/python benchmarks/bench_status_page.py [--issues 10000] [--requests 50]
A state file is seeded with ISSUES seen records (a quarter of them fires, some flagged, some
estimated, each with an assignee) and a day of writes; a real listener (waitress, as `syncd run`
serves it) then answers REQUESTS page loads over HTTP on loopback, one at a time, from the
snapshot the daemon's loop thread publishes (as `syncd run` wires it). Printed, p50 and p95:
- cold: a cycle changed the state (one issue saved, a cycle recorded) and published, then a
  request: the page is built afresh from the snapshot (what the first load after a cycle pays);
- warm: the same page while nothing changed;
- publish: what the loop thread spends per publish (not on the request path);
- file: the page read from the state file with no daemon (every request reads and renders).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from syncd.adapters.state import SeenIssue, Store
from syncd.clock import fixed
from syncd.config.loader import load
from syncd.domain.cycles import AuditEntry, CycleOutcome, CycleRow
from syncd.entrypoints.listener import Listener
from syncd.entrypoints.pages import page_routes
from syncd.entrypoints.standup import WRITES_WINDOW
from syncd.service_layer.status_snapshot import StatusPublisher

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
                  NOW - timedelta(minutes=n), n % 11 == 0, NOW,
                  3600.0 * (n % 50) if n % 5 else None)
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
        with Store.open(state) as store:
            publisher = StatusPublisher(store, fixed(NOW), WRITES_WINDOW)
            routes = page_routes(lambda: config, fixed(NOW), publisher.latest)
            with Listener(routes, "127.0.0.1", 0) as listener:
                url = f"http://127.0.0.1:{listener.port}/"
                published: list[float] = []
                cold = _timings([url] * (args.requests + 3), lambda n: published.append(
                    _cycle(store, publisher, n)))  # fmt: skip
                warm = _timings([url] * (args.requests + 3))
        with Listener(page_routes(lambda: config, fixed(NOW)), "127.0.0.1", 0) as listener:
            url = f"http://127.0.0.1:{listener.port}/"
            # Another ?refresh= each time: every page is read from the file and rendered afresh.
            file = _timings([f"{url}?refresh={n + 1}" for n in range(args.requests + 3)])
    print(f"GET / with {args.issues:,} open escalations, {args.requests} requests each:")
    results = (("cold (a cycle changed the state)", cold), ("warm (unchanged)", warm),
               ("publish (loop thread, per cycle)", (sorted(published[3:]), 0)),
               ("file (no daemon: read per request)", file))  # fmt: skip
    for name, (timings, size) in results:
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        median = statistics.median(timings)
        page = f", page {size / 1024:.0f} KiB" if size else ""
        print(f"  {name}: p50 {median:.1f} ms, p95 {p95:.1f} ms{page}")


def _cycle(store: Store, publisher: StatusPublisher, n: int) -> float:
    """What a cycle leaves: one issue saved again, the cycle recorded; then the publish (ms)."""
    issue = SeenIssue("web", f"acme/web#{n + 1}", f"Checkout fails, cycle {n}",
                      f"https://github.com/acme/web/issues/{n + 1}", "fire", (), 2,
                      NOW - timedelta(minutes=7 * (n + 1)), NOW, False, NOW)  # fmt: skip
    store.seen.save("web", [issue], complete=False)
    store.record_cycle(CycleRow("web", NOW, NOW, CycleOutcome.OK, 1, 0, f"cycle {n}"))
    start = time.perf_counter()
    publisher.publish()
    return (time.perf_counter() - start) * 1000


def _timings(
    urls: list[str], before: Callable[[int], object] = lambda n: None
) -> tuple[list[float], int]:
    """Milliseconds per request (`before(n)` untimed ahead of request n), sorted, without the
    first three (imports, SQLite's cache)."""
    timings, size = [], 0
    for n, url in enumerate(urls):
        before(n)
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=30) as answer:
            size = len(answer.read())
        timings.append((time.perf_counter() - start) * 1000)
    return sorted(timings[3:]), size


if __name__ == "__main__":
    main()
