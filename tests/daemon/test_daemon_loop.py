"""The daemon loop in-process: cycles, stop, reload; plus one real `syncd run` under SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from syncd.adapters.state import Store
from syncd.config.model import Config
from syncd.entrypoints.cli import main
from syncd.errors import ConfigError, ConfigProblem, RateLimited, TrackerUnavailable
from syncd.service_layer.daemon import Daemon
from syncd.service_layer.service import Service
from tests.builders import a_config, a_github_tracker
from tests.fakes import FakeClock, FakeTracker, SteppingClock

START = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)


class Harness:
    """A daemon over one FakeTracker and a real state file, with a stand-in config loader."""

    def __init__(self, tmp: Path, monotonic: Callable[[], float] | None = None) -> None:
        self.source = tmp / "syncd.yaml"
        self.source.write_text("version: 1\n")
        self.config = replace(
            a_config(trackers=(a_github_tracker("web"),)), source=self.source, poll_interval=10.0
        )
        self.clock = FakeClock(START)
        self.web = FakeTracker("web", self.clock)
        self.store = Store.open(tmp / "syncd.db")
        self.loaded: list[Path] = []
        self.next_load: Config | ConfigError | None = None
        self.built: list[Config] = []
        self.stop_after: int | None = None
        self.daemon = Daemon(
            self.config,
            self.build,
            self.load,
            monotonic=monotonic or SteppingClock(),
        )

    def build(self, config: Config, stop: threading.Event) -> Service:
        self.built.append(config)
        return Service(
            config, {"web": self.web}, self.store, self.clock, stop.wait, stop_requested=stop.is_set
        )

    def load(self, path: Path) -> Config:
        self.loaded.append(path)
        result = self.next_load or self.config
        if isinstance(result, ConfigError):
            raise result
        return result

    def stop_after_cycles(self, count: int) -> None:
        """Ask the daemon to stop once the tracker has been fetched `count` times."""
        original = self.web.fetch

        def fetch(since: datetime | None) -> object:
            result = original(since)
            if len(self.web.fetches) >= count:
                self.daemon.request_stop()
            return result

        self.web.fetch = fetch  # type: ignore[method-assign]


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    made = Harness(tmp_path)
    yield made
    made.store.close()


class TestOnce:
    def test_one_full_cycle_then_status_zero(self, harness: Harness) -> None:
        """`--once` fetches everything once and reports success."""
        key = harness.web.open_issue(labels=("escalation", "outage"))

        status = harness.daemon.run_once()

        assert status == 0
        assert harness.web.fetches == [None]
        assert "tier/fire" in harness.web.labels(key)

    def test_a_failed_tracker_gives_status_one(self, harness: Harness) -> None:
        """`--once` exits 1 when a tracker failed."""
        harness.web.fail_next(1, TrackerUnavailable("connection refused"), ops=["fetch"])

        assert harness.daemon.run_once() == 1

    def test_a_tracker_paused_by_a_rate_limit_gives_status_one(self, harness: Harness) -> None:
        """`--once` exits 1 when a tracker could not sync because of a rate limit."""
        until = START + timedelta(minutes=5)
        harness.web.fail_next(1, RateLimited("secondary rate limit", until), ops=["fetch"])

        assert harness.daemon.run_once() == 1


class TestLoop:
    def test_cycles_until_stopped_and_exits_zero(self, harness: Harness) -> None:
        """The loop runs cycles back to back (the clock jumps) until a stop, then returns 0."""
        harness.web.open_issue()
        harness.stop_after_cycles(3)

        status = harness.daemon.run_forever()

        assert status == 0
        assert harness.daemon.cycles == 3
        assert harness.web.fetches[0] is None
        assert harness.web.fetches[1] is not None

    def test_a_stop_ends_the_wait_at_once(self, tmp_path: Path) -> None:
        """With a real clock and a 10 s interval, a stop request returns within a second."""
        harness = Harness(tmp_path, monotonic=time.monotonic)
        threading.Timer(0.2, harness.daemon.request_stop).start()
        began = time.monotonic()

        status = harness.daemon.run_forever()

        assert status == 0
        assert time.monotonic() - began < 2.0
        harness.store.close()

    def test_sigterm_stops_the_loop_with_status_zero(self, tmp_path: Path) -> None:
        """A real SIGTERM to this process, while the loop waits, ends it cleanly."""
        harness = Harness(tmp_path, monotonic=time.monotonic)
        previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        harness.daemon.install_signal_handlers()
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
        try:
            status = harness.daemon.run_forever()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            harness.store.close()

        assert status == 0
        assert harness.daemon.cycles == 1

    def test_the_signal_handler_logs_nothing_and_the_loop_names_the_signal(
        self, harness: Harness
    ) -> None:
        """A handler that logged could deadlock on the log stream's lock; the loop logs instead."""
        with capture_logs() as in_handler:
            harness.daemon._on_signal(signal.SIGTERM, None)
        with capture_logs() as in_loop:
            status = harness.daemon.run_forever()

        assert in_handler == []
        assert status == 0
        stopping = [e for e in in_loop if e["event"] == "stopping"]
        assert stopping[0]["signal"] == "SIGTERM"


