"""`syncd sandbox` as a real process: a free port, the URL line, a request, SIGTERM, exit 0."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# `python -m syncd.entrypoints.cli` would need a __main__ guard; calling main() is what the
# console script does.
_MAIN = "import sys; from syncd.entrypoints.cli import main; sys.exit(main(sys.argv[1:]))"


def _syncd(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _MAIN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def running() -> Iterator[tuple[subprocess.Popen[str], int]]:
    """`syncd sandbox --port N` started; killed at the end if a test left it running."""
    port = _free_port()
    process = _syncd("sandbox", "--port", str(port))
    yield process, port
    if process.poll() is None:
        process.kill()
    process.wait(timeout=5)
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _first_line(process: subprocess.Popen[str], timeout: float = 10.0) -> str:
    """The first stdout line, waiting at most `timeout` seconds."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = ""
    while not line and time.monotonic() < deadline and process.poll() is None:
        line = process.stdout.readline()
    return line


class TestSandboxCommand:
    """The command a user types to try syncd without accounts."""

    def test_serves_until_sigterm_then_exits_zero(
        self, running: tuple[subprocess.Popen[str], int]
    ) -> None:
        """It prints its URL, answers GitHub requests, and stops cleanly on SIGTERM."""
        process, port = running
        line = _first_line(process)
        url = f"http://127.0.0.1:{port}"

        answer = requests.get(
            f"{url}/github/api/v3/repos/acme/web/issues/101",
            headers={"Authorization": "token sandbox-github-token"},
            timeout=5,
        )
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=10)

        assert f"listening on {url}" in line
        assert answer.status_code == 200 and answer.json()["number"] == 101
        assert status == 0

    def test_a_bad_seed_file_exits_2_naming_the_file_and_key_path(self, tmp_path: Path) -> None:
        """A typo in the seed stops it before it listens, with file and key path."""
        seed = tmp_path / "seed.yaml"
        seed.write_text(
            "github:\n  token: t\n  repos:\n    o/r:\n      issues:\n        - {number: 1}\n"
        )

        process = _syncd("sandbox", "--port", str(_free_port()), "--seed", str(seed))
        _, stderr = process.communicate(timeout=10)

        assert process.returncode == 2
        assert str(seed) in stderr and "github.repos.o/r.issues[0]" in stderr
        assert "'title' is required" in stderr and "Traceback" not in stderr

    def test_a_missing_seed_file_exits_2(self, tmp_path: Path) -> None:
        """An unreadable seed path is a clear error, not a traceback."""
        process = _syncd("sandbox", "--port", str(_free_port()), "--seed", str(tmp_path / "no"))
        _, stderr = process.communicate(timeout=10)

        assert process.returncode == 2 and "cannot read the seed" in stderr
