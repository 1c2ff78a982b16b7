"""GitHub REST v3 payload shapes, after the recorded api.github.com exchanges.

Field names and nulls follow tests/reference/github/octokit-fixtures (paginate-issues,
labels, get-repository; MIT, octokit/fixtures) and the OpenAPI `issue`, `label`, `simple-user`
and `issue-comment` schemas.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from urllib.parse import quote

from syncd.sandbox.comment import Comment
from syncd.sandbox.exchange import JsonObject
from syncd.sandbox.github_state import GitHubIssue, Label, Repo

_NODE_ID = "MDA6RW50aXR5MQ=="


def stamp(moment: datetime) -> str:
    """GitHub's time format: UTC, seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user(base: str, origin: str, login: str) -> JsonObject:
    """A `simple-user`."""
    url = f"{base}/users/{login}"
    return {
        "login": login,
        "id": zlib.crc32(login.encode()) % 10_000_000,  # stable across restarts, unlike hash()
        "node_id": _NODE_ID,
        "avatar_url": f"{origin}/avatars/{login}",
        "gravatar_id": "",
        "url": url,
        "html_url": f"{origin}/{login}",
        "followers_url": f"{url}/followers",
        "following_url": f"{url}/following{{/other_user}}",
        "gists_url": f"{url}/gists{{/gist_id}}",
        "starred_url": f"{url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{url}/subscriptions",
        "organizations_url": f"{url}/orgs",
        "repos_url": f"{url}/repos",
        "events_url": f"{url}/events{{/privacy}}",
        "received_events_url": f"{url}/received_events",
        "type": "User",
        "site_admin": False,
    }


def label(base: str, repo: Repo, item: Label) -> JsonObject:
    """A `label`."""
    return {
        "id": item.id,
        "node_id": _NODE_ID,
        "url": f"{base}/repos/{repo.full_name}/labels/{quote(item.name, safe='')}",
        "name": item.name,
        "color": item.color,
        "default": False,
        "description": item.description,
    }


def issue(base: str, origin: str, repo: Repo, item: GitHubIssue) -> JsonObject:
    """An `issue` as list and single-issue endpoints return it (reactions included)."""
    repo_url = f"{base}/repos/{repo.full_name}"
    url = f"{repo_url}/issues/{item.number}"
    html = f"{origin}/{repo.full_name}/{'pull' if item.pull_request else 'issues'}/{item.number}"
    assignees = [user(base, origin, login) for login in item.assignees]
    payload: JsonObject = {
        "url": url,
        "repository_url": repo_url,
        "labels_url": f"{url}/labels{{/name}}",
        "comments_url": f"{url}/comments",
        "events_url": f"{url}/events",
        "html_url": html,
        "id": item.id,
        "node_id": _NODE_ID,
        "number": item.number,
        "title": item.title,
        "user": user(base, origin, item.user),
        "labels": [label(base, repo, _label_of(repo, name)) for name in item.labels],
        "state": item.state,
        "locked": False,
        "assignee": assignees[0] if assignees else None,
        "assignees": assignees,
        "milestone": None,
        "comments": len(item.comments),
        "created_at": stamp(item.created),
        "updated_at": stamp(item.updated),
        "closed_at": stamp(item.updated) if item.state == "closed" else None,
        "author_association": "NONE",
        "active_lock_reason": None,
        "body": item.body,
        "reactions": _reactions(url, item.plus_one),
        "timeline_url": f"{url}/timeline",
        "performed_via_github_app": None,
        "state_reason": "completed" if item.state == "closed" else None,
    }
    if item.pull_request:
        payload["draft"] = False
        payload["pull_request"] = _pull_request(repo_url, html, item.number)
    return payload


def _label_of(repo: Repo, name: str) -> Label:
    return repo.labels.get(name.lower()) or Label(0, name)


def _reactions(url: str, plus_one: int) -> JsonObject:
    counts = {"+1": plus_one, "-1": 0, "laugh": 0, "hooray": 0, "confused": 0, "heart": 0}
    return {"url": f"{url}/reactions", "total_count": plus_one, **counts, "rocket": 0, "eyes": 0}


def _pull_request(repo_url: str, html: str, number: int) -> JsonObject:
    return {
        "url": f"{repo_url}/pulls/{number}",
        "html_url": html,
        "diff_url": f"{html}.diff",
        "patch_url": f"{html}.patch",
        "merged_at": None,
    }


def comment(base: str, origin: str, repo: Repo, item: GitHubIssue, note: Comment) -> JsonObject:
    """An `issue-comment`."""
    issue_url = f"{base}/repos/{repo.full_name}/issues/{item.number}"
    return {
        "url": f"{base}/repos/{repo.full_name}/issues/comments/{note.id}",
        "html_url": f"{origin}/{repo.full_name}/issues/{item.number}#issuecomment-{note.id}",
        "issue_url": issue_url,
        "id": note.id,
        "node_id": _NODE_ID,
        "user": user(base, origin, note.author),
        "created_at": stamp(note.created),
        "updated_at": stamp(note.created),
        "author_association": "MEMBER",
        "body": note.body,
        "performed_via_github_app": None,
    }


