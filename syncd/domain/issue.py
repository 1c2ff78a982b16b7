"""A tracker-neutral snapshot of one escalation: what rules and the planner look at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple


@dataclass(frozen=True)
class IssueSnapshot:
    """One open issue as read from GitHub or Jira; times are aware UTC datetimes.

    `key` is unique within its tracker: `owner/repo#12` on GitHub, `SUP-12` on Jira.
    `assignees` are tracker identities (GitHub logins, Jira accountIds or usernames).
    `estimate` is in work seconds (already converted from labels, body, time tracking or points);
    `estimate_text` is how the tracker showed it, for messages (`3d`, `5 points`).
    """

    tracker: str
    key: str
    title: str
    body: str
    labels: tuple[str, ...]
    assignees: tuple[str, ...]
    created: datetime
    updated: datetime
    repo: str | None = None  # GitHub `owner/name`
    project: str | None = None  # Jira project key
    priority: str | None = None
    reporters: int = 1
    estimate: float | None = None
    estimate_text: str | None = None
    issue_type: str | None = None
    components: tuple[str, ...] = ()
    is_pull_request: bool = False
    url: str = ""

    def has_label(self, name: str) -> bool:
        """Whether the issue carries `name`, ignoring case as the trackers do."""
        folded = name.casefold()
        return any(label.casefold() == folded for label in self.labels)


@dataclass(frozen=True)
class MappedIssue:
    """An adapter's mapping of one payload: a snapshot, or the reason the item was skipped.

    `warnings` (an estimate or a pattern that could not be read) are worth logging either way.
    """

    key: str
    snapshot: IssueSnapshot | None
    skip: str | None = None
    warnings: tuple[str, ...] = ()


def scope_of(key: str) -> str:
    """Where an issue lives within its tracker: what a refused assignee is refused in.

    GitHub `owner/name#12`: `owner/name`, lower-cased (GitHub ignores its case); Jira `SUP-12`:
    the project key `SUP`. A key of neither shape is its own scope.
    """
    repo, hash_sign, _ = key.rpartition("#")
    if hash_sign:
        return repo.casefold()
    project, dash, _ = key.rpartition("-")
    return project.upper() if dash else key


class Refusal(NamedTuple):
    """A person a tracker refused as assignee, in one repository or project (`scope_of`)."""

    tracker: str
    scope: str
    identity: str


def utc_time(text: str) -> datetime:
    """An ISO 8601 time with an offset (`...Z`, `+02:00`, Jira's `+0200`) as aware UTC.

    Raises ValueError with a readable reason: not ISO 8601, no offset, or out of range.
    """
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise ValueError("has no time zone")
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59-23:59 is past the last UTC datetime
        raise ValueError("is out of range") from None
