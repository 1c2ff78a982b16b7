"""The sandbox's Jira state: one site's users and issues (Cloud or Data Center)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from syncd.sandbox.comment import Comment
from syncd.sandbox.seed import Flavour


@dataclass
class JiraUser:
    """A Jira user; `id` is the accountId (Cloud) or the username (Data Center)."""

    id: str
    name: str
    email: str
    assignable: frozenset[str]


@dataclass
class JiraIssue:
    """A Jira issue as it stands now."""

    id: int
    key: str
    project: str
    summary: str
    description: str | None
    labels: list[str]
    priority: str
    votes: int
    type: str
    components: tuple[str, ...]
    status: str
    category: str
    estimate: int | None
    story_points: float | None
    assignee: str | None
    reporter: str | None
    created: datetime
    updated: datetime
    comments: list[Comment] = field(default_factory=list)


@dataclass
class JiraSite:
    """One Jira (Cloud or Data Center)."""

    flavour: Flavour
    token: str
    email: str | None
    zone: ZoneInfo
    me: str | None
    users: dict[str, JiraUser]
    issues: dict[str, JiraIssue]  # by key

    def issue(self, key_or_id: str) -> JiraIssue | None:
        """The issue with this key or numeric id."""
        found = self.issues.get(key_or_id)
        if found is not None or not key_or_id.isdigit():
            return found
        return next((i for i in self.issues.values() if i.id == int(key_or_id)), None)


class MissingIssue(Exception):
    """No such issue: 404 like Jira."""


def find_issue(site: JiraSite, key_or_id: str) -> JiraIssue:
    """The issue with this key or numeric id; MissingIssue when there is none."""
    found = site.issue(key_or_id)
    if found is None:
        raise MissingIssue
    return found
