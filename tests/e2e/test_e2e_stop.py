"""SIGTERM while `syncd run` lists slow GitHub pages: it exits about a page later, not a listing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from syncd.adapters.state import Store
from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed import generated_seed
from syncd.sandbox.server import Sandbox
from tests.e2e.e2e_world import RUN_TIMEOUT

pytestmark = pytest.mark.e2e

PAGES = 6  # 100 issues a page
PAGE_SECONDS = 1.0  # every list page is this slow
LIST = "github.issues.list"

CONFIG = """\
poll_interval: 60s
state_path: {state}
people:
  alice: {{github: alice-gh}}
  bob: {{github: bobby}}
  lead: {{github: acme-lead}}
rotation: {{timezone: UTC, handoff_time: "09:00", start: 2026-11-02, fallback: lead,
           members: [alice, bob]}}
tiers:
  label_prefix: "tier/"
  rules:
    - {{tier: fire, assign: rotation, when: {{labels_any: [outage]}}}}
  default: {{tier: triage, assign: none}}
estimates: {{limit: 2d, flag_label: needs-team, handoff: team, comment: false}}
trackers:
  - name: web
    kind: github
    repos: [bench/repo0]
    base_url: {url}
    token: bench-github-token
    escalation_labels: [escalation]
    team: lead
"""


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """One repository of PAGES full list pages, each answered after PAGE_SECONDS."""
    with Sandbox(generated_seed(github_repos=1, issues_per_repo=100 * PAGES, jira_issues=0)) as sb:
        sb.inject(
            Fault(FaultKind.LATENCY, route=LIST, latency_ms=int(PAGE_SECONDS * 1000), count=99)
        )
        yield sb


def listed(sandbox: Sandbox) -> int:
    """List pages the sandbox has answered so far."""
    return sandbox.stats().count("GET", LIST)


def start_syncd(config: Path) -> subprocess.Popen[str]:
    """`syncd run -c CONFIG` (the daemon) as a real process, with no tokens in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.endswith(("TOKEN", "EMAIL"))}
    env.pop("SYNCD_CONFIG", None)
    return subprocess.Popen(
        [sys.executable, "-m", "syncd", "run", "-c", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=config.parent,
    )


class TestSigtermDuringAListing:
    """The daemon stops between two pages of its first listing."""

    def test_sigterm_after_page_one_exits_within_a_page_and_writes_nothing(
        self, sandbox: Sandbox, tmp_path: Path
    ) -> None:
        """Exit 0 about one page after SIGTERM, pages left unread, no write, no cycle recorded."""
        state = tmp_path / "state.db"
        config = tmp_path / "syncd.yaml"
        config.write_text(CONFIG.format(state=state, url=sandbox.github_url), encoding="utf-8")
        process = start_syncd(config)
        deadline = time.monotonic() + RUN_TIMEOUT
        while listed(sandbox) < 1 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)

        process.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
        took = time.monotonic() - signalled

        assert process.returncode == 0, stderr
        # The page in flight at SIGTERM is waited for, no later one: the whole listing would
        # have taken (PAGES - 1) more pages.
        assert took < 2 * PAGE_SECONDS + 1, f"{took:.1f} s after SIGTERM"
        assert 1 <= listed(sandbox) <= 2
        assert "listing interrupted, nothing applied" in stdout
        assert sandbox.stats().writes == 0
        with Store.open(state, read_only=True) as store:
            assert store.last_cycles() == {}
            assert store.watermark("web") is None