# Object URL templates of a repository, after octokit-fixtures get-repository (MIT).
_REPO_LINKS = {
    "forks_url": "/forks",
    "keys_url": "/keys{/key_id}",
    "collaborators_url": "/collaborators{/collaborator}",
    "teams_url": "/teams",
    "hooks_url": "/hooks",
    "issue_events_url": "/issues/events{/number}",
    "events_url": "/events",
    "assignees_url": "/assignees{/user}",
    "branches_url": "/branches{/branch}",
    "tags_url": "/tags",
    "blobs_url": "/git/blobs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "trees_url": "/git/trees{/sha}",
    "statuses_url": "/statuses/{sha}",
    "languages_url": "/languages",
    "stargazers_url": "/stargazers",
    "contributors_url": "/contributors",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "commits_url": "/commits{/sha}",
    "git_commits_url": "/git/commits{/sha}",
    "comments_url": "/comments{/number}",
    "issue_comment_url": "/issues/comments{/number}",
    "contents_url": "/contents/{+path}",
    "compare_url": "/compare/{base}...{head}",
    "merges_url": "/merges",
    "archive_url": "/{archive_format}{/ref}",
    "downloads_url": "/downloads",
    "issues_url": "/issues{/number}",
    "pulls_url": "/pulls{/number}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "labels_url": "/labels{/name}",
    "releases_url": "/releases{/id}",
    "deployments_url": "/deployments",
}


# The fields of a `full-repository` that the sandbox never varies: a private repo with no stars.
_REPO_CONSTANTS: JsonObject = {
    "homepage": None,
    "size": 0,
    "stargazers_count": 0,
    "watchers_count": 0,
    "language": None,
    "has_issues": True,
    "has_projects": False,
    "has_downloads": False,
    "has_wiki": False,
    "has_pages": False,
    "has_discussions": False,
    "forks_count": 0,
    "mirror_url": None,
    "archived": False,
    "disabled": False,
    "license": None,
    "allow_forking": False,
    "is_template": False,
    "web_commit_signoff_required": False,
    "topics": [],
    "visibility": "private",
    "forks": 0,
    "watchers": 0,
    "default_branch": "main",
    "permissions": {
        "admin": False,
        "maintain": False,
        "push": True,
        "triage": True,
        "pull": True,
    },
    "network_count": 0,
    "subscribers_count": 0,
}


def repository(base: str, origin: str, repo: Repo) -> JsonObject:
    """A `full-repository` (every required field; shapes after get-repository)."""
    url = f"{base}/repos/{repo.full_name}"
    html = f"{origin}/{repo.full_name}"
    open_count = sum(1 for i in repo.issues.values() if i.state == "open")
    host = origin.split("://", 1)[-1]
    return {
        "id": repo.id,
        "node_id": _NODE_ID,
        "name": repo.name,
        "full_name": repo.full_name,
        "private": True,
        "owner": {**user(base, origin, repo.owner), "type": "Organization"},
        "html_url": html,
        "description": None,
        "fork": False,
        "url": url,
        **{key: f"{url}{suffix}" for key, suffix in _REPO_LINKS.items()},
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2026-11-01T00:00:00Z",
        "pushed_at": "2026-11-01T00:00:00Z",
        "git_url": f"git://{host}/{repo.full_name}.git",
        "ssh_url": f"git@{host}:{repo.full_name}.git",
        "clone_url": f"{html}.git",
        "svn_url": html,
        **_REPO_CONSTANTS,
        "open_issues_count": open_count,
        "open_issues": open_count,
    }


def public_user(base: str, origin: str, login: str) -> JsonObject:
    """GET /users/{login}: a `public-user` (every required field)."""
    profile: JsonObject = {
        "user_view_type": "public",
        "name": login,
        **dict.fromkeys(("company", "blog", "location", "email", "hireable", "bio"), None),
        "twitter_username": None,
        **dict.fromkeys(("public_repos", "public_gists", "followers", "following"), 0),
        "created_at": "2020-01-01T00:00:00Z",
        "updated_at": "2026-11-01T00:00:00Z",
    }
    return {**user(base, origin, login), **profile}


def private_user(base: str, origin: str, login: str) -> JsonObject:
    """GET /user: the token's own account as a `private-user` (every required field)."""
    private: JsonObject = {
        "user_view_type": "private",
        "notification_email": None,
        **dict.fromkeys(("private_gists", "total_private_repos", "owned_private_repos"), 0),
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
    }
    return {**public_user(base, origin, login), **private}


def error(message: str, status: int, docs: str = "https://docs.github.com/rest") -> JsonObject:
    """A `basic-error` body."""
    return {"message": message, "documentation_url": docs, "status": str(status)}
