"""Durations as people write them (`30s`, `2d`, `1w 2d 4h`) in wall-clock or Jira work time."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[wdhms]\s*)+$", re.IGNORECASE)


@dataclass(frozen=True)
class Units:
    """Seconds in a day and in a week: 24h/7d for elapsed time, working hours for effort."""

    day: float
    week: float

    @classmethod
    def effort(cls, hours_per_day: float, days_per_week: float) -> Units:
        """Jira work time: a day is `hours_per_day` hours, a week `days_per_week` such days."""
        return cls(day=hours_per_day * 3600, week=days_per_week * hours_per_day * 3600)


ELAPSED = Units(day=86400.0, week=7 * 86400.0)
DEFAULT_EFFORT = Units.effort(8, 5)


def parse_duration(text: str, units: Units) -> float:
    """Return the seconds in `text`; raise ValueError with a readable reason when it is not one."""
    if not isinstance(text, str) or not _WHOLE.match(text):
        raise ValueError(f"not a duration: {text!r} (expected e.g. 30s, 10m, 4h, 2d, 1w 2d 4h)")
    scale = {"w": units.week, "d": units.day, "h": 3600.0, "m": 60.0, "s": 1.0}
    return sum(float(n) * scale[u.lower()] for n, u in _PART.findall(text))


def format_duration(seconds: float, units: Units) -> str:
    """Render seconds the way Jira does (`1w 2d 4h`), largest units first, dropping zeros."""
    if seconds <= 0:
        return "0m"
    parts = []
    remaining = round(seconds)
    for name, size in (("w", units.week), ("d", units.day), ("h", 3600.0), ("m", 60.0)):
        count = int(remaining // size)
        if count:
            parts.append(f"{count}{name}")
            remaining -= round(count * size)
    if not parts:
        return f"{int(remaining)}s"
    return " ".join(parts)
