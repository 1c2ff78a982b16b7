"""The status page in a real browser, served by a running `syncd run` against the sandbox."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from syncd.clock import utc_now
from syncd.sandbox.seed import GitHubIssueSeed
from syncd.sandbox.seed_shift import moved
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox
from tests.browser.conftest import ARTIFACTS
from tests.e2e.e2e_world import World
from tests.metrics.test_metrics_process import free_port

TOKEN = "browser-test-token-42"
HOSTILE = "<script>alert(1)</script>"
REFRESH = 2  # seconds: ?refresh=2


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[Sandbox, str]]:
    """The sandbox with a hostile issue, and `syncd run` serving the page on a free port."""
    with Sandbox(moved(demo_seed(), utc_now())) as sandbox:
        when = utc_now()
        hostile = GitHubIssueSeed(900, HOSTILE, labels=("escalation", "outage"))
        sandbox.open_issue("acme/web", replace(hostile, created=when, updated=when))
        world = World(sandbox, tmp_path)
        port = free_port()
        document = yaml.safe_load(world.config_path.read_text())
        document["http"] = {"listen": f"127.0.0.1:{port}", "token": TOKEN}
        world.config_path.write_text(yaml.safe_dump(document))
        env = {k: v for k, v in os.environ.items() if not k.endswith(("TOKEN", "EMAIL"))}
        process = subprocess.Popen(
            [sys.executable, "-m", "syncd", "run", "-c", str(world.config_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=tmp_path,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for_queue(base, process)
            yield sandbox, base
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def _wait_for_queue(base: str, process: subprocess.Popen[bytes], deadline: float = 30) -> None:
    """Until /api/status shows the first cycle's queue."""
    end = time.monotonic() + deadline
    request = urllib.request.Request(
        f"{base}/api/status", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    while time.monotonic() < end:
        assert process.poll() is None, "syncd run exited"
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                if any(group["count"] for group in json.load(answer)["queue"]):
                    return
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2)
    raise AssertionError("no queue on /api/status in time")


class TestStatusPageInABrowser:
    def test_the_page_shows_the_queue_escapes_titles_and_refreshes_itself(
        self, daemon: tuple[Sandbox, str], browser_page: Any
    ) -> None:
        """Signed in once by ?token (then a URL without it), the queue by tier fires first, a
        `<script>` title shown as text with no dialog, and a new fire appears by itself."""
        sandbox, base = daemon
        page = browser_page
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        loads: list[str] = []
        page.on("load", lambda _: loads.append(page.url))

        page.goto(f"{base}/?token={TOKEN}&refresh={REFRESH}")

        assert page.url == f"{base}/?refresh={REFRESH}"
        tiers = page.locator(".tier").evaluate_all("els => els.map(e => e.dataset.tier)")
        assert tiers[:4] == ["fire", "acknowledged", "queue", "triage"]  # demo.yaml's rule order
        fire = page.locator('.tier[data-tier="fire"]')
        assert fire.get_by_text(HOSTILE, exact=True).count() == 1
        assert fire.get_by_role("link", name="acme/web#900").count() == 1
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "status-page.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")

        when = utc_now()
        late = GitHubIssueSeed(901, "Printer on fire", labels=("escalation", "outage"))
        sandbox.open_issue("acme/web", replace(late, created=when, updated=when))
        page.get_by_text("Printer on fire").wait_for(timeout=40_000)

        assert len(loads) >= 2  # the page reloaded itself: nobody navigated
        assert dialogs == []
