"""The sandbox's GitHub state: repositories with their issues, labels and assignable users."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from syncd.sandbox.comment import Comment

if TYPE_CHECKING:
    from syncd.sandbox.github_app import SandboxApp


@dataclass
class GitHubIssue:
    """A GitHub issue or pull request as it stands now."""

    id: int
    number: int
    title: str
    body: str | None
    labels: list[str]
    assignees: list[str]
    plus_one: int
    user: str
    created: datetime
    updated: datetime
    pull_request: bool
    state: str
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class Repo:
    """A repository: issues by number, labels by lower-case name, assignable logins (lower)."""

    id: int
    owner: str
    name: str
    issues: dict[int, GitHubIssue]
    labels: dict[str, Label]
    assignable: set[str]

    @property
    def full_name(self) -> str:
        """owner/name."""
        return f"{self.owner}/{self.name}"


@dataclass
class GitHubSite:
    """GitHub: token, the token's login, repos by lower-case full name, the rate-limit window,
    and every login that is an account (lower case)."""

    token: str
    login: str
    repos: dict[str, Repo]
    accounts: set[str] = field(default_factory=set)
    remaining: int = 5000
    reset: int = 0  # epoch seconds
    app: SandboxApp | None = None  # a GitHub App served beside the token (§9)


class NotFoundHere(Exception):
    """The repository, issue or label does not exist: 404."""


def find_repo(site: GitHubSite, params: Mapping[str, str]) -> Repo:
    """The repository named by the `owner` and `repo` path parameters, or by `repo_id`."""
    if "repo_id" in params:
        wanted = params["repo_id"]
        repo = next((r for r in site.repos.values() if str(r.id) == wanted), None)
    else:
        repo = site.repos.get(f"{params['owner']}/{params['repo']}".lower())
    if repo is None:
        raise NotFoundHere
    return repo


def find_issue(site: GitHubSite, params: Mapping[str, str]) -> tuple[Repo, GitHubIssue]:
    """The repository and issue named by the `owner`, `repo` and `number` path parameters."""
    repo = find_repo(site, params)
    number = params["number"]
    found = repo.issues.get(int(number)) if number.isdigit() else None
    if found is None:
        raise NotFoundHere
    return repo, found
