"""How syncd writes a time for machines (logs, JSON, messages): ISO 8601 in UTC with a Z.

Tables for people use the rotation's zone instead (see syncd.entrypoints.commands.status).
"""

from __future__ import annotations

from datetime import UTC, datetime

UTC_ISO = "%Y-%m-%dT%H:%M:%SZ"


def iso_utc(at: datetime) -> str:
    """`at` (aware) as `2026-11-02T14:00:00Z`: to the second, in UTC."""
    return at.astimezone(UTC).strftime(UTC_ISO)