class TestReload:
    def test_a_changed_config_file_is_loaded_and_the_service_rebuilt(
        self, harness: Harness
    ) -> None:
        """Editing the file makes the next cycle run with the new config."""
        harness.next_load = replace(harness.config, poll_interval=30.0)
        harness.stop_after_cycles(2)
        original = harness.web.fetch

        def fetch_and_edit(since: datetime | None) -> object:
            harness.source.write_text("version: 2\n")
            return original(since)

        harness.web.fetch = fetch_and_edit  # type: ignore[method-assign]

        harness.daemon.run_forever()

        assert harness.loaded == [harness.source]
        assert harness.daemon.config.poll_interval == 30.0
        assert len(harness.built) == 2

    def test_a_config_file_change_makes_the_next_cycle_a_full_reconciliation(
        self, tmp_path: Path
    ) -> None:
        """A reload noticed by the file's change reconciles everything, as a SIGHUP reload does."""
        steps = iter(range(0, 10_000, 20))
        harness = Harness(tmp_path, monotonic=lambda: float(next(steps)))
        harness.stop_after_cycles(2)
        original = harness.web.fetch

        def fetch_and_edit(since: datetime | None) -> object:
            harness.source.write_text("version: 2\n")
            return original(since)

        harness.web.fetch = fetch_and_edit  # type: ignore[method-assign]

        with capture_logs() as logs:
            harness.daemon.run_forever()
        harness.store.close()

        assert len(harness.built) == 2
        assert [e["full"] for e in logs if e["event"] == "cycle"] == [True, True]

    def test_an_invalid_new_config_is_logged_and_the_old_one_keeps_running(
        self, harness: Harness
    ) -> None:
        """A config error on reload logs its problems; the running config is unchanged."""
        problem = ConfigProblem(str(harness.source), 3, "poll_interval", "below the minimum")
        harness.next_load = ConfigError([problem])
        harness.source.write_text("poll_interval: 1s\n")
        harness.stop_after_cycles(1)

        with capture_logs() as logs:
            harness.daemon.run_forever()

        assert harness.daemon.config is harness.config
        assert len(harness.built) == 1
        failed = [e for e in logs if e["event"].startswith("config reload failed")]
        assert failed[0]["problems"] == [str(problem)]

    def test_sighup_reloads_while_waiting(self, tmp_path: Path) -> None:
        """A reload request during the wait loads the file again without a file change."""
        harness = Harness(tmp_path, monotonic=time.monotonic)
        threading.Timer(0.1, harness.daemon.request_reload).start()
        threading.Timer(0.4, harness.daemon.request_stop).start()

        harness.daemon.run_forever()
        harness.store.close()

        assert harness.loaded == [harness.source]
        assert len(harness.built) == 2


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


CONFIG = """\
poll_interval: 10s
state_path: {state}
people:
  alice: {{github: alice-gh}}
rotation:
  timezone: America/Detroit
  handoff_time: "09:00"
  shift_length: 2
  start: 2026-11-02
  members: [alice]
tiers:
  label_prefix: "tier/"
  rules:
    - tier: fire
      assign: rotation
      when: {{labels_any: [outage]}}
  default: {{tier: triage, assign: none}}
estimates:
  limit: 2d
trackers:
  - name: web
    kind: github
    repos: [acme/web]
    base_url: http://127.0.0.1:{port}
    token: ${{GITHUB_TOKEN}}
    team: alice
    write_interval: 0s
"""


@pytest.mark.e2e
class TestRunProcess:
    def test_sigterm_after_the_first_cycle_exits_zero_with_the_cycle_saved(
        self, tmp_path: Path
    ) -> None:
        """`python -m syncd run` against an unreachable tracker stops on SIGTERM with status 0."""
        state = tmp_path / "var" / "syncd.db"
        config = tmp_path / "syncd.yaml"
        config.write_text(CONFIG.format(state=state, port=_closed_port()))
        env = {**os.environ, "GITHUB_TOKEN": "ghp_notarealtoken0123456789"}
        process = subprocess.Popen(
            [sys.executable, "-m", "syncd", "run", "-c", str(config)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for_a_cycle(state, deadline=time.monotonic() + 20)
            process.send_signal(signal.SIGTERM)
            status = process.wait(timeout=5)
        finally:
            if process.poll() is None:
                process.kill()
        out, err = process.communicate()

        assert status == 0, err
        assert "ghp_notarealtoken" not in out + err
        rows = sqlite3.connect(state).execute("SELECT tracker, outcome FROM cycles").fetchall()
        assert rows[0] == ("web", "error")


def _wait_for_a_cycle(state: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if state.exists():
            try:
                with Store.open(state, read_only=True) as store:
                    if store.last_cycles():
                        return
            except Exception:  # noqa: BLE001 - the file may be half-created; poll again
                pass
        time.sleep(0.05)
    raise AssertionError("no cycle was recorded in time")


class TestRunCommand:
    def test_a_bad_config_exits_two_before_touching_the_state(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unset ${VAR} is a config error: status 2, and no state file is created."""
        state = tmp_path / "var" / "syncd.db"
        config = tmp_path / "syncd.yaml"
        config.write_text(CONFIG.format(state=state, port=_closed_port()))

        status = main(["run", "--once", "-c", str(config)])

        assert status == 2
        assert "GITHUB_TOKEN" in capsys.readouterr().err
        assert not state.exists()

    def test_a_dry_run_against_an_unreachable_tracker_says_so_and_writes_nothing(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The dry run prints what it could not reach, exits 1, and creates no state file."""
        state = tmp_path / "var" / "syncd.db"
        config = tmp_path / "syncd.yaml"
        config.write_text(CONFIG.format(state=state, port=_closed_port()))
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_notarealtoken0123456789")

        status = main(["run", "--dry-run", "--metrics-port", "9100", "-c", str(config)])

        out = capsys.readouterr().out
        assert status == 1
        assert "not reached: web" in out
        assert "a dry run serves no metrics" in out
        assert "ghp_notarealtoken" not in out
        assert not state.exists()
