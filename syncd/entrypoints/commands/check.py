"""`syncd check`: validate the configuration offline; `--online` then reaches every tracker."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from syncd.config.hazards import hazards
from syncd.config.loader import load
from syncd.config.model import Config, TrackerConfig
from syncd.config.notify import DEFAULT_COVERAGE_DAYS
from syncd.domain.notices.due import coverage_gaps
from syncd.domain.notices.slack import local_time
from syncd.domain.rotation import Roster
from syncd.entrypoints.commands.online import online_check
from syncd.entrypoints.printable import printable_line
from syncd.entrypoints.rotation_feed import journal_of
from syncd.service_layer.registry import kind_of


def run(args: argparse.Namespace) -> int:
    """Load the file with secrets required, print a summary; ConfigError propagates (exit 2)."""
    path: Path = args.config
    config = load(path)
    print(summary(config))
    found = hazards(config, metrics_host=args.metrics_host)
    if found:
        count = "1 warning" if len(found) == 1 else f"{len(found)} warnings"
        print(f"{count} (syncd can run, but this setup is unsafe):")
        print("\n".join(f"  {printable_line(str(hazard))}" for hazard in found))
    gaps = coverage(config, args.clock())
    if gaps:
        count = "1 coverage warning" if len(gaps) == 1 else f"{len(gaps)} coverage warnings"
        print(f"{count} (shifts with nobody on the rotation eligible):")
        print("\n".join(f"  {printable_line(gap)}" for gap in gaps))
    return online_check(config) if args.online else 0


def coverage(config: Config, now: datetime) -> list[str]:
    """A line per shift in the next `notify.coverage_days` (default 14) nobody is eligible for;
    the journal of the state file, when there is one, fixes the shifts already started."""
    days = config.notify.coverage_days if config.notify is not None else DEFAULT_COVERAGE_DAYS
    zone = config.rotation.timezone.key
    lines = []
    for gap in coverage_gaps(Roster(config.rotation, journal_of(config)), now, days):
        held = f"fallback {gap.fallback} covers" if gap.fallback else "nobody will be assigned"
        why = f" ({gap.why})" if gap.why else ""
        span = f"{local_time(gap.start, zone)} until {local_time(gap.end, zone)}"
        lines.append(f"{span}: nobody eligible{why}; {held}")
    return lines


def summary(config: Config) -> str:
    """A few lines saying what the file configures; never a secret."""
    lines = [f"{config.source}: OK"]
    lines += [f"  tracker {_describe(tracker)}" for tracker in config.trackers]
    rotation = config.rotation
    lines.append(f"  people: {len(config.people)}, rotation members: {len(rotation.members)}")
    lines.append(
        f"  rules: {len(config.tiers.rules)}, default tier: {config.tiers.default_tier}"
        f" (labels {config.tiers.label_prefix}*)"
    )
    return "\n".join(lines)


def _describe(tracker: TrackerConfig) -> str:
    line: str = kind_of(tracker).describe(tracker)
    return line
