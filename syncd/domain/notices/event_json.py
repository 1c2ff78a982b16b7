"""Events as the JSON documents POSTed to `notify.webhook` (docs/notifications.md's schema).

Times are ISO 8601 UTC with a Z; people are person ids from the configuration (null: nobody);
tracker text is passed as is (JSON needs no escaping beyond its own).
"""

from __future__ import annotations

from syncd.domain.notices.events import (
    CoverageGap,
    Escalation,
    Event,
    Fire,
    Handoff,
    Standup,
    UnownedFire,
)
from syncd.domain.timestamps import iso_utc, json_time

JsonObject = dict[str, object]


def event_json(event: Event) -> JsonObject:
    """The document for `event`: `event` (its kind) and `id` first, then the kind's fields."""
    head: JsonObject = {"event": event.kind, "id": event.id}
    if isinstance(event, Handoff):
        return head | _handoff(event)
    if isinstance(event, Standup):
        return head | _standup(event)
    if isinstance(event, Fire):
        return head | {"placed_at": iso_utc(event.placed_at), "issue": _item(event.item)}
    if isinstance(event, UnownedFire):
        return head | _unowned(event)
    return head | _coverage(event)


def _handoff(event: Handoff) -> JsonObject:
    return {
        "person": event.person,
        "start": iso_utc(event.start),
        "end": json_time(event.end),
        "next": event.next_person,
        "previous": event.previous,
        "timezone": event.timezone,
        "first": event.first,
        "late": event.late,
        "escalations": [
            {"tier": tier.tier, "total": tier.total, "items": [_item(i) for i in tier.items]}
            for tier in event.queue
        ],
        "carried": [_item(item) for item in event.carried],
    }


def _standup(event: Standup) -> JsonObject:
    return {
        "day": event.day.isoformat(),
        "at": iso_utc(event.at),
        "person": event.person,
        "timezone": event.timezone,
        "late": event.late,
        "fires": [_item(item) for item in event.fires],
        "queue": [_item(item) for item in event.queue],
        "flagged": [_item(item) for item in event.flagged],
        "acknowledged": [_item(item) for item in event.acknowledged],
    }


def _unowned(event: UnownedFire) -> JsonObject:
    return {
        "since": iso_utc(event.since),
        "at": iso_utc(event.at),
        "fallback": event.fallback,
        "timezone": event.timezone,
        "issue": _item(event.item),
    }


def _coverage(event: CoverageGap) -> JsonObject:
    return {
        "start": iso_utc(event.start),
        "end": iso_utc(event.end),
        "fallback": event.fallback,
        "timezone": event.timezone,
        "why": event.why,
    }


def _item(item: Escalation) -> JsonObject:
    return {
        "tracker": item.tracker,
        "key": item.key,
        "title": item.title,
        "url": item.url,
        "tier": item.tier,
        "assignees": list(item.assignees),
        "reporters": item.reporters,
        "created": iso_utc(item.created),
        "flagged": item.flagged,
    }
