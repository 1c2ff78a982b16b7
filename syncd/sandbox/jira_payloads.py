"""Jira REST v2 payload shapes, after recorded Jira Cloud and Server payloads.

Shapes follow tests/reference/jira/recorded: atlassian-python-api
rest_api_2_issue_FOO-123_GET.json (Cloud issue, Apache-2.0), jira-ruby issue/10002.json and
comment.json (Server, MIT), jira-cli serverinfo.json (MIT).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from syncd.sandbox.comment import Comment
from syncd.sandbox.exchange import JsonObject
from syncd.sandbox.jira_state import JiraIssue, JiraSite, JiraUser
from syncd.sandbox.seed import Flavour

STORY_POINTS = "customfield_10016"
_EXPAND = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations"
_CATEGORIES = {
    "new": (2, "blue-gray", "To Do"),
    "indeterminate": (4, "yellow", "In Progress"),
    "done": (3, "green", "Done"),
}
_DONE = {"id": "10000", "description": "Work has been completed.", "name": "Done"}
_PRIORITY_IDS = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}


def stamp(moment: datetime, site: JiraSite) -> str:
    """Jira's time format in the site's zone: `2026-11-26T10:15:00.000+0000`."""
    local = moment.astimezone(site.zone)
    return (
        local.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{local.microsecond // 1000:03d}"
        + local.strftime("%z")
    )


def user(base: str, site: JiraSite, person: JiraUser) -> JsonObject:
    """A user as Cloud (accountId) or Data Center (name/key) shows it."""
    common: JsonObject = {
        "emailAddress": person.email,
        "avatarUrls": {"48x48": f"{base}/secure/useravatar?avatarId=10122"},
        "displayName": person.name,
        "active": True,
        "timeZone": site.zone.key,
    }
    if site.flavour is Flavour.CLOUD:
        return {
            "self": f"{base}/rest/api/2/user?accountId={person.id}",
            "accountId": person.id,
            "accountType": "atlassian",
            **common,
        }
    return {
        "self": f"{base}/rest/api/2/user?username={person.id}",
        "key": person.id,
        "name": person.id,
        **common,
    }


def user_or_null(base: str, site: JiraSite, user_id: str | None) -> JsonObject | None:
    """The user object for `user_id`, a minimal one for an unknown id, None when unset."""
    if user_id is None:
        return None
    person = site.users.get(user_id) or JiraUser(
        user_id, user_id, f"{user_id}@example.com", frozenset()
    )
    return user(base, site, person)


def work(seconds: int, hours_per_day: int = 8) -> str:
    """Jira's pretty duration in work units: 86400 s at 8 h/day is `3d`."""
    parts, rest = [], seconds
    for unit, size in (
        ("w", 5 * hours_per_day * 3600),
        ("d", hours_per_day * 3600),
        ("h", 3600),
        ("m", 60),
    ):
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0m"


def issue_fields(base: str, site: JiraSite, item: JiraIssue) -> JsonObject:
    """Every field of an issue, by field id."""
    tracking: JsonObject = {}
    if item.estimate is not None:
        text = work(item.estimate)
        tracking = {
            "originalEstimate": text,
            "remainingEstimate": text,
            "originalEstimateSeconds": item.estimate,
            "remainingEstimateSeconds": item.estimate,
        }
    return {
        "summary": item.summary,
        "description": item.description,
        "labels": list(item.labels),
        "priority": _priority(base, item),
        "votes": {
            "self": f"{base}/rest/api/2/issue/{item.key}/votes",
            "votes": item.votes,
            "hasVoted": False,
        },
        "issuetype": _issue_type(base, item),
        "components": [
            {"self": f"{base}/rest/api/2/component/{n}", "id": str(n), "name": name}
            for n, name in enumerate(item.components, 10000)
        ],
        "status": _status(base, item),
        "resolution": None if item.category != "done" else _DONE,
        "created": stamp(item.created, site),
        "updated": stamp(item.updated, site),
        "timeoriginalestimate": item.estimate,
        "timeestimate": item.estimate,
        "aggregatetimeoriginalestimate": item.estimate,
        "timetracking": tracking,
        "assignee": user_or_null(base, site, item.assignee),
        # Real issues always have a reporter and creator; the API user stands in for a seed
        # issue that names none.
        "reporter": user_or_null(base, site, item.reporter or site.me),
        "project": _project(base, item),
        STORY_POINTS: item.story_points,
        "creator": user_or_null(base, site, item.reporter or site.me),
        **_unused_fields(base, site, item),
    }


def _priority(base: str, item: JiraIssue) -> JsonObject:
    """The priority object."""
    return {
        "self": f"{base}/rest/api/2/priority/{_PRIORITY_IDS.get(item.priority, '3')}",
        "iconUrl": f"{base}/images/icons/priorities/{item.priority.lower()}.svg",
        "name": item.priority,
        "id": _PRIORITY_IDS.get(item.priority, "3"),
    }


