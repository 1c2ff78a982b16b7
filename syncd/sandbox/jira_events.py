"""Jira webhook events from a change to one sandbox site: `jira:issue_created` and
`jira:issue_updated`.

Shapes after Atlassian's "Webhooks" pages (developer.atlassian.com/cloud/jira/platform/webhooks
and the Data Center 10 admin guide) and recorded deliveries: `timestamp` (ms), `webhookEvent`,
`issue_event_type_name`, `user`, `issue` (as REST v2 GET issue returns it), `changelog` with
`items` of `field`, `fieldtype`, `from`, `fromString`, `to`, `toString` (Cloud adds `fieldId`),
and `comment` for comment events. Admin webhooks with a secret carry
`X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` (WebSub's `method=signature`), and
every delivery `X-Atlassian-Webhook-Identifier`, the same on Jira's own retries.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace

from syncd.sandbox import jira_payloads as shapes
from syncd.sandbox.comment import Comment
from syncd.sandbox.deliveries import Event
from syncd.sandbox.exchange import JsonObject
from syncd.sandbox.jira_state import JiraIssue, JiraSite
from syncd.sandbox.seed import Flavour


@dataclass(frozen=True)
class IssueView:
    """What of a Jira issue a webhook reports on, copied so later writes cannot change it."""

    summary: str
    description: str | None
    labels: tuple[str, ...]
    assignee: str | None
    estimate: int | None
    story_points: float | None
    comments: tuple[Comment, ...]


Views = dict[str, IssueView]


def capture(site: JiraSite, only: str | None = None) -> Views:
    """Issue views by key: the one issue `only` names (key or id; none if it does not exist
    yet), or every issue when `only` is None."""
    chosen = site.issues.values() if only is None else [site.issue(only)]
    return {
        item.key: IssueView(
            item.summary,
            item.description,
            tuple(item.labels),
            item.assignee,
            item.estimate,
            item.story_points,
            tuple(replace(note, properties=dict(note.properties)) for note in item.comments),
        )
        for item in chosen
        if item is not None
    }


@dataclass(frozen=True)
class Change:
    """Who changed the site, when, and where its objects' links point."""

    base: str  # e.g. http://127.0.0.1:8765/jira-cloud
    timestamp: int  # ms since the epoch, sandbox clock
    by_api: bool  # the token's user wrote it; else a person (the issue's reporter) did
    changelog_id: Callable[[], int]


def events(before: Views, after: Views, site: JiraSite, change: Change) -> list[Event]:
    """One event per changed issue, as Jira sends one per issue change."""
    found: list[Event] = []
    for key, now in after.items():
        item, was = site.issues[key], before.get(key)
        if now != was:
            event = _event(site, item, change, was, now)
            if event is not None:
                found.append(event)
    return found


def _event(
    site: JiraSite, item: JiraIssue, change: Change, was: IssueView | None, now: IssueView
) -> Event | None:
    actor = site.me if change.by_api else _person(site, item)
    payload: JsonObject = {
        "timestamp": change.timestamp,
        "webhookEvent": "jira:issue_created" if was is None else "jira:issue_updated",
        "issue_event_type_name": "issue_created",
        "user": shapes.user_or_null(change.base, site, actor),
        "issue": shapes.issue(change.base, site, item, None),
    }
    if was is None:
        return Event("jira:issue_created", "issue_created", payload)
    items = _items(site, was, now)
    kind, note = _comment_change(was, now)
    if items:
        fields = {entry["field"] for entry in items}
        kind = "issue_assigned" if fields == {"assignee"} else "issue_updated"
        payload["changelog"] = {"id": str(change.changelog_id()), "items": items}
    if kind is None:
        return None  # votes and the like: Jira sends no issue event for them
    if note is not None:
        payload["comment"] = shapes.comment(change.base, site, item, note)
    payload["issue_event_type_name"] = kind
    return Event("jira:issue_updated", kind, payload)


def _person(site: JiraSite, item: JiraIssue) -> str | None:
    """Who edits by hand: the reporter, else the first user who is not the API's."""
    others = (user_id for user_id in site.users if user_id != site.me)
    return item.reporter or next(others, site.me)


def _comment_change(was: IssueView, now: IssueView) -> tuple[str | None, Comment | None]:
    """The comment event type and its comment: added, edited or deleted (in that preference)."""
    old = {note.id: note for note in was.comments}
    new = {note.id: note for note in now.comments}
    added = [note for note in now.comments if note.id not in old]
    if added:
        return "issue_commented", added[-1]
    edited = [note for note in now.comments if note.id in old and old[note.id] != note]
    if edited:
        return "issue_comment_edited", edited[-1]
    deleted = [note for note in was.comments if note.id not in new]
    if deleted:
        return "issue_comment_deleted", deleted[-1]
    return None, None


def _items(site: JiraSite, was: IssueView, now: IssueView) -> list[dict[str, object]]:
    """Changelog items, in Jira's words: plain fields carry only the strings, the assignee its
    identity too, labels space-separated."""
    items: list[dict[str, object]] = []

    def text(field: str, old: object, new: object, fieldtype: str = "jira") -> None:
        if old != new:
            items.append(_item(site, field, fieldtype, (None, _string(old)), (None, _string(new))))

    text("summary", was.summary, now.summary)
    text("description", was.description, now.description)
    if was.labels != now.labels:
        old_labels, new_labels = " ".join(was.labels), " ".join(now.labels)
        items.append(_item(site, "labels", "jira", (None, old_labels), (None, new_labels)))
    if was.assignee != now.assignee:
        old, new = _name(site, was.assignee), _name(site, now.assignee)
        items.append(_item(site, "assignee", "jira", (was.assignee, old), (now.assignee, new)))
    if was.estimate != now.estimate:
        old_s, new_s = _string(was.estimate), _string(now.estimate)
        items.append(_item(site, "timeoriginalestimate", "jira", (old_s, old_s), (new_s, new_s)))
    text("Story Points", was.story_points, now.story_points, "custom")
    return items


def _item(
    site: JiraSite,
    field: str,
    fieldtype: str,
    old: tuple[str | None, str | None],
    new: tuple[str | None, str | None],
) -> dict[str, object]:
    """A changelog item; `old` and `new` are (value, display string)."""
    entry: dict[str, object] = {"field": field, "fieldtype": fieldtype}
    if site.flavour is Flavour.CLOUD:
        entry["fieldId"] = shapes.STORY_POINTS if field == "Story Points" else field
    return {
        **entry,
        "from": old[0],
        "fromString": old[1],
        "to": new[0],
        "toString": new[1],
    }


def _string(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _name(site: JiraSite, user_id: str | None) -> str | None:
    person = site.users.get(user_id) if user_id else None
    return person.name if person else user_id


def headers(body: bytes, secret: str, delivery: str) -> dict[str, str]:
    """The headers Jira sends with an admin webhook that has a secret."""
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/json; charset=UTF-8",
        "X-Atlassian-Webhook-Identifier": delivery,
        "X-Atlassian-Webhook-Flow": "Primary",
        "X-Hub-Signature": f"sha256={signature}",
    }
