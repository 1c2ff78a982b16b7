"""`syncd run --metrics-port` as a real process against the sandbox: /healthz and /metrics."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from syncd.entrypoints.cli import main
from syncd.sandbox.faults import Fault, FaultKind
from syncd.sandbox.seed_yaml import demo_seed
from syncd.sandbox.server import Sandbox

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"


def free_port() -> int:
    """A port nothing listens on (bound and released; fine for a test on loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    """One /healthz answer."""

    status: int
    document: dict[str, object]


@dataclass
class Daemon:
    """A `syncd run` process and the port of its metrics server."""

    process: subprocess.Popen[str]
    port: int

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as got:
                return got.status, got.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def settled_health(self, deadline: float = 30.0) -> Answer:
        """The first /healthz answer after every tracker finished a cycle."""
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            assert self.process.poll() is None, self.process.communicate()
            try:
                status, body = self.get("/healthz")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)  # the server is not listening yet
                continue
            document = json.loads(body)
            trackers = document["trackers"]
            assert isinstance(trackers, dict)
            if trackers and all(t["outcome"] != "starting" for t in trackers.values()):
                return Answer(status, document)
            time.sleep(0.1)
        raise AssertionError("no cycle of every tracker finished in time")

    def stop(self) -> int:
        """SIGTERM, then the exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=10)


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(demo_seed()) as running:
        yield running


def start(tmp_path: Path, config_text: str, *, from_file: bool = False) -> Daemon:
    """`syncd run` on `config_text`, serving on a free port: given as `--metrics-port`, or
    (`from_file`) written in the file as `http.listen`."""
    config = tmp_path / "syncd.yaml"
    port = free_port()
    text = config_text.replace("var/demo.db", str(tmp_path / "syncd.db"))
    if from_file:
        text += f"\nhttp:\n  listen: 127.0.0.1:{port}\n"
    config.write_text(text)
    command = [sys.executable, "-m", "syncd", "run", "-c", str(config)]
    command += [] if from_file else ["--metrics-port", str(port)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    return Daemon(process, port)


@pytest.fixture
def run(tmp_path: Path) -> Iterator[list[Daemon]]:
    """Started daemons, killed at the end if a test left one running."""
    started: list[Daemon] = []
    yield started
    for daemon in started:
        if daemon.process.poll() is None:
            daemon.process.kill()
            daemon.process.wait()


def demo_config(sandbox: Sandbox) -> str:
    """The bundled demo config (poll_interval 10s) pointed at this sandbox."""
    return DEMO.read_text().replace("127.0.0.1:8765", f"127.0.0.1:{sandbox.port}")


@pytest.mark.e2e
class TestHealthOfARunningDaemon:
    def test_the_listener_of_the_config_file_serves_healthz(
        self, sandbox: Sandbox, tmp_path: Path, run: list[Daemon]
    ) -> None:
        """`http.listen` in the file, no flag: the daemon serves /healthz there, 200 "ok"."""
        daemon = start(tmp_path, demo_config(sandbox), from_file=True)
        run.append(daemon)

        health = daemon.settled_health()
        status = daemon.stop()

        assert (health.status, health.document["status"]) == (200, "ok")
        assert status == 0

    def test_healthy_after_the_first_cycle_with_metrics_for_every_tracker(
        self, sandbox: Sandbox, tmp_path: Path, run: list[Daemon]
    ) -> None:
        """All three sandbox trackers sync: /healthz 200 "ok", /metrics counts their cycles."""
        daemon = start(tmp_path, demo_config(sandbox))
        run.append(daemon)

        health = daemon.settled_health()
        _, metrics = daemon.get("/metrics")
        status = daemon.stop()

        assert (health.status, health.document["status"]) == (200, "ok")
        for tracker in ("web", "support", "ops"):
            assert f'syncd_cycles_total{{outcome="ok",tracker="{tracker}"}} 1.0' in metrics
        assert 'syncd_queue_size{tier="fire",tracker="web"}' in metrics
        assert status == 0

    def test_a_tracker_at_a_closed_port_makes_it_503_naming_the_tracker(
        self, sandbox: Sandbox, tmp_path: Path, run: list[Daemon]
    ) -> None:
        """The GitHub tracker cannot connect: 503, and the reason starts with its name."""
        github = f"http://127.0.0.1:{sandbox.port}/github/api/v3"
        text = demo_config(sandbox).replace(github, f"http://127.0.0.1:{free_port()}")
        daemon = start(tmp_path, text)
        run.append(daemon)

        health = daemon.settled_health()
        status = daemon.stop()

        assert (health.status, health.document["status"]) == (503, "failing")
        assert str(health.document["reason"]).startswith("web: ")
        trackers = health.document["trackers"]
        assert isinstance(trackers, dict)
        assert trackers["support"]["outcome"] == "ok"
        assert status == 0

    def test_a_rate_limited_tracker_is_paused_and_still_healthy(
        self, sandbox: Sandbox, tmp_path: Path, run: list[Daemon]
    ) -> None:
        """A 429 with Retry-After 120 on Jira Cloud search: 200, support paused two minutes."""
        sandbox.inject(
            Fault(FaultKind.RATELIMIT, route="jira.cloud.search.jql", status=429, retry_after=120)
        )
        daemon = start(tmp_path, demo_config(sandbox))
        run.append(daemon)

        before = time.time()
        health = daemon.settled_health()
        _, metrics = daemon.get("/metrics")
        status = daemon.stop()

        assert (health.status, health.document["status"]) == (200, "paused")
        assert "support: rate limited until" in str(health.document["reason"])
        trackers = health.document["trackers"]
        assert isinstance(trackers, dict)
        assert trackers["support"]["outcome"] == "paused"
        assert trackers["web"]["outcome"] == "ok"
        paused = next(
            line for line in metrics.splitlines()
            if line.startswith('syncd_paused_until_timestamp{tracker="support"}')
        )  # fmt: skip
        assert before + 100 < float(paused.split()[-1]) < time.time() + 130
        assert status == 0


class TestMetricsPortArgument:
    def test_a_port_out_of_range_is_a_usage_error_before_any_state(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--metrics-port 70000` exits 2 naming the option, and creates no state file."""
        config = tmp_path / "syncd.yaml"
        config.write_text(DEMO.read_text().replace("var/demo.db", str(tmp_path / "syncd.db")))

        status = main(["run", "--once", "-c", str(config), "--metrics-port", "70000"])

        assert status == 2
        assert "--metrics-port" in capsys.readouterr().err
        assert not (tmp_path / "syncd.db").exists()
