"""Pure mapping from Jira's issue JSON (REST v2) to syncd's IssueSnapshot; never raises."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from syncd.config.model import Estimates, JiraTracker
from syncd.domain.durations import Units
from syncd.domain.estimates import NO_ESTIMATE, Reading, from_points, from_seconds
from syncd.domain.issue import IssueSnapshot, MappedIssue, utc_time

# Time-tracking fields hold seconds; any other estimate field is read as story points.
TIME_FIELDS = frozenset({"timeoriginalestimate", "timeestimate", "aggregatetimeoriginalestimate"})

# Generous limits so that a hostile or broken payload cannot make mapping slow or deep.
_MAX_TEXT = 1_000_000
_MAX_ADF_NODES = 100_000


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _name_of(value: object) -> str | None:
    """`{"name": ...}` objects (priority, issuetype, component) to their name."""
    return _text(_mapping(value).get("name"))


def parse_time(value: object) -> datetime | None:
    """Jira's `2026-11-26T10:15:00.000+0200` (or ISO 8601) as aware UTC; None when unreadable."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        return utc_time(value)
    except ValueError:
        return None


def adf_text(document: object) -> str:
    """The plain text in an Atlassian Document Format tree (v3 rich text), depth-first."""
    parts: list[str] = []
    stack: list[object] = [document]
    seen = 0
    while stack and seen < _MAX_ADF_NODES:
        node = _mapping(stack.pop())
        seen += 1
        text = node.get("text")
        if isinstance(text, str):
            parts.append(text)
        if node.get("type") in ("paragraph", "heading", "hardBreak") and parts:
            parts.append("\n")
        content = node.get("content")
        if isinstance(content, list):
            stack.extend(reversed(content))
    return "".join(parts).strip()


def rich_text(value: object) -> str:
    """A v2 plain-text field, or defensively a v3 ADF document; null is empty."""
    if isinstance(value, str):
        return value[:_MAX_TEXT]
    if isinstance(value, Mapping):
        return adf_text(value)[:_MAX_TEXT]
    return ""


def assignee_identity(value: object) -> str | None:
    """accountId on Cloud, the username (`name`) on Server/Data Center."""
    user = _mapping(value)
    return _text(user.get("accountId")) or _text(user.get("name"))


def _labels(value: object) -> tuple[tuple[str, ...], list[str]]:
    if value is None:
        return (), []
    if not isinstance(value, list):
        return (), [f"labels is not a list: {type(value).__name__}"]
    labels = tuple(label for label in value if isinstance(label, str))
    dropped = len(value) - len(labels)
    return labels, [f"{dropped} label(s) are not text and were ignored"] if dropped else []


def _reporters(value: object) -> int:
    votes = _mapping(value).get("votes")
    if isinstance(votes, bool) or not isinstance(votes, int) or votes < 0:
        return 1
    return 1 + votes


def _components(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(name for name in (_name_of(c) for c in value) if name is not None)


def read_estimate(
    fields: Mapping[str, object],
    tracker: JiraTracker,
    estimates: Estimates,
    points_field: str | None,
    hours_per_day: float,
) -> Reading:
    """The estimate in syncd's work seconds, from time tracking or a story-points field.

    Time tracking is in Jira's working day (`hours_per_day` from the site's configuration):
    it is rescaled to syncd's day so that "2d" in Jira means 2d in the rules, and shown as
    Jira shows it.
    """
    if points_field is not None:
        per_point = tracker.estimate.days_per_point
        if per_point is None:
            return Reading(None, None, f"estimate field {points_field} needs days_per_point")
        return from_points(fields.get(points_field), per_point, estimates.units)
    if hours_per_day <= 0:
        return Reading(None, None, f"Jira working hours per day out of range: {hours_per_day}")
    jira_units = Units.effort(hours_per_day, estimates.days_per_week)
    reading = from_seconds(fields.get(tracker.estimate.field), jira_units)
    if reading.seconds is None:
        return reading
    return Reading(reading.seconds * estimates.hours_per_day / hours_per_day, reading.text)


def _required(
    raw: Mapping[str, object],
) -> tuple[str, Mapping[str, object], str, datetime, datetime] | tuple[str, str]:
    """(key, fields, summary, created, updated), or (key, skip reason)."""
    key = _text(raw.get("key")) if isinstance(raw, Mapping) else None
    if not key:
        return "?", "issue has no key"
    fields = raw.get("fields")
    if not isinstance(fields, Mapping):
        return key, "issue has no fields"
    created, updated = parse_time(fields.get("created")), parse_time(fields.get("updated"))
    if created is None or updated is None:
        return key, "created or updated is not a Jira time"
    title = _text(fields.get("summary"))
    if title is None:
        return key, "summary is missing"
    return key, fields, title, created, updated


def to_snapshot(
    raw: Mapping[str, object],
    tracker: JiraTracker,
    estimates: Estimates,
    points_field: str | None,
    hours_per_day: float,
) -> MappedIssue:
    """Map one issue of a search answer; a payload syncd cannot use becomes a skip reason."""
    required = _required(raw)
    if len(required) == 2:
        return MappedIssue(key=required[0], snapshot=None, skip=required[1])
    key, fields, title, created, updated = required
    labels, warnings = _labels(fields.get("labels"))
    reading = read_estimate(fields, tracker, estimates, points_field, hours_per_day)
    if reading.problem:
        warnings.append(f"estimate ignored: {reading.problem}")
    reading = NO_ESTIMATE if reading.seconds is None else reading
    assignee = assignee_identity(fields.get("assignee"))
    project = _text(_mapping(fields.get("project")).get("key")) or key.rpartition("-")[0] or None
    snapshot = IssueSnapshot(
        tracker=tracker.name,
        key=key,
        title=title[:_MAX_TEXT],
        body=rich_text(fields.get("description")),
        labels=labels,
        assignees=(assignee,) if assignee else (),
        created=created,
        updated=updated,
        project=project,
        priority=_name_of(fields.get("priority")),
        reporters=_reporters(fields.get("votes")),
        estimate=reading.seconds,
        estimate_text=reading.text,
        issue_type=_name_of(fields.get("issuetype")),
        components=_components(fields.get("components")),
        url=f"{tracker.url.rstrip('/')}/browse/{key}",
    )
    return MappedIssue(key=key, snapshot=snapshot, warnings=tuple(warnings))


def field_id(fields: object, wanted: str) -> str | None:
    """The id of the field called `wanted` in a `/rest/api/2/field` answer (id, or name in any
    case, e.g. "Story Points" or "Story point estimate"); None when there is none."""
    if not isinstance(fields, list):
        return None
    folded = wanted.casefold()
    for field in fields:
        entry = _mapping(field)
        ident = _text(entry.get("id"))
        name = _text(entry.get("name"))
        if ident and (ident == wanted or (name is not None and name.casefold() == folded)):
            return ident
    return None
