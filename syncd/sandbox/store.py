"""The sandbox's mutable in-memory state: issues, labels, comments and users of every tracker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from syncd.sandbox.seed import Flavour, GitHubIssueSeed, JiraIssueSeed, JiraSeed, Seed

Clock = Callable[[], datetime]


class UnknownIssue(KeyError):
    """`edit_issue` was given a key that is in no tracker."""


@dataclass
class Comment:
    """A comment on an issue (either tracker)."""

    id: int
    body: str
    author: str
    created: datetime


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


@dataclass
class GitHubSite:
    """GitHub: token, the token's login, repos by lower-case full name, the rate-limit window."""

    token: str
    login: str
    repos: dict[str, Repo]
    remaining: int = 5000
    reset: int = 0  # epoch seconds


class Store:
    """All trackers' state behind one lock; `now()` is the sandbox clock."""

    def __init__(self, seed: Seed, clock: Clock | None = None) -> None:
        self.lock = threading.RLock()
        self._clock: Clock = clock or (lambda: datetime.now(UTC))
        self._fixed: datetime | None = None
        self._next_id = 1000
        self.github = self._github(seed)
        self.jira = {
            Flavour.CLOUD: self._jira(seed.jira_cloud),
            Flavour.DC: self._jira(seed.jira_dc),
        }

    def now(self) -> datetime:
        """The sandbox time: a fixed time when set, else the clock."""
        return self._fixed or self._clock()

    def set_time(self, moment: datetime | None) -> None:
        """Freeze the sandbox clock at `moment`, or unfreeze it with None."""
        self._fixed = moment

    def new_id(self) -> int:
        """A fresh numeric id for an issue, label or comment."""
        self._next_id += 1
        return self._next_id

    def _github(self, seed: Seed) -> GitHubSite:
        repos: dict[str, Repo] = {}
        for repo_seed in seed.github.repos:
            owner, name = repo_seed.full_name.split("/")
            repo = Repo(self.new_id(), owner, name, {}, {}, set())
            for s in repo_seed.issues:
                self._add_github_issue(repo, s)
            repos[repo.full_name.lower()] = repo
        for login, where in seed.github.assignable:
            for full_name in where:
                if full_name.lower() in repos:
                    repos[full_name.lower()].assignable.add(login.lower())
        return GitHubSite(seed.github.token, seed.github.login, repos)

    def _jira(self, seed: JiraSeed) -> JiraSite:
        users = {
            u.id: JiraUser(u.id, u.name, u.email or f"{u.id}@example.com", frozenset(u.assignable))
            for u in seed.users
        }
        issues: dict[str, JiraIssue] = {}
        for project in seed.projects:
            for s in project.issues:
                issues[s.key] = self._jira_issue(project.key, s)
        zone = ZoneInfo(seed.time_zone)
        return JiraSite(seed.flavour, seed.token, seed.email, zone, seed.me, users, issues)

    def _add_github_issue(self, repo: Repo, s: GitHubIssueSeed) -> GitHubIssue:
        issue = repo.issues[s.number] = GitHubIssue(
            self.new_id(),
            s.number,
            s.title,
            s.body,
            list(s.labels),
            list(s.assignees),
            s.plus_one,
            s.user,
            s.created,
            s.updated,
            s.pull_request,
            s.state,
        )
        for label in s.labels:
            self.ensure_label(repo, label)
        return issue

    def _jira_issue(self, project: str, s: JiraIssueSeed) -> JiraIssue:
        return JiraIssue(
            self.new_id(),
            s.key,
            project,
            s.summary,
            s.description,
            list(s.labels),
            s.priority,
            s.votes,
            s.type,
            s.components,
            s.status,
            s.category,
            s.estimate,
            s.story_points,
            s.assignee,
            s.reporter,
            s.created,
            s.updated,
        )

    def ensure_label(self, repo: Repo, name: str) -> Label:
        """The repo label called `name` (any case), created in grey when missing."""
        label = repo.labels.get(name.lower())
        if label is None:
            label = repo.labels[name.lower()] = Label(self.new_id(), name)
        return label

    def edit_issue(
        self,
        key: str,
        add_labels: Sequence[str] = (),
        remove_labels: Sequence[str] = (),
        assignees: Sequence[str] | None = None,
    ) -> None:
        """A person edits an issue (`acme/web#3` or `SUP-1`): labels, assignees; bumps updated."""
        with self.lock:
            if "#" in key:
                self._edit_github(key, add_labels, remove_labels, assignees)
            else:
                self._edit_jira(key, add_labels, remove_labels, assignees)

    def _edit_github(
        self, key: str, add: Sequence[str], remove: Sequence[str], assignees: Sequence[str] | None
    ) -> None:
        full_name, _, number = key.partition("#")
        repo = self.github.repos.get(full_name.lower())
        issue = repo.issues.get(int(number)) if repo and number.isdigit() else None
        if repo is None or issue is None:
            raise UnknownIssue(key)
        for name in add:
            if name.lower() not in {label.lower() for label in issue.labels}:
                issue.labels.append(self.ensure_label(repo, name).name)
        drop = {name.lower() for name in remove}
        issue.labels = [label for label in issue.labels if label.lower() not in drop]
        if assignees is not None:
            issue.assignees = list(assignees)
        issue.updated = self.now()

    def _edit_jira(
        self, key: str, add: Sequence[str], remove: Sequence[str], assignees: Sequence[str] | None
    ) -> None:
        issue = self._jira_issue_by_key(key)
        issue.labels += [name for name in add if name not in issue.labels]
        issue.labels = [label for label in issue.labels if label not in remove]
        if assignees is not None:
            issue.assignee = assignees[0] if assignees else None
        issue.updated = self.now()

    def add_reporters(self, key: str, count: int) -> None:
        """Customers pile on: `count` more 👍 (GitHub) or votes (Jira); bumps updated."""
        with self.lock:
            issue: GitHubIssue | JiraIssue
            if "#" in key:
                issue = self._github_issue(key)
                issue.plus_one += count
            else:
                issue = self._jira_issue_by_key(key)
                issue.votes += count
            issue.updated = self.now()

    def set_estimate(
        self, key: str, *, seconds: int | None = None, story_points: float | None = None
    ) -> None:
        """A person re-estimates a Jira issue (original estimate, story points); bumps updated."""
        with self.lock:
            issue = self._jira_issue_by_key(key)
            issue.estimate, issue.story_points = seconds, story_points
            issue.updated = self.now()

    def open_issue(self, where: str, seed: GitHubIssueSeed | JiraIssueSeed) -> None:
        """A new issue arrives in repository or project `where`, created and updated now."""
        with self.lock:
            now = self.now()
            if isinstance(seed, GitHubIssueSeed):
                repo = self.github.repos.get(where.lower())
                if repo is None:
                    raise UnknownIssue(f"{where}#{seed.number}")
                self._add_github_issue(repo, replace(seed, created=now, updated=now))
                return
            site = next(
                (
                    s
                    for s in self.jira.values()
                    if any(i.project == where for i in s.issues.values())
                ),
                None,
            )
            if site is None:
                raise UnknownIssue(seed.key)
            site.issues[seed.key] = self._jira_issue(where, replace(seed, created=now, updated=now))

    def _github_issue(self, key: str) -> GitHubIssue:
        full_name, _, number = key.partition("#")
        repo = self.github.repos.get(full_name.lower())
        issue = repo.issues.get(int(number)) if repo and number.isdigit() else None
        if issue is None:
            raise UnknownIssue(key)
        return issue

    def _jira_issue_by_key(self, key: str) -> JiraIssue:
        issue = self.jira[Flavour.CLOUD].issues.get(key) or self.jira[Flavour.DC].issues.get(key)
        if issue is None:
            raise UnknownIssue(key)
        return issue
