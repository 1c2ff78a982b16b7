"""Estimates in work seconds, from the forms trackers hold them in (SPEC 3.3)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from syncd.durations import Units, format_duration, parse_duration

_BARE_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")


@dataclass(frozen=True)
class Reading:
    """An estimate read from a tracker: work seconds and how it was written, or a problem."""

    seconds: float | None
    text: str | None
    problem: str | None = None


NO_ESTIMATE = Reading(seconds=None, text=None)


def from_text(text: str, units: Units) -> Reading:
    """`3d`, `1w 2d`, `4h`: Jira work time; a bare number is read as hours, as Jira does."""
    cleaned = text.strip()
    if len(cleaned) > 64:
        return Reading(None, None, f"estimate too long to be one ({len(cleaned)} characters)")
    try:
        if _BARE_NUMBER.match(cleaned):
            seconds = float(cleaned) * 3600
        else:
            seconds = parse_duration(cleaned, units)
    except ValueError as exc:
        return Reading(None, None, str(exc))
    if not math.isfinite(seconds):
        return Reading(None, None, f"estimate out of range: {cleaned!r}")
    return Reading(seconds, cleaned)


def from_seconds(seconds: object, units: Units) -> Reading:
    """Jira time tracking (`timeoriginalestimate`): seconds, or null for no estimate."""
    if seconds is None:
        return NO_ESTIMATE
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return Reading(None, None, f"time tracking is not a number: {seconds!r}")
    if not math.isfinite(seconds) or seconds < 0:
        return Reading(None, None, f"time tracking out of range: {seconds!r}")
    return Reading(float(seconds), format_duration(float(seconds), units))


def from_points(points: object, days_per_point: float, units: Units) -> Reading:
    """A story-points field: points x `days_per_point` working days."""
    if points is None:
        return NO_ESTIMATE
    if isinstance(points, bool) or not isinstance(points, int | float):
        return Reading(None, None, f"story points are not a number: {points!r}")
    if not math.isfinite(points) or points < 0:
        return Reading(None, None, f"story points out of range: {points!r}")
    shown = f"{points:g} point" + ("" if points == 1 else "s")
    return Reading(float(points) * days_per_point * units.day, shown)
