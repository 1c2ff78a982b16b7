"""The benchmark testbed: a generated sandbox, a config pointing at it, the real Service.

Shared by bench_full_cycle.py, bench_churn.py and bench_naive.py. Everything runs in this
process: the sandbox serves on 127.0.0.1 port 0 in a thread, syncd talks to it over HTTP through
the real adapters built by syncd.service_layer.wiring, and logs go (fully rendered, as in
production) to
/dev/null. CPU time is reported twice: the process (syncd and the sandbox together) and syncd's
own thread (time.thread_time), since the sandbox's threads share the process.
"""

from __future__ import annotations

import os
import platform
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from syncd.adapters.state import Store  # noqa: E402
from syncd.config.loader import loads  # noqa: E402
from syncd.config.model import Config  # noqa: E402
from syncd.entrypoints.logs import configure  # noqa: E402
from syncd.sandbox.seed import Seed, generated_seed  # noqa: E402
from syncd.sandbox.server import Sandbox  # noqa: E402
from syncd.sandbox.traffic import Stats  # noqa: E402
from syncd.service_layer.service import CycleReport, Service  # noqa: E402
from syncd.service_layer.wiring import build_service  # noqa: E402

# Time between cycles (SPEC's default poll_interval), passed on a simulated clock so that the
# overlap windows of incremental fetches behave as in production without waiting for real.
POLL = timedelta(seconds=60)
JQL = "project = BENCH AND labels = escalation AND statusCategory != Done"

# People match syncd.sandbox.seed.generated_seed: GitHub logins are assignable in every bench
# repo, Jira Cloud accounts acct-alice/bob/lead in project BENCH.
CONFIG = """\
poll_interval: 10s
state_path: {state}
people:
  alice: {{github: alice-gh, jira: acct-alice}}
  bob:   {{github: bobby, jira: acct-bob}}
  lead:  {{github: acme-lead, jira: acct-lead}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  start: 2026-11-02
  fallback: lead
  members: [alice, bob]
tiers:
  label_prefix: "tier/"
  rules:
    - tier: fire
      assign: rotation
      when:
        any:
          - labels_any: [outage, data-loss]
          - priority: [Highest, Blocker]
          - reporters: ">= 5"
    - tier: acknowledged
      assign: none
      when: {{labels_any: [wontfix-soon]}}
    - tier: queue
      assign: rotation
      when:
        all:
          - not: {{estimate: "> 1d"}}
          - text: "(?i)integration|export|import"
  default: {{tier: triage, assign: none}}
estimates:
  limit: 2d
  flag_label: needs-team
  handoff: team
  comment: true
trackers:
  - name: web
    kind: github
    repos: [{repos}]
    base_url: {github_url}
    token: bench-github-token
    escalation_labels: [escalation]
    priority_label: "priority/(.+)"
    estimate: {{label: "estimate/(.+)", body: "(?im)^estimate:\\\\s*(.+)$"}}
    team: lead
    write_interval: 0s
    max_writes_per_cycle: 1000000
    write_budget: none
  - name: support
    kind: jira
    url: {jira_url}
    email: bench@example.com
    token: bench-jira-token
    jql: {jql}
    estimate: {{field: timeoriginalestimate}}
    team: lead
    write_interval: 0s
    max_writes_per_cycle: 1000000
"""


def bench_config(sandbox: Sandbox, repos: int, state: Path) -> Config:
    """The benchmark config (SPEC rules, no pacing, a cap above any cycle's writes)."""
    text = CONFIG.format(
        state=state,
        repos=", ".join(f"bench/repo{r}" for r in range(repos)),
        github_url=sandbox.github_url,
        jira_url=sandbox.jira_cloud_url,
        jql=JQL,
    )
    return loads(text, "benchmarks/testbed.py", {})


