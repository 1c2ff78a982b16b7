"""`syncd check`: validate the configuration offline; the online step plugs in after it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from syncd.config.loader import load
from syncd.config.model import Config, GitHubTracker, TrackerConfig

OnlineCheck = Callable[[Config], int]


def run(args: argparse.Namespace) -> int:
    """Load the file with secrets required, print a summary; ConfigError propagates (exit 2)."""
    path: Path = args.config
    config = load(path)
    print(summary(config))
    if getattr(args, "online", False):
        return online_check()(config)
    return 0


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


def online_check() -> OnlineCheck:
    """The step that reaches every tracker; this build has none, so it says so and fails."""
    return _online_unavailable


def _online_unavailable(config: Config) -> int:
    print("online checks: not available in this build", file=sys.stderr)
    return 1


def _describe(tracker: TrackerConfig) -> str:
    if isinstance(tracker, GitHubTracker):
        return f"{tracker.name}: github, {len(tracker.repos)} repos at {tracker.base_url}"
    flavour = "Cloud (email + token)" if tracker.email is not None else "Server/DC (token)"
    return f"{tracker.name}: jira, {tracker.url}, {flavour}"
