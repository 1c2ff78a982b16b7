"""Webhooks against the sandbox: delivery to last write, the answer time, and idle requests.

Usage: .venv/bin/python benchmarks/bench_webhooks.py [--seconds 10] [--rates 1 5 20]
The sandbox serves a generated seed in this process; `syncd run` is a real process with
`poll_interval: 5m`, `http.listen` on a free loopback port and a GitHub `webhook_secret`, the
sandbox delivering to it. Each change is a person adding `outage` to a triage escalation: one
`labeled` delivery, three writes (tier/triage off, tier/fire on, an assignee). Latency runs from
the change (its delivery is queued in the same moment) to the last of the three landing in the
sandbox's store (watched every 2 ms). GitHub pacing is off (`write_interval: 0s`,
`write_budget: none`) unless --default-pacing: the sandbox has no secondary limit to respect.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests
import yaml
from prometheus_client.parser import text_string_to_metric_families
from testbed import CONFIG, JQL, machine

from syncd.sandbox.deliveries import Target
from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox
from syncd.service_layer.reconciling import OVERLAP

SECRET = "bench-webhook-secret"
REPO = "bench/repo0"
TRACKERS = 2  # web and support: each counts one in syncd_cycles_total per cycle


class Daemon:
    """`syncd run` on a config derived from the benchmark testbed's, until `stop`."""

    def __init__(self, sandbox: Sandbox, home: Path, **settings: Any) -> None:
        self.sandbox, self.port = sandbox, _free_port()
        text = CONFIG.format(
            state=home / "state.db", repos=REPO, github_url=sandbox.github_url,
            jira_url=sandbox.jira_cloud_url, jql=JQL,
        )  # fmt: skip
        document = yaml.safe_load(text)
        document.update(http={"listen": f"127.0.0.1:{self.port}"}, **settings.pop("top", {}))
        github = document["trackers"][0]
        github.update(
            {"webhook_secret": "${BENCH_WEBHOOK_SECRET}", "write_budget": "none", **settings}
        )
        for key in [k for k, v in github.items() if v is None]:
            del github[key]  # None: the default (write_interval 1s, 80/min, 500/h)
        config = home / "syncd.yaml"
        config.write_text(yaml.safe_dump(document), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.endswith(("TOKEN", "EMAIL"))}
        env["BENCH_WEBHOOK_SECRET"] = SECRET
        command = [sys.executable, "-m", "syncd", "run", "-c", str(config)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        self.hook = f"http://127.0.0.1:{self.port}/webhooks/web"
        _until(lambda: self.cycles() >= TRACKERS, 300)

    def metric(self, sample: str, **labels: str) -> float:
        """The sum of `sample` over the series matching `labels` (0 while nothing answers)."""
        try:
            answer = requests.get(f"http://127.0.0.1:{self.port}/metrics", timeout=5)
        except requests.ConnectionError:
            return 0.0
        if answer.status_code != 200:
            return 0.0  # not syncd (yet): its port was taken between choosing and binding
        text = answer.text
        return sum(
            s.value
            for family in text_string_to_metric_families(text)
            for s in family.samples
            if s.name == sample and labels.items() <= s.labels.items()
        )

    def cycles(self) -> float:
        """Tracker cycles finished."""
        return self.metric("syncd_cycles_total")

    def stop(self) -> None:
        """SIGTERM and wait."""
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(60)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _until(condition: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("benchmark: syncd did not get there in time")
        time.sleep(0.02)


def triage_issues(sandbox: Sandbox) -> list[int]:
    """Issue numbers of unassigned triage escalations: each `outage` makes three writes."""
    with sandbox.store.lock:
        issues = sandbox.store.github.repos[REPO].issues.values()
        return [
            i.number
            for i in issues
            if "tier/triage" in i.labels and not i.assignees and i.state == "open"
        ]


def _landed(sandbox: Sandbox, number: int) -> bool:
    issue = sandbox.store.github.repos[REPO].issues[number]
    return (
        "tier/fire" in issue.labels and "tier/triage" not in issue.labels and bool(issue.assignees)
    )


def latencies(sandbox: Sandbox, numbers: list[int], rate: float) -> list[float]:
    """Seconds from each change to its last write, the changes made `rate` a second."""
    started: dict[int, float] = {}
    took: dict[int, float] = {}
    done = threading.Event()
    ended: list[float] = []  # when the last change was made

    def watch() -> None:
        # No store lock: reading a list under the GIL is safe, and the lock would slow the
        # sandbox's own answers (it serves from this process).
        while not done.is_set() or len(took) < len(started):
            now = time.monotonic()
            for number in [n for n in list(started) if n not in took]:
                if _landed(sandbox, number):
                    took[number] = now - started[number]
            time.sleep(0.005)
            if ended and time.monotonic() - ended[0] > 30:
                return  # the rest never landed: reported as missing

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    begin = time.monotonic()
    for index, number in enumerate(numbers):
        time.sleep(max(0.0, begin + index / rate - time.monotonic()))
        started[number] = time.monotonic()
        sandbox.edit_issue(f"{REPO}#{number}", add_labels=("outage",))
    ended.append(time.monotonic())
    done.set()
    watcher.join()
    if len(took) < len(numbers):
        print(f"    {len(numbers) - len(took)} of {len(numbers)} changes never settled")
    return list(took.values())


def answer_times(daemon: Daemon, numbers: list[int], rate: float) -> list[float]:
    """Seconds to answer signed deliveries posted `rate` a second (a new connection each, as
    the sandbox and GitHub post), each naming a settled issue: the re-read writes nothing."""
    times = []
    begin = time.monotonic()
    for index, number in enumerate(numbers):
        time.sleep(max(0.0, begin + index / rate - time.monotonic()))
        body = json.dumps(
            {"action": "edited", "issue": {"number": number}, "repository": {"full_name": REPO}}
        ).encode()
        signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "issues",
            "X-GitHub-Delivery": f"bench-{index}",
            "X-Hub-Signature-256": f"sha256={signature}",
        }
        sent = time.perf_counter()
        status = requests.post(daemon.hook, data=body, headers=headers, timeout=10).status_code
        times.append(time.perf_counter() - sent)
        if status != 202:
            raise SystemExit(f"benchmark: delivery answered {status}")
    return times


def idle_requests(sandbox: Sandbox, daemon: Daemon, cycles: int) -> tuple[int, list[int]]:
    """Requests of the daemon's first cycle (a full pass), then of each incremental idle one."""
    per_cycle: list[int] = []
    seen, stats = daemon.cycles(), sandbox.stats().total
    while len(per_cycle) <= cycles:
        _until(lambda seen=seen: daemon.cycles() >= seen + TRACKERS, 60)
        seen += TRACKERS
        total = sandbox.stats().total
        per_cycle.append(total - stats)
        stats = total
    return per_cycle[0], per_cycle[1:]


def answers(daemon: Daemon) -> dict[str, int]:
    """syncd's answers to deliveries so far, by result."""
    results = ("queued", "duplicate", "queue_full", "ignored")
    counts = {r: int(daemon.metric("syncd_webhook_deliveries_total", result=r)) for r in results}
    return {r: n for r, n in counts.items() if n}


def percentiles(values: list[float]) -> str:
    """p50, p95 and max in ms."""
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )


