"""The `syncd` command line: parses arguments, runs one command, maps errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import syncd
from syncd.clock import Clock, utc_now
from syncd.entrypoints.printable import printable
from syncd.errors import SyncdError

DEFAULT_CONFIG = Path("config/syncd.yaml")
MAX_PORT = 65535


def default_config_path() -> Path:
    """`$SYNCD_CONFIG`, else `config/syncd.yaml`."""
    return Path(os.environ.get("SYNCD_CONFIG") or DEFAULT_CONFIG)


def _port(text: str) -> int:
    """A TCP port, 0 (any free one) to 65535; argparse turns a refusal into exit 2."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text[:20]!r}") from None
    if not 0 <= number <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_PORT}, got {number}")
    return number


def _with_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        type=Path,
        default=None,
        metavar="FILE",
        help="configuration file (default: $SYNCD_CONFIG, then config/syncd.yaml)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line of SPEC section 4."""
    parser = argparse.ArgumentParser(
        prog="syncd", description="Keeps a support-engineer rotation running by itself."
    )
    parser.add_argument("--version", action="version", version=f"syncd {syncd.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="the daemon")
    _with_config(run)
    run.add_argument(
        "--once",
        action="store_true",
        help="one cycle (listing everything when a reconciliation is due), then exit; "
        "status 1 if a tracker failed or stayed rate limited",
    )
    run.add_argument("--dry-run", action="store_true", help="print planned changes, write none")
    run.add_argument(
        "--metrics-port",
        type=_port,
        default=None,
        metavar="N",
        help="serve /metrics, /healthz on port N (instead of http.listen)",
    )
    run.add_argument(
        "--metrics-host",
        default="127.0.0.1",
        metavar="HOST",
        help="address for --metrics-port (default: 127.0.0.1)",
    )

    check = commands.add_parser("check", help="validate the configuration")
    _with_config(check)
    check.add_argument("--online", action="store_true", help="also reach every tracker")
    check.add_argument(
        "--metrics-host",
        default=None,
        metavar="HOST",
        help="the address `run --metrics-host` will use: warn if it is not loopback",
    )

    rotation = commands.add_parser("rotation", help="who is on shift now and next")
    _with_config(rotation)
    rotation.add_argument("--at", default=None, metavar="TIME", help="ISO 8601 time (default: now)")
    rotation.add_argument(
        "--next", type=int, default=5, metavar="N", help="shifts to list after it (default: 5)"
    )
    formats = rotation.add_mutually_exclusive_group()
    formats.add_argument(
        "--ics",
        action="store_true",
        help="the iCalendar feed of /rotation.ics (4 weeks back, 12 ahead)",
    )
    formats.add_argument("--json", action="store_true", help="machine-readable output")

    status = commands.add_parser("status", help="the morning stand-up view")
    _with_config(status)
    status.add_argument("--json", action="store_true", help="machine-readable output")

    report = commands.add_parser("report", help="the rotation's history, per shift and person")
    _with_config(report)
    report.add_argument(
        "--since",
        default="12w",
        metavar="DURATION",
        help="the period, back from now (default: 12w; e.g. 30d, 1w 2d)",
    )
    shapes = report.add_mutually_exclusive_group()
    shapes.add_argument("--csv", action="store_true", help="the shifts, then the people, as CSV")
    shapes.add_argument("--json", action="store_true", help="machine-readable output")
    shapes.add_argument(
        "--svg", type=Path, default=None, metavar="FILE", help="write the chart to FILE (SVG)"
    )

    sandbox = commands.add_parser("sandbox", help="local stand-in for GitHub and Jira")
    sandbox.add_argument(
        "--port", type=_port, default=8765, metavar="N", help="port on 127.0.0.1 (default: 8765)"
    )
    sandbox.add_argument(
        "--seed", type=Path, default=None, metavar="FILE", help="seed YAML (default: built-in)"
    )
    sandbox.add_argument(
        "--secondary-limits",
        action="store_true",
        help="answer GitHub writes beyond 80 a minute or 500 an hour with 403, as GitHub does",
    )
    for side in ("github", "jira-cloud", "jira-dc"):
        sandbox.add_argument(
            f"--webhook-{side}",
            metavar="URL",
            help=f"post signed {side} webhooks to URL (secret: $SANDBOX_WEBHOOK_SECRET)",
        )

    demo = commands.add_parser("demo", help="the sandbox and the daemon together")
    demo.add_argument("--cycles", type=int, default=None, metavar="N", help="stop after N cycles")
    demo.add_argument(
        "--port",
        type=_port,
        default=8765,
        metavar="N",
        help="sandbox port (default: 8765; taken: any free one; 0: any)",
    )
    demo.add_argument(
        "--at",
        default=None,
        metavar="TIME",
        help="play the demo as if it were TIME (ISO 8601; local to the rotation without offset)",
    )
    demo.add_argument(
        "--log",
        type=Path,
        default=None,
        metavar="FILE",
        help="keep syncd's log in FILE (default: a temporary folder removed at the end)",
    )
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock = utc_now) -> int:
    """Entry point of the `syncd` console script; returns the exit status.

    `clock` is the time every command reads (`args.clock`): the real one, or a test's.
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else 2
    args.clock = clock
    if getattr(args, "config", "absent") is None:
        args.config = default_config_path()
    command = importlib.import_module(f"syncd.entrypoints.commands.{args.command}")
    try:
        status: int = command.run(args)
    except SyncdError as exc:
        # Errors may quote a tracker's answer or a file name: no escape sequence may act.
        print(f"syncd {args.command}: {printable(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader left early (`syncd status | head`): no traceback, and stdout pointed at
        # /dev/null so that the interpreter's last flush cannot raise the same error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status
