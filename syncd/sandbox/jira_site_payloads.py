"""Jira REST v2 site-wide payloads: server info, the field list, the time-tracking configuration.

Shapes follow tests/reference/jira/recorded (jira-cli serverinfo.json, MIT).
"""

from __future__ import annotations

from datetime import datetime

from syncd.sandbox.exchange import JsonObject
from syncd.sandbox.jira_payloads import STORY_POINTS, stamp
from syncd.sandbox.jira_state import JiraSite
from syncd.sandbox.seed import Flavour

_SYSTEM_FIELDS = (
    ("summary", "Summary", "string"),
    ("description", "Description", "string"),
    ("labels", "Labels", "array"),
    ("priority", "Priority", "priority"),
    ("votes", "Votes", "votes"),
    ("issuetype", "Issue Type", "issuetype"),
    ("components", "Component/s", "array"),
    ("status", "Status", "status"),
    ("resolution", "Resolution", "resolution"),
    ("created", "Created", "datetime"),
    ("updated", "Updated", "datetime"),
    ("timeoriginalestimate", "Original Estimate", "number"),
    ("timeestimate", "Remaining Estimate", "number"),
    ("aggregatetimeoriginalestimate", "Σ Original Estimate", "number"),
    ("timetracking", "Time tracking", "timetracking"),
    ("assignee", "Assignee", "user"),
    ("reporter", "Reporter", "user"),
    ("project", "Project", "project"),
    ("creator", "Creator", "user"),
    ("resolutiondate", "Resolved", "datetime"),
    ("statuscategorychangedate", "Status Category Changed", "datetime"),
    ("lastViewed", "Last Viewed", "datetime"),
    ("duedate", "Due date", "date"),
    ("environment", "Environment", "string"),
    ("security", "Security Level", "securitylevel"),
    ("fixVersions", "Fix versions", "array"),
    ("versions", "Affects versions", "array"),
    ("issuelinks", "Linked Issues", "array"),
    ("subtasks", "Sub-tasks", "array"),
    ("watches", "Watchers", "watches"),
    ("timespent", "Time Spent", "number"),
    ("aggregatetimespent", "Σ Time Spent", "number"),
    ("aggregatetimeestimate", "Σ Remaining Estimate", "number"),
    ("progress", "Progress", "progress"),
    ("aggregateprogress", "Σ Progress", "progress"),
    ("workratio", "Work Ratio", "number"),
)
# what the array fields above hold, as Jira's schema says it (`"items": ...`)
_ITEMS = {
    "labels": "string",
    "components": "component",
    "fixVersions": "version",
    "versions": "version",
    "issuelinks": "issuelinks",
    "subtasks": "issuelinks",
}


def fields() -> list[JsonObject]:
    """GET /field: every field a sandbox issue carries (the system fields above and a
    `Story Points` number field)."""
    system: list[JsonObject] = [
        {
            "id": key,
            "key": key,
            "name": name,
            "custom": False,
            "orderable": True,
            "navigable": True,
            "searchable": True,
            "clauseNames": [key],
            "schema": {"type": kind, **_items(key), "system": key},
        }
        for key, name, kind in _SYSTEM_FIELDS
    ]
    points: JsonObject = {
        "id": STORY_POINTS,
        "key": STORY_POINTS,
        "name": "Story Points",
        "custom": True,
        "orderable": True,
        "navigable": True,
        "searchable": True,
        "clauseNames": ["cf[10016]", "Story Points"],
        "schema": {
            "type": "number",
            "custom": "com.atlassian.jira.plugin.system.customfieldtypes:float",
            "customId": 10016,
        },
    }
    return [*system, points]


def _items(key: str) -> JsonObject:
    return {"items": _ITEMS[key]} if key in _ITEMS else {}


def server_info(base: str, site: JiraSite, now: datetime) -> JsonObject:
    """GET /serverInfo; the jira library decides Cloud or not from `deploymentType`."""
    cloud = site.flavour is Flavour.CLOUD
    return {
        "baseUrl": base,
        "version": "1001.0.0-SNAPSHOT" if cloud else "9.12.2",
        "versionNumbers": [1001, 0, 0] if cloud else [9, 12, 2],
        "deploymentType": "Cloud" if cloud else "Server",
        "buildNumber": 100204 if cloud else 9120002,
        "buildDate": "2026-11-01T12:00:00.000+0000",
        "serverTime": stamp(now, site),
        "scmInfo": "948b370c557f4bbf768b92203f3aca5d86ee9758",
        "serverTitle": "Jira sandbox",
        "defaultLocale": {"locale": "en_US"},
    }


def configuration() -> JsonObject:
    """GET /configuration: time tracking at 8 hours a day, 5 days a week."""
    return {
        "votingEnabled": True,
        "watchingEnabled": True,
        "unassignedIssuesAllowed": True,
        "subTasksEnabled": True,
        "issueLinkingEnabled": True,
        "timeTrackingEnabled": True,
        "attachmentsEnabled": True,
        "timeTrackingConfiguration": {
            "workingHoursPerDay": 8.0,
            "workingDaysPerWeek": 5.0,
            "timeFormat": "pretty",
            "defaultUnit": "minute",
        },
    }
