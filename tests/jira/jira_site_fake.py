"""A stateful fake Jira site (Cloud or Server/DC) on `responses`, with real-shaped payloads.

Shapes follow the Jira recordings copied into tests/reference/jira/recorded/ (sources and
licences in tests/reference/README.md): serverInfo from ankitpokhrel/jira-cli (MIT), issues and
comments from sumoheavy/jira-ruby (MIT) and atlassian-api/atlassian-python-api (Apache-2.0). The
field list follows jira-cli's pkg/jira/testdata/fields.json (MIT), which no test reads, so it is
not in the copy.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

import responses

CLOUD = "https://acme.atlassian.net"
SERVER = "https://jira.acme.example"

# From jira-cli pkg/jira/testdata/fields.json plus the two story-points spellings syncd resolves.
FIELDS = [
    {
        "id": "customfield_10111",
        "name": "Original story points",
        "custom": True,
        "clauseNames": ["cf[10111]", "Original story points"],
        "schema": {
            "type": "number",
            "custom": "com.atlassian.jpo:jpo-custom-field-original-story-points",
            "customId": 10111,
        },
    },
    {
        "id": "customfield_10016",
        "name": "Story point estimate",
        "custom": True,
        "clauseNames": ["cf[10016]", "Story point estimate"],
        "schema": {
            "type": "number",
            "custom": "com.pyxis.greenhopper.jira:jsw-story-points",
            "customId": 10016,
        },
    },
    {
        "id": "timeoriginalestimate",
        "name": "Original Estimate",
        "custom": False,
        "clauseNames": ["originalEstimate", "timeoriginalestimate"],
        "schema": {"type": "number", "system": "timeoriginalestimate"},
    },
    {
        "id": "labels",
        "name": "Labels",
        "custom": False,
        "clauseNames": ["labels"],
        "schema": {"type": "array", "items": "string", "system": "labels"},
    },
]


def server_info(base: str, deployment: str) -> dict[str, Any]:
    """serverInfo as recorded by jira-cli (Cloud); Server/DC says "Server" or "DataCenter"."""
    return {
        "baseUrl": base,
        "version": "1001.0.0-SNAPSHOT" if deployment == "Cloud" else "9.12.2",
        "versionNumbers": [1001, 0, 0] if deployment == "Cloud" else [9, 12, 2],
        "deploymentType": deployment,
        "buildNumber": 100204,
        "buildDate": "2022-08-12T12:59:12.000+0200",
        "serverTime": "2022-08-15T21:08:52.725+0200",
        "scmInfo": "948b370c557f4bbf768b92203f3aca5d86ee9758",
        "serverTitle": "Jira",
        "defaultLocale": {"locale": "en_US"},
    }


def user(base: str, cloud: bool, identity: str) -> dict[str, Any]:
    """A user object: accountId on Cloud (atlassian-python-api), name on Server (jira-ruby)."""
    if cloud:
        return {
            "self": f"{base}/rest/api/2/user?accountId={identity}",
            "accountId": identity,
            "displayName": identity,
            "active": True,
            "timeZone": "Europe/London",
            "accountType": "atlassian",
        }
    return {
        "self": f"{base}/rest/api/2/user?username={identity}",
        "name": identity,
        "key": identity,
        "displayName": identity,
        "active": True,
    }


def issue(
    base: str,
    number: int,
    *,
    project: str = "SUP",
    updated: str = "2026-11-26T10:15:00.000+0200",
    labels: tuple[str, ...] = ("escalation",),
    **fields: Any,
) -> dict[str, Any]:
    """One issue of a search answer, shaped like jira-ruby's recorded search page."""
    key = f"{project}-{number}"
    body: dict[str, Any] = {
        "summary": f"Export fails for customer {number}",
        "description": None,
        "labels": list(labels),
        "assignee": None,
        "priority": {"self": f"{base}/rest/api/2/priority/3", "name": "Major", "id": "3"},
        "votes": {"self": f"{base}/rest/api/2/issue/{key}/votes", "votes": 0, "hasVoted": False},
        "issuetype": {
            "self": f"{base}/rest/api/2/issuetype/1",
            "id": "1",
            "name": "Bug",
            "subtask": False,
        },
        "components": [],
        "created": "2026-11-20T09:00:00.000+0200",
        "updated": updated,
        "project": {
            "self": f"{base}/rest/api/2/project/10001",
            "id": "10001",
            "key": project,
            "name": project,
        },
        "status": {"self": f"{base}/rest/api/2/status/1", "name": "Open", "id": "1"},
        "timeoriginalestimate": None,
    }
    body.update(fields)
    return {
        "expand": "editmeta,renderedFields,transitions,changelog",
        "id": str(10000 + number),
        "self": f"{base}/rest/api/2/issue/{10000 + number}",
        "key": key,
        "fields": body,
    }


def _query(request: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(request.url).query)


