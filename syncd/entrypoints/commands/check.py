"""`syncd check`: validate the configuration offline; `--online` then reaches every tracker."""

from __future__ import annotations

import argparse
from pathlib import Path

from syncd.config.hazards import hazards
from syncd.config.loader import load
from syncd.config.model import Config, TrackerConfig
from syncd.entrypoints.commands.online import online_check
from syncd.entrypoints.printable import printable_line
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
    return online_check(config) if args.online else 0


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