def _issue_type(base: str, item: JiraIssue) -> JsonObject:
    """The issue type object (every type shows as a bug's icon)."""
    return {
        "self": f"{base}/rest/api/2/issuetype/1",
        "id": "1",
        "description": "",
        "iconUrl": f"{base}/images/icons/issuetypes/bug.svg",
        "name": item.type,
        "subtask": False,
        "avatarId": 10303,
        "hierarchyLevel": 0,
    }


def _status(base: str, item: JiraIssue) -> JsonObject:
    """The status with its category (new, indeterminate, done)."""
    category_id, color, category_name = _CATEGORIES[item.category]
    return {
        "self": f"{base}/rest/api/2/status/1",
        "description": "",
        "iconUrl": f"{base}/images/icons/statuses/open.png",
        "name": item.status,
        "id": "1",
        "statusCategory": {
            "self": f"{base}/rest/api/2/statuscategory/{category_id}",
            "id": category_id,
            "key": item.category,
            "colorName": color,
            "name": category_name,
        },
    }


def _project(base: str, item: JiraIssue) -> JsonObject:
    """The project object."""
    return {
        "self": f"{base}/rest/api/2/project/{item.project}",
        "id": "10000",
        "key": item.project,
        "name": item.project,
        "projectTypeKey": "software",
        "simplified": False,
        "avatarUrls": {"48x48": f"{base}/secure/projectavatar?avid=10324"},
    }


def _unused_fields(base: str, site: JiraSite, item: JiraIssue) -> JsonObject:
    """Fields syncd never reads but every real issue carries (after FOO-123_GET.json)."""
    done = item.category == "done"
    progress: JsonObject = {"progress": 0, "total": item.estimate or 0}
    return {
        "resolutiondate": stamp(item.updated, site) if done else None,
        "statuscategorychangedate": stamp(item.created, site),
        "lastViewed": None,
        "duedate": None,
        "environment": None,
        "security": None,
        "fixVersions": [],
        "versions": [],
        "issuelinks": [],
        "subtasks": [],
        "watches": {
            "self": f"{base}/rest/api/2/issue/{item.key}/watchers",
            "watchCount": 0,
            "isWatching": False,
        },
        "timespent": None,
        "aggregatetimespent": None,
        "aggregatetimeestimate": item.estimate,
        "progress": progress,
        "aggregateprogress": dict(progress),
        # Jira's work ratio: time spent as a percentage of the estimate, -1 without one.
        "workratio": -1 if item.estimate is None else 0,
    }


def issue(base: str, site: JiraSite, item: JiraIssue, wanted: set[str] | None) -> JsonObject:
    """An issue with the fields in `wanted` (None: all)."""
    fields = issue_fields(base, site, item)
    if wanted is not None:
        fields = {name: value for name, value in fields.items() if name in wanted}
    return {
        "expand": _EXPAND,
        "id": str(item.id),
        "self": f"{base}/rest/api/2/issue/{item.id}",
        "key": item.key,
        "fields": fields,
    }


def comment(
    base: str,
    site: JiraSite,
    item: JiraIssue,
    note: Comment,
    *,
    rendered: bool = False,
    properties: bool = False,
) -> JsonObject:
    """A comment (v2: plain-text body); `rendered` adds `renderedBody` (expand=renderedBody),
    `properties` its `properties` list (expand=properties), as Jira adds them only when asked.
    """
    author = user_or_null(base, site, note.author)
    expanded: JsonObject = {"renderedBody": rendered_body(note.body)} if rendered else {}
    if properties:
        expanded["properties"] = [{"key": k, "value": v} for k, v in note.properties.items()]
    return {
        "self": f"{base}/rest/api/2/issue/{item.id}/comment/{note.id}",
        "id": str(note.id),
        "author": author,
        "body": note.body,
        **expanded,
        "updateAuthor": author,
        "created": stamp(note.created, site),
        "updated": stamp(note.created, site),
        "jsdPublic": True,
    }


def rendered_body(text: str) -> str:
    """Plain text as Jira's renderer shows it: escaped, a `<p>` per paragraph, `<br/>` lines.

    Wiki markup (`*bold*`, `{code}`, ...) is not interpreted: syncd writes plain text.
    """
    paragraphs = [part for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    lines = (escape(part, quote=False).replace("\n", "<br/>\n") for part in paragraphs)
    return "".join(f"<p>{html}</p>" for html in lines)


def errors(messages: list[str], by_field: dict[str, str] | None = None) -> JsonObject:
    """Jira's error body."""
    return {"errorMessages": messages, "errors": by_field or {}}
