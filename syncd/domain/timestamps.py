"""How syncd writes a time for machines (logs, JSON, messages): ISO 8601 in UTC with a Z.

Tables for people use the rotation's zone instead (see syncd.entrypoints.commands.status).
"""

from __future__ import annotations

from datetime import UTC, datetime

from syncd.domain.rotation.shift import DAWN, FOREVER

UTC_ISO = "%Y-%m-%dT%H:%M:%SZ"


def iso_utc(at: datetime) -> str:
    """`at` (aware) as `2026-11-02T14:00:00Z`: to the second, in UTC."""
    return at.astimezone(UTC).strftime(UTC_ISO)


def json_time(at: datetime | None) -> str | None:
    """`at` as iso_utc for a JSON document; None (null) for no time and for the open ends of
    time (a shift that never ends)."""
    return None if at is None or at in (DAWN, FOREVER) else iso_utc(at)
