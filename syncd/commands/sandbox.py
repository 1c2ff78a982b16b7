"""`syncd sandbox`: not built yet; says so and fails."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Explain that this command is not available in this build."""
    print("syncd sandbox: not available yet in this build", file=sys.stderr)
    return 1
