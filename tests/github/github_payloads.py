"""Real-shaped GitHub payloads and a configured adapter for the GitHub adapter tests.

Issue objects, `Link` headers, label and error bodies follow the api.github.com exchanges that
octokit/fixtures recorded (scenarios paginate-issues, add-labels-to-issue, labels, errors; MIT),
copied into tests/reference/github/octokit-fixtures/. Pages 2+ of a list live on
`/repositories/{id}/issues`, as in the real recording.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from syncd.adapters.github.client import GitHubAdapter
from syncd.config.model import Estimates, GitHubEstimate, GitHubTracker, Secret
from syncd.domain.patterns import GuardedPattern

TOKEN = "ghp_N0tAR3alT0kenButN3verL0gIt0000000000"
API = "https://api.github.com:443"  # PyGithub always spells the port
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
REPO_ID = 1000

# the first page's query, exactly as the adapter sends it
FIRST_PAGE_QUERY = {
    "state": "open",
    "labels": "escalation",
    "sort": "updated",
    "direction": "desc",
    "per_page": "100",
}
# octokit-fixtures errors scenario: the body of a 422
VALIDATION_FAILED = {
    "message": "Validation Failed",
    "errors": [{"resource": "Label", "code": "invalid", "field": "color"}],
    "documentation_url": "https://docs.github.com/rest/reference/issues#create-a-label",
}


class DictEtags:
    """An in-memory EtagStore."""

    def __init__(self, stored: dict[str, str] | None = None) -> None:
        self.stored = dict(stored or {})

    def etag(self, url: str) -> str | None:
        """The ETag last stored for `url`."""
        return self.stored.get(url)

    def remember_etag(self, url: str, etag: str) -> None:
        """Store the ETag of `url`."""
        self.stored[url] = etag


def tracker(repos: tuple[str, ...] = ("acme/web",)) -> GitHubTracker:
    """The tracker config of the SPEC's example, against api.github.com."""
    return GitHubTracker(
        name="web",
        repos=repos,
        token=Secret(TOKEN, "${GITHUB_TOKEN}"),
        escalation_labels=("escalation",),
        priority_label=GuardedPattern("priority/(.+)"),
        estimate=GitHubEstimate(
            label=GuardedPattern("estimate/(.+)"), body=GuardedPattern(r"(?im)^estimate:\s*(.+)$")
        ),
        team="lead",
    )


ESTIMATES = Estimates(limit=2 * 8 * 3600, flag_label="needs-team")


def adapter(
    etags: DictEtags | None = None, repos: tuple[str, ...] = ("acme/web",)
) -> GitHubAdapter:
    """A GitHubAdapter on a fixed clock, as the composition root would build it."""
    return GitHubAdapter(
        tracker(repos), ESTIMATES, etags or DictEtags(), timeout=5, clock=lambda: NOW
    )


def user(login: str) -> dict[str, Any]:
    """A user object as GitHub embeds it in issues (shape of the paginate-issues fixture)."""
    return {
        "login": login,
        "id": 1000,
        "node_id": "MDA6RW50aXR5MQ==",
        "avatar_url": "https://avatars.githubusercontent.com/u/1000?v=4",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": "User",
        "site_admin": False,
    }


def label(name: str, colour: str = "ededed") -> dict[str, Any]:
    """A label object (shape of the add-labels-to-issue fixture)."""
    return {
        "id": 1000,
        "node_id": "MDA6RW50aXR5MQ==",
        "url": f"https://api.github.com/repos/acme/web/labels/{name}",
        "name": name,
        "color": colour,
        "default": False,
        "description": None,
    }


def issue(
    number: int,
    *,
    labels: tuple[str, ...] = ("escalation",),
    updated: str = "2026-11-20T10:00:00Z",
    body: str | None = None,
    thumbs_up: int = 0,
    assignees: tuple[str, ...] = (),
    pull_request: bool = False,
    repo: str = "acme/web",
    comments: int = 0,
) -> dict[str, Any]:
    """One item of `GET /repos/{o}/{r}/issues`, shaped like the paginate-issues fixture."""
    api = f"https://api.github.com/repos/{repo}/issues/{number}"
    item: dict[str, Any] = {
        "url": api,
        "repository_url": f"https://api.github.com/repos/{repo}",
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "html_url": f"https://github.com/{repo}/issues/{number}",
        "id": 1000 + number,
        "node_id": "MDA6RW50aXR5MQ==",
        "number": number,
        "title": f"Test issue {number}",
        "user": user("octokit-fixture-user-a"),
        "labels": [label(name) for name in labels],
        "state": "open",
        "locked": False,
        "assignee": user(assignees[0]) if assignees else None,
        "assignees": [user(login) for login in assignees],
        "milestone": None,
        "comments": comments,
        "created_at": "2026-11-01T16:00:00Z",
        "updated_at": updated,
        "closed_at": None,
        "author_association": "MEMBER",
        "active_lock_reason": None,
        "body": body,
        "reactions": {"url": f"{api}/reactions", "total_count": thumbs_up, "+1": thumbs_up},
        "timeline_url": f"{api}/timeline",
        "performed_via_github_app": None,
        "state_reason": None,
    }
    if pull_request:
        item["pull_request"] = {"url": f"https://api.github.com/repos/{repo}/pulls/{number}"}
    return item


def page_link(page: int, last: int) -> str:
    """A `Link` header like GitHub's: next and last on /repositories/{id}/issues, no port."""
    query = "direction=desc&labels=escalation&per_page=100&sort=updated&state=open"
    base = f"https://api.github.com/repositories/{REPO_ID}/issues?{query}"
    links = []
    if page < last:
        links.append(f'<{base}&page={page + 1}>; rel="next"')
        links.append(f'<{base}&page={last}>; rel="last"')
    if page > 1:
        links.append(f'<{base}&page=1>; rel="first"')
    return ", ".join(links)
