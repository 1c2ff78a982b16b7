"""`syncd run --once` without a listener never imports prometheus_client (issue 15)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tests.config.sample import VALID

_SCRIPT = """
import sys
from syncd.entrypoints.cli import main
main(["run", "--once", "-c", sys.argv[1]])
print("prometheus_client" in sys.modules)
"""


def test_once_without_metrics_port_does_not_import_prometheus_client(tmp_path: Path) -> None:
    """A cycle against a closed local port (it fails), then: prometheus_client never loaded."""
    config = tmp_path / "syncd.yaml"
    text = textwrap.dedent(VALID).replace(
        "    token: ${GITHUB_TOKEN}\n",
        "    token: ${GITHUB_TOKEN}\n    base_url: http://127.0.0.1:9\n",
    )
    config.write_text(f"state_path: {tmp_path / 'syncd.db'}\n{text}")
    env = {"GITHUB_TOKEN": "t", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(config)],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip

    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr[-2000:]
