"""Turns a parsed seed YAML document into a Seed, naming the key path of anything wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

from syncd.sandbox.seed import (
    SEED_EPOCH,
    Flavour,
    GitHubIssueSeed,
    GitHubSeed,
    JiraIssueSeed,
    JiraSeed,
    JiraUserSeed,
    ProjectSeed,
    RepoSeed,
    Seed,
    SeedError,
    check_time_zone,
)

T = TypeVar("T")


@dataclass(frozen=True)
class _Node:
    """A value in the document and where it stands (`github.repos[acme/web].issues[2]`)."""

    value: object
    path: str
    source: str

    def fail(self, message: str) -> SeedError:
        return SeedError(f"{self.source}: {self.path or 'top level'}: {message}")

    def mapping(self, allowed: frozenset[str]) -> dict[str, _Node]:
        if self.value is None:
            return {}
        if not isinstance(self.value, dict):
            raise self.fail("must be a mapping")
        unknown = sorted(str(k) for k in self.value if k not in allowed)
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
        return {
            str(k): _Node(v, f"{self.path}.{k}".lstrip("."), self.source)
            for k, v in self.value.items()
        }

    def items(self) -> list[_Node]:
        if self.value is None:
            return []
        if not isinstance(self.value, list):
            raise self.fail("must be a list")
        return [_Node(v, f"{self.path}[{i}]", self.source) for i, v in enumerate(self.value)]

    def text(self) -> str:
        if isinstance(self.value, bool) or not isinstance(self.value, (str, int, float)):
            raise self.fail("must be a string")
        return str(self.value)

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            raise self.fail("must be a number")
        return float(self.value)

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail("must be an integer")
        return self.value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise self.fail("must be true or false")
        return self.value

    def texts(self) -> tuple[str, ...]:
        return tuple(item.text() for item in self.items())

    def moment(self) -> datetime:
        value = self.value
        if isinstance(value, date) and not isinstance(value, datetime):
            value = datetime(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                value = datetime.fromisoformat(value)
            except ValueError:
                raise self.fail(f"not an ISO 8601 time: {value!r}") from None
        if not isinstance(value, datetime):
            raise self.fail("must be a time like 2026-11-26T10:15:00Z")
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def _get(fields: dict[str, _Node], key: str, read: Callable[[_Node], T], default: T) -> T:
    node = fields.get(key)
    return default if node is None or node.value is None else read(node)


def _required(fields: dict[str, _Node], key: str, owner: _Node) -> _Node:
    node = fields.get(key)
    if node is None or node.value is None:
        raise owner.fail(f"{key!r} is required")
    return node


def read_seed(document: object, source: str) -> Seed:
    """The Seed described by `document` (the YAML parsed); SeedError on anything wrong."""
    root = _Node(document, "", source)
    fields = root.mapping(frozenset({"github", "jira"}))
    github = fields.get("github", _Node(None, "github", source))
    jira = fields.get("jira", _Node(None, "jira", source)).mapping(frozenset({"cloud", "dc"}))
    return Seed(
        github=_github(github),
        jira_cloud=_jira(jira.get("cloud", _Node(None, "jira.cloud", source)), Flavour.CLOUD),
        jira_dc=_jira(jira.get("dc", _Node(None, "jira.dc", source)), Flavour.DC),
    )


def _github(node: _Node) -> GitHubSeed:
    fields = node.mapping(frozenset({"token", "login", "users", "repos"}))
    users = fields.get("users", _Node(None, f"{node.path}.users", node.source))
    assignable = tuple(
        (
            login,
            value.mapping(frozenset({"assignable"})).get("assignable", _Node([], "", "")).texts(),
        )
        for login, value in users.mapping(_keys_of(users)).items()
    )
    repos_node = fields.get("repos", _Node(None, f"{node.path}.repos", node.source))
    repos = tuple(
        _repo(name, value) for name, value in repos_node.mapping(_keys_of(repos_node)).items()
    )
    token = _get(fields, "token", _Node.text, "") if node.value is not None else ""
    if node.value is not None and not token:
        raise node.fail("'token' is required")
    return GitHubSeed(token, _get(fields, "login", _Node.text, "syncd-bot"), assignable, repos)


def _keys_of(node: _Node) -> frozenset[str]:
    return frozenset(str(k) for k in node.value) if isinstance(node.value, dict) else frozenset()


def _repo(name: str, node: _Node) -> RepoSeed:
    if name.count("/") != 1:
        raise node.fail("a repository is named owner/name")
    issues = tuple(
        _github_issue(item)
        for item in node.mapping(frozenset({"issues"})).get("issues", _Node(None, "", "")).items()
    )
    numbers = [issue.number for issue in issues]
    if len(set(numbers)) != len(numbers):
        raise node.fail("issue numbers must be unique")
    return RepoSeed(name, issues)


_GITHUB_ISSUE_KEYS = frozenset(
    {
        "number",
        "title",
        "body",
        "labels",
        "assignees",
        "plus_one",
        "user",
        "created",
        "updated",
        "pull_request",
        "state",
    }
)


def _github_issue(node: _Node) -> GitHubIssueSeed:
    f = node.mapping(_GITHUB_ISSUE_KEYS)
    created = _get(f, "created", _Node.moment, SEED_EPOCH)
    state = _get(f, "state", _Node.text, "open")
    if state not in {"open", "closed"}:
        raise f["state"].fail("must be open or closed")
    return GitHubIssueSeed(
        number=_required(f, "number", node).integer(),
        title=_required(f, "title", node).text(),
        body=_get(f, "body", _Node.text, None),
        labels=_get(f, "labels", _Node.texts, ()),
        assignees=_get(f, "assignees", _Node.texts, ()),
        plus_one=_get(f, "plus_one", _Node.integer, 0),
        user=_get(f, "user", _Node.text, "customer-success"),
        created=created,
        updated=_get(f, "updated", _Node.moment, created),
        pull_request=_get(f, "pull_request", _Node.flag, False),
        state=state,
    )


def _jira(node: _Node, flavour: Flavour) -> JiraSeed:
    f = node.mapping(frozenset({"email", "token", "time_zone", "me", "users", "projects"}))
    if node.value is not None and "token" not in f:
        raise node.fail("'token' is required")
    users = tuple(_jira_user(item) for item in f.get("users", _Node(None, "", "")).items())
    projects_node = f.get("projects", _Node(None, f"{node.path}.projects", node.source))
    projects = tuple(
        _project(key, value)
        for key, value in projects_node.mapping(_keys_of(projects_node)).items()
    )
    me = _get(f, "me", _Node.text, users[0].id if users else None)
    if me is not None and me not in {user.id for user in users}:
        raise f["me"].fail(f"{me!r} is not one of the users")
    return JiraSeed(
        flavour=flavour,
        token=_get(f, "token", _Node.text, f"unset-{flavour.value}-token"),
        email=_get(f, "email", _Node.text, None),
        time_zone=check_time_zone(_get(f, "time_zone", _Node.text, "UTC"), node.path),
        me=me,
        users=users,
        projects=projects,
    )


def _jira_user(node: _Node) -> JiraUserSeed:
    f = node.mapping(frozenset({"id", "name", "assignable", "email"}))
    return JiraUserSeed(
        id=_required(f, "id", node).text(),
        name=_get(f, "name", _Node.text, _required(f, "id", node).text()),
        assignable=_get(f, "assignable", _Node.texts, ()),
        email=_get(f, "email", _Node.text, None),
    )


def _project(key: str, node: _Node) -> ProjectSeed:
    issues = tuple(
        _jira_issue(item, key)
        for item in node.mapping(frozenset({"issues"})).get("issues", _Node(None, "", "")).items()
    )
    return ProjectSeed(key, issues)


_JIRA_ISSUE_KEYS = frozenset(
    {
        "key",
        "summary",
        "description",
        "labels",
        "priority",
        "votes",
        "type",
        "components",
        "status",
        "category",
        "estimate",
        "story_points",
        "assignee",
        "reporter",
        "created",
        "updated",
    }
)


def _jira_issue(node: _Node, project: str) -> JiraIssueSeed:
    f = node.mapping(_JIRA_ISSUE_KEYS)
    key = _required(f, "key", node).text()
    if not key.startswith(f"{project}-") or not key[len(project) + 1 :].isdigit():
        raise f["key"].fail(f"a key in project {project} looks like {project}-12")
    category = _get(f, "category", _Node.text, "new")
    if category not in {"new", "indeterminate", "done"}:
        raise f["category"].fail("must be new, indeterminate or done")
    created = _get(f, "created", _Node.moment, SEED_EPOCH)
    return JiraIssueSeed(
        key=key,
        summary=_required(f, "summary", node).text(),
        description=_get(f, "description", _Node.text, None),
        labels=_get(f, "labels", _Node.texts, ()),
        priority=_get(f, "priority", _Node.text, "Medium"),
        votes=_get(f, "votes", _Node.integer, 0),
        type=_get(f, "type", _Node.text, "Bug"),
        components=_get(f, "components", _Node.texts, ()),
        status=_get(f, "status", _Node.text, "Open"),
        category=category,
        estimate=_get(f, "estimate", _Node.integer, None),
        story_points=_get(f, "story_points", _Node.number, None),
        assignee=_get(f, "assignee", _Node.text, None),
        reporter=_get(f, "reporter", _Node.text, None),
        created=created,
        updated=_get(f, "updated", _Node.moment, created),
    )