@dataclass
class FakeJira:
    """Serves one Jira site from memory; tests read `issues`, `comments` and `rsps.calls`."""

    rsps: responses.RequestsMock
    cloud: bool = True
    time_zone: str = "Europe/Berlin"
    working_hours: float | None = 8.0
    issues: list[dict[str, Any]] = field(default_factory=list)
    comments: dict[str, list[str]] = field(default_factory=dict)
    properties: dict[tuple[str, int], Any] = field(default_factory=dict)  # (issue, comment)
    assignable: set[str] = field(default_factory=set)
    searches: list[str] = field(default_factory=list)
    date: str | None = None  # the HTTP Date header of search answers (Jira's clock), if any
    fields: list[dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(FIELDS))

    @property
    def base(self) -> str:
        """The site URL."""
        return CLOUD if self.cloud else SERVER

    def api(self, path: str) -> str:
        """The full REST v2 URL of `path`."""
        return f"{self.base}/rest/api/2/{path}"

    def install(self) -> FakeJira:
        """Register every endpoint syncd uses."""
        deployment = "Cloud" if self.cloud else "Server"
        self.rsps.get(self.api("serverInfo"), json=server_info(self.base, deployment))
        me = user(self.base, self.cloud, "syncd-bot") | {"timeZone": self.time_zone}
        self.rsps.get(self.api("myself"), json=me)
        self.rsps.add_callback("GET", self.api("configuration"), callback=self._configuration)
        self.rsps.add_callback("GET", self.api("field"), callback=self._fields)
        search = "search/jql" if self.cloud else "search"
        self.rsps.add_callback("GET", self.api(search), callback=self._search)
        for item in self.issues:
            self._install_issue(item["key"])
        return self

    def _install_issue(self, key: str) -> None:
        self.rsps.add_callback("PUT", self.api(f"issue/{key}"), callback=self._edit)
        self.rsps.add_callback("PUT", self.api(f"issue/{key}/assignee"), callback=self._assign)
        self.rsps.add_callback(
            "GET", self.api(f"issue/{key}/comment"), callback=self._list_comments
        )
        self.rsps.add_callback(
            "POST", self.api(f"issue/{key}/comment"), callback=self._post_comment
        )

    def find(self, key: str) -> dict[str, Any]:
        """The stored issue called `key`."""
        return next(i for i in self.issues if i["key"] == key)

    def _configuration(self, request: Any) -> tuple[int, dict[str, str], str]:
        config: dict[str, Any] = {"votingEnabled": True, "timeTrackingEnabled": True}
        if self.working_hours is not None:
            config["timeTrackingConfiguration"] = {
                "workingHoursPerDay": self.working_hours,
                "workingDaysPerWeek": 5.0,
                "timeFormat": "pretty",
                "defaultUnit": "minute",
            }
        return 200, {}, json.dumps(config)

    def _fields(self, request: Any) -> tuple[int, dict[str, str], str]:
        return 200, {}, json.dumps(self.fields)

    def _search(self, request: Any) -> tuple[int, dict[str, str], str]:
        query = _query(request)
        known = {f["id"] for f in self.fields}
        asked = ",".join(query.get("fields", [])).split(",")
        unknown = [f for f in asked if f.startswith("customfield_") and f not in known]
        if unknown:
            # Jira's answer to a custom field id it does not have (a field deleted, re-created).
            problem = (
                f"Field '{unknown[0]}' does not exist or you do not have permission to view it."
            )
            return 400, {}, json.dumps({"errorMessages": [problem], "errors": {}})
        self.searches.append(query["jql"][0])
        size = int(query.get("maxResults", ["50"])[0])
        found = [copy.deepcopy(i) for i in self.issues]
        if self.cloud:
            start = int(query.get("nextPageToken", ["0"])[0])
            page: dict[str, Any] = {"issues": found[start : start + size]}
            if start + size < len(found):
                page["nextPageToken"] = str(start + size)
            page["isLast"] = start + size >= len(found)
        else:
            start = int(query.get("startAt", ["0"])[0])
            page = {
                "expand": "schema,names",
                "startAt": start,
                "maxResults": size,
                "total": len(found),
                "issues": found[start : start + size],
            }
        headers = {"Date": self.date} if self.date else {}
        return 200, headers, json.dumps(page)

    def _edit(self, request: Any) -> tuple[int, dict[str, str], str]:
        key = request.url.rsplit("/", 1)[-1]
        labels = self.find(key)["fields"]["labels"]
        for change in json.loads(request.body)["update"]["labels"]:
            if "add" in change and change["add"] not in labels:
                labels.append(change["add"])
            if "remove" in change and change["remove"] in labels:
                labels.remove(change["remove"])
        return 204, {}, ""

    def _assign(self, request: Any) -> tuple[int, dict[str, str], str]:
        key = request.url.rsplit("/", 2)[-2]
        identity = json.loads(request.body)["accountId" if self.cloud else "name"]
        if identity is not None and identity not in self.assignable:
            # Jira's answer for a user who cannot take the issue (jira-ruby error shape).
            error = {
                "errorMessages": [],
                "errors": {"assignee": f"User '{identity}' cannot be assigned issues."},
            }
            return 400, {}, json.dumps(error)
        assignee = user(self.base, self.cloud, identity) if identity else None
        self.find(key)["fields"]["assignee"] = assignee
        return 204, {}, ""

    def _list_comments(self, request: Any) -> tuple[int, dict[str, str], str]:
        key = request.url.split("/issue/", 1)[1].split("/", 1)[0]
        query = _query(request)
        start = int(query.get("startAt", ["0"])[0])
        size = int(query.get("maxResults", ["50"])[0])
        texts = self.comments.get(key, [])
        # Comment objects as recorded by jira-ruby (issue/10002/comment.json).
        listed = [
            {"self": self.api(f"issue/{key}/comment/{n}"), "id": str(n), "body": text}
            for n, text in enumerate(texts[start : start + size], start=start)
        ]
        if "properties" in query.get("expand", [""])[0].split(","):
            for note in listed:
                note["properties"] = self.properties.get((key, int(note["id"])), [])
        page = {"startAt": start, "maxResults": size, "total": len(texts), "comments": listed}
        return 200, {}, json.dumps(page)

    def _post_comment(self, request: Any) -> tuple[int, dict[str, str], str]:
        key = request.url.split("/issue/", 1)[1].split("/", 1)[0]
        posted = json.loads(request.body)
        texts = self.comments.setdefault(key, [])
        self.properties[key, len(texts)] = posted.get("properties", [])
        texts.append(posted["body"])
        return 201, {}, json.dumps({"id": str(len(texts) - 1), "body": posted["body"]})
