"""The `syncd` command line itself: what every command accepts, and the exit status of a misuse."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

import syncd
from syncd.entrypoints.cli import main

DEMO = Path(__file__).resolve().parents[2] / "config" / "demo.yaml"


class TestPortArguments:
    """`sandbox --port`, `demo --port` and `run --metrics-port` take a TCP port, 0 to 65535."""

    @pytest.mark.parametrize(
        "argv",
        [
            ["sandbox", "--port", "70000"],
            ["sandbox", "--port", "-5"],
            ["demo", "--port", "99999"],
            ["run", "--metrics-port", "65536"],
        ],
    )
    def test_a_port_out_of_range_is_a_usage_error_naming_the_option(
        self, argv: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Exit 2 with the option and the allowed range on stderr, and no traceback."""
        status = main(argv)

        err = capsys.readouterr().err
        assert status == 2
        assert argv[1] in err and "0 and 65535" in err
        assert "Traceback" not in err

    def test_a_port_that_is_no_number_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`--port http` exits 2 naming the option."""
        status = main(["sandbox", "--port", "http"])

        assert status == 2
        assert "--port" in capsys.readouterr().err


class TestUsage:
    """What argparse decides before any command runs."""

    def test_an_unknown_command_returns_status_two(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`syncd bogus` is a usage error: main returns 2 instead of raising SystemExit."""
        status = main(["bogus"])

        assert status == 2
        assert "invalid choice" in capsys.readouterr().err

    def test_help_returns_status_zero(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`syncd rotation --help` prints the usage in SPEC words and returns 0."""
        status = main(["rotation", "--help"])

        out = capsys.readouterr().out
        assert status == 0
        assert "[-c FILE]" in out and "[--at TIME]" in out and "[--next N]" in out


class TestPipes:
    """Output piped into a reader that stops early, as `syncd status | head` does."""

    def test_a_reader_that_goes_away_ends_syncd_without_a_traceback(self, tmp_path: Path) -> None:
        """`syncd rotation --next 1000 | head -1`: exit 1, nothing on stderr but a short line."""
        command = [sys.executable, "-m", "syncd", "rotation", "-c", str(DEMO), "--next", "1000"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
        )
        assert process.stdout is not None and process.stderr is not None

        process.stdout.readline()
        process.stdout.close()
        status = process.wait(timeout=30)
        err = process.stderr.read().decode()
        process.stderr.close()

        assert status == 1
        assert "Traceback" not in err


class TestVersion:
    """`syncd --version` prints the package's version and exits 0."""

    def test_version_prints_the_package_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The version is syncd.__version__, the one setup.cfg declares."""
        status = main(["--version"])

        assert status == 0
        assert capsys.readouterr().out == f"syncd {syncd.__version__}\n"

    def test_setup_cfg_takes_the_version_from_the_package(self) -> None:
        """One place to change: setup.cfg reads syncd.__version__ rather than repeating it."""
        setup = configparser.ConfigParser()
        setup.read(Path(__file__).resolve().parents[2] / "setup.cfg")

        assert setup["metadata"]["version"] == "attr: syncd.__version__"
