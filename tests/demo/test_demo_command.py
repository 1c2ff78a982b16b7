"""`syncd demo`: the sandbox and the real service together, the board after every cycle."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from syncd.clock import starting_at
from syncd.config.loader import load
from syncd.config.model import GitHubTracker, JiraTracker
from syncd.entrypoints.cli import main
from syncd.entrypoints.commands.demo import for_sandbox, open_sandbox, play

ROOT = Path(__file__).resolve().parents[2]
DEMO_CONFIG = ROOT / "config" / "demo.yaml"
# A Tuesday morning in the rotation's zone with alice on shift (tests/demo/test_demo_any_day.py
# plays the demo on many other days).
ALICE_ON_CALL = datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("America/Detroit"))


def cycle_blocks(text: str) -> list[str]:
    """The output split at each `cycle N` headline (the text before the first is dropped)."""
    return re.split(r"^cycle \d+ ", text, flags=re.MULTILINE)[1:]


@pytest.fixture(scope="module")
def three_cycles(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The output of a three-cycle demo on a free port, without pauses, started at ALICE_ON_CALL."""
    out = io.StringIO()
    scratch = tmp_path_factory.mktemp("demo")
    clock = starting_at(ALICE_ON_CALL)
    assert play(3, out, port=0, pause=0, scratch=scratch, clock=clock) == 0
    return out.getvalue()


@pytest.mark.e2e
class TestPlay:
    """play: three cycles of the scripted demo against an in-process sandbox."""

    def test_first_cycle_tiers_assigns_and_flags_the_seed(self, three_cycles: str) -> None:
        """Cycle 1 writes tier labels, rotation assignments and the over-estimate handoff."""
        first = cycle_blocks(three_cycles)[0]

        assert re.search(r"acme/web#101 .* \+tier/fire →\w+", first)
        assert re.search(r"acme/api#204 .* lead +needs-team +\+tier/triage \+needs-team", first)
        assert re.search(r"SUP-5 .* \+tier/triage$", first, flags=re.MULTILINE)

    def test_second_cycle_reacts_to_customers_and_a_new_outage(self, three_cycles: str) -> None:
        """The +1s move acme/web#111 to fire; the new SUP-11 is tiered and assigned."""
        second = cycle_blocks(three_cycles)[1]

        assert re.search(r"acme/web#111 .* \+tier/fire -tier/triage", second)
        assert re.search(r"SUP-11 .* new \+tier/fire →\w+", second)

    def test_third_cycle_respects_people_and_writes_nothing_else(self, three_cycles: str) -> None:
        """A hand-set tier pins it (syncd drops its own label); a person's assignee stays."""
        assert ">> Bob takes acme/web#101 over from Alice; a lead sets" in three_cycles
        third = cycle_blocks(three_cycles)[2]

        assert third.splitlines()[0].endswith("1 write · 5 requests, 1 answered 304")
        assert re.search(r"SUP-2 .* hand:\+tier/queue\s+-tier/fire", third)
        assert re.search(r"acme/web#101 .* bob .* hand:\w+→bob$", third, flags=re.MULTILINE)

    def test_prints_the_rotation_and_how_many_cycles_ran(self, three_cycles: str) -> None:
        """Each board names who is on call; the end says how many cycles ran (no log asked)."""
        assert three_cycles.count("on rotation now: ") == 3
        assert three_cycles.endswith("\nstopped after 3 cycles\n")

    def test_keeps_every_line_within_one_hundred_columns(self, three_cycles: str) -> None:
        """The table, and everything else the demo prints, fits a 100-column terminal."""
        lines = [line for line in three_cycles.splitlines() if "syncd's log:" not in line]

        assert max(len(line) for line in lines) <= 100