def main() -> int:
    """Print every measurement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per rate")
    parser.add_argument("--rates", type=float, nargs="+", default=[1.0, 5.0, 20.0])
    # The sandbox grants 5,000 GitHub requests an hour; the first sync of 900 issues, the
    # changes and the idle cycles stay under it (syncd pauses its writes near the end).
    parser.add_argument("--issues", type=int, default=900, help="GitHub issues seeded")
    args = parser.parse_args()
    print(machine())
    seed = generated_seed(github_repos=1, issues_per_repo=args.issues, jira_issues=500)
    with Sandbox(seed) as sandbox, tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        daemon = Daemon(sandbox, home, top={"poll_interval": "5m"}, write_interval="0s")
        sandbox.deliver_webhooks(github=Target(daemon.hook, SECRET))
        free = triage_issues(sandbox)
        print(
            f"{args.issues} GitHub + 500 Jira issues; after the first sync {len(free)} "
            "unassigned triage escalations to change; write_interval 0s, write_budget none"
        )
        print("delivery to last write landed (3 writes each):")
        for rate in args.rates:
            count = min(round(rate * args.seconds), len(free))
            chosen, free = free[:count], free[count:]
            took = latencies(sandbox, chosen, rate)
            print(f"  {rate:g}/s, N={count}: {percentiles(took)}; answers so far {answers(daemon)}")
        times = answer_times(daemon, list(range(1, 201)), 20.0)
        print(f"answer to a delivery, N={len(times)} at 20/s: {percentiles(times)}")
        daemon.stop()
        idle(sandbox, home, quiet_since=time.monotonic())
    return 0


def idle(sandbox: Sandbox, home: Path, quiet_since: float) -> None:
    """Requests an idle daemon sends per hour: webhooks with 5m polls against 60 s polls.

    An incremental cycle lists again what changed within OVERLAP (2 min) of its watermark: it
    is measured once the last change is older than that, as a daemon is idle most of the day.
    """
    sandbox.deliver_webhooks()
    time.sleep(max(0.0, quiet_since + OVERLAP.total_seconds() + 10 - time.monotonic()))
    # 10 s is the shortest poll_interval syncd takes. A restart reconciles only when one is due:
    # forgetting the last one makes the first cycle the hourly full pass, measured as such.
    with sqlite3.connect(home / "state.db") as state:
        state.execute("DELETE FROM reconciliations")
    daemon = Daemon(sandbox, home, top={"poll_interval": "10s"}, write_interval="0s")
    full, incremental = idle_requests(sandbox, daemon, cycles=3)
    daemon.stop()
    each = statistics.mean(incremental)
    print(
        f"idle, measured with poll_interval 10s: a reconciliation (full pass) {full} requests, "
        f"an incremental cycle {incremental} -> {each:g} each"
    )
    print("idle requests per hour (one reconciliation an hour, the default, + the other polls):")
    for label, polls in (("webhooks, poll_interval 5m", 12), ("polling, 60 s", 60)):
        hourly = full + (polls - 1) * each
        print(f"  {label}: {full} + {polls - 1} x {each:g} = {hourly:.0f} requests/hour")


if __name__ == "__main__":
    sys.exit(main())
