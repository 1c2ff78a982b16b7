"""`syncd report`: the rotation's history (SPEC §11) as a table, CSV, JSON or an SVG chart.

Reads the state file without locking it (next to a running daemon); a missing file is an error
(exit 1). The period ends at the command's clock and starts `--since` before it (default 12w).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta

from syncd.domain.durations import ELAPSED, parse_duration
from syncd.entrypoints import logs
from syncd.entrypoints.report_chart import chart
from syncd.entrypoints.report_formats import as_csv, as_json
from syncd.entrypoints.report_state import read_report
from syncd.entrypoints.report_table import table
from syncd.errors import SyncdError, UsageError
from syncd.service_layer import registry

MAX_PERIOD = timedelta(days=5 * 366)


def run(args: argparse.Namespace) -> int:
    """Print (or with `--svg`, write) the report of the configured state file."""
    from syncd.config.loader import load  # noqa: PLC0415 - keeps --help fast

    period = parse_period(args.since)
    config = load(args.config, require_secrets=False)
    # A state row set aside is reported on stderr: stdout holds the report.
    logs.configure(registry.secret_values(config), stream=sys.stderr)
    until: datetime = args.clock()
    view = read_report(config, until - period, until)
    if args.svg is not None:
        try:
            args.svg.write_text(chart(view), encoding="utf-8")
        except OSError as exc:
            raise SyncdError(f"cannot write the chart to {args.svg}: {exc.strerror}") from exc
    elif args.json:
        print(json.dumps(as_json(view), indent=2))
    elif args.csv:
        sys.stdout.write(as_csv(view))
    else:
        print(table(view, config.rotation.timezone))
    return 0


def parse_period(text: str) -> timedelta:
    """`--since` as a duration back from now (`12w`, `30d`, `1w 2d`); UsageError if not one."""
    try:
        seconds = parse_duration(text, ELAPSED)
    except ValueError as exc:
        raise UsageError(f"--since: {exc}") from exc
    period = timedelta(seconds=seconds)
    if not timedelta(0) < period <= MAX_PERIOD:
        raise UsageError(f"--since must be more than 0 and at most 5 years, got {text!r}")
    return period
