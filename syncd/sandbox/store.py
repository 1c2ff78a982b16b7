"""The sandbox's mutable in-memory state: issues, labels, comments and users of every tracker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from syncd.sandbox.github_state import GitHubIssue, GitHubSite, Label, Repo
from syncd.sandbox.jira_state import JiraIssue, JiraSite, JiraUser
from syncd.sandbox.seed import Flavour, GitHubIssueSeed, JiraIssueSeed, JiraSeed, Seed

Clock = Callable[[], datetime]


class UnknownIssue(KeyError):
    """`edit_issue` was given a key that is in no tracker."""


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
        # Accounts: the token's user, every seeded user, and whoever authored or holds an issue.
        logins = {seed.github.login, *(login for login, _ in seed.github.assignable)}
        for repo in repos.values():
            for issue in repo.issues.values():
                logins.update((issue.user, *issue.assignees))
        accounts = {login.lower() for login in logins}
        return GitHubSite(seed.github.token, seed.github.login, repos, accounts=accounts)

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
        repo, issue = self._github_issue(key)
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
                issue = self._github_issue(key)[1]
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

    def _github_issue(self, key: str) -> tuple[Repo, GitHubIssue]:
        """The repository and issue of `acme/web#3`; UnknownIssue when either is missing."""
        full_name, _, number = key.partition("#")
        repo = self.github.repos.get(full_name.lower())
        issue = repo.issues.get(int(number)) if repo and number.isdigit() else None
        if repo is None or issue is None:
            raise UnknownIssue(key)
        return repo, issue

    def _jira_issue_by_key(self, key: str) -> JiraIssue:
        issue = self.jira[Flavour.CLOUD].issues.get(key) or self.jira[Flavour.DC].issues.get(key)
        if issue is None:
            raise UnknownIssue(key)
        return issue