class SimulatedClock:
    """Now, as syncd and the sandbox both see it; moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        """Let `by` pass."""
        self.now += by


@dataclass(frozen=True)
class Requests:
    """Requests the sandbox served between two moments, by "METHOD route"."""

    by_route: dict[str, int]
    not_modified: int
    writes: int

    @classmethod
    def between(cls, before: Stats, after: Stats) -> Requests:
        """The difference of two sandbox stats."""
        counts = Counter(after.requests)
        counts.subtract(before.requests)
        return cls(
            {k: v for k, v in sorted(counts.items()) if v},
            after.not_modified - before.not_modified,
            after.writes - before.writes,
        )

    @property
    def total(self) -> int:
        """Every request."""
        return sum(self.by_route.values())

    def matching(self, fragment: str) -> int:
        """Requests whose "METHOD route" contains `fragment` (e.g. "github.issues.list")."""
        return sum(n for name, n in self.by_route.items() if fragment in name)


@dataclass(frozen=True)
class CycleNumbers:
    """What one cycle cost."""

    wall: float
    cpu_process: float
    cpu_thread: float
    requests: Requests
    report: CycleReport

    @property
    def writes(self) -> int:
        """Writes syncd counted (the sandbox's own count is in `requests.writes`)."""
        return self.report.writes


@dataclass
class Testbed:
    """A started sandbox with a generated seed and a syncd Service against it."""

    repos: int
    issues_per_repo: int
    jira_issues: int
    poll: timedelta = POLL
    sandbox: Sandbox = field(init=False)
    service: Service = field(init=False)
    store: Store = field(init=False)

    def __enter__(self) -> Testbed:
        self._dir = tempfile.TemporaryDirectory(prefix="syncd-bench-")
        self._devnull = Path(os.devnull).open("w")
        configure((), stream=self._devnull, terminal=False)
        seed = generated_seed(self.repos, self.issues_per_repo, self.jira_issues)
        self.escalations = escalation_keys(seed)
        self.clock = SimulatedClock()
        self.sandbox = Sandbox(seed, clock=self.clock).start()
        config = bench_config(self.sandbox, self.repos, Path(self._dir.name) / "state.db")
        self.config = config
        self.store = Store.open(config.state_path)
        self.service = build_service(config, self.store, threading.Event(), clock=self.clock)
        self.cycles = 0
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.store.close()
        self.sandbox.stop()
        self._devnull.close()
        self._dir.cleanup()

    def cycle(self, full: bool) -> CycleNumbers:
        """Let a poll interval pass (after the first), run one service cycle and measure it."""
        if self.cycles:
            self.clock.advance(self.poll)
        self.cycles += 1
        before = self.sandbox.stats()
        wall, cpu, thread = time.perf_counter(), time.process_time(), time.thread_time()
        report = self.service.cycle(full)
        numbers = CycleNumbers(
            wall=time.perf_counter() - wall,
            cpu_process=time.process_time() - cpu,
            cpu_thread=time.thread_time() - thread,
            requests=Requests.between(before, self.sandbox.stats()),
            report=report,
        )
        failed = [r for r in report.trackers if r.outcome.value != "ok"]
        if failed:
            raise SystemExit(f"benchmark cycle failed: {failed}")
        return numbers


def escalation_keys(seed: Seed) -> tuple[str, ...]:
    """Keys of the seed's open escalations (what syncd lists), GitHub then Jira."""
    github = [
        f"{repo.full_name}#{issue.number}"
        for repo in seed.github.repos
        for issue in repo.issues
        if "escalation" in issue.labels and not issue.pull_request
    ]
    jira = [
        issue.key
        for project in seed.jira_cloud.projects
        for issue in project.issues
        if "escalation" in issue.labels
    ]
    return (*github, *jira)


# A label that makes the tier fire, or acknowledged, or takes that away; or customers pile on.
_EDITS = (
    ("add", "outage"),
    ("remove", "outage"),
    ("add", "wontfix-soon"),
    ("remove", "wontfix-soon"),
    ("reporters", "5"),
)


def churn(sandbox: Sandbox, keys: tuple[str, ...], fraction: float, rng: random.Random) -> int:
    """People edit `fraction` of the escalations (a tier-changing label, or +5 reporters)."""
    chosen = rng.sample(keys, max(1, round(len(keys) * fraction)))
    for key in chosen:
        kind, value = rng.choice(_EDITS)
        if kind == "add":
            sandbox.edit_issue(key, add_labels=(value,))
        elif kind == "remove":
            sandbox.edit_issue(key, remove_labels=(value,))
        else:
            sandbox.add_reporters(key, int(value))
    return len(chosen)


def max_rss_mib() -> float:
    """The process's peak resident set size so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """One line about where the numbers come from."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


def show_requests(requests: Requests, indent: str = "    ") -> None:
    """Print requests by route."""
    for name, count in requests.by_route.items():
        print(f"{indent}{name}: {count}")