@pytest.mark.e2e
class TestForSandbox:
    """for_sandbox: the loaded config pointed at the running sandbox, in memory."""

    def test_moves_loopback_trackers_to_the_sandbox_port(self, tmp_path: Path) -> None:
        """Every tracker URL on 127.0.0.1 gets the sandbox's port; the state path is replaced."""
        config = load(DEMO_CONFIG, {})

        with open_sandbox(port=0) as sandbox:
            moved = for_sandbox(config, sandbox, tmp_path / "s.db")
            port = sandbox.port

        urls = [t.base_url if isinstance(t, GitHubTracker) else t.url for t in moved.trackers]
        assert urls == [
            f"http://127.0.0.1:{port}/github/api/v3",
            f"http://127.0.0.1:{port}/jira-cloud",
            f"http://127.0.0.1:{port}/jira-dc",
        ]
        assert moved.state_path == tmp_path / "s.db"

    def test_leaves_a_remote_tracker_alone(self, tmp_path: Path) -> None:
        """Only loopback URLs are the sandbox's; a real site keeps its URL."""
        config = load(DEMO_CONFIG, {})
        remote = JiraTracker("far", "https://acme.atlassian.net", config.trackers[1].token, "x")
        config = type(config)(**{**config.__dict__, "trackers": (remote,)})

        with open_sandbox(port=0) as sandbox:
            moved = for_sandbox(config, sandbox, tmp_path / "s.db")

        assert moved.trackers == (remote,)

    def test_falls_back_to_a_free_port_when_the_demo_port_is_taken(self) -> None:
        """A busy port does not stop the demo: the sandbox takes another one."""
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            taken = busy.getsockname()[1]

            with open_sandbox(port=taken) as sandbox:
                assert sandbox.port != taken


class TestPackagedConfig:
    """syncd/data/demo.yaml: what `pip install .` users get."""

    def test_is_byte_identical_to_config_demo_yaml(self) -> None:
        """The packaged copy never drifts from the checkout's config/demo.yaml."""
        packaged = ROOT / "syncd" / "data" / "demo.yaml"

        assert packaged.read_bytes() == DEMO_CONFIG.read_bytes()


class TestDemoCommandLine:
    """`syncd demo` as a user starts it."""

    def test_refuses_zero_cycles_with_status_two(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad --cycles is a usage error, before any sandbox starts."""
        status = main(["demo", "--cycles", "0"])

        assert status == 2
        assert "--cycles must be at least 1" in capsys.readouterr().err

    @pytest.mark.e2e
    def test_ctrl_c_stops_the_endless_demo_with_status_zero(self, tmp_path: Path) -> None:
        """Without --cycles the demo runs until SIGINT, exits 0 and removes its temporary folder."""
        env = {**os.environ, "NO_COLOR": "1", "TMPDIR": str(tmp_path)}  # state and log in tmp_path
        process = subprocess.Popen(
            [sys.executable, "-m", "syncd", "demo", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=tmp_path,
        )
        try:
            assert process.stdout is not None
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                if process.stdout.readline().startswith("on rotation now:"):
                    break
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=20)
        finally:
            process.kill()
            process.wait()

        assert process.returncode == 0, err
        assert "stopped after 1 cycle" in out
        assert not list(tmp_path.glob("syncd-demo-*"))
        assert "Traceback" not in err

    @pytest.mark.e2e
    def test_log_keeps_syncds_log_in_the_file_named(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--log FILE` writes syncd's log there, keeps it, and the last line names it."""
        log = tmp_path / "demo.log"

        status = main(["demo", "--cycles", "1", "--port", "0", "--log", str(log)])

        out = capsys.readouterr().out
        assert status == 0
        assert '"event": "write"' in log.read_text(encoding="utf-8")
        assert out.rstrip().endswith(f"stopped after 1 cycle; syncd's log: {log}")


class TestDemoAt:
    """`syncd demo --at TIME`: the demo played as if it were another time."""

    def test_a_time_that_is_not_iso_8601_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad --at is refused with status two before any sandbox starts."""
        status = main(["demo", "--cycles", "1", "--at", "next tuesday"])

        assert status == 2
        assert "--at: not an ISO 8601 time" in capsys.readouterr().err

    @pytest.mark.e2e
    def test_the_board_tells_the_time_and_rotation_of_at(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """At 10:00 in Detroit on 8 Dec 2026 the board reads 15:00 UTC with alice on shift."""
        status = main(["demo", "--cycles", "1", "--port", "0", "--at", "2026-12-08T10:00"])

        out = capsys.readouterr().out
        assert status == 0
        assert "cycle 1 · 15:00:0" in out
        assert "on rotation now: alice until Thu 10 Dec 09:00 (America/Detroit)" in out
