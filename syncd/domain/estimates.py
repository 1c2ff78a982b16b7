"""Estimates in work seconds, from the forms trackers hold them in (SPEC 3.3)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from syncd.domain.durations import Units, format_duration, parse_duration

_BARE_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)?\s*$")
_WEEKS_IN_A_YEAR = 52


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
    return _within_a_year(Reading(seconds, cleaned), units)


def from_seconds(seconds: object, units: Units) -> Reading:
    """Jira time tracking (`timeoriginalestimate`): seconds, or null for no estimate."""
    if seconds is None:
        return NO_ESTIMATE
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        return Reading(None, None, f"time tracking is not a number: {seconds!r}")
    if not math.isfinite(seconds) or seconds < 0:
        return Reading(None, None, f"time tracking out of range: {_short(seconds)}")
    if seconds > _year(units):
        return _absurd(f"{_short(seconds)} seconds")
    return Reading(float(seconds), format_duration(float(seconds), units))


def from_points(points: object, days_per_point: float, units: Units) -> Reading:
    """A story-points field: points x `days_per_point` working days."""
    if points is None:
        return NO_ESTIMATE
    if isinstance(points, bool) or not isinstance(points, int | float):
        return Reading(None, None, f"story points are not a number: {points!r}")
    if not math.isfinite(points) or points < 0:
        return Reading(None, None, f"story points out of range: {_short(points)}")
    seconds = float(points) * days_per_point * units.day
    if seconds > _year(units):
        return _absurd(f"{points:g} story points")
    # The day equivalent beside the points, so that a reader sees what the limit compares.
    days = format_duration(seconds, units)
    shown = f"{points:g} point" + ("" if points == 1 else "s") + f" ({days})"
    return Reading(seconds, shown)


def _year(units: Units) -> float:
    """A year of work in `units`: beyond it an estimate is a typo or junk, not a plan."""
    return _WEEKS_IN_A_YEAR * units.week


def _within_a_year(reading: Reading, units: Units) -> Reading:
    if reading.seconds is not None and reading.seconds > _year(units):
        return _absurd(repr(reading.text))
    return reading


def _absurd(what: str) -> Reading:
    return Reading(None, None, f"estimate above a year of work: {what}")


def _short(number: float) -> str:
    """`number` for a message: never hundreds of digits."""
    return f"{number:.3g}"
