"""The deployment files: the systemd unit verifies, the Dockerfile copies files that exist, and
both start syncd with flags its command line accepts. (No container engine runs here, so the
image itself is not built: these tests check what can be checked without one.)"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syncd.entrypoints.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "config" / "syncd.service"
DOCKERFILE = ROOT / "Dockerfile"
INSTALLED = "/opt/syncd/bin/syncd"  # where the unit expects the venv's console script


def venv_syncd() -> Path:
    """The `syncd` console script of the interpreter running the tests."""
    return Path(sys.executable).parent / "syncd"


def unit_commands(text: str, key: str) -> list[list[str]]:
    """The argv of every `key=` line of a unit file (e.g. ExecStart)."""
    lines = (line.partition("=")[2] for line in text.splitlines() if line.startswith(f"{key}="))
    return [shlex.split(line) for line in lines]


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = text.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            word, _, rest = stripped.partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def accepts(argv: list[str]) -> bool:
    """Whether syncd's argument parser takes `argv` (it exits 2 when it does not)."""
    try:
        build_parser().parse_args(argv)
    except SystemExit:
        return False
    return True


class TestSystemdUnit:
    """config/syncd.service."""

    @pytest.mark.skipif(
        shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here"
    )
    def test_the_unit_verifies_with_the_venv_syncd_in_place(self, tmp_path: Path) -> None:
        """`systemd-analyze verify` finds nothing wrong once ExecStart names a real syncd."""
        unit = tmp_path / "syncd.service"
        unit.write_text(UNIT.read_text().replace(INSTALLED, str(venv_syncd())))

        done = subprocess.run(
            ["systemd-analyze", "verify", str(unit)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

        assert venv_syncd().exists()
        assert done.returncode == 0, done.stderr
        assert "syncd.service" not in done.stderr

    def test_every_command_of_the_unit_is_one_syncd_accepts(self) -> None:
        """ExecStartPre and ExecStart run syncd subcommands with known flags."""
        text = UNIT.read_text()
        commands = unit_commands(text, "ExecStartPre") + unit_commands(text, "ExecStart")

        assert [argv[0] for argv in commands] == [INSTALLED, INSTALLED]
        assert [argv[1] for argv in commands] == ["check", "run"]
        assert all(accepts(argv[1:]) for argv in commands)

    def test_the_parser_check_can_fail(self) -> None:
        """A flag `syncd run` does not have is refused, so the check above means something."""
        assert not accepts(["run", "--metrics-prot", "9464"])


class TestDockerfile:
    """The Dockerfile (checked statically: there is no container engine here)."""

    def test_every_copied_source_exists_in_the_checkout(self) -> None:
        """COPY from the build context names files and folders that exist."""
        copies = [
            shlex.split(args)
            for word, args in instructions(DOCKERFILE.read_text())
            if word == "COPY" and not args.startswith("--from=")
        ]
        sources = [name for argv in copies for name in argv[:-1]]

        assert {"setup.py", "setup.cfg", "syncd"} <= set(sources)
        assert [name for name in sources if not (ROOT / name).exists()] == []

    def test_entrypoint_and_cmd_make_a_command_syncd_accepts(self) -> None:
        """ENTRYPOINT ["syncd"] + CMD is a `syncd run` with flags the parser knows."""
        found = dict(instructions(DOCKERFILE.read_text()))
        entrypoint, cmd = json.loads(found["ENTRYPOINT"]), json.loads(found["CMD"])

        assert entrypoint == ["syncd"]
        assert cmd[0] == "run"
        assert accepts(cmd)

    def test_the_config_path_the_image_sets_is_where_the_volume_docs_mount_it(self) -> None:
        """SYNCD_CONFIG in the image is the path the Dockerfile's run example mounts."""
        text = DOCKERFILE.read_text()

        assert "ENV SYNCD_CONFIG=/etc/syncd/syncd.yaml" in text
        assert ":/etc/syncd/syncd.yaml:ro" in text
